/** @file The `erf` primitive: the error function `erf x = 2/√π ∫₀ˣ e^(−t²) dt`, elementwise (exact GELU needs it). */
import * as ops from "../core/ops.js";
import { bind1 } from "../core/trace.js";
import { alu } from "../compiler/alu.js";
import { NO_PARAMS, type PrimitiveDef } from "../core/primitive.js";
import { elementwiseVmap, floatUnaryShape } from "./_rules.js";

/** `erf x` staged or computed (the typed public op is `erf` in src/ops). */
export const erfOf = (x: ops.AnyTensor): ops.AnyTensor => bind1("erf", [x], NO_PARAMS);

export const erf: PrimitiveDef<"erf"> = {
  name: "erf",

  // ---- shape ----
  shape: floatUnaryShape("erf"),

  // ---- lower ----
  lower: ([x]) => alu.Erf(x),

  // ---- jvp ----
  // d erf x = 2/√π · e^(−x²) · xDot
  jvp: ([x], [xDot]) => {
    const slope = ops.mul(ops.fullLike(x, 2 / Math.sqrt(Math.PI)), ops.exp(ops.neg(ops.mul(x, x))));
    return [[erfOf(x)], [ops.mul(slope, xDot)]];
  },

  // ---- vmap ----
  vmap: elementwiseVmap(([x]) => erfOf(x)),
};
