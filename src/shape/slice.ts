/**
 * @file Slicing, twice: `Slice<S, Ranges, Op>` at the type level and `sliceShape(op, shape,
 * ranges)` at run time, with the same error text. One range per leading axis, like NumPy's
 * `x[0:2, :, 1:-1:2]` written `[[0, 2], null, [1, -1, 2]]`: `[start, end?, step?]` with `null` for
 * a default, or `null` for the whole axis. Negative indices count from the end; out-of-range
 * indices are clamped as in NumPy, so a slice can be empty but never fails on its bounds.
 */
import type { Abs, CeilDiv, Compare, IsNegative, Sub } from "./arith.js";
import type { IsTuple, Shape } from "./dim.js";
import { assertShape } from "./dim.js";
import { ShapeError, showShape } from "./errors.js";
import type { ShowShape } from "./show.js";

/**
 * A range along one axis: `[start, end?, step?]` (`null` means the default), or `null` for all of it.
 * @category Shape algebra
 */
export type SliceRange = null | readonly [start: number | null, end?: number | null, step?: number | null];

type Index<T> = T extends number ? T : null;

type IsInteger<N extends number> = `${N}` extends `${string}.${string}` | `${string}e${string}` ? false : true;

/** NumPy's clamp of index `I` into `[0, D]`. */
type Clamp<I extends number, D extends number> =
  IsNegative<I> extends true
    ? Sub<D, Abs<I>> extends infer K extends number
      ? IsNegative<K> extends true
        ? 0
        : K
      : never
    : Compare<I, D> extends "gt"
      ? D
      : I;

type IsFull<R> = [R] extends [null]
  ? true
  : R extends readonly [(0 | null)?, null?, (1 | null)?]
    ? true
    : false;

type SliceDim<D, R, Ax extends number, S extends Shape, Op extends string> =
  IsFull<R> extends true
    ? [D]
    : R extends readonly [infer St, (infer En)?, (infer Sp)?]
      ? [Index<Sp>] extends [null]
        ? SliceDimStep<D, Index<St>, Index<En>, 1, Ax, S, Op>
        : Sp extends number
          ? number extends Sp
            ? [number]
            : `${Sp}` extends `-${string}` | "0" | `${string}.${string}`
              ? `${Op}: step must be a positive integer, got ${Sp} (axis ${Ax} of ${ShowShape<S>})`
              : SliceDimStep<D, Index<St>, Index<En>, Sp, Ax, S, Op>
          : never
      : [number];

type BadIndex<I, Ax extends number, S extends Shape, Op extends string> = I extends number
  ? number extends I
    ? false
    : IsInteger<I> extends true
      ? false
      : `${Op}: index ${I} is not an integer (axis ${Ax} of ${ShowShape<S>})`
  : false;

type SliceDimStep<D, St, En, Sp extends number, Ax extends number, S extends Shape, Op extends string> =
  BadIndex<St, Ax, S, Op> extends infer E extends string
    ? E
    : BadIndex<En, Ax, S, Op> extends infer E extends string
      ? E
      : // Bounds known only at run time give `number` whatever the dim is, also a type-parameter dim.
        number extends St | En
        ? [number]
        : [SliceLength<D, St extends number ? St : 0, En, Sp>];

/**
 * The length of `[St, En)` by `Sp` along a dim of size `D` (literal bounds), clamped as NumPy does;
 * `number` for a dim known only at run time. A dim that is a type parameter leaves this unevaluated,
 * shown as `SliceLength<T, 0, 1, 1>`, and only that dim.
 * @category Shape algebra
 */
export type SliceLength<D, St extends number, En, Sp extends number> = D extends number
  ? number extends D
    ? number
    : Clamp<St, D> extends infer B extends number
      ? Clamp<En extends number ? En : D, D> extends infer E extends number
        ? Compare<E, B> extends "gt"
          ? CeilDiv<Sub<E, B>, Sp>
          : 0
        : never
      : never
  : number;

