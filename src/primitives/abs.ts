/** @file The `abs` primitive: elementwise absolute value. */
import * as ops from "../core/ops.js";
import { alu } from "../compiler/alu.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { numericUnaryShape, elementwiseVmap } from "./_rules.js";

export const abs: PrimitiveDef<"abs"> = {
  name: "abs",

  // ---- shape ----
  shape: numericUnaryShape("abs"),

  // ---- lower ----
  lower: ([x]) => alu.Abs(x),

  // ---- jvp ----
  // d |x| = sign x · xDot. NB: at x = 0 this gives 0, the midpoint of the subgradient [−1, 1], as JAX does.
  jvp: ([x], [xDot]) => [[ops.abs(x)], [ops.mul(ops.sign(x), xDot)]],

  // ---- vmap ----
  vmap: elementwiseVmap(([x]) => ops.abs(x)),
};
