/**
 * @file Reliability corpus of the metrics: `metrics.accuracy` and `metrics.confusionMatrix` given
 * arguments that are not tensors, predictions and labels of the wrong rank, dtype or batch size,
 * scores without classes or with a class count that contradicts `numClasses`, bad class counts,
 * an empty batch, bad options, out-of-range labels and predicted classes, and NaN scores. Each
 * case asserts the exact error class and a message naming the metric and the offending value,
 * eagerly and (where it is a value, not a shape) inside `jit` and `vmap`; after each, a valid call
 * still gives the right answer. With `{ checked: false }` the documented JAX-like values come out.
 */
import { describe, expect, test } from "vitest";
import type { AnyTensor } from "../../src/core/ops.js";
import { DTypeError, ShapeError, jit, metrics, vmap } from "../../src/index.js";
import { tensor, valuesOf } from "../helpers/tensors.js";
import { expectThrown, type ErrorClass } from "./expect-error.js";

type T = AnyTensor;
const any = (x: unknown) => x as never;
const f32 = (values: number[], shape: number[]) => tensor(values, shape, "float32");
const i32 = (values: number[], shape: number[] = [values.length]) => tensor(values, shape, "int32");

// Four examples over three classes: the scores' argmaxes are 1, 0, 2, 2.
const scores = f32([0.1, 0.8, 0.1, 0.7, 0.2, 0.1, 0.2, 0.3, 0.5, 0.1, 0.1, 0.8], [4, 3]);
const labels = i32([1, 0, 2, 1]);
const expectedAccuracy = 0.75;
const expectedMatrix = [1, 0, 0, 0, 1, 1, 0, 0, 1]; // rows: true class; columns: predicted

const accuracy = (p: unknown, l: unknown, options?: unknown) => () => metrics.accuracy(any(p), any(l), any(options));
const confusion = (p: unknown, l: unknown, n: unknown, options?: unknown) => () => metrics.confusionMatrix(any(p), any(l), any(n), any(options));

interface Case {
  readonly name: string;
  readonly run: () => unknown;
  readonly error: ErrorClass;
  readonly message: RegExp;
}

const withNaN = (at: number) => f32(valuesOf(scores).map((v, i) => (i === at ? NaN : v)), [4, 3]);

