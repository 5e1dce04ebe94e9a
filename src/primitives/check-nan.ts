/**
 * @file The `checkNaN` primitive: the identity on a float tensor that raises a `RangeError` when
 * an element is NaN, so that code that must not take NaN (the metrics' scores, whose argmax would
 * quietly pick the NaN) reports it where it runs, eagerly or when a compiled program runs (as
 * JAX's checkify with `nan_checks`), instead of computing a wrong answer from it.
 */
import type { AnyTensor } from "../core/ops.js";
import { bind1 } from "../core/trace.js";
import { currentBackend } from "../backend/backend.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { DTypeError } from "../core/errors.js";
import { isFloat } from "../dtype.js";

/** `x`, checked for NaN, staged or computed; a NaN is reported as `op: what is NaN at position […]`. */
export const checkNaNOf = (x: AnyTensor, op: string, what: string): AnyTensor => bind1("checkNaN", [x], { op, what });

// NB: as `checkIndices`, an effect in a pure form: callers use the result, so dead-code
// elimination keeps the check exactly while the value it guards is used. No `lower`: the
// simplifier's identities read elementwise lowerings and would see through it.
export const checkNaN: PrimitiveDef<"checkNaN"> = {
  name: "checkNaN",

  // ---- shape ----
  shape: ([x], { op }) => {
    if (!isFloat(x.dtype)) throw new DTypeError(`${op}: expected a float tensor to check for NaN, got ${x.dtype}`);
    return [x];
  },

  // ---- kernel ----
  impl: ([x], { op, what }) => [currentBackend().checkNaN(x, op, what)],

  // ---- jvp ----
  // The identity: d x = xDot. The primal is checked; a tangent is not the caller's input.
  jvp: ([x], [xDot], { op, what }) => [[checkNaNOf(x, op, what)], [xDot]],

  // ---- vmap ----
  // Elementwise: the batched tensor is checked whole (positions then include the batch axis).
  vmap: ([x], [dim], { op, what }) => [[checkNaNOf(x, op, what)], [dim]],
};
