/**
 * @file Axis permutations, twice: `Permute<S, P, Op>` at the type level and
 * `permuteShape(op, shape, perm)` at run time, with the same error text. Result dim `i` is input
 * dim `perm[i]`; a negative entry counts from the end; without a perm the axes are reversed.
 */
import type { Dim, IsTuple, Shape } from "./dim.js";
import { assertShape } from "./dim.js";
import { ShapeError, showShape } from "./errors.js";
import type { NormalizeAxis } from "./axis.js";
import type { ShowList, ShowShape } from "./show.js";

type Reverse<S, Acc extends Dim[] = []> = S extends readonly [infer H, ...infer R] ? Reverse<R, [H & Dim, ...Acc]> : Acc;

/** Normalizes every entry of `P`; `false` when one is out of range or repeated. */
type NormalizePerm<P, R extends number, Seen = never, Acc extends number[] = []> = P extends readonly [infer H, ...infer T]
  ? NormalizeAxis<H, R> extends [infer n extends number]
    ? [n] extends [Seen]
      ? false
      : NormalizePerm<T, R, Seen | n, [...Acc, n]>
    : false
  : Acc;

type PermuteTuple<S extends Shape, P, Op extends string> = [P] extends [undefined]
  ? Reverse<S>
  : P extends readonly number[]
    ? number extends P["length"]
      ? { -readonly [K in keyof S]: number }
      : P["length"] extends S["length"]
        ? NormalizePerm<P, S["length"]> extends infer N extends number[]
          ? number[] extends N
            ? { -readonly [K in keyof S]: number }
            : { -readonly [K in keyof N]: S[N[K] & keyof S] }
          : `${Op}: ${ShowList<P>} is not a permutation of ${S["length"]} axes (shape ${ShowShape<S>})`
        : `${Op}: ${ShowList<P>} is not a permutation of ${S["length"]} axes (shape ${ShowShape<S>})`
    : never;

/**
 * `S` with its axes permuted by `P` (reversed when `P` is `undefined`), or an error message:
 * `Permute<[2, 3, 4, 5], [0, 2, 3, 1]>` is `[2, 4, 5, 3]`, and
 * `Permute<[2, 3, 4, 5], [0, 2, 2, 1], "transpose">` is
 * `"transpose: [0, 2, 2, 1] is not a permutation of 4 axes (shape [2, 3, 4, 5])"`.
 * @category Shape algebra
 */
export type Permute<S extends Shape, P extends readonly number[] | undefined = undefined, Op extends string = "transpose"> =
  PermuteShape<S, P, Op> extends infer R ? R : never;

type PermuteShape<S extends Shape, P extends readonly number[] | undefined = undefined, Op extends string = "transpose"> =
  IsTuple<S> extends true ? PermuteTuple<S, P, Op> : number[];

/**
 * Runtime twin of `Permute`'s check: `perm` normalized to non-negative axes (the reversal when
 * absent), or a `ShapeError` with the same text as the type.
 * @category Shape algebra
 */
export function normalizePerm(op: string, shape: readonly number[], perm?: readonly number[]): number[] {
  const r = shape.length;
  if (perm === undefined) return shape.map((_, i) => r - 1 - i);
  const fail = (): never => {
    throw new ShapeError(`${op}: ${showShape(perm)} is not a permutation of ${r} axes (shape ${showShape(shape)})`);
  };
  if (perm.length !== r) fail();
  const seen = new Set<number>();
  const out = perm.map((p) => {
    if (!Number.isInteger(p) || p < -r || p >= r) fail();
    const n = p < 0 ? p + r : p;
    if (seen.has(n)) fail();
    seen.add(n);
    return n;
  });
  return out;
}

/**
 * Runtime twin of `Permute`: the shape after permuting `shape` by `perm`.
 * @category Shape algebra
 */
export function permuteShape(op: string, shape: readonly number[], perm?: readonly number[]): number[] {
  assertShape(op, shape);
  return normalizePerm(op, shape, perm).map((p) => shape[p]);
}
