/** @file The `mul` primitive: elementwise product; linear in each operand when the other is known. */
import * as ops from "../core/ops.js";
import { alu } from "../compiler/alu.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { arithmeticShape, bilinearJvp, bilinearTranspose, elementwiseVmap } from "./_rules.js";

export const mul: PrimitiveDef<"mul"> = {
  name: "mul",

  // ---- shape ----
  shape: arithmeticShape("mul"),

  // ---- lower ----
  // int32 products wrap modulo 2^32, as in C and XLA (the ALU `Mul` of int32).
  lower: ([x, y]) => alu.Mul(x, y),

  // ---- jvp ----
  // d(x · y) = xDot · y + x · yDot
  jvp: bilinearJvp((x, y) => ops.mul(x, y)),

  // ---- transpose ----
  // ⟨ct, x · y⟩ = ⟨ct · y, x⟩ = ⟨x · ct, y⟩. Linearization only ever multiplies a tangent by a
  // known value, so exactly one side is undefined.
  transpose: bilinearTranspose(
    "mul",
    (ct, y) => ops.mul(ct, y),
    (ct, x) => ops.mul(x, ct),
  ),

  // ---- vmap ----
  vmap: elementwiseVmap(([x, y]) => ops.mul(x, y)),
};
