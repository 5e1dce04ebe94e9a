/**
 * @file The `checkIndices` primitive: the identity on int32 indices that raises a `RangeError` when
 * one is outside its valid range, so that a compiled program reports a bad label or index when it
 * runs (after JAX's checkify) instead of turning it into a zero row.
 */
import * as ops from "../core/ops.js";
import { currentBackend } from "../backend/backend.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { DTypeError } from "../core/errors.js";
import { zeroTangent } from "./_rules.js";

// NB: the check is an effect, but the primitive stays pure in form: callers use its *result*
// (`oneHot(checkIndices(labels))`), so dead-code elimination keeps it exactly while the value it
// guards is used. It has no `lower` (the simplifier's identities read elementwise lowerings and
// would see through it) and no `simplify` rule. CSE merges two equal checks, which is harmless.
export const checkIndices: PrimitiveDef<"checkIndices"> = {
  name: "checkIndices",

  // ---- shape ----
  shape: ([x], { op }) => {
    if (x.dtype !== "int32") throw new DTypeError(`${op}: expected int32 indices, got ${x.dtype}`);
    return [x];
  },

  // ---- kernel ----
  impl: ([x], { op, what, lo, hi }) => [currentBackend().checkIndices(x, lo, hi, op, what)],

  // ---- jvp ----
  // Integer values: zero derivative (so no transpose rule is ever needed).
  jvp: ([x], _tangents, { op, what, lo, hi }) => {
    const y = ops.checkIndices(x, op, what, lo, hi);
    return [[y], [zeroTangent(y)]];
  },

  // ---- vmap ----
  // Elementwise: the batched tensor is checked whole (positions then include the batch axis).
  vmap: ([x], [dim], { op, what, lo, hi }) => [[ops.checkIndices(x, op, what, lo, hi)], [dim]],
};
