/** @file The `max` primitive: elementwise maximum of equal-shaped operands. */
import * as ops from "../core/ops.js";
import { alu } from "../compiler/alu.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { binaryShape, elementwiseVmap, tieSharingJvp } from "./_rules.js";

export const max: PrimitiveDef<"max"> = {
  name: "max",

  // ---- shape ----
  shape: binaryShape("max"),

  // ---- lower ----
  lower: ([x, y]) => alu.Max(x, y),

  // ---- jvp ----
  // d max(x, y) = xDot where x wins, yDot where y wins.
  // NB: on ties we take the average (xDot + yDot) / 2, the choice that keeps max(x, x) = x
  // differentiable with derivative 1 and treats both arguments alike.
  jvp: tieSharingJvp((x, y) => ops.max(x, y), "gt"),

  // ---- vmap ----
  vmap: elementwiseVmap(([x, y]) => ops.max(x, y)),
};
