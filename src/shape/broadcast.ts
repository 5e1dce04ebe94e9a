/**
 * @file NumPy broadcasting of two shapes, twice: `Broadcast<A, B, Op>` at the type level and
 * `broadcastShapes(op, a, b)` at run time, with the same error text.
 *
 * Shapes are aligned at their last dims; a missing leading dim counts as 1; two dims broadcast
 * when they are equal or one is 1. Dim kinds: equal names match; a name and a literal other than 1
 * do not; a wide `number` is checked at run time, and the result takes the other dim (a literal or
 * name says more, and is what the result must be whenever the runtime check passes).
 */
import type { Dim, IsTuple, Shape, Writable } from "./dim.js";
import { assertShape } from "./dim.js";
import { ShapeError, showShape } from "./errors.js";
import type { ShowDim, ShowShape } from "./show.js";

/**
 * The broadcast of two dims as a 1-tuple `[d]`, or `false` when they cannot broadcast. Results are
 * wrapped (and tested as `X extends [infer d]`) so that a dim that is a type parameter flows through
 * without the checker deferring the test.
 */
type BroadcastDim<A, B> =
  // identical dims (a type-parameter dim resolves here, see `DimMatch`), or B is 1
  [[A], [B]] extends [[B], unknown] | [unknown, [1]]
    ? [A]
    : [[A]] extends [[1]]
      ? [B]
      : number extends A
        ? [B]
        : number extends B
          ? [A]
          : string extends A
            ? [B]
            : string extends B
              ? [A]
              : false;

type BroadcastRev<A, B, Acc extends Dim[], A0 extends Shape, B0 extends Shape, Op extends string> = A extends readonly [
  ...infer AR,
  infer a,
]
  ? B extends readonly [...infer BR, infer b]
    ? BroadcastDim<a, b> extends [infer d]
      ? BroadcastRev<AR, BR, [d & Dim, ...Acc], A0, B0, Op>
      : `${Op}: cannot broadcast ${ShowDim<a>} with ${ShowDim<b>} (shapes ${ShowShape<A0>} and ${ShowShape<B0>})`
    : [...AR, a, ...Acc]
  : B extends readonly unknown[]
    ? [...B, ...Acc]
    : never;

/**
 * The NumPy broadcast of shapes `A` and `B`, or an error message naming `Op` and both shapes:
 * `Broadcast<[8, 1, 6], [7, 1, 5]>` is `[8, 7, 6, 5]`… and `Broadcast<[32, 10], [3, 10], "add">`
 * is `"add: cannot broadcast 32 with 3 (shapes [32, 10] and [3, 10])"`. A shape of unknown rank
 * gives `number[]`.
 * @category Shape algebra
 */
export type Broadcast<A extends Shape, B extends Shape, Op extends string = "broadcast"> =
  BroadcastShapes<A, B, Op> extends infer R ? R : never;

type BroadcastShapes<A extends Shape, B extends Shape, Op extends string = "broadcast"> =
  IsTuple<A> extends true ? (IsTuple<B> extends true ? BroadcastRev<A, B, [], A, B, Op> : number[]) : number[];

/**
 * Broadcasts runtime shapes `a` and `b` as NumPy does; throws a `ShapeError` with the same text as
 * `Broadcast<A, B, Op>` when they do not fit.
 * @category Shape algebra
 */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  assertShape(op, a);
  assertShape(op, b);
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 1; i <= n; i++) {
    const da = i <= a.length ? a[a.length - i] : 1;
    const db = i <= b.length ? b[b.length - i] : 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: cannot broadcast ${da} with ${db} (shapes ${showShape(a)} and ${showShape(b)})`);
    }
    out[n - i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Checks that shape `from` broadcasts to exactly `to` (NumPy `broadcast_to`); runtime twin of `BroadcastTo`.
 * @category Shape algebra
 */
export function broadcastToShape(op: string, from: readonly number[], to: readonly number[]): number[] {
  assertShape(op, from);
  assertShape(op, to);
  if (from.length > to.length) {
    throw new ShapeError(`${op}: cannot broadcast rank-${from.length} shape ${showShape(from)} to rank-${to.length} shape ${showShape(to)}`);
  }
  for (let i = 1; i <= from.length; i++) {
    const df = from[from.length - i];
    const dt = to[to.length - i];
    if (df !== dt && df !== 1) {
      throw new ShapeError(`${op}: cannot broadcast ${df} to ${dt} (shape ${showShape(from)} to ${showShape(to)})`);
    }
  }
  return [...to];
}

type BroadcastToRev<F, T, F0 extends Shape, T0 extends Shape, Op extends string> = F extends readonly [...infer FR, infer f]
  ? T extends readonly [...infer TR, infer t]
    ? [[f], [t]] extends [[t], unknown] | [[1], unknown]
      ? BroadcastToRev<FR, TR, F0, T0, Op>
      : number extends f
        ? BroadcastToRev<FR, TR, F0, T0, Op>
        : number extends t
          ? BroadcastToRev<FR, TR, F0, T0, Op>
          : `${Op}: cannot broadcast ${ShowDim<f>} to ${ShowDim<t>} (shape ${ShowShape<F0>} to ${ShowShape<T0>})`
    : `${Op}: cannot broadcast rank-${F0["length"]} shape ${ShowShape<F0>} to rank-${T0["length"]} shape ${ShowShape<T0>}`
  : Writable<T0>;

/**
 * `T` when shape `F` broadcasts to exactly `T` (NumPy `broadcast_to`), else an error message:
 * `BroadcastTo<[3, 1], [2, 3, 4]>` is `[2, 3, 4]`.
 * @category Shape algebra
 */
export type BroadcastTo<F extends Shape, T extends Shape, Op extends string = "broadcastTo"> =
  BroadcastToShape<F, T, Op> extends infer R ? R : never;

type BroadcastToShape<F extends Shape, T extends Shape, Op extends string = "broadcastTo"> =
  IsTuple<F> extends true ? (IsTuple<T> extends true ? BroadcastToRev<F, T, F, T, Op> : Writable<T>) : Writable<T>;

/**
 * The broadcast of several shapes, left to right, or the first error message:
 * `BroadcastAll<[[3, 1], [4], [2, 1, 1]]>` is `[2, 3, 4]`.
 * @category Shape algebra
 */
export type BroadcastAll<Ss extends readonly Shape[], Op extends string = "broadcast", Acc extends Shape = []> = Ss extends readonly [
  infer H extends Shape,
  ...infer R extends Shape[],
]
  ? Broadcast<Acc, H, Op> extends infer B
    ? B extends string
      ? B
      : B extends infer S extends Shape
        ? BroadcastAll<R, Op, S>
        : never
    : never
  : Acc;
