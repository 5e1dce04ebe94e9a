/** @file The `min` primitive: elementwise minimum of equal-shaped operands. */
import * as ops from "../core/ops.js";
import { alu } from "../compiler/alu.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { binaryShape, elementwiseVmap, tieSharingJvp } from "./_rules.js";

export const min: PrimitiveDef<"min"> = {
  name: "min",

  // ---- shape ----
  shape: binaryShape("min"),

  // ---- lower ----
  lower: ([x, y]) => alu.Min(x, y),

  // ---- jvp ----
  // d min(x, y) = xDot where x wins, yDot where y wins.
  // NB: on ties we take the average (xDot + yDot) / 2, the choice that keeps min(x, x) = x
  // differentiable with derivative 1 and treats both arguments alike.
  jvp: tieSharingJvp((x, y) => ops.min(x, y), "lt"),

  // ---- vmap ----
  vmap: elementwiseVmap(([x, y]) => ops.min(x, y)),
};
