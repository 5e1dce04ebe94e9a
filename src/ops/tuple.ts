/**
 * @file Tuples whose length the type checker knows: the typed alternative to
 * `Array.from({ length: n }, f)` and `xs.map(f)`, whose results are arrays of unknown length, so
 * that `stack` and `concat` of per-step tensors keep the count in the result's shape.
 */
import type { Compare } from "../shape/arith.js";

/** The longest tuple `TupleOf` spells out; longer ones are arrays (tuple types are built element by element). */
type MaxTuple = 999;

type Build<T, N extends number, Acc extends T[]> = Acc["length"] extends N ? Acc : Build<T, N, [...Acc, T]>;

/**
 * A tuple of `N` elements of type `T`: `TupleOf<Tensor<[8]>, 3>` is
 * `[Tensor<[8]>, Tensor<[8]>, Tensor<[8]>]`. A length known only at run time, or above 999, gives
 * `T[]`.
 * @category Tuples
 */
export type TupleOf<T, N extends number> = number extends N
  ? T[]
  : `${N}` extends `-${string}` | `${string}.${string}`
    ? never
    : Compare<N, MaxTuple> extends "gt"
      ? T[]
      : Build<T, N, []>;

/**
 * `Xs` with every element replaced by `R`, keeping its length.
 * @category Tuples
 */
export type MapTuple<Xs extends readonly unknown[], R> = { -readonly [K in keyof Xs]: R };

/**
 * `[f(0), f(1), …, f(n − 1)]` as a tuple of length `n`: what `Array.from({ length: n }, (_, i) => f(i))`
 * computes, typed so that `stack` of the result has the literal `n` as its new dim.
 * @example
 * declare const xs: Tensor<[4, 10, 8]>;
 * const steps = tupleOf(3, (t) => slice(xs, [null, [t, t + 1]])); // [Tensor<…>, Tensor<…>, Tensor<…>]
 * const ys = stack(steps, 1);                                   // new dim 3, not number
 * @category Tuples
 */
export function tupleOf<const N extends number, R>(n: N, f: (index: number) => R): TupleOf<R, N> {
  if (!(Number.isSafeInteger(n) && n >= 0)) throw new RangeError(`tupleOf: length must be a non-negative integer, got ${n}`);
  return Array.from({ length: n }, (_, i) => f(i)) as TupleOf<R, N>;
}

/**
 * `xs.map(f)` keeping the length of a tuple `xs` in the type (`Array.prototype.map` returns an
 * array of unknown length).
 * @example
 * declare const a: Tensor<[3]>, b: Tensor<[3]>, c: Tensor<[3]>;
 * const doubled = mapTuple([a, b, c] as const, (x) => mul(x, 2)); // a 3-tuple
 * @category Tuples
 */
export function mapTuple<const Xs extends readonly unknown[], R>(xs: Xs, f: (x: Xs[number], index: number) => R): MapTuple<Xs, R> {
  return xs.map((x, i) => f(x, i)) as MapTuple<Xs, R>;
}
