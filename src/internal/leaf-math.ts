/**
 * @file Arithmetic on one leaf of a parameter tree with JS-number or scalar-tensor coefficients,
 * for library code (optimizers, schedules) that works on trees of any shapes. Untyped on purpose:
 * the public, shape-typed API lives in `src/ops/`.
 */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";

type T = AnyTensor;

/** A coefficient: a JS number or a scalar tensor (e.g. a scheduled learning rate). */
export type Coef = number | T;

/**
 * `c` as a tensor of `like`'s shape and dtype. A number is the core fill (`fullLike`); only a
 * scalar tensor coefficient, which core's fill does not take, is cast and broadcast here.
 */
export function coefLike(like: T, c: Coef): T {
  if (typeof c === "number") return ops.fullLike(like, c);
  const s = ops.cast(c, like.dtype);
  return like.ndim === 0 ? s : ops.broadcastInDim(s, like.shape, []);
}

/** c · x */
export const scale = (x: T, c: Coef): T => ops.mul(x, coefLike(x, c));
/** x + y */
export const plus = (x: T, y: T): T => ops.add(x, y);
/** x − y */
export const minus = (x: T, y: T): T => ops.sub(x, y);
/** a·x + b·y */
export const lerp = (x: T, a: Coef, y: T, b: Coef): T => ops.add(scale(x, a), scale(y, b));
/** x ⊙ x */
export const square = (x: T): T => ops.mul(x, x);
/** x / (√y + eps) */
export const divSqrt = (x: T, y: T, eps: number): T => ops.div(x, ops.add(ops.sqrt(y), ops.fullLike(y, eps)));
/** Σ x² over every element, as a float64 scalar (coefficients are computed in float64). */
export const sumSquares = (x: T): T =>
  ops.cast(
    ops.reduceSum(
      square(x),
      x.shape.map((_, i) => i),
    ),
    "float64",
  );
/**
 * A scalar coefficient tensor, float64 by default: step-dependent coefficients are computed in
 * float64 and rounded once, when applied to a leaf of the leaf's dtype.
 */
export const scalar = (v: number, dtype: "float64" | "float32" | "int32" = "float64"): T => ops.full([], v, dtype);
