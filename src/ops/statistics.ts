/**
 * @file Spread and size reductions: `variance` (also exported as `var`, a reserved word in JS, so
 * reachable as `tg.var` or by renaming on import), `std` with `ddof`, and the vector `norm`
 * (ord 1, 2, ∞ or −∞) over any axes. Axis arguments and result shapes are those of `sum`/`mean`
 * (compile-time checked). Non-differentiable points get 0 gradients: `std` of constant values and
 * `norm` of the zero vector (subgradients; JAX's are NaN there).
 */
import type { DType } from "../dtype.js";
import type { Tensor } from "../core/tensor.js";
import * as core from "../core/ops.js";
import type { Shape } from "../shape/dim.js";
import type { AxisArg } from "../shape/reduce.js";
import { normalizeAxes, reduceShape } from "../shape/reduce.js";
import { product } from "../shape/arith.js";
import type { FloatOf, T } from "./operand.js";
import { castTo, floatOf, untyped } from "./operand.js";
import type { AxisParam, ReducedShape } from "./reduction.js";

/**
 * Options of `variance` and `std`.
 * @category Reduction
 */
export interface SpreadOptions<K extends boolean> {
  /** Delta degrees of freedom: the divisor is `n − ddof` (0, the default, as NumPy; 1 for the unbiased estimate). */
  readonly ddof?: number;
  /** Keep reduced axes as size 1 (default false). */
  readonly keepDims?: K;
}

/** `Σ (x − mean)²` over `axes` and the divisor `n − ddof`, checked. */
function squaredDeviations(op: string, x: T, axes: readonly number[], ddof: number): { ss: T; divisor: number } {
  if (!Number.isSafeInteger(ddof) || ddof < 0) throw new RangeError(`${op}: ddof must be an integer ≥ 0, got ${ddof}`);
  const n = product(axes.map((a) => x.shape[a]));
  if (n > 0 && ddof >= n) throw new RangeError(`${op}: ddof ${ddof} leaves no degrees of freedom for ${n} elements per result`);
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const sum = core.reduceSum(x, axes);
  const mean = core.broadcastInDim(core.mul(sum, core.fullLike(sum, 1 / n)), x.shape, kept);
  // Two passes (the mean first, then the squares about it): no cancellation of large means.
  const d = core.sub(x, mean);
  return { ss: core.reduceSum(core.mul(d, d), axes), divisor: n - ddof };
}

function keep(x: T, y: T, op: string, axis: AxisArg, keepDims: boolean | undefined): T {
  return keepDims ? core.reshape(y, reduceShape(op, x.shape, axis, true)) : y;
}

/**
 * The variance over `axis` (all axes by default): `Σ (x − mean)² / (n − ddof)`, in floating
 * point. A `ddof` that leaves no degrees of freedom is a `RangeError`.
 * @example
 * const v = variance(tensor([1, 2, 3, 4])); // 1.25
 * const u = variance(tensor([[1, 2], [3, 5]]), 1, { ddof: 1 }); // [0.5, 2]
 * @category Reduction
 */
export function variance<S extends Shape, D extends DType, const Ax extends AxisArg = undefined, K extends boolean = false>(
  x: Tensor<S, D>,
  axis?: AxisParam<S, Ax, K, "var">,
  options: SpreadOptions<K> = {},
): Tensor<ReducedShape<S, Ax, K, "var">, FloatOf<D>> {
  const t = castTo(untyped(x), floatOf(x.dtype));
  const axes = normalizeAxes("var", axis as AxisArg, t.shape);
  const { ss, divisor } = squaredDeviations("var", t, axes, options.ddof ?? 0);
  return keep(t, core.div(ss, core.fullLike(ss, divisor)), "var", axis as AxisArg, options.keepDims) as never;
}

/**
 * The standard deviation over `axis` (all axes by default): `√variance`, with `ddof` as there.
 * Where all values are equal (zero spread) the gradient is 0, not NaN.
 * @example
 * const s = std(tensor([1, 3])); // 1
 * @category Reduction
 */
