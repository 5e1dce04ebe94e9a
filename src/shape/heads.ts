/**
 * @file Splitting features into attention heads and merging them back, twice: `SplitHeads<S, H>`
 * / `MergeHeads<S>` at the type level and `splitHeadsShape` / `mergeHeadsShape` at run time, with
 * the same error text. `[..., T, D]` split into `H` heads is `[..., H, T, D/H]`; every other dim
 * is kept as it is, so names such as `"batch"` and `"seq"` survive the round trip (a plain
 * `reshape` to `[-1, T, H, D/H]` would make them `number`).
 */
import type { DivMod, IsNatural, Mul } from "./arith.js";
import type { Dim, IsTuple, Shape } from "./dim.js";
import { assertShape } from "./dim.js";
import { ShapeError, showShape } from "./errors.js";
import type { ShowDim, ShowShape } from "./show.js";

/**
 * The size of one head, `D / H`, as a 1-tuple, or `"heads"` when `H` is not a positive integer,
 * or `"divide"` when `H` does not divide `D`. A name or a wide `number` gives `[number]` (checked
 * at run time).
 * @category Shape algebra
 */
export type HeadSize<D, H extends number> = number extends H
  ? [number]
  : IsNatural<H> extends false
    ? "heads"
    : H extends 0
      ? "heads"
      : D extends number
        ? number extends D
          ? [number]
          : DivMod<D, H> extends [infer Q, infer R]
            ? R extends 0
              ? [Q]
              : "divide"
            : never
        : [number];

/**
 * The message when `H` cannot split `D`: the same text as `headSize` throws.
 * @category Shape algebra
 */
export type HeadsError<Op extends string, D, H extends number, What extends string> =
  HeadSize<D, H> extends "heads"
    ? `${Op}: heads must be a positive integer, got ${H}`
    : `${Op}: ${H} heads do not divide ${What} ${ShowDim<D>}`;

/**
 * `S` (`[..., T, D]`) with its features split into `H` heads, `[..., H, T, D/H]`, or an error
 * message: `SplitHeads<["batch", "seq", 64], 8>` is `["batch", 8, "seq", 8]`, and
 * `SplitHeads<["batch", "seq", 64], 6>` is
 * `"splitHeads: 6 heads do not divide features 64 (shape [batch, seq, 64])"`.
 * @category Shape algebra
 */
export type SplitHeads<S extends Shape, H extends number, Op extends string = "splitHeads"> =
  SplitHeadsImpl<S, H, Op> extends infer R ? R : never;

type SplitHeadsImpl<S extends Shape, H extends number, Op extends string = "splitHeads"> =
  IsTuple<S> extends false
    ? number[]
    : S extends readonly [...infer B extends Dim[], infer T, infer D]
      ? HeadSize<D, H> extends [infer Dh]
        ? [...B, H, T, Dh]
        : HeadSize<D, H> extends "heads"
          ? HeadsError<Op, D, H, "features">
          : `${HeadsError<Op, D, H, "features">} (shape ${ShowShape<S>})`
      : `${Op}: expects [..., seq, features] but got ${ShowShape<S>}`;

/** The product of two dims: a literal when both are, else `number`. */
type MulDim<A, B> = A extends number ? (B extends number ? Mul<A, B> : number) : number;

/**
 * `S` (`[..., H, T, Dh]`) with its heads merged back into the features, `[..., T, H·Dh]`, or an
 * error message: `MergeHeads<["batch", 8, "seq", 8]>` is `["batch", "seq", 64]`.
 * @category Shape algebra
 */
export type MergeHeads<S extends Shape, Op extends string = "mergeHeads"> =
  MergeHeadsImpl<S, Op> extends infer R ? R : never;

type MergeHeadsImpl<S extends Shape, Op extends string = "mergeHeads"> =
  IsTuple<S> extends false
    ? number[]
    : S extends readonly [...infer B extends Dim[], infer H, infer T, infer Dh]
      ? [...B, T, MulDim<H, Dh>]
      : `${Op}: expects [..., heads, seq, features] but got ${ShowShape<S>}`;

/**
 * Runtime twin of `HeadSize` and `HeadsError`: `d / heads`, or a `ShapeError` (a `RangeError` for a bad head count).
 * @category Shape algebra
 */
export function headSize(op: string, d: number, heads: number, what: string): number {
  if (!Number.isSafeInteger(heads) || heads <= 0) throw new RangeError(`${op}: heads must be a positive integer, got ${heads}`);
  if (d % heads !== 0) throw new ShapeError(`${op}: ${heads} heads do not divide ${what} ${d}`);
  return d / heads;
}

/**
 * Runtime twin of `SplitHeads`.
 * @category Shape algebra
 */
export function splitHeadsShape(op: string, shape: readonly number[], heads: number): number[] {
  assertShape(op, shape);
  if (shape.length < 2) throw new ShapeError(`${op}: expects [..., seq, features] but got ${showShape(shape)}`);
  const [t, d] = shape.slice(-2);
  let dh: number;
  try {
    dh = headSize(op, d, heads, "features");
  } catch (e) {
    if (e instanceof ShapeError) throw new ShapeError(`${e.message} (shape ${showShape(shape)})`);
    throw e;
  }
  return [...shape.slice(0, -2), heads, t, dh];
}

/**
 * Runtime twin of `MergeHeads`.
 * @category Shape algebra
 */
export function mergeHeadsShape(op: string, shape: readonly number[]): number[] {
  assertShape(op, shape);
  if (shape.length < 3) throw new ShapeError(`${op}: expects [..., heads, seq, features] but got ${showShape(shape)}`);
  const [h, t, dh] = shape.slice(-3);
  return [...shape.slice(0, -3), t, h * dh];
}
