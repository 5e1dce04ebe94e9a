/** @file The `metrics` namespace: accuracy and the confusion matrix, as traceable tensor functions. */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { guardIndices, oneHotOf, type IndexOptions } from "../ops/indexing.js";
import type { Tensor } from "../core/tensor.js";
import type { DType } from "../dtype.js";
import type { Dim } from "../shape/dim.js";
import { ShapeError, showShape } from "../shape/errors.js";

type T = AnyTensor;

function predictedClasses(predictions: T): T {
  return predictions.dtype === "int32" ? predictions : ops.argmax(predictions, predictions.ndim - 1);
}

/**
 * The fraction of examples whose predicted class equals the label. `predictions` are scores or
 * logits `[B, C]` (the argmax is taken) or predicted classes `[B]` (int32). A label outside
 * `[0, C)` (or negative, given predicted classes) is a `RangeError`, eagerly or when a jitted
 * program runs; with `{ checked: false }` labels are compared as they are, so such an example
 * counts as a miss (unless an int32 prediction equals it).
 * @example
 * declare const logits: Tensor<[100, 10]>;
 * declare const labels: Tensor<[100], "int32">;
 * const acc = metrics.accuracy(logits, labels).item(); // e.g. 0.97
 * @category Metrics
 */
export function accuracy<B extends Dim, C extends Dim>(
  predictions: Tensor<[B, C], DType> | Tensor<[B], "int32">,
  labels: Tensor<[B], "int32">,
  options?: IndexOptions,
): Tensor<[], "float32"> {
  const scores = predictions as unknown as T;
  const pred = predictedClasses(scores);
  const labelsT = labels as unknown as T;
  if (pred.shape.length !== 1 || labelsT.shape.length !== 1 || pred.shape[0] !== labelsT.shape[0]) {
    throw new ShapeError(`accuracy: predictions ${showShape(scores.shape)} do not match labels ${showShape(labelsT.shape)}`);
  }
  // Given predicted classes, the number of classes is unknown: only negative labels are refused.
  const classes = scores.dtype === "int32" ? Infinity : scores.shape[scores.ndim - 1];
  const y = guardIndices(labelsT, "accuracy", "label", 0, classes, options);
  const hits = ops.reduceSum(ops.cast(ops.compare(pred, y, "eq"), "float32"), [0]);
  return ops.div(hits, ops.full([], y.shape[0], "float32")) as never;
}

/**
 * `m[i][j]` = the number of examples of true class `i` predicted as class `j`. A label or
 * predicted class outside `[0, numClasses)` is a `RangeError`, eagerly or when a jitted program
 * runs; with `{ checked: false }` such an example is dropped (it one-hots to a zero row, as in
 * JAX), so the counts sum to fewer than `B`.
 * @category Metrics
 */
export function confusionMatrix<B extends Dim, C extends Dim, const N extends number>(
  predictions: Tensor<[B, C], DType> | Tensor<[B], "int32">,
  labels: Tensor<[B], "int32">,
  numClasses: N,
  options?: IndexOptions,
): Tensor<[N, N], "int32"> {
  const pred = predictedClasses(predictions as unknown as T);
  const y = labels as unknown as T;
  if (pred.shape[0] !== y.shape[0]) throw new ShapeError(`confusionMatrix: ${pred.shape[0]} predictions for ${y.shape[0]} labels`);
  const predChecked = guardIndices(pred, "confusionMatrix", "predicted class", 0, numClasses, options);
  const encode = (v: T) => oneHotOf(v, numClasses, "confusionMatrix", options);
  const counts = ops.dotGeneral(encode(y), encode(predChecked), { contract: [[0], [0]], batch: [[], []] });
  return ops.cast(counts, "int32") as never;
}
