/** @file The `max` primitive: elementwise maximum of equal-shaped operands. */
import * as ops from "../core/ops.js";
import { alu } from "../compiler/alu.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { binaryShape, elementwiseVmap } from "./_rules.js";

export const max: PrimitiveDef<"max"> = {
  name: "max",

  // ---- shape ----
  shape: binaryShape("max"),

  // ---- lower ----
  lower: ([x, y]) => alu.max(x, y),

  // ---- jvp ----
  // d max(x, y) = xDot where x wins, yDot where y wins.
  // NB: on ties we take the average (xDot + yDot) / 2, the choice that keeps max(x, x) = x
  // differentiable with derivative 1 and treats both arguments alike.
  jvp: ([x, y], [xDot, yDot]) => {
    const xWins = ops.compare(x, y, "gt");
    const yWins = ops.compare(x, y, "lt");
    const tie = ops.mul(ops.add(xDot, yDot), ops.fullLike(xDot, 0.5));
    return [[ops.max(x, y)], [ops.select(xWins, xDot, ops.select(yWins, yDot, tie))]];
  },

  // ---- vmap ----
  vmap: elementwiseVmap(([x, y]) => ops.max(x, y)),
};
