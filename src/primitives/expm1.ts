/** @file The `expm1` primitive: `eˣ − 1`, elementwise, accurate for small x (stable losses need it). */
import * as ops from "../core/ops.js";
import { bind1 } from "../core/trace.js";
import { alu } from "../compiler/alu.js";
import { NO_PARAMS, type PrimitiveDef } from "../core/primitive.js";
import { elementwiseVmap, floatUnaryShape } from "./_rules.js";

/** `expm1 x` staged or computed (the typed public op is `expm1` in src/ops). */
export const expm1Of = (x: ops.AnyTensor): ops.AnyTensor => bind1("expm1", [x], NO_PARAMS);

export const expm1: PrimitiveDef<"expm1"> = {
  name: "expm1",

  // ---- shape ----
  shape: floatUnaryShape("expm1"),

  // ---- lower ----
  lower: ([x]) => alu.Expm1(x),

  // ---- jvp ----
  // d expm1 x = eˣ · xDot
  jvp: ([x], [xDot]) => [[expm1Of(x)], [ops.mul(ops.exp(x), xDot)]],

  // ---- vmap ----
  vmap: elementwiseVmap(([x]) => expm1Of(x)),
};
