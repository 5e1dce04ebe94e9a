/**
 * @file Normalisation layers over the last (feature) axis: `batchNorm`, whose running statistics
 * are non-trainable state threaded by `applyStateful`, and `layerNorm`, which is stateless.
 */
import * as core from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import type { Tensor } from "../core/tensor.js";
import { product } from "../shape/arith.js";
import type { Layer, LayerFn } from "./layer.js";
import { makeLayer } from "./layer.js";
import type { KeepLastDim } from "./shape-check.js";
import { checkSize, expectLastDim, layerDType } from "./shape-check.js";
import type { FloatDType } from "../dtype.js";
import { addLast, mulLast, standardize } from "./tensor-math.js";

type T = AnyTensor;

/**
 * Trainable parameters of a normalisation over `F` features: per-feature `scale` (init 1) and
 * `bias` (init 0).
 * @category Layers
 */
export type NormParams<F extends number, D extends FloatDType = "float32"> = {
  /** Multiplies each normalised feature (initially 1). */
  scale: Tensor<[F], D>;
  /** Then added to each feature (initially 0). */
  bias: Tensor<[F], D>;
};

/**
 * The state of `batchNorm(F)`: running averages of the per-feature batch mean and (biased)
 * variance, initially 0 and 1.
 * @category Layers
 */
export type BatchNormState<F extends number, D extends FloatDType = "float32"> = {
  /** The running average of the per-feature batch mean (initially 0). */
  mean: Tensor<[F], D>;
  /** The running average of the per-feature biased batch variance (initially 1). */
  var: Tensor<[F], D>;
};

/**
 * Shape function of a normalisation over `F` features: keeps `[..., F]`.
 * @category Layers
 */
export interface NormFn<Name extends string, F extends number> extends LayerFn {
  /** The input unchanged when its last dim is `F`; an error naming both otherwise. */
  readonly out: KeepLastDim<this["in"], `${Name}(${F})`, F>;
}

/**
 * Options of `batchNorm` and `layerNorm`.
 * @category Layers
 */
export interface NormOptions<D extends FloatDType = "float32"> {
  /** The dtype of the parameters and state (default float32); inputs must have it too. */
  readonly dtype?: D;
  /** Added to the variance before the square root (default 1e-5). */
  readonly eps?: number;
}

function normParams<F extends number, D extends FloatDType>(features: F, dtype: FloatDType): NormParams<F, D> {
  return {
    scale: core.full([features], 1, dtype) as unknown as Tensor<[F], D>,
    bias: core.full([features], 0, dtype) as unknown as Tensor<[F], D>,
  };
}

/** `scale · y + bias`, broadcast along the last axis. */
function affine(y: T, p: NormParams<number, FloatDType>): T {
  return addLast(mulLast(y, p.scale as T), p.bias as T);
}

/**
 * Batch normalisation over the last axis (channels of NHWC, features of `[B, F]`). With
 * `{ training: true }`, it normalises by the statistics of the batch (over every axis but the
 * last) and `applyStateful` returns the running averages updated as
 * `running ← momentum · running + (1 − momentum) · batch` (biased batch variance, gradients
 * stopped). With `training` false it normalises by the running averages, which live in the state:
 * evaluate with `applyStateful(params, state, x)`; plain `apply` throws then, since it has no state.
 * @example
 * declare const x: Tensor<[32, 64]>;
 * const bn = nn.batchNorm(64);
 * const params = bn.init(random.key(0));
 * const [y, state1] = bn.applyStateful(params, bn.initState(), x, { training: true });
 * const [yEval] = bn.applyStateful(params, state1, x); // eval: running statistics
 * @category Layers
 */
export function batchNorm<const F extends number, D extends FloatDType = "float32">(
  features: F,
  options: NormOptions<D> & { readonly momentum?: number } = {},
): Layer<NormFn<"batchNorm", F>, NormParams<F, D>, BatchNormState<F, D>> {
  const name = `batchNorm(${features})`;
  checkSize(name, "features", features);
  const own = layerDType(name, options.dtype);
  const eps = options.eps ?? 1e-5;
  const momentum = options.momentum ?? 0.9;
  /** Normalises by the batch statistics: `[y, per-feature mean, per-feature biased variance]`. */
  const train = (p: NormParams<F, D>, x: T): [T, T, T] => {
    const last = x.ndim - 1;
    const axes = x.shape.map((_, i) => i).slice(0, -1);
    const n = product(axes.map((a) => x.shape[a]));
    const sum = core.reduceSum(x, axes);
    const mean = core.mul(sum, core.fullLike(sum, 1 / n));
    const centered = core.sub(x, core.broadcastInDim(mean, x.shape, [last]));
    const variance = core.mul(core.reduceSum(core.mul(centered, centered), axes), core.fullLike(mean, 1 / n));
    const std = core.sqrt(core.add(variance, core.fullLike(variance, eps)));
    return [affine(core.div(centered, core.broadcastInDim(std, x.shape, [last])), p), mean, variance];
  };
  const ema = (running: T, batch: T): T =>
    core.add(core.mul(running, core.fullLike(running, momentum)), core.mul(core.stopGradient(batch), core.fullLike(batch, 1 - momentum)));
  const evaluate = (p: NormParams<F, D>, s: BatchNormState<F, D>, x: T): T => {
    const centered = core.sub(x, core.broadcastInDim(s.mean as T, x.shape, [x.ndim - 1]));
    const std = core.sqrt(core.add(s.var as T, core.fullLike(s.var as T, eps)));
    return affine(core.div(centered, core.broadcastInDim(std, x.shape, [x.ndim - 1])), p);
  };
  return makeLayer<NormFn<"batchNorm", F>, NormParams<F, D>, BatchNormState<F, D>>({
    name,
    init: (_key, dtype = own) => normParams(features, dtype),
    initState: (dtype = own) => ({
      mean: core.full([features], 0, dtype) as unknown as Tensor<[F], D>,
      var: core.full([features], 1, dtype) as unknown as Tensor<[F], D>,
    }),
    apply: (p, x, opts) => {
      const t = expectLastDim(name, x, features);
      if (!opts.training) {
        throw new TypeError(
          `${name}: evaluation (training false) uses the running statistics, which are state: call applyStateful(params, state, x)`,
        );
      }
      return train(p, t)[0];
    },
    applyStateful: (p, s, x, opts) => {
      const t = expectLastDim(name, x, features);
      if (!opts.training) return [evaluate(p, s, t), s];
      const [y, mean, variance] = train(p, t);
      return [y, { mean: ema(s.mean as T, mean), var: ema(s.var as T, variance) } as unknown as BatchNormState<F, D>];
    },
  });
}

/**
 * Layer normalisation: each example is normalised over its last axis (mean 0, variance 1), then
 * scaled and shifted per feature. Stateless; the same in training and evaluation.
 * @example
 * const ln = nn.layerNorm(512); // [..., 512] → [..., 512]
 * @category Layers
 */
export function layerNorm<const F extends number, D extends FloatDType = "float32">(
  features: F,
  options: NormOptions<D> = {},
): Layer<NormFn<"layerNorm", F>, NormParams<F, D>> {
  const name = `layerNorm(${features})`;
  checkSize(name, "features", features);
  const own = layerDType(name, options.dtype);
  const eps = options.eps ?? 1e-5;
  return makeLayer<NormFn<"layerNorm", F>, NormParams<F, D>>({
    name,
    init: (_key, dtype = own) => normParams(features, dtype),
    apply: (p, x) => {
      const t = expectLastDim(name, x, features);
      return affine(standardize(t, [t.ndim - 1], eps), p);
    },
  });
}
