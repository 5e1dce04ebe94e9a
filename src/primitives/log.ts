/** @file The `log` primitive: elementwise natural logarithm. */
import * as ops from "../core/ops.js";
import { alu } from "../compiler/alu.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { floatUnaryShape, elementwiseVmap } from "./_rules.js";

export const log: PrimitiveDef<"log"> = {
  name: "log",

  // ---- shape ----
  shape: floatUnaryShape("log"),

  // ---- lower ----
  lower: ([x]) => alu.Log(x),

  // ---- jvp ----
  // d log x = xDot / x
  jvp: ([x], [xDot]) => [[ops.log(x)], [ops.div(xDot, x)]],

  // ---- vmap ----
  vmap: elementwiseVmap(([x]) => ops.log(x)),
};
