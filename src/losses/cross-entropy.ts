/** @file Cross-entropy losses, computed from logits in numerically stable forms. */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { logSoftmax } from "../ops/activations.js";
import { oneHotOf, type IndexOptions } from "../ops/indexing.js";
import type { Tensor } from "../core/tensor.js";
import { isFloat, type DType, type FloatDType } from "../dtype.js";
import { DTypeError } from "../core/errors.js";
import type { Dim, Shape } from "../shape/dim.js";
import type { ShapesAgree } from "../shape/match.js";
import type { ShowShape } from "../shape/show.js";
import type { Checked } from "../ops/operand.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { checkReduction, samePair, reduceLoss, type Reduced, type Reduction, type SameAs } from "./reduce.js";

type T = AnyTensor;

/**
 * Binary cross-entropy of targets in [0, 1] given logits x (σ(x) is the predicted probability):
 * max(x, 0) − x·z + log(1 + e^(−|x|)), exact and finite for any logit.
 * @category Losses
 */
export function binaryCrossEntropy<S extends Shape, T extends Shape, D extends FloatDType, const R extends Reduction = "mean">(
  logits: Tensor<S, D>,
  targets: SameAs<"binaryCrossEntropy", S, T, D>,
  reduction: R = "mean" as R,
): Tensor<Reduced<R, S>, D> {
  checkReduction("binaryCrossEntropy", reduction);
  const [x, z] = samePair("binaryCrossEntropy", logits, targets);
  const values = ops.add(ops.sub(ops.max(x, ops.fullLike(x, 0)), ops.mul(x, z)), ops.log(ops.add(ops.fullLike(x, 1), ops.exp(ops.neg(ops.abs(x))))));
  return reduceLoss("binaryCrossEntropy", values, reduction) as never;
}

/** The dims of `S` before its last (the class axis): `[B]` for logits `[B, C]`. */
type LeadingDims<S extends Shape> = S extends readonly [...infer I, unknown] ? I : Dim[];

/**
 * The labels `softmaxCrossEntropy` takes for logits of shape `S`: int32 class indices of the
 * logits' leading dims, or float targets of the logits' shape (and dtype), checked dim by dim;
 * otherwise the runtime's message. Each argument has its own type parameter, so dims known only at
 * run time match anything and mismatched sizes are not inferred as a union.
 * @category Losses
 */
export type LabelsCheck<S extends Shape, L extends Shape, LD extends DType, D extends FloatDType> = S extends readonly []
  ? "softmaxCrossEntropy: logits need a class axis"
  : "int32" extends LD
    ? ShapesAgree<LeadingDims<S>, L> extends true
      ? true
      : `softmaxCrossEntropy: labels ${ShowShape<L>} do not match logits ${ShowShape<S>} (expected ${ShowShape<LeadingDims<S>>})`
    : LD extends FloatDType
      ? [LD] extends [D]
        ? ShapesAgree<S, L> extends true
          ? true
          : `softmaxCrossEntropy: predictions and targets differ in shape: ${ShowShape<S>} vs ${ShowShape<L>}`
        : `softmaxCrossEntropy: targets are ${LD} but logits are ${D}`
      : `softmaxCrossEntropy: labels are int32 class indices or float targets, got ${LD}`;

/**
 * Softmax cross-entropy between logits `[..., C]` and either integer class labels `[...]` or
 * one-hot / probability targets `[..., C]`: −Σ target · log softmax(logits), then reduced.
 * Stable for logits of any size (the max is subtracted before exponentiating). An integer label
 * outside `[0, C)` is a `RangeError` (eagerly, or when a jitted program runs); with
 * `{ checked: false }` it one-hots to a zero row, as in JAX, so its example's loss and gradient
 * are 0.
 * @example
 * declare const logits: Tensor<["batch", 10]>;
 * declare const labels: Tensor<["batch"], "int32">;
 * const loss = losses.softmaxCrossEntropy(logits, labels); // Tensor<[]>
 * @category Losses
 */
export function softmaxCrossEntropy<
  S extends Shape,
  L extends Shape,
  D extends FloatDType,
  LD extends DType,
  const R extends Reduction = "mean",
>(
  logits: Tensor<S, D>,
  labels: Checked<LabelsCheck<S, L, LD, D>, Tensor<L, LD>>,
  reduction: R = "mean" as R,
  options?: IndexOptions,
): Tensor<Reduced<R, LeadingDims<S>>, D> {
  checkReduction("softmaxCrossEntropy", reduction);
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
    // A label outside [0, C) would one-hot to a zero row and a loss of 0: checked unless asked not to.
    targets = ops.cast(oneHotOf(y, n, "softmaxCrossEntropy", options), x.dtype);
  } else {
    if (!isFloat(y.dtype)) throw new DTypeError(`softmaxCrossEntropy: labels are int32 class indices or float targets, got ${y.dtype}`);
    if (y.dtype !== x.dtype) throw new DTypeError(`softmaxCrossEntropy: targets are ${y.dtype} but logits are ${x.dtype}`);
    samePair("softmaxCrossEntropy", x, y);
    targets = y;
  }
  const logp = logSoftmax(x as never) as unknown as T;
  // A class of target weight 0 contributes 0 (the limit of t·log p as t → 0), also where its
  // logit is −∞ and log p = −∞: a plain product would make 0 · −∞ = NaN in the value while the
  // gradient (softmax − target) stays finite. A −∞ logit of the target class still gives +∞.
  const zero = ops.fullLike(logp, 0);
  const terms = ops.select(ops.compare(targets, ops.fullLike(targets, 0), "eq"), zero, ops.mul(targets, logp));
  const perExample = ops.neg(ops.reduceSum(terms, [x.ndim - 1]));
  return reduceLoss("softmaxCrossEntropy", perExample, reduction) as never;
}
