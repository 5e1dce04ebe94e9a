/**
 * @file What the metrics accept, checked before anything is computed: predictions as scores
 * `[B, C]` (argmax taken) or predicted classes `[B]` (int32), int32 labels `[B]`, a class count,
 * and their options. Shapes and kinds are checked when the metric is called or traced (a
 * `TypeError`, `ShapeError`, `DTypeError` or `RangeError` naming the metric); the values (labels
 * and predicted classes in range, no NaN score) in checked mode, when the computation runs.
 */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { Tensor } from "../core/tensor.js";
import { DTypeError } from "../core/errors.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { MAX_ELEMENTS } from "../dtype.js";
import { guardIndices, type IndexOptions } from "../ops/indexing.js";
import { checkNaNOf } from "../primitives/check-nan.js";
import { checkBoolean, checkOptions, showValue } from "../internal/check-args.js";

type T = AnyTensor;

/** A metric's checked inputs: predicted classes and labels, both int32 `[B]`. */
export interface MetricInputs {
  readonly predicted: T;
  readonly labels: T;
}

/** How an argument that is not a tensor reads in a message (a long array is not printed whole). */
function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length} element${value.length === 1 ? "" : "s"} (wrap it with tensor(...) or fromArray)`;
  return value === null || value === undefined ? String(value) : `${typeof value} ${showValue(value)}`;
}

function tensorArg(op: string, name: string, value: unknown): T {
  if (!(value instanceof Tensor)) throw new TypeError(`${op}: ${name} must be a tensor, got ${describe(value)}`);
  return value as T;
}

/** `options` as index options (`checked`: true or false), or a `TypeError` naming `op`. */
export function metricOptions(op: string, options: unknown): IndexOptions | undefined {
  if (options === undefined) return undefined;
  const o = checkOptions(op, "options", options);
  if (o.checked !== undefined) checkBoolean(op, "options.checked", o.checked);
  return o as IndexOptions;
}

/**
 * A class count given by the caller (`confusionMatrix`'s `numClasses`): an integer ≥ 1 whose
 * square matrix a tensor can hold, else a `TypeError` / `RangeError` naming `op`.
 */
export function classCount(op: string, n: unknown): number {
  if (typeof n !== "number") throw new TypeError(`${op}: numClasses must be a positive integer, got ${describe(n)}`);
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`${op}: numClasses must be a positive integer, got ${n}`);
  if (n * n > MAX_ELEMENTS) throw new RangeError(`${op}: numClasses ${n} gives a ${n}×${n} matrix, more than the ${MAX_ELEMENTS} elements a tensor can hold`);
  return n;
}

/**
 * Checks and reads a metric's predictions and labels. Scores `[B, C]` (any numeric dtype) give
 * their argmax over the classes, after a check for NaN (whose argmax would be a class picked by
 * the NaN, as in JAX); predicted classes are int32 `[B]`. `classes`: the class count when the
 * caller knows it (scores must then have exactly that many columns), else that of the scores, else
 * unbounded (only negative classes are refused). In checked mode labels and predicted classes
 * outside `[0, classes)` are `RangeError`s when the computation runs; unchecked, values go through.
 */
export function metricInputs(op: string, predictions: unknown, labels: unknown, classes: number | undefined, options: IndexOptions | undefined): MetricInputs {
  const p = tensorArg(op, "predictions", predictions);
  const l = tensorArg(op, "labels", labels);
  if (p.ndim !== 1 && p.ndim !== 2) throw new ShapeError(`${op}: predictions must be scores [B, C] or predicted classes [B], got shape ${showShape(p.shape)}`);
  if (l.ndim !== 1) throw new ShapeError(`${op}: labels must be a vector [B] of class indices, got shape ${showShape(l.shape)}`);
  if (l.dtype !== "int32") throw new DTypeError(`${op}: labels must be int32 class indices, got ${l.dtype}`);
  if (p.shape[0] !== l.shape[0]) throw new ShapeError(`${op}: predictions ${showShape(p.shape)} do not match labels ${showShape(l.shape)}`);
  const checked = options?.checked !== false;
  if (p.ndim === 1) {
    if (p.dtype !== "int32") throw new DTypeError(`${op}: predictions of shape ${showShape(p.shape)} are predicted classes and must be int32, got ${p.dtype} (scores are [B, C])`);
    const hi = classes ?? Infinity;
    return { predicted: guardIndices(p, op, "predicted class", 0, hi, options), labels: guardIndices(l, op, "label", 0, hi, options) };
  }
  const c = p.shape[1];
  if (p.dtype === "bool") throw new DTypeError(`${op}: scores must be numbers, got bool ${showShape(p.shape)}`);
  if (c === 0) throw new ShapeError(`${op}: scores ${showShape(p.shape)} have no classes`);
  if (classes !== undefined && c !== classes) throw new ShapeError(`${op}: scores ${showShape(p.shape)} have ${c} classes, numClasses is ${classes}`);
  const scores = checked && p.dtype !== "int32" ? checkNaNOf(p, op, "score") : p;
  return { predicted: ops.argmax(scores, 1), labels: guardIndices(l, op, "label", 0, c, options) };
}
