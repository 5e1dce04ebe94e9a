/** @file Cross-entropy losses, computed from logits in numerically stable forms. */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { logSoftmax } from "../ops/activations.js";
import { oneHot } from "../ops/indexing.js";
import type { Tensor } from "../core/tensor.js";
import type { FloatDType } from "../dtype.js";
import type { Dim, Shape } from "../shape/dim.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { samePair, reduceLoss, type Reduced, type Reduction } from "./reduce.js";

type T = AnyTensor;

/**
 * Binary cross-entropy of targets in [0, 1] given logits x (σ(x) is the predicted probability):
 * max(x, 0) − x·z + log(1 + e^(−|x|)), exact and finite for any logit.
 * @category Losses
 */
export function binaryCrossEntropy<S extends Shape, D extends FloatDType, const R extends Reduction = "mean">(
  logits: Tensor<S, D>,
  targets: Tensor<S, D>,
  reduction: R = "mean" as R,
): Tensor<Reduced<R, S>, D> {
  const [x, z] = samePair("binaryCrossEntropy", logits, targets);
  const values = ops.add(ops.sub(ops.max(x, ops.fullLike(x, 0)), ops.mul(x, z)), ops.log(ops.add(ops.fullLike(x, 1), ops.exp(ops.neg(ops.abs(x))))));
  return reduceLoss(values, reduction) as never;
}

/**
 * Softmax cross-entropy between logits `[..., C]` and either integer class labels `[...]` or
 * one-hot / probability targets `[..., C]`: −Σ target · log softmax(logits), then reduced.
 * Stable for logits of any size (the max is subtracted before exponentiating).
 * @example
 * const loss = softmaxCrossEntropy(logits, labels); // logits Tensor<[B, 10]>, labels Tensor<[B], "int32">
 * @category Losses
 */
export function softmaxCrossEntropy<
  B extends Dim,
  C extends Dim,
  D extends FloatDType,
  const R extends Reduction = "mean",
>(
  logits: Tensor<[B, C], D>,
  labels: Tensor<[NoInfer<B>], "int32"> | Tensor<[NoInfer<B>, NoInfer<C>], NoInfer<D>>,
  reduction: R = "mean" as R,
): Tensor<Reduced<R, [B]>, D> {
  const x = logits as unknown as T;
  const y = labels as unknown as T;
  if (x.ndim < 1) throw new ShapeError("softmaxCrossEntropy: logits need a class axis");
  const n = x.shape[x.ndim - 1];
  let targets: T;
  if (y.dtype === "int32") {
    const expected = x.shape.slice(0, -1);
    if (y.ndim !== expected.length || y.shape.some((d, i) => d !== expected[i])) {
      throw new ShapeError(`softmaxCrossEntropy: labels ${showShape(y.shape)} do not match logits ${showShape(x.shape)} (expected ${showShape(expected)})`);
    }
    targets = ops.cast(oneHot(y as never, n) as unknown as T, x.dtype);
  } else {
    samePair("softmaxCrossEntropy", x, y);
    targets = y;
  }
  const perExample = ops.neg(ops.reduceSum(ops.mul(targets, logSoftmax(x as never) as unknown as T), [x.ndim - 1]));
  return reduceLoss(perExample, reduction) as never;
}
