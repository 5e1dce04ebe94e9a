/**
 * @file Small untyped tensor helpers the layers share, built only from `core/ops.ts` bind
 * wrappers (so everything stays differentiable, vmappable and jittable). Not exported publicly.
 */
import * as core from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { product } from "../shape/arith.js";

type T = AnyTensor;

/** `x` (of shape `[..., n]`) plus a vector `v` of shape `[n]`, broadcast along the last axis. */
export function addLast(x: T, v: T): T {
  return core.add(x, core.broadcastInDim(v, x.shape, [x.ndim - 1]));
}

/** `x` (of shape `[..., n]`) times a vector `v` of shape `[n]`, broadcast along the last axis. */
export function mulLast(x: T, v: T): T {
  return core.mul(x, core.broadcastInDim(v, x.shape, [x.ndim - 1]));
}

/** The mean over `axes`, kept as size-1 dims and broadcast back to the shape of `x`. */
export function meanBroadcast(x: T, axes: readonly number[]): T {
  const n = product(axes.map((a) => x.shape[a]));
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const summed = core.reduceSum(x, axes);
  return core.mul(core.broadcastInDim(summed, x.shape, kept), core.fullLike(x, 1 / n));
}

/** `(x − mean) / √(var + eps)` with the (biased) mean and variance of `x` over `axes`. */
export function standardize(x: T, axes: readonly number[], eps: number): T {
  const centered = core.sub(x, meanBroadcast(x, axes));
  const variance = meanBroadcast(core.mul(centered, centered), axes);
  return core.div(centered, core.sqrt(core.add(variance, core.fullLike(variance, eps))));
}

/** A matrix product contracting the last axis of `x` with the first of `w` (`[..., k] · [k, n]`). */
export function matmulLast(x: T, w: T): T {
  return core.dotGeneral(x, w, { contract: [[x.ndim - 1], [0]], batch: [[], []] });
}
