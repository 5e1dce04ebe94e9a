/** @file The `floor` primitive: elementwise the largest integer ≤ x (−0.5 → −1, −0 stays −0); float in, float out. */
import { bind1 } from "../core/trace.js";
import { alu } from "../compiler/alu.js";
import { NO_PARAMS, type PrimitiveDef } from "../core/primitive.js";
import type { AnyTensor } from "../core/ops.js";
import { elementwiseVmap, floatUnaryShape, zeroTangent } from "./_rules.js";

/** `floor x` staged or computed (the typed public op is `floor` in src/ops, which passes integers through). */
export const floorOf = (x: AnyTensor): AnyTensor => bind1("floor", [x], NO_PARAMS);

export const floor: PrimitiveDef<"floor"> = {
  name: "floor",

  // ---- shape ----
  shape: floatUnaryShape("floor"),

  // ---- lower ----
  lower: ([x]) => alu.Floor(x),

  // ---- jvp ----
  // Piecewise constant: the derivative is 0, and at the jumps (where it is undefined) we also say
  // 0, as JAX does.
  jvp: ([x]) => {
    const y = floorOf(x);
    return [[y], [zeroTangent(y)]];
  },

  // ---- vmap ----
  vmap: elementwiseVmap(([x]) => floorOf(x)),
};
