/** @file Regression losses: squared, absolute and Huber error. */
import * as ops from "../core/ops.js";
import type { Tensor } from "../core/tensor.js";
import type { FloatDType } from "../dtype.js";
import type { Shape } from "../shape/dim.js";
import { checkNumber, positive } from "../internal/check-args.js";
import { checkReduction, samePair, reduceLoss, type Reduced, type Reduction, type SameAs } from "./reduce.js";

/**
 * Mean squared error: mean((pred − target)²).
 * @example
 * declare const predictions: Tensor<[32, 1]>;
 * declare const targets: Tensor<[32, 1]>;
 * const loss = losses.mse(predictions, targets); // Tensor<[]>
 * @category Losses
 */
export function mse<S extends Shape, T extends Shape, D extends FloatDType, const R extends Reduction = "mean">(
  pred: Tensor<S, D>,
  target: SameAs<"mse", S, T, D>,
  reduction: R = "mean" as R,
): Tensor<Reduced<R, S>, D> {
  checkReduction("mse", reduction);
  const [p, t] = samePair("mse", pred, target);
  const d = ops.sub(p, t);
  return reduceLoss("mse", ops.mul(d, d), reduction) as never;
}

/**
 * Mean absolute error: mean(|pred − target|).
 * @category Losses
 */
export function mae<S extends Shape, T extends Shape, D extends FloatDType, const R extends Reduction = "mean">(
  pred: Tensor<S, D>,
  target: SameAs<"mae", S, T, D>,
  reduction: R = "mean" as R,
): Tensor<Reduced<R, S>, D> {
  checkReduction("mae", reduction);
  const [p, t] = samePair("mae", pred, target);
  return reduceLoss("mae", ops.abs(ops.sub(p, t)), reduction) as never;
}

/**
 * Huber loss: ½e² where |e| ≤ δ, δ(|e| − ½δ) beyond: squared near zero, linear in the tails.
 * @category Losses
 */
export function huber<S extends Shape, T extends Shape, D extends FloatDType, const R extends Reduction = "mean">(
  pred: Tensor<S, D>,
  target: SameAs<"huber", S, T, D>,
  delta = 1,
  reduction: R = "mean" as R,
): Tensor<Reduced<R, S>, D> {
  checkNumber("huber", "delta", delta, positive);
  checkReduction("huber", reduction);
  const [p, t] = samePair("huber", pred, target);
  const e = ops.abs(ops.sub(p, t));
  const quadratic = ops.min(e, ops.fullLike(e, delta));
  const linear = ops.sub(e, quadratic);
  const values = ops.add(ops.mul(ops.fullLike(e, 0.5), ops.mul(quadratic, quadratic)), ops.mul(ops.fullLike(e, delta), linear));
  return reduceLoss("huber", values, reduction) as never;
}
