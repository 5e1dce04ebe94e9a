/**
 * @file Adding and removing size-1 dims, twice: `ExpandDims<S, Ax>` / `Squeeze<S, Ax>` at the type
 * level and `expandDimsShape` / `squeezeShape` at run time, with the same error text.
 */
import type { Dim, IsTuple, Shape } from "./dim.js";
import { assertShape } from "./dim.js";
import { ShapeError, showShape } from "./errors.js";
import type { AxisError } from "./axis.js";
import { normalizeAxis } from "./axis.js";
import type { InsertDim, NormalizeNewAxis } from "./concat.js";
import type { AxisArg } from "./reduce.js";
import type { NormalizeAxis } from "./axis.js";
import type { ShowDim, ShowList, ShowShape } from "./show.js";

/**
 * `S` with a new dim of size 1 at axis `Ax` (in `[-(r+1), r]`), or an error message:
 * `ExpandDims<[3, 4], 1>` is `[3, 1, 4]`, `ExpandDims<[3, 4], -1>` is `[3, 4, 1]`.
 * @category Shape algebra
 */
export type ExpandDims<S extends Shape, Ax extends number, Op extends string = "expandDims"> =
  ExpandDimsShape<S, Ax, Op> extends infer R ? R : never;

type ExpandDimsShape<S extends Shape, Ax extends number, Op extends string = "expandDims"> =
  IsTuple<S> extends true
    ? NormalizeNewAxis<Ax, S["length"]> extends [infer n]
      ? number extends n
        ? number[]
        : InsertDim<S, n, 1>
      : AxisError<Op, Ax, S>
    : number[];

/** Normalizes the axes to squeeze into a union, checking range, repeats and size 1. */
type SqueezeAxes<L, S extends Shape, All, Op extends string, Seen = never> = L extends readonly [infer H, ...infer R]
  ? NormalizeAxis<H, S["length"]> extends [infer n]
    ? [n] extends [Seen]
      ? `${Op}: repeated axis ${H & number} in ${ShowList<All>} for rank-${S["length"]} tensor ${ShowShape<S>}`
      : S[n & keyof S] extends infer D
        ? [[D]] extends [[1]]
          ? SqueezeAxes<R, S, All, Op, Seen | n>
          : number extends D
            ? SqueezeAxes<R, S, All, Op, Seen | n>
            : `${Op}: cannot squeeze axis ${H & number} of size ${ShowDim<D>} (shape ${ShowShape<S>})`
        : never
    : AxisError<Op, H, S>
  : [Seen];

type DropIndices<S, Ax, Idx extends 0[] = [], Acc extends Dim[] = []> = S extends readonly [infer H, ...infer R]
  ? Idx["length"] extends Ax
    ? DropIndices<R, Ax, [...Idx, 0], Acc>
    : DropIndices<R, Ax, [...Idx, 0], [...Acc, H & Dim]>
  : Acc;

/** Drops every dim that is certainly 1; if a wide `number` dim might be 1, the rank is unknown. */
type DropOnes<S, Acc extends Dim[] = []> = S extends readonly [infer H, ...infer R]
  ? [[H]] extends [[1]]
    ? DropOnes<R, Acc>
    : number extends H
      ? number[]
      : DropOnes<R, [...Acc, H & Dim]>
  : Acc;

/**
 * `S` without the size-1 dims at `Ax` (one axis, a tuple, or `undefined` for every size-1 dim), or
 * an error message: `Squeeze<[3, 1, 4], 1>` is `[3, 4]`, and `Squeeze<[3, 4], 1>` is
 * `"squeeze: cannot squeeze axis 1 of size 4 (shape [3, 4])"`. Squeezing every size-1 dim of a
 * shape with a wide `number` dim gives `number[]` (the rank is known only at run time).
 * @category Shape algebra
 */
export type Squeeze<S extends Shape, Ax extends AxisArg = undefined, Op extends string = "squeeze"> =
  SqueezeShape<S, Ax, Op> extends infer R ? R : never;

type SqueezeShape<S extends Shape, Ax extends AxisArg = undefined, Op extends string = "squeeze"> =
  IsTuple<S> extends true
    ? [Ax] extends [undefined]
      ? DropOnes<S>
      : number extends Ax
        ? number[]
        : number[] extends Ax
          ? number[]
          : SqueezeAxes<Ax extends readonly unknown[] ? Ax : [Ax], S, Ax, Op> extends infer N
            ? N extends [infer Set]
              ? DropIndices<S, Set>
              : N
            : never
    : number[];

/**
 * Runtime twin of `ExpandDims`.
 * @category Shape algebra
 */
export function expandDimsShape(op: string, shape: readonly number[], axis: number): number[] {
  assertShape(op, shape);
  const ax = normalizeAxis(op, axis, shape, shape.length + 1);
  const out = [...shape];
  out.splice(ax, 0, 1);
  return out;
}

/**
 * Runtime twin of `Squeeze`: the shape without the squeezed dims, or a `ShapeError` with the same text.
 * @category Shape algebra
 */
export function squeezeShape(op: string, shape: readonly number[], axes?: number | readonly number[]): number[] {
  assertShape(op, shape);
  if (axes === undefined) return shape.filter((d) => d !== 1);
  const list = typeof axes === "number" ? [axes] : axes;
  const seen = new Set<number>();
  for (const ax of list) {
    const n = normalizeAxis(op, ax, shape);
    if (seen.has(n)) {
      throw new ShapeError(`${op}: repeated axis ${ax} in ${showShape(list)} for rank-${shape.length} tensor ${showShape(shape)}`);
    }
    if (shape[n] !== 1) throw new ShapeError(`${op}: cannot squeeze axis ${ax} of size ${shape[n]} (shape ${showShape(shape)})`);
    seen.add(n);
  }
  return shape.filter((_, i) => !seen.has(i));
}