type SliceList<S0 extends Shape, S, Rs, Op extends string, Idx extends 0[] = [], Out extends unknown[] = []> = Rs extends readonly [
  infer R,
  ...infer RR,
]
  ? S extends readonly [infer D, ...infer SR]
    ? SliceDim<D, R, Idx["length"], S0, Op> extends infer X
      ? X extends [infer d]
        ? SliceList<S0, SR, RR, Op, [...Idx, 0], [...Out, d]>
        : X
      : never
    : never
  : S extends readonly [...infer R]
    ? [...Out, ...R]
    : Out;

/**
 * The shape of slicing `S` by one range per leading axis, or an error message:
 * `Slice<[10, 20], [[2, 5], [null, null, 2]]>` is `[3, 10]`, `Slice<[10], [[-3]]>` is `[3]`, and
 * `Slice<[3, 4], [null, null, null]>` is `"slice: 3 ranges for rank-2 tensor [3, 4]"`.
 * @category Shape algebra
 */
export type Slice<S extends Shape, Rs extends readonly SliceRange[], Op extends string = "slice"> =
  SliceShape<S, Rs, Op> extends infer R ? R : never;

type SliceShape<S extends Shape, Rs extends readonly SliceRange[], Op extends string = "slice"> =
  IsTuple<S> extends true
    ? number extends Rs["length"]
      ? { -readonly [K in keyof S]: number }
      : Compare<Rs["length"], S["length"]> extends "gt"
        ? `${Op}: ${Rs["length"]} ranges for rank-${S["length"]} tensor ${ShowShape<S>}`
        : SliceList<S, S, Rs, Op>
    : number[];

/**
 * Start, limit and stride per axis (the core `slice` params) and the resulting shape.
 * @category Shape algebra
 */
export interface SliceSpec {
  /** The first index taken, per axis (clamped into the axis). */
  readonly start: number[];
  /** The index where taking stops (exclusive), per axis. */
  readonly limit: number[];
  /** The step, per axis. */
  readonly strides: number[];
  /** The shape of the slice. */
  readonly shape: number[];
}

/**
 * Runtime twin of `Slice`: the clamped bounds per axis and the result shape, or a `ShapeError`.
 * @category Shape algebra
 */
export function sliceShape(op: string, shape: readonly number[], ranges: readonly SliceRange[]): SliceSpec {
  assertShape(op, shape);
  if (ranges.length > shape.length) {
    throw new ShapeError(`${op}: ${ranges.length} ranges for rank-${shape.length} tensor ${showShape(shape)}`);
  }
  const start: number[] = [];
  const limit: number[] = [];
  const strides: number[] = [];
  const out: number[] = [];
  shape.forEach((d, ax) => {
    const r = ax < ranges.length ? ranges[ax] : null;
    if (r !== null && !Array.isArray(r)) {
      // untyped callers: a bare number would otherwise surface as "index undefined"
      throw new TypeError(`${op}: the range for axis ${ax} must be null or [start, end?, step?], got ${typeof r} ${JSON.stringify(r) ?? String(r)} (shape ${showShape(shape)})`);
    }
    const [st, en, sp] = r === null ? [null, null, null] : [r[0], r[1] ?? null, r[2] ?? null];
    const step = sp ?? 1;
    if (!Number.isSafeInteger(step) || step <= 0) {
      throw new ShapeError(`${op}: step must be a positive integer, got ${step} (axis ${ax} of ${showShape(shape)})`);
    }
    for (const i of [st, en]) {
      if (i !== null && !Number.isInteger(i)) {
        throw new ShapeError(`${op}: index ${i} is not an integer (axis ${ax} of ${showShape(shape)})`);
      }
    }
    const clamp = (i: number): number => (i < 0 ? Math.max(0, d + i) : Math.min(i, d));
    const b = clamp(st ?? 0);
    const e = Math.max(b, clamp(en ?? d));
    start.push(b);
    limit.push(e);
    strides.push(step);
    out.push(Math.ceil((e - b) / step));
  });
  return { start, limit, strides, shape: out };
}
