/**
 * @file Activation functions and their numerically stable log-space relatives: `relu`,
 * `leakyRelu`, `sigmoid`, `gelu`, `softplus`, `softmax`, `logSoftmax`, `logSumExp`. The softmax
 * family subtracts the (gradient-stopped) maximum before exponentiating, so inputs of ±1e4 give
 * finite, exact results. The `nn` activation layers wrap these, so each has one definition.
 */
import type { DType } from "../dtype.js";
import type { Tensor } from "../core/tensor.js";
import * as core from "../core/ops.js";
import { log1pOf } from "../primitives/log1p.js";
import { erfOf } from "../primitives/erf.js";
import type { Shape } from "../shape/dim.js";
import type { AxisArg } from "../shape/reduce.js";
import { normalizeAxes, reduceShape } from "../shape/reduce.js";
import type { FloatOf, T } from "./operand.js";
import { expandTo, castTo, floatOf, untyped } from "./operand.js";
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
  const zero = core.fullLike(t, 0);
  return core.select(core.compare(t, zero, "gt"), t, zero) as never;
}

/**
 * `x` for `x > 0`, `slope·x` otherwise (default slope 0.01). At 0 the derivative is `slope` (the
 * test is `x > 0`, as in PyTorch; JAX's `x >= 0` gives 1 there).
 * @example
 * const y = leakyRelu(tensor([-1, 2]), 0.1); // [-0.1, 2]
 * @category Activations
 */
export function leakyRelu<S extends Shape, D extends DType>(x: Tensor<S, D>, slope = 0.01): Tensor<S, FloatOf<D>> {
  const t = castTo(untyped(x), floatOf(x.dtype));
  return core.select(core.compare(t, core.fullLike(t, 0), "gt"), t, core.mul(t, core.fullLike(t, slope))) as never;
}

/**
 * The logistic function `1 / (1 + e⁻ˣ)`, computed as `(tanh(x/2) + 1) / 2`, which never overflows.
 * @example
 * const y = sigmoid(zeros([3])); // [0.5, 0.5, 0.5]
 * @category Activations
 */
export function sigmoid<S extends Shape, D extends DType>(x: Tensor<S, D>): Tensor<S, FloatOf<D>> {
  const t = castTo(untyped(x), floatOf(x.dtype));
  const half = core.fullLike(t, 0.5);
  return core.mul(core.add(core.tanh(core.mul(t, half)), core.fullLike(t, 1)), half) as never;
}

/**
 * GELU. By default its tanh approximation, `x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³)))`, as JAX's
 * `gelu(approximate=True)` (within 1e-3 of the exact form); with `{ approximate: false }` the exact
 * `x·Φ(x) = x/2 · (1 + erf(x/√2))`, as PyTorch's default.
 * @example
 * const y = gelu(tensor([0, 1])); // [0, 0.8412]
 * const exact = gelu(tensor([0, 1]), { approximate: false }); // [0, 0.8413]
 * @category Activations
 */
export function gelu<S extends Shape, D extends DType>(x: Tensor<S, D>, options: { readonly approximate?: boolean } = {}): Tensor<S, FloatOf<D>> {
  const t = castTo(untyped(x), floatOf(x.dtype));
  if (options.approximate === false) {
    const phi = core.add(core.fullLike(t, 1), erfOf(core.mul(t, core.fullLike(t, Math.SQRT1_2))));
    return core.mul(core.mul(core.fullLike(t, 0.5), t), phi) as never;
  }
  const cube = core.mul(core.mul(t, t), t);
  const inner = core.mul(core.fullLike(t, Math.sqrt(2 / Math.PI)), core.add(t, core.mul(core.fullLike(t, 0.044715), cube)));
  return core.mul(core.mul(core.fullLike(t, 0.5), t), core.add(core.fullLike(t, 1), core.tanh(inner))) as never;
}

/**
 * `log(1 + eˣ)`, computed as `max(x, 0) + log1p(e^−|x|)`: no overflow for large `x`, and accurate
 * tiny values for very negative `x`.
 * @example
 * const y = softplus(tensor([0, 1000])); // [log 2, 1000]
 * @category Activations
 */
export function softplus<S extends Shape, D extends DType>(x: Tensor<S, D>): Tensor<S, FloatOf<D>> {
  const t = castTo(untyped(x), floatOf(x.dtype));
  // NB: `max`, not `relu`: at 0 the kink of max(x, 0) (derivative split 1/2, 1/2 by the `max`
  // primitive) and that of e^−|x| (abs' derivative 0 at 0) must add up to softplus' smooth
  // derivative sigmoid(0) = 1/2; relu's 0 there would give 0.
  return core.add(core.max(t, core.fullLike(t, 0)), log1pOf(core.exp(core.neg(core.abs(t))))) as never;
}

/**
 * The maximum over `axes` with kept dims, gradient-stopped, with non-finite maxima replaced by 0
 * (so all-`-inf` rows give `-inf`/NaN where they must, not NaN from `inf − inf` elsewhere).
 */
function stableShift(x: T, axes: readonly number[]): T {
  const keep = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const m = core.stopGradient(core.reshape(core.reduceMax(x, axes), keep));
  const finite = core.compare(core.abs(m), core.fullLike(m, Infinity), "lt");
  return core.select(finite, m, core.fullLike(m, 0));
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
