/**
 * @file Integer-array indexing (NumPy's "advanced indexing", JAX's `x[i, j]` and `x.at[i, j]`),
 * twice: `AdvancedIndex<S, Es>` at the type level and `indexPlan` at run time, with the same error
 * text. One entry per leading axis: a static integer (the axis is dropped; negative counts from
 * the end), `null` (the whole axis), or an int32 index array (given here by its shape). The index
 * arrays broadcast together to a shape `B`; the axes they and the integers index are replaced by
 * `B`, in place when those axes are adjacent and at the front otherwise (NumPy's rule).
 */
import type { Abs, Compare, IsNegative } from "./arith.js";
import type { Dim, IsTuple, Shape } from "./dim.js";
import { assertShape } from "./dim.js";
import { ShapeError, showShape } from "./errors.js";
import type { BroadcastAll } from "./broadcast.js";
import { broadcastShapes } from "./broadcast.js";
import type { ShowShape } from "./show.js";

/**
 * One index entry as the relation sees it: a static integer, `null`, or an index array's shape.
 * @category Shape algebra
 */
export type IndexEntryShape = number | null | Shape;

type HasArray<Es> = Es extends readonly [infer H, ...infer R] ? ([H] extends [number | null] ? HasArray<R> : true) : false;

/**
 * True for a number-literal dim. Tested wrapped, so that a dim that is a type parameter (a batch
 * dim `B`) answers false at once instead of deferring the relation.
 */
export type IsLiteral<D> = [[D]] extends [[infer N extends number]] ? (number extends N ? false : true) : false;

type IsInteger<N extends number> = `${N}` extends `${string}.${string}` | `${string}e${string}` ? false : true;

/** Whether integer literal `I` falls outside `[-D, D)`. */
type OutOfRange<I extends number, D extends number> =
  IsNegative<I> extends true ? (Compare<Abs<I>, D> extends "gt" ? true : false) : Compare<I, D> extends "lt" ? false : true;

/** An error message when static index `I` does not fit dim `D` of axis `Ax` (both literals), else `false`. */
type StaticIndexError<I extends number, D, Ax extends number, S extends Shape, Op extends string> = number extends I
  ? false
  : IsInteger<I> extends false
    ? `${Op}: index ${I} is not an integer (axis ${Ax} of ${ShowShape<S>})`
    : IsLiteral<D> extends true
      ? OutOfRange<I, D & number> extends true
        ? `${Op}: index ${I} is out of range for axis ${Ax} of size ${D & number} (tensor ${ShowShape<S>})`
        : false
      : false;

/** Where the walk is: before any indexed axis, in the run of indexed axes, or after it. */
type Where = "before" | "in" | "after";

type Walk<
  S0 extends Shape,
  S,
  Es,
  Arr extends boolean,
  Op extends string,
  Idx extends 0[] = [],
  Before extends Dim[] = [],
  After extends Dim[] = [],
  Shapes extends Shape[] = [],
  W extends Where = "before",
  Split extends boolean = false,
> = Es extends readonly [infer E, ...infer ER]
  ? S extends readonly [infer D, ...infer SR]
    ? [E] extends [null]
      ? W extends "before"
        ? Walk<S0, SR, ER, Arr, Op, [...Idx, 0], [...Before, D & Dim], After, Shapes, W, Split>
        : Walk<S0, SR, ER, Arr, Op, [...Idx, 0], Before, [...After, D & Dim], Shapes, "after", Split>
      : [E] extends [number]
        ? StaticIndexError<E, D, Idx["length"], S0, Op> extends infer Err extends string
          ? Err
          : Arr extends false
            ? Walk<S0, SR, ER, Arr, Op, [...Idx, 0], Before, After, Shapes, W, Split>
            : Walk<S0, SR, ER, Arr, Op, [...Idx, 0], Before, After, Shapes, "in", W extends "after" ? true : Split>
        : Es extends readonly [infer I extends Shape, ...infer _]
          ? Walk<S0, SR, ER, Arr, Op, [...Idx, 0], Before, After, [...Shapes, I], "in", W extends "after" ? true : Split>
          : `${Op}: an index entry must be an integer, null or an int32 tensor`
    : never
  : S extends readonly Dim[]
    ? W extends "before"
      ? Finish<[...Before, ...S], After, Shapes, Arr, Split, Op>
      : Finish<Before, [...After, ...S], Shapes, Arr, Split, Op>
    : never;

