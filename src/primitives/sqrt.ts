/** @file The `sqrt` primitive: elementwise square root. */
import * as ops from "../core/ops.js";
import { alu } from "../compiler/alu.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { floatUnaryShape, elementwiseVmap } from "./_rules.js";

export const sqrt: PrimitiveDef<"sqrt"> = {
  name: "sqrt",

  // ---- shape ----
  shape: floatUnaryShape("sqrt"),

  // ---- lower ----
  lower: ([x]) => alu.Sqrt(x),

  // ---- jvp ----
  // d √x = xDot / (2√x)
  jvp: ([x], [xDot]) => {
    const y = ops.sqrt(x);
    return [[y], [ops.div(xDot, ops.add(y, y))]];
  },

  // ---- vmap ----
  vmap: elementwiseVmap(([x]) => ops.sqrt(x)),
};
