/** @file The `sign` primitive: elementwise sign (−1, 0 or 1). */
import * as ops from "../core/ops.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { mapUnary } from "../backend/js/kernels.js";
import { numericUnaryShape, elementwiseVmap, zeroTangent } from "./_rules.js";

export const sign: PrimitiveDef<"sign"> = {
  name: "sign",

  // ---- shape ----
  shape: numericUnaryShape("sign"),

  // ---- kernel ----
  impl: ([x]) => [mapUnary(x, Math.sign)],

  // ---- jvp ----
  // sign is piecewise constant: its derivative is 0 (and undefined at 0, where we also say 0).
  jvp: ([x]) => {
    const y = ops.sign(x);
    return [[y], [zeroTangent(y)]];
  },

  // ---- vmap ----
  vmap: elementwiseVmap(([x]) => ops.sign(x)),
};
