/** @file How a loss turns per-example values into its result. */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { checkName } from "../internal/check-args.js";
import { ShapeError, showShape } from "../shape/errors.js";
import type { Tensor } from "../core/tensor.js";
import type { FloatDType } from "../dtype.js";
import type { Shape } from "../shape/dim.js";
import type { ShapesAgree } from "../shape/match.js";
import type { ShowShape } from "../shape/show.js";

type T = AnyTensor;

/**
 * `"mean"` (default) or `"sum"` over every element, or `"none"` to keep per-element values.
 * @category Losses
 */
export type Reduction = "mean" | "sum" | "none";

/**
 * The result type of a loss with reduction `R` over per-element shape `S`.
 * @category Losses
 */
export type Reduced<R extends Reduction, S> = R extends "none" ? S : [];

const reductions: readonly Reduction[] = ["mean", "sum", "none"];

/**
 * Checks the reduction given to loss `name` (untyped callers could pass anything, and a misspelt
 * name must not quietly mean "mean"): a `TypeError` if not a string, a `RangeError` if unknown.
 */
export function checkReduction(name: string, reduction: unknown): Reduction {
  return checkName(name, "reduction", reduction, reductions);
}

/** Applies a reduction, checked for loss `name`, to per-element loss values. */
export function reduceLoss(name: string, values: T, reduction: Reduction): T {
  checkReduction(name, reduction);
  if (reduction === "none") return values;
  const axes = values.shape.map((_, i) => i);
  const total = ops.reduceSum(values, axes);
  if (reduction === "sum") return total;
  return ops.div(total, ops.full([], values.size, values.dtype));
}

/**
 * The type of a loss's `target` given predictions of shape `S` and dtype `D`: `Tensor<T, D>` when
 * its shape agrees with `S` (dim by dim, `number` matching anything), else the message the runtime
 * throws, `"mse: predictions and targets differ in shape: [32, 1] vs [16, 1]"`. The dtype is
 * `NoInfer`: it comes from the predictions, so a target of another dtype is an error rather than
 * a union.
 * @category Losses
 */
export type SameAs<Name extends string, S extends Shape, T extends Shape, D extends FloatDType> =
  ShapesAgree<S, T> extends true
    ? Tensor<T, NoInfer<D>>
    : `${Name}: predictions and targets differ in shape: ${ShowShape<S>} vs ${ShowShape<T>}`;

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
