/**
 * @file Activation functions and their numerically stable log-space relatives: `relu`,
 * `sigmoid`, `softmax`, `logSoftmax`, `logSumExp`. The softmax family subtracts the (gradient-
 * stopped) maximum before exponentiating, so inputs of ±1e4 give finite, exact results.
 */
import type { DType } from "../dtype.js";
import type { Tensor } from "../core/tensor.js";
import * as core from "../core/ops.js";
import type { Shape } from "../shape/dim.js";
import type { AxisArg } from "../shape/reduce.js";
import { normalizeAxes, reduceShape } from "../shape/reduce.js";
import type { FloatOf, T } from "./operand.js";
import { expandTo, castTo, floatOf, scalar, untyped } from "./operand.js";
import type { AxisParam, ReducedShape } from "./reduction.js";

/**
 * `max(x, 0)` elementwise. Its derivative at 0 is 0, as in JAX and PyTorch (so it is written as
 * `x > 0 ? x : 0`, not with `max`, whose derivative splits ties evenly).
 * @example
 * const y = relu(tensor([-1, 2])); // [0, 2]
 * @category Activations
 */
export function relu<S extends Shape, D extends DType>(x: Tensor<S, D>): Tensor<S, D> {
  const t = untyped(x);
  const zero = expandTo(scalar(0, t.dtype), t.shape);
  return core.select(core.compare(t, zero, "gt"), t, zero) as never;
}

/**
 * The logistic function `1 / (1 + e⁻ˣ)`, computed as `(tanh(x/2) + 1) / 2`, which never overflows.
 * @example
 * const y = sigmoid(zeros([3])); // [0.5, 0.5, 0.5]
 * @category Activations
 */
export function sigmoid<S extends Shape, D extends DType>(x: Tensor<S, D>): Tensor<S, FloatOf<D>> {
  const t = castTo(untyped(x), floatOf(x.dtype));
  const half = expandTo(scalar(0.5, t.dtype), t.shape);
  return core.mul(core.add(core.tanh(core.mul(t, half)), expandTo(scalar(1, t.dtype), t.shape)), half) as never;
}

/**
 * The maximum over `axes` with kept dims, gradient-stopped, with non-finite maxima replaced by 0
 * (so all-`-inf` rows give `-inf`/NaN where they must, not NaN from `inf − inf` elsewhere).
 */
function stableShift(x: T, axes: readonly number[]): T {
  const keep = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const m = core.stopGradient(core.reshape(core.reduceMax(x, axes), keep));
  const finite = core.compare(core.abs(m), expandTo(scalar(Infinity, m.dtype), m.shape), "lt");
  return core.select(finite, m, expandTo(scalar(0, m.dtype), m.shape));
}

function sumKeep(x: T, axes: readonly number[]): T {
  return core.reshape(core.reduceSum(x, axes), x.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
}

/** The pieces of the softmax family: the float input, its stable shift `m`, `x − m` and `Σ exp(x − m)` (kept dims). */
function softmaxParts(op: string, x: T, axis: AxisArg): { xf: T; m: T; shifted: T; sum: T } {
  const xf = castTo(x, floatOf(x.dtype));
  const axes = normalizeAxes(op, axis, xf.shape);
  const m = stableShift(xf, axes);
  const shifted = core.sub(xf, expandTo(m, xf.shape));
  return { xf, m, shifted, sum: sumKeep(core.exp(shifted), axes) };
}

/**
 * `exp(x) / sum(exp(x))` along `axis` (default the last), stable for large inputs.
 * @example
 * const p = softmax(tensor([[1, 2, 3]])); // Tensor<[1, 3]>, rows sum to 1
 * @category Activations
 */
export function softmax<S extends Shape, D extends DType, const Ax extends number = -1>(
  x: Tensor<S, D>,
  axis?: AxisParam<S, Ax, true, "softmax">,
): Tensor<S, FloatOf<D>> {
  const { xf, shifted, sum } = softmaxParts("softmax", untyped(x), (axis as number | undefined) ?? -1);
  return core.div(core.exp(shifted), expandTo(sum, xf.shape)) as never;
}

/**
 * `x − logSumExp(x)` along `axis` (default the last): log-probabilities, stable for large inputs.
 * @example
 * const lp = logSoftmax(tensor([[1e4, 0]])); // [[0, -1e4]]
 * @category Activations
 */
export function logSoftmax<S extends Shape, D extends DType, const Ax extends number = -1>(
  x: Tensor<S, D>,
  axis?: AxisParam<S, Ax, true, "logSoftmax">,
): Tensor<S, FloatOf<D>> {
  const { xf, shifted, sum } = softmaxParts("logSoftmax", untyped(x), (axis as number | undefined) ?? -1);
  return core.sub(shifted, expandTo(core.log(sum), xf.shape)) as never;
}

/**
 * `log(sum(exp(x)))` over `axis` (all axes by default), stable for large inputs.
 * @example
 * const l = logSumExp(tensor([1e4, 1e4])); // Tensor<[]>: 1e4 + log 2
 * @category Activations
 */
export function logSumExp<S extends Shape, D extends DType, const Ax extends AxisArg = undefined, K extends boolean = false>(
  x: Tensor<S, D>,
  axis?: AxisParam<S, Ax, K, "logSumExp">,
  keepDims?: K,
): Tensor<ReducedShape<S, Ax, K, "logSumExp">, FloatOf<D>> {
  const t = untyped(x);
  const { xf, m, sum } = softmaxParts("logSumExp", t, axis as AxisArg);
  const kept = core.add(m, core.log(sum));
  return (keepDims ? kept : core.reshape(kept, reduceShape("logSumExp", xf.shape, axis as AxisArg))) as never;
}
