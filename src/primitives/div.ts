/** @file The `div` primitive: elementwise quotient; linear in the numerator. */
import * as ops from "../core/ops.js";
import { TraceError } from "../core/tensor.js";
import { alu } from "../compiler/alu.js";
import { UndefPrimal, type PrimitiveDef } from "../core/primitive.js";
import { arithmeticShape, elementwiseVmap } from "./_rules.js";

export const div: PrimitiveDef<"div"> = {
  name: "div",

  // ---- shape ----
  shape: arithmeticShape("div"),

  // ---- lower ----
  // NB: int32 division truncates toward zero, as C and XLA do (the ALU `Div` of int32).
  lower: ([x, y]) => alu.Div(x, y),

  // ---- jvp ----
  // d(x / y) = (xDot − (x / y) · yDot) / y
  jvp: ([x, y], [xDot, yDot]) => {
    const z = ops.div(x, y);
    return [[z], [ops.div(ops.sub(xDot, ops.mul(z, yDot)), y)]];
  },

  // ---- transpose ----
  transpose: ([ct], [x, y]) => {
    if (x instanceof UndefPrimal && !(y instanceof UndefPrimal)) return [ops.div(ct, y), null];
    throw new TraceError("div: transpose is linear in the numerator only");
  },

  // ---- vmap ----
  vmap: elementwiseVmap(([x, y]) => ops.div(x, y)),
};
