/** @file How a loss turns per-example values into its result. */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { ShapeError, showShape } from "../shape/errors.js";

type T = AnyTensor;

/** `"mean"` (default) or `"sum"` over every element, or `"none"` to keep per-element values. */
export type Reduction = "mean" | "sum" | "none";

/** The result type of a loss with reduction `R` over per-element shape `S`. */
export type Reduced<R extends Reduction, S> = R extends "none" ? S : [];

/** Applies a reduction to per-element loss values. */
export function reduceLoss(values: T, reduction: Reduction): T {
  if (reduction === "none") return values;
  const axes = values.shape.map((_, i) => i);
  const total = ops.reduceSum(values, axes);
  if (reduction === "sum") return total;
  return ops.div(total, ops.full([], values.size, values.dtype));
}

/** Predictions and targets as untyped tensors, after checking (for untyped data) that their shapes agree. */
export function samePair(name: string, pred: unknown, target: unknown): [T, T] {
  const [p, t] = [pred as T, target as T];
  const a = p.shape;
  const b = t.shape;
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new ShapeError(`${name}: predictions and targets differ in shape: ${showShape(a)} vs ${showShape(b)}`);
  }
  return [p, t];
}
