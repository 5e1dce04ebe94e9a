/** @file The `add` primitive: elementwise sum of equal-shaped operands; linear in both. */
import * as ops from "../core/ops.js";
import { alu } from "../compiler/alu.js";
import { UndefPrimal, type PrimitiveDef } from "../core/primitive.js";
import { arithmeticShape, elementwiseVmap } from "./_rules.js";

export const add: PrimitiveDef<"add"> = {
  name: "add",

  // ---- shape ----
  shape: arithmeticShape("add"),

  // ---- lower ----
  lower: ([x, y]) => alu.Add(x, y),

  // ---- jvp ----
  // d(x + y) = xDot + yDot
  jvp: ([x, y], [xDot, yDot]) => [[ops.add(x, y)], [ops.add(xDot, yDot)]],

  // ---- transpose ----
  transpose: ([ct], [x, y]) => [x instanceof UndefPrimal ? ct : null, y instanceof UndefPrimal ? ct : null],

  // ---- vmap ----
  vmap: elementwiseVmap(([x, y]) => ops.add(x, y)),
};