export function std<S extends Shape, D extends DType, const Ax extends AxisArg = undefined, K extends boolean = false>(
  x: Tensor<S, D>,
  axis?: AxisParam<S, Ax, K, "std">,
  options: SpreadOptions<K> = {},
): Tensor<ReducedShape<S, Ax, K, "std">, FloatOf<D>> {
  const t = castTo(untyped(x), floatOf(x.dtype));
  const axes = normalizeAxes("std", axis as AxisArg, t.shape);
  const { ss, divisor } = squaredDeviations("std", t, axes, options.ddof ?? 0);
  const v = core.div(ss, core.fullLike(ss, divisor));
  return keep(t, safeSqrt(v), "std", axis as AxisArg, options.keepDims) as never;
}

/**
 * `√v` whose gradient at `v = 0` is 0 instead of ∞·0 = NaN: the square root sees 1 there (and
 * the select takes 0), so no infinite slope is ever formed.
 */
function safeSqrt(v: T): T {
  const zero = core.compare(v, core.fullLike(v, 0), "eq");
  return core.select(zero, core.fullLike(v, 0), core.sqrt(core.select(zero, core.fullLike(v, 1), v)));
}

/**
 * The vector norm over `axis` (all axes by default, as if flattened): `ord` 2 (default, Euclidean:
 * `√Σ x²`, scaled by the largest `|x|` so that it neither overflows nor underflows), 1 (`Σ |x|`),
 * `Infinity` (`max |x|`) or `-Infinity` (`min |x|`). Over two axes this is the Frobenius norm for
 * ord 2, not a matrix (spectral) norm. The gradient at the zero vector is 0 (a subgradient; JAX
 * gives NaN). Any other `ord` is a `RangeError`.
 * @example
 * const n = norm(tensor([3, 4])); // 5
 * const rows = norm(tensor([[3, 4], [1, 1]]), 1, 1); // [7, 2]
 * @category Reduction
 */
export function norm<S extends Shape, D extends DType, const Ax extends AxisArg = undefined, K extends boolean = false>(
  x: Tensor<S, D>,
  ord = 2,
  axis?: AxisParam<S, Ax, K, "norm">,
  keepDims?: K,
): Tensor<ReducedShape<S, Ax, K, "norm">, FloatOf<D>> {
  const t = castTo(untyped(x), floatOf(x.dtype));
  const axes = normalizeAxes("norm", axis as AxisArg, t.shape);
  const a = core.abs(t);
  let y: T;
  if (ord === 1) y = core.reduceSum(a, axes);
  else if (ord === Infinity) y = axes.length === 0 ? a : core.reduceMax(a, axes);
  else if (ord === -Infinity) y = axes.length === 0 ? a : core.neg(core.reduceMax(core.neg(a), axes));
  else if (ord === 2) y = euclidean(t, a, axes);
  else throw new RangeError(`norm: ord must be 1, 2, Infinity or -Infinity, got ${ord}`);
  return keep(t, y, "norm", axis as AxisArg, keepDims) as never;
}

/**
 * `√Σ x²` over `axes` as `m · √Σ (x/m)²` with `m` the largest `|x|` held constant (the function
 * is the same for any `m > 0`, so the gradient `x / ‖x‖` is exact); `m` is 1 where it is 0 or not
 * finite, and the zero vector gives 0 with a 0 gradient.
 */
function euclidean(x: T, a: T, axes: readonly number[]): T {
  if (axes.length === 0) return a;
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const top = core.stopGradient(core.reduceMax(a, axes));
  const zero = core.fullLike(top, 0);
  const finite = core.compare(core.mul(top, zero), zero, "eq"); // ∞·0 and NaN·0 are NaN
  const positive = core.compare(top, zero, "gt");
  const usable = core.select(finite, positive, finite); // finite and positive
  const m = core.select(usable, top, core.fullLike(top, 1));
  const scaled = core.div(x, core.broadcastInDim(m, x.shape, kept));
  const ss = core.reduceSum(core.mul(scaled, scaled), axes);
  return core.mul(m, safeSqrt(ss));
}
