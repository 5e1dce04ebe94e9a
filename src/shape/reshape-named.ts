/**
 * @file Reshape targets with named dims, twice: `ReshapeNamed<S, T, Op>` at the type level and
 * `reshapeNamedShape(op, shape, target)` at run time, with the same error text. A name at the start
 * or the end of the target keeps the source dim at the same place (counted from the front or from
 * the back), and the source's type must carry that name there: `["batch", 28, 28]` reshapes to
 * `["batch", 784]`, and `["batch", "seq", 512]` to `["batch", "seq", 8, 64]` and back. The dims
 * between the named ones reshape as a numeric target does (one of them may be `-1`).
 *
 * Names are types only: at run time a tensor's dims are numbers, so a named target dim is resolved
 * by its place alone, and the compile-time check that the source has that name there is what makes
 * it mean something.
 */
import type { Sub } from "./arith.js";
import type { Dim, Shape } from "./dim.js";
import { ShapeError, showShape } from "./errors.js";
import type { ReshapeNumeric } from "./reshape.js";
import { reshapeShape } from "./reshape.js";
import type { ShowDim, ShowList, ShowShape } from "./show.js";

/** `[leading names, the rest]` of a target. */
type LeadingNames<T, Acc extends unknown[] = []> = T extends readonly [infer H, ...infer R]
  ? H extends string
    ? LeadingNames<R, [...Acc, H]>
    : [Acc, T]
  : [Acc, T];

/** `[the rest, trailing names]` of a target. */
type TrailingNames<T, Acc extends unknown[] = []> = T extends readonly [...infer R, infer H]
  ? H extends string
    ? TrailingNames<R, [H, ...Acc]>
    : [T, Acc]
  : [T, Acc];

type TooManyNames<Op extends string, S0 extends Shape, T0 extends Shape> =
  `${Op}: target ${ShowList<T0>} names more dims than ${ShowShape<S0>} has`;

type NameMismatch<Op extends string, I, N, D, S0 extends Shape> =
  `${Op}: target dim ${N & string} keeps dim ${I & number} of ${ShowShape<S0>}, which is ${ShowDim<D>}`;

/** `S` after its leading dims were matched with `Names`: the rest of `S`, or an error message. */
type MatchFront<S, Names, S0 extends Shape, T0 extends Shape, Op extends string, Idx extends 0[] = []> = Names extends readonly [
  infer N,
  ...infer NR,
]
  ? S extends readonly [infer s, ...infer SR]
    ? [[s]] extends [[N]]
      ? MatchFront<SR, NR, S0, T0, Op, [...Idx, 0]>
      : NameMismatch<Op, Idx["length"], N, s, S0>
    : TooManyNames<Op, S0, T0>
  : [S];

/** `S` after its trailing dims were matched with `Names`: the rest of `S`, or an error message. */
type MatchBack<S, Names, S0 extends Shape, T0 extends Shape, Op extends string, Idx extends 0[] = [0]> = Names extends readonly [
  ...infer NR,
  infer N,
]
  ? S extends readonly [...infer SR, infer s]
    ? [[s]] extends [[N]]
      ? MatchBack<SR, NR, S0, T0, Op, [...Idx, 0]>
      : NameMismatch<Op, Sub<S0["length"], Idx["length"]>, N, s, S0>
    : TooManyNames<Op, S0, T0>
  : [S];

type MiddleName<Op extends string, M, T0 extends Shape> = M extends readonly [infer H, ...infer R]
  ? H extends string
    ? `${Op}: named dim ${H} must be at the start or the end of the target ${ShowList<T0>}`
    : MiddleName<Op, R, T0>
  : false;

/**
 * `S` reshaped to a target `T` with named dims at its start and/or end, or an error message:
 * `ReshapeNamed<["batch", 28, 28], ["batch", 784]>` is `["batch", 784]`, and
 * `ReshapeNamed<[64, 28, 28], ["batch", 784]>` is
 * `"reshape: target dim batch keeps dim 0 of [64, 28, 28], which is 64"`.
 * @category Shape algebra
 */
export type ReshapeNamed<S extends Shape, T extends Shape, Op extends string> =
  LeadingNames<T> extends [infer Lead extends unknown[], infer T1]
    ? TrailingNames<T1> extends [infer Mid, infer Trail extends unknown[]]
      ? MiddleName<Op, Mid, T> extends infer E extends string
        ? E
        : MatchFront<S, Lead, S, T, Op> extends [infer S1]
          ? MatchBack<S1, Trail, S, T, Op> extends [infer S2 extends Shape]
            ? Mid extends readonly number[]
              ? ReshapeNumeric<S2, Mid, Op> extends infer R
                ? R extends readonly unknown[]
                  ? [...Lead, ...R, ...Trail]
                  : R
                : never
              : never
            : MatchBack<S1, Trail, S, T, Op>
          : MatchFront<S, Lead, S, T, Op>
      : never
    : never;

/**
 * Runtime twin of `ReshapeNamed`: the numeric shape a target with named dims gives for `shape`.
 * Leading names take the source dims at their places from the front, trailing names from the
 * back (the type checker made sure the names are the source's); the rest reshapes as numbers.
 * @category Shape algebra
 */
export function reshapeNamedShape(op: string, shape: readonly number[], target: readonly Dim[]): number[] {
  let lead = 0;
  while (lead < target.length && typeof target[lead] === "string") lead++;
  let trail = 0;
  while (trail < target.length - lead && typeof target[target.length - 1 - trail] === "string") trail++;
  const mid = target.slice(lead, target.length - trail);
  const named = mid.find((d) => typeof d === "string");
  if (named !== undefined) {
    throw new ShapeError(`${op}: named dim ${named} must be at the start or the end of the target ${showShape(target as number[])}`);
  }
  if (lead + trail > shape.length) {
    throw new ShapeError(`${op}: target ${showShape(target as number[])} names more dims than ${showShape(shape)} has`);
  }
  const middle = reshapeShape(op, shape.slice(lead, shape.length - trail), mid as number[]);
  return [...shape.slice(0, lead), ...middle, ...shape.slice(shape.length - trail)];
}
