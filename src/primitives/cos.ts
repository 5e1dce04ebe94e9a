/** @file The `cos` primitive: elementwise cosine. */
import * as ops from "../core/ops.js";
import { alu } from "../compiler/alu.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { floatUnaryShape, elementwiseVmap } from "./_rules.js";

export const cos: PrimitiveDef<"cos"> = {
  name: "cos",

  // ---- shape ----
  shape: floatUnaryShape("cos"),

  // ---- lower ----
  lower: ([x]) => alu.Cos(x),

  // ---- jvp ----
  // d cos x = −sin x · xDot
  jvp: ([x], [xDot]) => [[ops.cos(x)], [ops.neg(ops.mul(ops.sin(x), xDot))]],

  // ---- vmap ----
  vmap: elementwiseVmap(([x]) => ops.cos(x)),
};
