/** @file The `log1p` primitive: `log(1 + x)`, elementwise, accurate for small x (stable losses need it). */
import * as ops from "../core/ops.js";
import { bind1 } from "../core/trace.js";
import { alu } from "../compiler/alu.js";
import { NO_PARAMS, type PrimitiveDef } from "../core/primitive.js";
import { elementwiseVmap, floatUnaryShape } from "./_rules.js";

/** `log1p x` staged or computed (the typed public op is `log1p` in src/ops). */
export const log1pOf = (x: ops.AnyTensor): ops.AnyTensor => bind1("log1p", [x], NO_PARAMS);

export const log1p: PrimitiveDef<"log1p"> = {
  name: "log1p",

  // ---- shape ----
  shape: floatUnaryShape("log1p"),

  // ---- lower ----
  lower: ([x]) => alu.Log1p(x),

  // ---- jvp ----
  // d log1p x = xDot / (1 + x)
  jvp: ([x], [xDot]) => [[log1pOf(x)], [ops.div(xDot, ops.add(ops.fullLike(x, 1), x))]],

  // ---- vmap ----
  vmap: elementwiseVmap(([x]) => log1pOf(x)),
};
