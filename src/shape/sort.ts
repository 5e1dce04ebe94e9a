/**
 * @file Shapes of sorting ops, twice: `SortAxis<S, Ax, Op>` / `TopK<S, K>` at the type level and
 * `sortAxis(op, shape, axis)` / `topKShape(shape, k)` at run time, with the same error text.
 * `sort` and `argsort` keep the shape; `topK` replaces the last dim by `k`, which may not exceed it.
 */
import type { Compare, IsNatural } from "./arith.js";
import type { Dim, IsTuple, Shape } from "./dim.js";
import { assertShape } from "./dim.js";
import { ShapeError, showShape } from "./errors.js";
import type { AxisError, NormalizeAxis } from "./axis.js";
import { normalizeAxis } from "./axis.js";
import type { ShowDim, ShowShape } from "./show.js";

/**
 * `S` when `Ax` is an axis of it, else the message `${Op}: axis 2 out of range for rank-2 tensor [3, 4]`.
 * @category Shape algebra
 */
export type SortAxis<S extends Shape, Ax, Op extends string = "sort"> =
  SortAxisImpl<S, Ax, Op> extends infer R ? R : never;

type SortAxisImpl<S extends Shape, Ax, Op extends string = "sort"> =
  IsTuple<S> extends true ? (NormalizeAxis<Ax, S["length"]> extends [unknown] ? S : AxisError<Op, Ax, S>) : S;

/**
 * Runtime twin of `SortAxis`: the axis as an index, or a `ShapeError` with the same text.
 * @category Shape algebra
 */
export function sortAxis(op: string, shape: readonly number[], axis: number): number {
  assertShape(op, shape);
  return normalizeAxis(op, axis, shape);
}

type TopKTuple<S extends Shape, K> = S extends readonly [...infer Lead extends Dim[], infer N]
  ? number extends K
    ? [...Lead, number]
    : IsNatural<K> extends false
      ? `topK: k must be a non-negative integer, got ${K & number}`
      : N extends number
        ? Compare<K & number, N> extends "gt"
          ? `topK: k = ${K & number} is larger than the last axis (${ShowDim<N>}) of ${ShowShape<S>}`
          : [...Lead, K]
        : [...Lead, K]
  : `topK: needs at least one axis (shape ${ShowShape<S>})`;

/**
 * The shape of `topK(x, k)` for `x` of shape `S`: the last dim replaced by `K`, or an error
 * message: `TopK<[8, 10], 3>` is `[8, 3]`, and `TopK<[8, 10], 11>` is
 * `"topK: k = 11 is larger than the last axis (10) of [8, 10]"`. A last dim known only at run
 * time (`number`, a name) is checked then.
 * @category Shape algebra
 */
export type TopK<S extends Shape, K extends number> =
  TopKImpl<S, K> extends infer R ? R : never;

type TopKImpl<S extends Shape, K extends number> = IsTuple<S> extends true ? TopKTuple<S, K> : number[];

/**
 * Runtime twin of `TopK`.
 * @category Shape algebra
 */
export function topKShape(shape: readonly number[], k: number): number[] {
  assertShape("topK", shape);
  if (shape.length === 0) throw new ShapeError(`topK: needs at least one axis (shape ${showShape(shape)})`);
  if (!Number.isSafeInteger(k) || k < 0) throw new ShapeError(`topK: k must be a non-negative integer, got ${k}`);
  const n = shape[shape.length - 1];
  if (k > n) throw new ShapeError(`topK: k = ${k} is larger than the last axis (${n}) of ${showShape(shape)}`);
  return [...shape.slice(0, -1), k];
}
