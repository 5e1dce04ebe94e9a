/** @file The `tanh` primitive: elementwise hyperbolic tangent. */
import * as ops from "../core/ops.js";
import { alu } from "../compiler/alu.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { floatUnaryShape, elementwiseVmap } from "./_rules.js";

export const tanh: PrimitiveDef<"tanh"> = {
  name: "tanh",

  // ---- shape ----
  shape: floatUnaryShape("tanh"),

  // ---- lower ----
  lower: ([x]) => alu.Tanh(x),

  // ---- jvp ----
  // d tanh x = (1 − tanh² x) · xDot
  jvp: ([x], [xDot]) => {
    const y = ops.tanh(x);
    return [[y], [ops.mul(ops.sub(ops.fullLike(y, 1), ops.mul(y, y)), xDot)]];
  },

  // ---- vmap ----
  vmap: elementwiseVmap(([x]) => ops.tanh(x)),
};
