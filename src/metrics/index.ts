/** @file The `metrics` namespace: accuracy and the confusion matrix, as traceable tensor functions. */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { oneHot } from "../ops/indexing.js";
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
 * logits `[B, C]` (the argmax is taken) or predicted classes `[B]` (int32).
 * @example
 * const acc = accuracy(model(params, x), y).item(); // 0.97
 * @category Metrics
 */
export function accuracy<B extends Dim, C extends Dim>(
  predictions: Tensor<[B, C], DType> | Tensor<[B], "int32">,
  labels: Tensor<[B], "int32">,
): Tensor<[], "float32"> {
  const pred = predictedClasses(predictions as unknown as T);
  const y = labels as unknown as T;
  if (pred.shape.length !== 1 || y.shape.length !== 1 || pred.shape[0] !== y.shape[0]) {
    throw new ShapeError(`accuracy: predictions ${showShape((predictions as unknown as T).shape)} do not match labels ${showShape(y.shape)}`);
  }
  const hits = ops.reduceSum(ops.cast(ops.compare(pred, y, "eq"), "float32"), [0]);
  return ops.div(hits, ops.full([], y.shape[0], "float32")) as never;
}

/**
 * `m[i][j]` = the number of examples of true class `i` predicted as class `j`.
 * @category Metrics
 */
export function confusionMatrix<B extends Dim, C extends Dim, const N extends number>(
  predictions: Tensor<[B, C], DType> | Tensor<[B], "int32">,
  labels: Tensor<[B], "int32">,
  numClasses: N,
): Tensor<[N, N], "int32"> {
  const pred = predictedClasses(predictions as unknown as T);
  const y = labels as unknown as T;
  if (pred.shape[0] !== y.shape[0]) throw new ShapeError(`confusionMatrix: ${pred.shape[0]} predictions for ${y.shape[0]} labels`);
  const encode = (v: T) => oneHot(v as never, numClasses) as unknown as T;
  const counts = ops.dotGeneral(encode(y), encode(pred), { contract: [[0], [0]], batch: [[], []] });
  return ops.cast(counts, "int32") as never;
}
