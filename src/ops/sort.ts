/**
 * @file Sorting: `sort`, `argsort` and `topK`, on the `sort` primitive (stable; NaN after every
 * number as in NumPy, first when descending). Gradients flow through the sorted values: each
 * element's gradient goes back to where it came from. An out-of-range axis, and a `k` larger
 * than the last dim, are compile errors where the types know the shape.
 */
import type { DType } from "../dtype.js";
import type { Tensor } from "../core/tensor.js";
import * as core from "../core/ops.js";
import { iotaLike, sortOf } from "../primitives/sort.js";
import type { Shape } from "../shape/dim.js";
import type { SortAxis, TopK } from "../shape/sort.js";
import { sortAxis, topKShape } from "../shape/sort.js";
import type { Checked, ShapeResult } from "./operand.js";
import { untyped } from "./operand.js";
import { checkBoolean, checkOptions } from "../internal/check-args.js";

/**
 * Options of `sort` and `argsort`: `descending` orders from the largest (NaN first); equal
 * elements keep their order either way.
 * @category Sorting
 */
export interface SortOptions {
  /** Largest first (default `false`: smallest first). */
  readonly descending?: boolean;
}

/** `options.descending`, checked: a `TypeError` naming `op` for anything but a boolean. */
function descendingOf(op: string, options: SortOptions | undefined): boolean {
  if (options === undefined) return false;
  const { descending } = checkOptions(op, "options", options);
  return descending === undefined ? false : checkBoolean(op, "options.descending", descending);
}

/**
 * `x` sorted along `axis` (default the last), ascending with NaN last as in NumPy, or descending.
 * @example
 * const s = sort(tensor([3, 1, 2])); // Tensor<[3]>: [1, 2, 3]
 * @category Sorting
 */
export function sort<S extends Shape, D extends DType, const Ax extends number = -1>(
  x: Tensor<S, D>,
  axis?: Checked<SortAxis<S, Ax, "sort">, Ax>,
  options?: SortOptions,
): Tensor<S, D> {
  const t = untyped(x);
  const dimension = sortAxis("sort", t.shape, (axis as number | undefined) ?? -1);
  return sortOf([t], { dimension, numKeys: 1, descending: descendingOf("sort", options) })[0] as never;
}

/**
 * The int32 indices that sort `x` along `axis` (default the last); stable, so equal elements keep
 * their order: `sort(x)` takes the elements of `x` in this order.
 * @example
 * const i = argsort(tensor([3, 1, 2])); // Tensor<[3], "int32">: [1, 2, 0]
 * @category Sorting
 */
export function argsort<S extends Shape, D extends DType, const Ax extends number = -1>(
  x: Tensor<S, D>,
  axis?: Checked<SortAxis<S, Ax, "argsort">, Ax>,
  options?: SortOptions,
): Tensor<S, "int32"> {
  const t = untyped(x);
  const dimension = sortAxis("argsort", t.shape, (axis as number | undefined) ?? -1);
  return sortOf([t, iotaLike(t, dimension)], { dimension, numKeys: 1, descending: descendingOf("argsort", options) })[1] as never;
}

/**
 * The `k` largest elements along the last axis, largest first, and their int32 indices (the
 * lower index first among equal elements; NaN counts as the largest). `k` larger than the last
 * dim is a compile error where the shape is known, else a `ShapeError`.
 * @example
 * const [values, indices] = topK(tensor([[1, 5, 3]]), 2); // Tensor<[1, 2]> each: [[5, 3]], [[1, 2]]
 * @category Sorting
 */
export function topK<S extends Shape, D extends DType, const K extends number>(
  x: Tensor<S, D>,
  k: Checked<TopK<S, K>, K>,
): [values: Tensor<ShapeResult<TopK<S, K>>, D>, indices: Tensor<ShapeResult<TopK<S, K>>, "int32">] {
  const t = untyped(x);
  if (typeof k !== "number") throw new TypeError(`topK: k must be a number, got ${typeof k}`);
  const shape = topKShape(t.shape, k as K);
  const last = t.ndim - 1;
  const [values, indices] = sortOf([t, iotaLike(t, last)], { dimension: last, numKeys: 1, descending: true });
  const start = shape.map(() => 0);
  const first = (y: core.AnyTensor) => (shape[last] === t.shape[last] ? y : core.slice(y, start, shape));
  return [first(values), first(indices)] as never;
}
