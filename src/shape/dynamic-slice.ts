/**
 * @file Slices at run-time positions, twice: `DynamicSlice<S, Sizes>` / `DynamicUpdateSlice<S, U>`
 * at the type level and `dynamicSliceShape` / `dynamicUpdateSliceShape` at run time, with the same
 * error text. The sizes are static (one per axis, each at most its dim), so the result shape is
 * known; only the start positions are traced (and clamped so that the slice fits, as in JAX).
 */
import type { Compare } from "./arith.js";
import type { IsTuple, Shape } from "./dim.js";
import { assertShape, isValidDim } from "./dim.js";
import { ShapeError, showShape } from "./errors.js";
import type { ShowShape } from "./show.js";

type IsNatural<N extends number> = number extends N ? true : `${N}` extends `-${string}` | `${string}.${string}` | `${string}e${string}` ? false : true;

/**
 * An error when the window dims `W` do not fit within `S` (per axis, where both are literals), else
 * `false`. Equal dims are tested first and wrapped, so a dim that is a type parameter (a batch
 * dim `B`) fits itself; a literal against such a dim cannot be decided (see src/shape/README.md).
 */
type FitError<S0 extends Shape, W0 extends Shape, S, W, What extends string, Op extends string, Idx extends 0[] = []> = S extends readonly [
  infer d,
  ...infer SR,
]
  ? W extends readonly [infer w, ...infer WR]
    ? [[w]] extends [[d]]
      ? FitError<S0, W0, SR, WR, What, Op, [...Idx, 0]>
      : W extends readonly [infer wn extends number, ...unknown[]]
        ? IsNatural<wn> extends false
          ? `${Op}: ${What} must be non-negative integers, got ${ShowShape<W0>}`
          : S extends readonly [infer dn extends number, ...unknown[]]
            ? Compare<wn, dn> extends "gt"
              ? `${Op}: ${What} ${ShowShape<W0>} exceed the dims of ${ShowShape<S0>} (axis ${Idx["length"]})`
              : FitError<S0, W0, SR, WR, What, Op, [...Idx, 0]>
            : FitError<S0, W0, SR, WR, What, Op, [...Idx, 0]>
        : FitError<S0, W0, SR, WR, What, Op, [...Idx, 0]>
    : false
  : false;

/**
 * The shape of `dynamicSlice(x, starts, sizes)`: `Sizes` itself when it has one size per axis of
 * `S`, each within its dim, or an error message: `DynamicSlice<[10, 64], [3, 64]>` is `[3, 64]`,
 * `DynamicSlice<[10, 64], [3]>` is `"dynamicSlice: 1 sizes for rank-2 tensor [10, 64]"`.
 * @category Shape algebra
 */
export type DynamicSlice<S extends Shape, Sizes extends readonly number[], Op extends string = "dynamicSlice"> =
  DynamicSliceImpl<S, Sizes, Op> extends infer R ? R : never;

type DynamicSliceImpl<S extends Shape, Sizes extends readonly number[], Op extends string = "dynamicSlice"> =
  IsTuple<S> extends true
    ? number extends Sizes["length"]
      ? { -readonly [K in keyof S]: number }
      : Sizes["length"] extends S["length"]
        ? FitError<S, Sizes, S, Sizes, "sizes", Op> extends infer E extends string
          ? E
          : [...Sizes]
        : `${Op}: ${Sizes["length"]} sizes for rank-${S["length"]} tensor ${ShowShape<S>}`
    : [...Sizes];

/**
 * The shape of `dynamicUpdateSlice(x, update, starts)`: `S` when update shape `U` has the rank of
 * `S` and fits within it, else an error message: `DynamicUpdateSlice<[10, 64], [1, 64]>` is
 * `[10, 64]`.
 * @category Shape algebra
 */
export type DynamicUpdateSlice<S extends Shape, U extends Shape, Op extends string = "dynamicUpdateSlice"> =
  DynamicUpdateSliceImpl<S, U, Op> extends infer R ? R : never;

type DynamicUpdateSliceImpl<S extends Shape, U extends Shape, Op extends string = "dynamicUpdateSlice"> =
  IsTuple<S> extends true
    ? IsTuple<U> extends true
      ? U["length"] extends S["length"]
        ? FitError<S, U, S, U, "update dims", Op> extends infer E extends string
          ? E
          : S
        : `${Op}: update ${ShowShape<U>} and x ${ShowShape<S>} differ in rank`
      : S
    : S;

function checkFit(op: string, shape: readonly number[], window: readonly number[], what: string): void {
  if (!window.every(isValidDim)) throw new ShapeError(`${op}: ${what} must be non-negative integers, got ${showShape(window)}`);
  const axis = window.findIndex((w, i) => w > shape[i]);
  if (axis >= 0) throw new ShapeError(`${op}: ${what} ${showShape(window)} exceed the dims of ${showShape(shape)} (axis ${axis})`);
}

/**
 * Runtime twin of `DynamicSlice`: the result shape (the sizes), or a `ShapeError` with the same text.
 * @category Shape algebra
 */
export function dynamicSliceShape(op: string, shape: readonly number[], sizes: readonly number[]): number[] {
  assertShape(op, shape);
  if (sizes.length !== shape.length) throw new ShapeError(`${op}: ${sizes.length} sizes for rank-${shape.length} tensor ${showShape(shape)}`);
  checkFit(op, shape, sizes, "sizes");
  return sizes.slice();
}

/**
 * Runtime twin of `DynamicUpdateSlice`: checks the update's shape against `shape`.
 * @category Shape algebra
 */
export function dynamicUpdateSliceShape(op: string, shape: readonly number[], update: readonly number[]): number[] {
  assertShape(op, shape);
  assertShape(op, update);
  if (update.length !== shape.length) throw new ShapeError(`${op}: update ${showShape(update)} and x ${showShape(shape)} differ in rank`);
  checkFit(op, shape, update, "update dims");
  return shape.slice();
}

