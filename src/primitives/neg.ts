/** @file The `neg` primitive: elementwise negation; linear. */
import * as ops from "../core/ops.js";
import { alu } from "../compiler/alu.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { numericUnaryShape, elementwiseVmap } from "./_rules.js";

export const neg: PrimitiveDef<"neg"> = {
  name: "neg",

  // ---- shape ----
  shape: numericUnaryShape("neg"),

  // ---- lower ----
  lower: ([x]) => alu.Neg(x),

  // ---- jvp ----
  // d(−x) = −xDot
  jvp: ([x], [xDot]) => [[ops.neg(x)], [ops.neg(xDot)]],

  // ---- transpose ----
  transpose: ([ct]) => [ops.neg(ct)],

  // ---- vmap ----
  vmap: elementwiseVmap(([x]) => ops.neg(x)),
};
