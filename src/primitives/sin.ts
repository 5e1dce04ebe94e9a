/** @file The `sin` primitive: elementwise sine. */
import * as ops from "../core/ops.js";
import { alu } from "../compiler/alu.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { floatUnaryShape, elementwiseVmap } from "./_rules.js";

export const sin: PrimitiveDef<"sin"> = {
  name: "sin",

  // ---- shape ----
  shape: floatUnaryShape("sin"),

  // ---- lower ----
  lower: ([x]) => alu.Sin(x),

  // ---- jvp ----
  // d sin x = cos x · xDot
  jvp: ([x], [xDot]) => [[ops.sin(x)], [ops.mul(ops.cos(x), xDot)]],

  // ---- vmap ----
  vmap: elementwiseVmap(([x]) => ops.sin(x)),
};
