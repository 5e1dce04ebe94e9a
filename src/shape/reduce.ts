/**
 * @file Reduction shapes, twice: `Reduce<S, Axes, KeepDims, Op>` at the type level and
 * `reduceShape(op, shape, axes, keepDims)` at run time, with the same error text. Axes may be one
 * axis, a tuple of axes (negative counts from the end) or absent (all axes); reduced axes are
 * dropped, or kept as 1 with `keepDims`.
 */
import type { Dim, IsTuple, Shape } from "./dim.js";
import { assertShape } from "./dim.js";
import { ShapeError, showShape } from "./errors.js";
import type { AxisError, NormalizeAxis } from "./axis.js";
import { normalizeAxis } from "./axis.js";
import type { ShowList, ShowShape } from "./show.js";

/**
 * What an `axis` argument may be: one axis, several, or `undefined` for all.
 * @category Shape algebra
 */
export type AxisArg = number | readonly number[] | undefined;

/** Normalizes a tuple of axes to a union of indices, or an error message. */
type NormalizeAxes<L, S extends Shape, All, Op extends string, Seen = never> = L extends readonly [infer H, ...infer R]
  ? NormalizeAxis<H, S["length"]> extends [infer n]
    ? [n] extends [Seen]
      ? `${Op}: repeated axis ${H & number} in ${ShowList<All>} for rank-${S["length"]} tensor ${ShowShape<S>}`
      : NormalizeAxes<R, S, All, Op, Seen | n>
    : AxisError<Op, H, S>
  : [Seen];

type DropAxes<S, Ax, Keep extends boolean, Idx extends 0[] = [], Acc extends Dim[] = []> = S extends readonly [
  infer H,
  ...infer R,
]
  ? Idx["length"] extends Ax
    ? DropAxes<R, Ax, Keep, [...Idx, 0], Keep extends true ? [...Acc, 1] : Acc>
    : DropAxes<R, Ax, Keep, [...Idx, 0], [...Acc, H & Dim]>
  : Acc;

/** The shape when the axes are only known at run time: all dims become `number`. */
type UnknownAxes<S extends Shape, Ax, Keep extends boolean> = Keep extends true
  ? { -readonly [K in keyof S]: number }
  : Ax extends number
    ? S extends readonly [unknown, ...infer R]
      ? { [K in keyof R]: number }
      : []
    : number[];

type ReduceTuple<S extends Shape, Ax, Keep extends boolean, Op extends string> = [Ax] extends [undefined]
  ? Keep extends true
    ? { -readonly [K in keyof S]: 1 }
    : []
  : number extends Ax
    ? UnknownAxes<S, Ax, Keep>
    : number[] extends Ax
      ? UnknownAxes<S, Ax, Keep>
      : NormalizeAxes<Ax extends readonly unknown[] ? Ax : [Ax], S, Ax, Op> extends infer N
        ? N extends [infer Set]
          ? DropAxes<S, Set, Keep>
          : N
        : never;

/**
 * The shape of reducing `S` over `Ax` (one axis, a tuple, or `undefined` for all), keeping reduced
 * axes as 1 when `Keep` is true, or an error message:
 * `Reduce<[32, 10, 5], 1>` is `[32, 5]`, `Reduce<[32, 10], -1, true>` is `[32, 1]`, and
 * `Reduce<[32, 10], 2, false, "sum">` is `"sum: axis 2 out of range for rank-2 tensor [32, 10]"`.
 * @category Shape algebra
 */
export type Reduce<S extends Shape, Ax extends AxisArg = undefined, Keep extends boolean = false, Op extends string = "reduce"> =
  ReduceShape<S, Ax, Keep, Op> extends infer R ? R : never;

type ReduceShape<S extends Shape, Ax extends AxisArg = undefined, Keep extends boolean = false, Op extends string = "reduce"> =
  IsTuple<S> extends true ? ReduceTuple<S, Ax, boolean extends Keep ? false : Keep, Op> : number[];

/**
 * Runtime twin of the axis check in `Reduce`: the distinct non-negative axes, sorted (all axes
 * when `axes` is `undefined`), or a `ShapeError` with the same text as the type.
 * @category Shape algebra
 */
export function normalizeAxes(op: string, axes: AxisArg, shape: readonly number[]): number[] {
  if (axes === undefined) return shape.map((_, i) => i);
  const list = typeof axes === "number" ? [axes] : axes;
  const seen = new Set<number>();
  for (const ax of list) {
    const n = normalizeAxis(op, ax, shape);
    if (seen.has(n)) {
      throw new ShapeError(`${op}: repeated axis ${ax} in ${showShape(list)} for rank-${shape.length} tensor ${showShape(shape)}`);
    }
    seen.add(n);
  }
  return [...seen].sort((a, b) => a - b);
}

/**
 * Runtime twin of `Reduce`: the shape after reducing `shape` over `axes`.
 * @category Shape algebra
 */
export function reduceShape(op: string, shape: readonly number[], axes: AxisArg, keepDims = false): number[] {
  assertShape(op, shape);
  const set = new Set(normalizeAxes(op, axes, shape));
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!set.has(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}
