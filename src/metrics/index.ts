/** @file The `metrics` namespace: accuracy and the confusion matrix, as traceable tensor functions. */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { oneHotOf, type IndexOptions } from "../ops/indexing.js";
import type { Tensor } from "../core/tensor.js";
import type { DType } from "../dtype.js";
import type { Shape } from "../shape/dim.js";
import type { ShapesAgree } from "../shape/match.js";
import type { ShowShape } from "../shape/show.js";
import type { Checked } from "../ops/operand.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { MAX_ELEMENTS } from "../dtype.js";
import { classCount, metricInputs, metricOptions } from "./inputs.js";

type T = AnyTensor;

/**
 * The labels a metric takes with predictions of shape `P` and dtype `PD`: scores `[B, C]` (any
 * dtype but int32) or int32 classes `[B]`, and int32 labels `[B]` with the same `B` (checked dim
 * by dim: a `number` matches anything). Otherwise the runtime's message. Predictions and labels
 * have their own type parameters, so mismatched sizes are never inferred as a union `64 | 32`.
 * @category Metrics
 */
export type PredictionsCheck<Op extends string, P extends Shape, PD extends DType, L extends Shape> =
  ("int32" extends PD ? (P extends readonly [unknown] ? P : false) : P extends readonly [infer B, unknown] ? [B] : false) extends infer Rows extends Shape
    ? ShapesAgree<Rows, L> extends true
      ? true
      : PredictionsError<Op, P, L>
    : PredictionsError<Op, P, L>;

type PredictionsError<Op extends string, P extends Shape, L extends Shape> = `${Op}: predictions ${ShowShape<P>} do not match labels ${ShowShape<L>}`;

/**
 * The fraction of examples whose predicted class equals the label. `predictions` are scores or
 * logits `[B, C]` (the argmax is taken) or predicted classes `[B]` (int32); `labels` are int32
 * `[B]`, with `B ≥ 1`. Inputs of the wrong kind, shape or dtype are errors naming `accuracy` when
 * it is called or traced. In checked mode (the default) a label outside `[0, C)`, a negative
 * predicted class and a NaN score are `RangeError`s, eagerly or when a jitted program runs; with
 * `{ checked: false }` values go through as JAX would take them: labels are compared as they are
 * (a bad one counts as a miss unless an int32 prediction equals it) and a row with a NaN score
 * predicts the class of its first NaN (argmax takes NaN as the largest).
 * @example
 * declare const logits: Tensor<[100, 10]>;
 * declare const labels: Tensor<[100], "int32">;
 * const acc = metrics.accuracy(logits, labels).item(); // e.g. 0.97
 * @category Metrics
 */
export function accuracy<P extends Shape, PD extends DType, L extends Shape>(
  predictions: Tensor<P, PD>,
  labels: Checked<PredictionsCheck<"accuracy", P, PD, L>, Tensor<L, "int32">>,
  options?: IndexOptions,
): Tensor<[], "float32"> {
  const checkedOptions = metricOptions("accuracy", options);
  // Given predicted classes, the number of classes is unknown: only negative ones are refused.
  const { predicted, labels: y } = metricInputs("accuracy", predictions, labels, undefined, checkedOptions);
  const batch = y.shape[0];
  if (batch === 0) throw new ShapeError(`accuracy: no examples (labels ${showShape(y.shape)}): the accuracy of an empty batch is undefined`);
  const hits = ops.reduceSum(ops.cast(ops.compare(predicted, y, "eq"), "float32"), [0]);
  return ops.div(hits, ops.full([], batch, "float32")) as never;
}

/**
 * `m[i][j]` = the number of examples of true class `i` predicted as class `j`. `predictions` are
 * scores `[B, numClasses]` or predicted classes `[B]` (int32); `labels` are int32 `[B]`;
 * `numClasses` is an integer ≥ 1. Inputs of the wrong kind, shape or dtype are errors naming
 * `confusionMatrix`. In checked mode (the default) a label or predicted class outside
 * `[0, numClasses)` and a NaN score are `RangeError`s, eagerly or when a jitted program runs; with
 * `{ checked: false }` such an example is dropped (it one-hots to a zero row, as in JAX), so the
 * counts sum to fewer than `B`, and a NaN row counts as its first NaN's class.
 * @category Metrics
 */
export function confusionMatrix<P extends Shape, PD extends DType, L extends Shape, const N extends number>(
  predictions: Tensor<P, PD>,
  labels: Checked<PredictionsCheck<"confusionMatrix", P, PD, L>, Tensor<L, "int32">>,
  numClasses: N,
  options?: IndexOptions,
): Tensor<[N, N], "int32"> {
  const checkedOptions = metricOptions("confusionMatrix", options);
  const n = classCount("confusionMatrix", numClasses);
  const { predicted, labels: y } = metricInputs("confusionMatrix", predictions, labels, n, checkedOptions);
  if (y.shape[0] * n > MAX_ELEMENTS) throw new RangeError(`confusionMatrix: ${y.shape[0]} examples × ${n} classes is more than the ${MAX_ELEMENTS} elements a tensor can hold`);
  // Both are checked already (or unchecked by request): one-hot them as they are.
  const encode = (v: T) => oneHotOf(v, n, "confusionMatrix", { checked: false });
  const counts = ops.dotGeneral(encode(y), encode(predicted), { contract: [[0], [0]], batch: [[], []] });
  return ops.cast(counts, "int32") as never;
}
