/** @file The `exp` primitive: elementwise exponential. */
import * as ops from "../core/ops.js";
import { alu } from "../compiler/alu.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { floatUnaryShape, elementwiseVmap } from "./_rules.js";

export const exp: PrimitiveDef<"exp"> = {
  name: "exp",

  // ---- shape ----
  shape: floatUnaryShape("exp"),

  // ---- lower ----
  lower: ([x]) => alu.Exp(x),

  // ---- jvp ----
  // d exp x = exp x · xDot
  jvp: ([x], [xDot]) => {
    const y = ops.exp(x);
    return [[y], [ops.mul(y, xDot)]];
  },

  // ---- vmap ----
  vmap: elementwiseVmap(([x]) => ops.exp(x)),
};
