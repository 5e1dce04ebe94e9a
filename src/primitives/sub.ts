/** @file The `sub` primitive: elementwise difference of equal-shaped operands; linear in both. */
import * as ops from "../core/ops.js";
import { alu } from "../compiler/alu.js";
import { UndefPrimal, type PrimitiveDef } from "../core/primitive.js";
import { arithmeticShape, elementwiseVmap } from "./_rules.js";

export const sub: PrimitiveDef<"sub"> = {
  name: "sub",

  // ---- shape ----
  shape: arithmeticShape("sub"),

  // ---- lower ----
  lower: ([x, y]) => alu.Sub(x, y),

  // ---- jvp ----
  // d(x − y) = xDot − yDot
  jvp: ([x, y], [xDot, yDot]) => [[ops.sub(x, y)], [ops.sub(xDot, yDot)]],

  // ---- transpose ----
  transpose: ([ct], [x, y]) => [x instanceof UndefPrimal ? ct : null, y instanceof UndefPrimal ? ops.neg(ct) : null],

  // ---- vmap ----
  vmap: elementwiseVmap(([x, y]) => ops.sub(x, y)),
};