const CASES: Case[] = [
  // ---- arguments that are not tensors ----
  { name: "accuracy: predictions null", run: accuracy(null, labels), error: TypeError, message: /^accuracy: predictions must be a tensor, got null$/ },
  { name: "accuracy: predictions a nested array", run: accuracy([[0.1, 0.9]], labels), error: TypeError, message: /^accuracy: predictions must be a tensor, got an array of 1 element \(wrap it/ },
  { name: "accuracy: labels a number", run: accuracy(scores, 3), error: TypeError, message: /^accuracy: labels must be a tensor, got number 3$/ },
  { name: "confusionMatrix: labels undefined", run: confusion(scores, undefined, 3), error: TypeError, message: /^confusionMatrix: labels must be a tensor, got undefined$/ },
  { name: "confusionMatrix: predictions a string", run: confusion("scores", labels, 3), error: TypeError, message: /^confusionMatrix: predictions must be a tensor, got string "scores"$/ },

  // ---- ranks ----
  { name: "accuracy: rank-0 predictions", run: accuracy(f32([1], []), labels), error: ShapeError, message: /^accuracy: predictions must be scores \[B, C\] or predicted classes \[B\], got shape \[\]$/ },
  { name: "accuracy: rank-3 predictions", run: accuracy(f32(new Array(24).fill(0), [4, 3, 2]), labels), error: ShapeError, message: /^accuracy: predictions must be .*, got shape \[4, 3, 2\]$/ },
  { name: "confusionMatrix: rank-3 predictions", run: confusion(f32(new Array(24).fill(0), [4, 3, 2]), labels, 3), error: ShapeError, message: /^confusionMatrix: predictions must be .*, got shape \[4, 3, 2\]$/ },
  { name: "confusionMatrix: rank-0 predicted classes", run: confusion(i32([1], []), i32([1], []), 3), error: ShapeError, message: /^confusionMatrix: predictions must be .*, got shape \[\]$/ },
  { name: "accuracy: labels [4, 1]", run: accuracy(scores, i32([1, 0, 2, 1], [4, 1])), error: ShapeError, message: /^accuracy: labels must be a vector \[B\] of class indices, got shape \[4, 1\]$/ },
  { name: "accuracy: rank-0 labels", run: accuracy(scores, i32([1], [])), error: ShapeError, message: /^accuracy: labels must be a vector .*, got shape \[\]$/ },
  { name: "confusionMatrix: labels [4, 1]", run: confusion(scores, i32([1, 0, 2, 1], [4, 1]), 3), error: ShapeError, message: /^confusionMatrix: labels must be a vector .*, got shape \[4, 1\]$/ },
  { name: "confusionMatrix: labels [2, 2]", run: confusion(i32([1, 0, 2, 1]), i32([1, 0, 2, 1], [2, 2]), 3), error: ShapeError, message: /^confusionMatrix: labels must be a vector .*, got shape \[2, 2\]$/ },

  // ---- batch sizes ----
  { name: "accuracy: 4 predictions, 3 labels", run: accuracy(scores, i32([1, 0, 2])), error: ShapeError, message: /^accuracy: predictions \[4, 3\] do not match labels \[3\]$/ },
  { name: "accuracy: 4 predicted classes, 5 labels", run: accuracy(i32([1, 0, 2, 2]), i32([1, 0, 2, 2, 0])), error: ShapeError, message: /^accuracy: predictions \[4\] do not match labels \[5\]$/ },
  { name: "confusionMatrix: 4 predictions, 3 labels", run: confusion(scores, i32([1, 0, 2]), 3), error: ShapeError, message: /^confusionMatrix: predictions \[4, 3\] do not match labels \[3\]$/ },
  { name: "accuracy: an empty batch", run: accuracy(f32([], [0, 3]), i32([])), error: ShapeError, message: /^accuracy: no examples \(labels \[0\]\): the accuracy of an empty batch is undefined$/ },

  // ---- dtypes ----
  { name: "accuracy: float32 labels", run: accuracy(scores, f32([1, 0, 2, 1], [4])), error: DTypeError, message: /^accuracy: labels must be int32 class indices, got float32$/ },
  { name: "accuracy: bool labels", run: accuracy(scores, tensor([1, 0, 1, 1], [4], "bool")), error: DTypeError, message: /^accuracy: labels must be int32 class indices, got bool$/ },
  { name: "confusionMatrix: float64 labels", run: confusion(scores, tensor([1, 0, 2, 1], [4]), 3), error: DTypeError, message: /^confusionMatrix: labels must be int32 class indices, got float64$/ },
  { name: "accuracy: float32 predictions [B]", run: accuracy(f32([1, 0, 2, 2], [4]), labels), error: DTypeError, message: /^accuracy: predictions of shape \[4\] are predicted classes and must be int32, got float32 \(scores are \[B, C\]\)$/ },
  { name: "confusionMatrix: bool predictions [B]", run: confusion(tensor([1, 0, 1, 1], [4], "bool"), labels, 3), error: DTypeError, message: /^confusionMatrix: predictions of shape \[4\] are predicted classes and must be int32, got bool/ },
  { name: "accuracy: bool scores", run: accuracy(tensor(new Array(12).fill(1), [4, 3], "bool"), labels), error: DTypeError, message: /^accuracy: scores must be numbers, got bool \[4, 3\]$/ },

  // ---- classes ----
  { name: "accuracy: scores without classes", run: accuracy(f32([], [4, 0]), labels), error: ShapeError, message: /^accuracy: scores \[4, 0\] have no classes$/ },
  { name: "confusionMatrix: 3 score columns, numClasses 2", run: confusion(scores, i32([1, 0, 1, 1]), 2), error: ShapeError, message: /^confusionMatrix: scores \[4, 3\] have 3 classes, numClasses is 2$/ },
  { name: "confusionMatrix: 3 score columns, numClasses 5", run: confusion(scores, labels, 5), error: ShapeError, message: /^confusionMatrix: scores \[4, 3\] have 3 classes, numClasses is 5$/ },
  { name: "confusionMatrix: numClasses 0", run: confusion(i32([0, 0, 0, 0]), i32([0, 0, 0, 0]), 0), error: RangeError, message: /^confusionMatrix: numClasses must be a positive integer, got 0$/ },
  { name: "confusionMatrix: numClasses −1", run: confusion(scores, labels, -1), error: RangeError, message: /^confusionMatrix: numClasses must be a positive integer, got -1$/ },
  { name: "confusionMatrix: numClasses 2.5", run: confusion(scores, labels, 2.5), error: RangeError, message: /^confusionMatrix: numClasses must be a positive integer, got 2\.5$/ },
  { name: "confusionMatrix: numClasses NaN", run: confusion(scores, labels, NaN), error: RangeError, message: /^confusionMatrix: numClasses must be a positive integer, got NaN$/ },
  { name: "confusionMatrix: numClasses Infinity", run: confusion(scores, labels, Infinity), error: RangeError, message: /^confusionMatrix: numClasses must be a positive integer, got Infinity$/ },
  { name: "confusionMatrix: numClasses a string", run: confusion(scores, labels, "3"), error: TypeError, message: /^confusionMatrix: numClasses must be a positive integer, got string "3"$/ },
  { name: "confusionMatrix: numClasses 10⁶ (a 10¹² matrix)", run: confusion(i32([0]), i32([0]), 1e6), error: RangeError, message: /^confusionMatrix: numClasses 1000000 gives a 1000000×1000000 matrix, more than the 2147483647 elements/ },

  // ---- options ----
  { name: "accuracy: checked \"yes\"", run: accuracy(scores, labels, { checked: "yes" }), error: TypeError, message: /^accuracy: options\.checked must be true or false, got string "yes"$/ },
  { name: "confusionMatrix: options a boolean", run: confusion(scores, labels, 3, false), error: TypeError, message: /^confusionMatrix: options must be an options object, got false$/ },

  // ---- values (checked mode, the default) ----
  { name: "accuracy: label 3 of 3 classes", run: accuracy(scores, i32([1, 0, 3, 1])), error: RangeError, message: /^accuracy: label 3 at position \[2\] is out of range \[0, 3\)$/ },
  { name: "accuracy: label −1", run: accuracy(scores, i32([1, -1, 2, 1])), error: RangeError, message: /^accuracy: label -1 at position \[1\] is out of range \[0, 3\)$/ },
  { name: "accuracy: a negative predicted class", run: accuracy(i32([1, 0, -2, 1]), labels), error: RangeError, message: /^accuracy: predicted class -2 at position \[2\] is out of range \[0, Infinity\)$/ },
  { name: "accuracy: a NaN score", run: accuracy(withNaN(7), labels), error: RangeError, message: /^accuracy: score is NaN at position \[2, 1\]$/ },
  { name: "confusionMatrix: label 7 of 3", run: confusion(scores, i32([1, 0, 2, 7]), 3), error: RangeError, message: /^confusionMatrix: label 7 at position \[3\] is out of range \[0, 3\)$/ },
  { name: "confusionMatrix: predicted class 3 of 3", run: confusion(i32([1, 3, 2, 1]), labels, 3), error: RangeError, message: /^confusionMatrix: predicted class 3 at position \[1\] is out of range \[0, 3\)$/ },
  { name: "confusionMatrix: a NaN score", run: confusion(withNaN(0), labels, 3), error: RangeError, message: /^confusionMatrix: score is NaN at position \[0, 0\]$/ },
];

/** The valid calls whose results every case is followed by. */
function expectValidCallsRight(): void {
  expect(valuesOf(metrics.accuracy(any(scores), any(labels)) as unknown as T)).toEqual([expectedAccuracy]);
  expect(valuesOf(metrics.confusionMatrix(any(scores), any(labels), 3) as unknown as T)).toEqual(expectedMatrix);
}

describe("metrics: bad inputs are typed errors naming the metric and the value", () => {
  test.each(CASES)("$name", ({ run, error, message }) => {
    expectThrown(run, error, message);
    expectValidCallsRight();
  });
});

describe("metrics: value checks where the values are known only when a compiled program runs", () => {
  const jitAccuracy = jit((p: T, l: T) => metrics.accuracy(any(p), any(l)) as unknown as T);
  const jitConfusion = jit((p: T, l: T) => metrics.confusionMatrix(any(p), any(l), 3) as unknown as T);

  test("inside jit: a label out of range, a predicted class out of range, a NaN score; then the same program is right", () => {
    expectThrown(() => jitAccuracy(scores, i32([1, 0, 2, 3])), RangeError, /^accuracy: label 3 at position \[3\] is out of range \[0, 3\)$/);
    expectThrown(() => jitAccuracy(withNaN(11), labels), RangeError, /^accuracy: score is NaN at position \[3, 2\]$/);
    expectThrown(() => jitConfusion(i32([1, 0, 2, 9]), labels), RangeError, /^confusionMatrix: predicted class 9 at position \[3\] is out of range \[0, 3\)$/);
    expectThrown(() => jitConfusion(withNaN(4), labels), RangeError, /^confusionMatrix: score is NaN at position \[1, 1\]$/);
    expect(valuesOf(jitAccuracy(scores, labels))).toEqual([expectedAccuracy]);
    expect(valuesOf(jitConfusion(scores, labels))).toEqual(expectedMatrix);
  });

  test("under vmap over batches of examples: the position includes the vmapped axis", () => {
    const twice = (values: number[]) => f32([...values, ...values], [2, 4, 3]);
    const perBatch = vmap((p: T, l: T) => metrics.accuracy(any(p), any(l)) as unknown as T);
    expect(valuesOf(perBatch(any(twice(valuesOf(scores))), any(i32([1, 0, 2, 1, 1, 0, 2, 2], [2, 4]))) as unknown as T)).toEqual([0.75, 1]);
    const nan = valuesOf(scores).map((v, i) => (i === 5 ? NaN : v));
    expectThrown(() => perBatch(any(f32([...valuesOf(scores), ...nan], [2, 4, 3])), any(i32([1, 0, 2, 1, 1, 0, 2, 2], [2, 4]))), RangeError, /^accuracy: score is NaN at position \[1, 1, 2\]$/);
    expectThrown(() => perBatch(any(twice(valuesOf(scores))), any(i32([1, 0, 2, 1, 1, 0, 5, 2], [2, 4]))), RangeError, /^accuracy: label 5 at position \[1, 2\] is out of range \[0, 3\)$/);
  });
});

describe("metrics with { checked: false }: JAX's semantics, as documented", () => {
  const unchecked = { checked: false } as const;

  test("a NaN score: the row predicts its first NaN's class (argmax takes NaN as the largest)", () => {
    // row 2 becomes [0.2, NaN, 0.5]: predicted 1, label 2 → a miss; row 0 stays a hit
    expect(valuesOf(metrics.accuracy(any(withNaN(7)), any(labels), unchecked) as unknown as T)).toEqual([0.5]);
    const m = valuesOf(metrics.confusionMatrix(any(withNaN(7)), any(labels), 3, unchecked) as unknown as T);
    expect(m).toEqual([1, 0, 0, 0, 1, 1, 0, 1, 0]);
  });

  test("out-of-range labels and predicted classes: a miss for accuracy, dropped from the confusion matrix", () => {
    expect(valuesOf(metrics.accuracy(any(scores), any(i32([1, 0, 3, 1])), unchecked) as unknown as T)).toEqual([0.5]);
    const m = valuesOf(metrics.confusionMatrix(any(i32([1, 7, 2, 2])), any(labels), 3, unchecked) as unknown as T);
    expect(m.reduce((a, b) => a + b, 0)).toBe(3);
  });
});
