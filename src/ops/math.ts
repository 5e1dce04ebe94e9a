/**
 * @file Elementwise math beyond arithmetic: rounding (`floor`, `ceil`, `round` half to even),
 * `mod` with the sign of the divisor, `clip`, the predicates `isNaN` and `isFinite`, `logaddexp`
 * and `logit`. Rounding and `mod` stand on their own primitives (ALU ops `Floor`, `Ceil`, `Round`,
 * `Rem`); the rest are composites chosen for their numerics and gradients. Where a function jumps
 * (rounding, `mod`), the derivative is taken as 0 at the jump, as JAX does.
 */
import type { DType } from "../dtype.js";
import { isFloat } from "../dtype.js";
import type { Tensor } from "../core/tensor.js";
import * as core from "../core/ops.js";
import { floorOf } from "../primitives/floor.js";
import { ceilOf } from "../primitives/ceil.js";
import { roundOf } from "../primitives/round.js";
import { remOf } from "../primitives/rem.js";
import { log1pOf } from "../primitives/log1p.js";
import type { Shape } from "../shape/dim.js";
import type { BroadcastAll } from "../shape/broadcast.js";
import type { BinaryArg, BinaryShape } from "./elementwise.js";
import type { Checked, FloatOf, Operand, ResultDType, ShapeOf, ShapeResult, T } from "./operand.js";
import { align, castTo, floatOf, promotedDType, untyped } from "./operand.js";

/** A unary op that keeps shape and dtype. */
type Keep = <S extends Shape, D extends DType>(x: Tensor<S, D>) => Tensor<S, D>;

/** Rounding of floats by `prim`; integers and bools are already integral and pass through. */
function rounding(prim: (x: T) => T): Keep {
  return ((x: Tensor<Shape, DType>) => {
    const t = untyped(x);
    return isFloat(t.dtype) ? prim(t) : t;
  }) as never;
}

/**
 * The largest integer ≤ x, elementwise (as a float; integer tensors come back unchanged). Its
 * derivative is 0 everywhere, the jumps included (JAX's choice).
 * @example
 * const y = floor(tensor([-1.5, 0.5, 2])); // [-2, 0, 2]
 * @category Elementwise
 */
export const floor: Keep = rounding(floorOf);

/**
 * The smallest integer ≥ x, elementwise (integer tensors unchanged; derivative 0).
 * @example
 * const y = ceil(tensor([-1.5, 0.5, 2])); // [-1, 1, 2]
 * @category Elementwise
 */
export const ceil: Keep = rounding(ceilOf);

/**
 * The nearest integer, elementwise, halves to the even one as NumPy and JAX (`round(0.5)` is 0,
 * `round(1.5)` and `round(2.5)` are 2); integer tensors unchanged; derivative 0.
 * @example
 * const y = round(tensor([0.5, 1.5, 2.5, -0.5, 2.6])); // [0, 2, 2, -0, 3]
 * @category Elementwise
 */
export const round: Keep = rounding(roundOf);

/**
 * `a mod b` with broadcasting, the result taking the sign of `b` (NumPy's `%` and `remainder`,
 * JAX's `jnp.mod`: `mod(-1, 3)` is 2, `mod(1, -3)` is -2): `a − b·floor(a / b)`, computed exactly
 * from the truncated remainder. A zero divisor gives NaN for floats and 0 for int32. The
 * derivative is 1 in `a` and `−floor(a / b)` in `b` (0 at the jumps' far side, as JAX).
 * @example
 * const r = mod(tensor([-7, -1, 4, 7]), 3); // [2, 2, 1, 1]
 * @category Elementwise
 */
export function mod<A extends Operand, B extends Operand>(a: A, b: BinaryArg<"mod", A, B>): Tensor<BinaryShape<"mod", A, B>, ResultDType<A, B>> {
  const [x, y] = align("mod", [a, b as Operand]);
  const r = remOf(x, y);
  // The truncated remainder has the sign of x; where that differs from y's (and r ≠ 0), one more
  // y brings it into y's range. Signs, not r·y < 0, so that tiny values cannot underflow to 0.
  const wrongSign = core.compare(core.mul(core.sign(r), core.sign(y)), core.fullLike(r, 0), "lt");
  return core.select(wrongSign, core.add(r, y), r) as never;
}

