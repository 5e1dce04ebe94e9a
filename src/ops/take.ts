/**
 * @file `take` and `takeAlongAxis` (NumPy/JAX), on the same gather as `at`: `take` indexes one
 * axis by an index tensor of any shape; `takeAlongAxis` picks one element along an axis per
 * index, e.g. the value at each row's argmax.
 */
import type { DType } from "../dtype.js";
import type { Tensor } from "../core/tensor.js";
import { DTypeError } from "../core/errors.js";
import * as core from "../core/ops.js";
import type { Shape } from "../shape/dim.js";
import type { Take, TakeAlongAxis } from "../shape/take.js";
import { takeAlongAxisShape, takeShape } from "../shape/take.js";
import type { Checked, ShapeResult, T } from "./operand.js";
import { untyped } from "./operand.js";
import { coreMode, fillValueOf, indicesAlong, modeOf, type GatherOptions } from "./indexing.js";
import { indexRefOf } from "./at.js";
import { gatherAt } from "./indexed.js";

function int32Indices(op: string, indices: T): T {
  if (indices.dtype !== "int32") throw new DTypeError(`${op}: indices must be int32, got ${indices.dtype}`);
  return indices;
}

/**
 * Elements of `x` along `axis` at int32 `indices` of any shape, which replaces that axis: `x` of
 * shape `[...A, n, ...B]` and indices `I` give `[...A, ...I, ...B]`. Without an axis, `x` is
 * flattened first and the result has the indices' shape. Negative indices count from the end; one
 * out of range is a `RangeError` unless `options.mode` says otherwise (`IndexMode`).
 * @example
 * declare const table: Tensor<[1000, 64]>;
 * declare const ids: Tensor<[32, 20], "int32">;
 * const rows = take(table, ids, 0); // Tensor<[32, 20, 64]>
 * @category Indexing
 */
export function take<S extends Shape, D extends DType, I extends Shape, const Ax extends number | undefined = undefined>(
  x: Tensor<S, D>,
  indices: Tensor<I, "int32">,
  axis?: Checked<Take<S, I, Ax>, Ax>,
  options?: GatherOptions,
): Tensor<ShapeResult<Take<S, I, Ax>>, D> {
  const t = untyped(x);
  const idx = int32Indices("take", untyped(indices));
  const ax = axis as number | undefined;
  takeShape("take", t.shape, idx.shape, ax);
  const source = ax === undefined ? core.reshape(t, [t.size]) : t;
  const a = ax === undefined ? 0 : ax < 0 ? ax + t.ndim : ax;
  const entries = [...Array<null>(a).fill(null), idx];
  return indexRefOf("take", source, entries).get(options) as never;
}

/**
 * One element of `x` along `axis` per int32 index (NumPy `take_along_axis`): `indices` has the
 * rank of `x`, and its other dims broadcast with those of `x`. `out[i, j] = x[i, indices[i, j]]`
 * for `axis = 1`. Negative indices count from the end; out-of-range ones follow `options.mode`.
 * @example
 * declare const scores: Tensor<[32, 10]>;
 * const best = takeAlongAxis(scores, argmax(scores, 1, true), 1); // Tensor<[32, 1]>
 * @category Indexing
 */
export function takeAlongAxis<S extends Shape, D extends DType, I extends Shape, const Ax extends number>(
  x: Tensor<S, D>,
  indices: Tensor<I, "int32">,
  axis: Checked<TakeAlongAxis<S, I, Ax>, Ax>,
  options?: GatherOptions,
): Tensor<ShapeResult<TakeAlongAxis<S, I, Ax>>, D> {
  const op = "takeAlongAxis";
  const t = untyped(x);
  const idx = int32Indices(op, untyped(indices));
  const { shape, axis: a } = takeAlongAxisShape(op, t.shape, idx.shape, axis as number);
  const mode = modeOf(op, options);
  // Every axis is indexed: by the indices along `axis`, by its own position along the others
  // (position 0 where x has size 1 and broadcasts).
  const parts = shape.map((d, k) => {
    if (k === a) return indicesAlong(idx, t.shape[a], op, mode);
    const along = t.shape[k] === 1 ? new Array<number>(d).fill(0) : Array.from({ length: d }, (_, i) => i);
    return core.reshape(core.fromValues(along, [d], "int32"), shape.map((s, j) => (j === k ? s : 1)));
  });
  const sites = { axes: shape.map((_, k) => k), parts, batch: shape, mode: coreMode(mode) };
  return gatherAt(op, t, sites, fillValueOf(op, options, t.dtype)) as never;
}
