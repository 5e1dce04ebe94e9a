/** @file The `metrics` namespace: accuracy and the confusion matrix, as traceable tensor functions. */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { guardIndices, oneHotOf, type IndexOptions } from "../ops/indexing.js";
import type { Tensor } from "../core/tensor.js";
import type { DType } from "../dtype.js";
import type { Shape } from "../shape/dim.js";
import type { ShapesAgree } from "../shape/match.js";
import type { ShowShape } from "../shape/show.js";
import type { Checked } from "../ops/operand.js";
import { ShapeError, showShape } from "../shape/errors.js";

type T = AnyTensor;

/**
 * The labels a metric takes with predictions of shape `P` and dtype `PD`: scores `[B, C]` (any
 * dtype but int32) or int32 classes `[B]`, and int32 labels `[B]` with the same `B` (checked dim
 * by dim: a `number` matches anything). Otherwise the runtime's message. Predictions and labels
 * have their own type parameters, so mismatched sizes are never inferred as a union `64 | 32`.
 */
export type PredictionsCheck<Op extends string, P extends Shape, PD extends DType, L extends Shape> =
  ("int32" extends PD ? (P extends readonly [unknown] ? P : false) : P extends readonly [infer B, unknown] ? [B] : false) extends infer Rows extends Shape
    ? ShapesAgree<Rows, L> extends true
      ? true
      : PredictionsError<Op, P, L>
    : PredictionsError<Op, P, L>;

type PredictionsError<Op extends string, P extends Shape, L extends Shape> = `${Op}: predictions ${ShowShape<P>} do not match labels ${ShowShape<L>}`;

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
 * const acc = accuracy(model(params, x), y).item(); // 0.97
 * @category Metrics
 */
export function accuracy<P extends Shape, PD extends DType, L extends Shape>(
  predictions: Tensor<P, PD>,
  labels: Checked<PredictionsCheck<"accuracy", P, PD, L>, Tensor<L, "int32">>,
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
export function confusionMatrix<P extends Shape, PD extends DType, L extends Shape, const N extends number>(
  predictions: Tensor<P, PD>,
  labels: Checked<PredictionsCheck<"confusionMatrix", P, PD, L>, Tensor<L, "int32">>,
  numClasses: N,
  options?: IndexOptions,
): Tensor<[N, N], "int32"> {
  const scores = predictions as unknown as T;
  const pred = predictedClasses(scores);
  const y = labels as unknown as T;
  if (pred.shape.length !== 1 || y.shape.length !== 1 || pred.shape[0] !== y.shape[0]) {
    throw new ShapeError(`confusionMatrix: predictions ${showShape(scores.shape)} do not match labels ${showShape(y.shape)}`);
  }
  const predChecked = guardIndices(pred, "confusionMatrix", "predicted class", 0, numClasses, options);
  const encode = (v: T) => oneHotOf(v, numClasses, "confusionMatrix", options);
  const counts = ops.dotGeneral(encode(y), encode(predChecked), { contract: [[0], [0]], batch: [[], []] });
  return ops.cast(counts, "int32") as never;
}