/**
 * `x` limited to `[min, max]` elementwise (either bound may be omitted, be a number or a tensor
 * that broadcasts), as `minimum(maximum(x, min), max)`: where `min > max` the result is `max`, as
 * in NumPy. Bounds take `x`'s dtype. At a bound exactly, the derivative is ½ (`maximum` and
 * `minimum` split ties evenly, as JAX's do).
 * @example
 * const y = clip(tensor([-2, 0.5, 3]), 0, 1); // [0, 0.5, 1]
 * @category Elementwise
 */
export function clip<S extends Shape, D extends DType, Lo extends Operand | undefined = undefined, Hi extends Operand | undefined = undefined>(
  x: Tensor<S, D>,
  min?: Checked<BroadcastAll<[S, ShapeOf<Lo>], "clip">, Lo>,
  max?: Checked<BroadcastAll<[S, ShapeOf<Lo>, ShapeOf<Hi>], "clip">, Hi>,
): Tensor<ShapeResult<BroadcastAll<[S, ShapeOf<Lo>, ShapeOf<Hi>], "clip">>, D> {
  let y = untyped(x);
  const bound = (b: Operand) => (typeof b === "number" ? b : castTo(untyped(b), y.dtype));
  if (min !== undefined) y = core.max(...(align("clip", [y, bound(min as Operand)], y.dtype) as [T, T]));
  if (max !== undefined) y = core.min(...(align("clip", [y, bound(max as Operand)], y.dtype) as [T, T]));
  return y as never;
}

/**
 * Whether each element is NaN (`bool`; always false for integer tensors).
 * @example
 * const m = isNaN(tensor([1, NaN, Infinity])); // [false, true, false]
 * @category Elementwise
 */
export function isNaN<S extends Shape, D extends DType>(x: Tensor<S, D>): Tensor<S, "bool"> {
  const t = untyped(x);
  return core.compare(t, t, "ne") as never;
}

/**
 * Whether each element is finite: neither ±∞ nor NaN (`bool`; always true for integer tensors).
 * @example
 * const m = isFinite(tensor([1, NaN, -Infinity])); // [true, false, false]
 * @category Elementwise
 */
export function isFinite<S extends Shape, D extends DType>(x: Tensor<S, D>): Tensor<S, "bool"> {
  const t = untyped(x);
  if (!isFloat(t.dtype)) return core.compare(t, t, "eq") as never;
  return core.compare(core.abs(t), core.fullLike(t, Infinity), "lt") as never;
}

/**
 * `log(eᵃ + eᵇ)` elementwise with broadcasting, without overflow: `max(a, b) + log1p(e^−|a − b|)`.
 * Equal arguments (±∞ included) give `a + log 2`. Its derivative in `a` is `sigmoid(a − b)`
 * (½ each at a tie).
 * @example
 * const y = logaddexp(tensor([1000, -Infinity]), tensor([1000, 0])); // [1000.6931, 0]
 * @category Elementwise
 */
export function logaddexp<A extends Operand, B extends Operand>(
  a: A,
  b: BinaryArg<"logaddexp", A, B>,
): Tensor<BinaryShape<"logaddexp", A, B>, FloatOf<ResultDType<A, B>>> {
  const [x, y] = align("logaddexp", [a, b as Operand], floatOf(promotedDType([a, b as Operand])));
  const tie = core.compare(x, y, "eq");
  // NB: the difference is replaced by 0 at ties before use, so that ∞ − ∞ (both arguments +∞ or
  // −∞) never reaches log1p(exp(…)): its NaN would leak into the gradient through the branch the
  // select does not take.
  const diff = core.select(tie, core.fullLike(x, 0), core.sub(x, y));
  const general = core.add(core.max(x, y), log1pOf(core.exp(core.neg(core.abs(diff)))));
  const half = core.fullLike(x, 0.5);
  const atTie = core.add(core.mul(core.add(x, y), half), core.fullLike(x, Math.LN2));
  return core.select(tie, atTie, general) as never;
}

/**
 * The inverse of the logistic sigmoid, `log(x / (1 − x))`, computed as `log x − log1p(−x)`:
 * −∞ at 0, ∞ at 1, NaN outside [0, 1]. Its derivative is `1 / (x (1 − x))`.
 * @example
 * const y = logit(tensor([0.5, 0.9])); // [0, 2.1972]
 * @category Elementwise
 */
export function logit<S extends Shape, D extends DType>(x: Tensor<S, D>): Tensor<S, FloatOf<D>> {
  const t = castTo(untyped(x), floatOf(x.dtype));
  return core.sub(core.log(t), log1pOf(core.neg(t))) as never;
}
