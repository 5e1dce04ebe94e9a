/** @file The `stopGradient` primitive: the identity on values, with a zero derivative. */
import * as ops from "../core/ops.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { elementwiseVmap, zeroTangent } from "./_rules.js";

export const stopGradient: PrimitiveDef<"stopGradient"> = {
  name: "stopGradient",

  // ---- shape ----
  shape: ([x]) => [x],

  // ---- kernel ----
  impl: ([x]) => [x],

  // ---- jvp ----
  // The value passes through; the tangent is cut to zero (so no transpose rule is ever needed).
  jvp: ([x]) => [[ops.stopGradient(x)], [zeroTangent(x)]],

  // ---- vmap ----
  vmap: elementwiseVmap(([x]) => ops.stopGradient(x)),
};