type Finish<
  Before extends Dim[],
  After extends Dim[],
  Shapes extends Shape[],
  Arr extends boolean,
  Split extends boolean,
  Op extends string,
> = Arr extends false
  ? [...Before, ...After]
  : BroadcastAll<Shapes, Op> extends infer Bc
    ? Bc extends string
      ? Bc
      : Bc extends readonly [...infer Idx extends Dim[]]
        ? IsTuple<Idx> extends true
          ? Split extends true
            ? [...Idx, ...Before, ...After]
            : [...Before, ...Idx, ...After]
          : number[]
        : number[]
    : never;

/**
 * The shape of indexing `S` by entries `Es` (static integers, `null`, index-array shapes), or an
 * error message: `AdvancedIndex<[10, 64], [[32, 20]]>` is `[32, 20, 64]`, `AdvancedIndex<[5, 6, 7],
 * [null, [3], [3]]>` is `[5, 3]`, `AdvancedIndex<[5, 6, 7], [[3], null, 0]>` is `[3, 6]` (split:
 * the index dims go first), and `AdvancedIndex<[3, 4], [5]>` is
 * `"at: index 5 is out of range for axis 0 of size 3 (tensor [3, 4])"`.
 * @category Shape algebra
 */
export type AdvancedIndex<S extends Shape, Es extends readonly IndexEntryShape[], Op extends string = "at"> =
  AdvancedIndexImpl<S, Es, Op> extends infer R ? R : never;

type AdvancedIndexImpl<S extends Shape, Es extends readonly IndexEntryShape[], Op extends string = "at"> =
  IsTuple<S> extends true
    ? number extends Es["length"]
      ? number[]
      : Compare<Es["length"], S["length"]> extends "gt"
        ? `${Op}: ${Es["length"]} indices for rank-${S["length"]} tensor ${ShowShape<S>}`
        : Walk<S, S, Es, HasArray<Es>, Op>
    : number[];

/**
 * How `indexPlan` says to carry out an index.
 * @category Shape algebra
 */
export interface IndexPlan {
  /** The result shape. */
  readonly shape: number[];
  /** The axes given an integer or an index array, in order. */
  readonly indexed: number[];
  /** The broadcast shape of the index arrays (`[]` when there are none). */
  readonly batch: number[];
  /** Whether the batch dims come first (the indexed axes are not adjacent). */
  readonly split: boolean;
  /** Per indexed axis: its static integer made non-negative, or null for an index array. */
  readonly statics: (number | null)[];
}

/**
 * Runtime twin of `AdvancedIndex`: the result shape and how to compute it, or a `ShapeError` (a
 * `RangeError` for a static integer out of range) with the same text.
 * @category Shape algebra
 */
export function indexPlan(op: string, shape: readonly number[], entries: readonly (number | null | readonly number[])[]): IndexPlan {
  assertShape(op, shape);
  if (entries.length > shape.length) throw new ShapeError(`${op}: ${entries.length} indices for rank-${shape.length} tensor ${showShape(shape)}`);
  const hasArray = entries.some((e) => e !== null && typeof e !== "number");
  const before: number[] = [];
  const after: number[] = [];
  const indexed: number[] = [];
  const statics: (number | null)[] = [];
  let batch: number[] = [];
  let where: Where = "before";
  let split = false;
  shape.forEach((d, ax) => {
    const e = ax < entries.length ? entries[ax] : null;
    if (e === null) {
      if (where === "before") before.push(d);
      else {
        after.push(d);
        where = "after";
      }
      return;
    }
    if (typeof e === "number") {
      if (!Number.isInteger(e)) throw new ShapeError(`${op}: index ${e} is not an integer (axis ${ax} of ${showShape(shape)})`);
      if (e < -d || e >= d) throw new RangeError(`${op}: index ${e} is out of range for axis ${ax} of size ${d} (tensor ${showShape(shape)})`);
      statics.push(e < 0 ? e + d : e);
    } else {
      assertShape(op, e);
      batch = broadcastShapes(op, batch, e);
      statics.push(null);
    }
    indexed.push(ax);
    if (!hasArray) return;
    if (where === "after") split = true;
    where = "in";
  });
  const out = !hasArray ? before : split ? [...batch, ...before, ...after] : [...before, ...batch, ...after];
  return { shape: out, indexed, batch, split: hasArray && split, statics };
}
