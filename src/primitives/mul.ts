/** @file The `mul` primitive: elementwise product; linear in each operand when the other is known. */
import * as ops from "../core/ops.js";
import { TraceError } from "../core/tensor.js";
import { alu } from "../compiler/alu.js";
import { UndefPrimal, type PrimitiveDef } from "../core/primitive.js";
import { arithmeticShape, elementwiseVmap } from "./_rules.js";

export const mul: PrimitiveDef<"mul"> = {
  name: "mul",

  // ---- shape ----
  shape: arithmeticShape("mul"),

  // ---- lower ----
  // int32 products wrap modulo 2^32, as in C and XLA (the ALU `mul` of int32).
  lower: ([x, y]) => alu.mul(x, y),

  // ---- jvp ----
  // d(x · y) = xDot · y + x · yDot
  jvp: ([x, y], [xDot, yDot]) => [[ops.mul(x, y)], [ops.add(ops.mul(xDot, y), ops.mul(x, yDot))]],

  // ---- transpose ----
  // Linearization only ever multiplies a tangent by a known value, so exactly one side is undefined.
  transpose: ([ct], [x, y]) => {
    if (x instanceof UndefPrimal && !(y instanceof UndefPrimal)) return [ops.mul(ct, y), null];
    if (y instanceof UndefPrimal && !(x instanceof UndefPrimal)) return [null, ops.mul(x, ct)];
    throw new TraceError("mul: transpose needs exactly one linear operand");
  },

  // ---- vmap ----
  vmap: elementwiseVmap(([x, y]) => ops.mul(x, y)),
};
