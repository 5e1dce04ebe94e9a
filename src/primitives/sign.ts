/** @file The `sign` primitive: elementwise sign (−1, 0 or 1). */
import * as ops from "../core/ops.js";
import { alu } from "../compiler/alu.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { numericUnaryShape, elementwiseVmap, zeroTangent } from "./_rules.js";

export const sign: PrimitiveDef<"sign"> = {
  name: "sign",

  // ---- shape ----
  shape: numericUnaryShape("sign"),

  // ---- lower ----
  // sign x = 1 for x > 0, −1 for x < 0, and x itself otherwise (±0 keep their sign, NaN stays NaN).
  lower: ([x]) =>
    alu.Select(alu.Gt(x, alu.constLike(x, 0)), alu.constLike(x, 1), alu.Select(alu.Lt(x, alu.constLike(x, 0)), alu.constLike(x, -1), x)),

  // ---- jvp ----
  // sign is piecewise constant: its derivative is 0 (and undefined at 0, where we also say 0).
  jvp: ([x]) => {
    const y = ops.sign(x);
    return [[y], [zeroTangent(y)]];
  },

  // ---- vmap ----
  vmap: elementwiseVmap(([x]) => ops.sign(x)),
};
