/** @file The `ceil` primitive: elementwise the smallest integer ≥ x (−0.5 → −0); float in, float out. */
import { bind1 } from "../core/trace.js";
import { alu } from "../compiler/alu.js";
import { NO_PARAMS, type PrimitiveDef } from "../core/primitive.js";
import type { AnyTensor } from "../core/ops.js";
import { elementwiseVmap, floatUnaryShape, zeroTangent } from "./_rules.js";

/** `ceil x` staged or computed (the typed public op is `ceil` in src/ops, which passes integers through). */
export const ceilOf = (x: AnyTensor): AnyTensor => bind1("ceil", [x], NO_PARAMS);

export const ceil: PrimitiveDef<"ceil"> = {
  name: "ceil",

  // ---- shape ----
  shape: floatUnaryShape("ceil"),

  // ---- lower ----
  lower: ([x]) => alu.Ceil(x),

  // ---- jvp ----
  // Piecewise constant: the derivative is 0, and at the jumps (where it is undefined) we also say
  // 0, as JAX does.
  jvp: ([x]) => {
    const y = ceilOf(x);
    return [[y], [zeroTangent(y)]];
  },

  // ---- vmap ----
  vmap: elementwiseVmap(([x]) => ceilOf(x)),
};
