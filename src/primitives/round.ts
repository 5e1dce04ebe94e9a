/** @file The `round` primitive: elementwise the nearest integer, halves to the even one (0.5 → 0, 1.5 → 2, −2.5 → −2), as NumPy and JAX; float in, float out. */
import { bind1 } from "../core/trace.js";
import { alu } from "../compiler/alu.js";
import { NO_PARAMS, type PrimitiveDef } from "../core/primitive.js";
import type { AnyTensor } from "../core/ops.js";
import { elementwiseVmap, floatUnaryShape, zeroTangent } from "./_rules.js";

/** `round x` staged or computed (the typed public op is `round` in src/ops, which passes integers through). */
export const roundOf = (x: AnyTensor): AnyTensor => bind1("round", [x], NO_PARAMS);

export const round: PrimitiveDef<"round"> = {
  name: "round",

  // ---- shape ----
  shape: floatUnaryShape("round"),

  // ---- lower ----
  lower: ([x]) => alu.Round(x),

  // ---- jvp ----
  // Piecewise constant: the derivative is 0, and at the jumps (where it is undefined) we also say
  // 0, as JAX does.
  jvp: ([x]) => {
    const y = roundOf(x);
    return [[y], [zeroTangent(y)]];
  },

  // ---- vmap ----
  vmap: elementwiseVmap(([x]) => roundOf(x)),
};
