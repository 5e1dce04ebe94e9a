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

/** Throws a ShapeError unless predictions and targets have one shape. */
export function checkSame(name: string, pred: T, target: T): void {
  const a = pred.shape;
  const b = target.shape;
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new ShapeError(`${name}: predictions and targets differ in shape: ${showShape(a)} vs ${showShape(b)}`);
  }
}

/** `c` as a tensor shaped like `x`. */
export function like(x: T, c: number): T {
  const s = ops.full([], c, x.dtype);
  return x.ndim === 0 ? s : ops.broadcastInDim(s, x.shape, []);
}
