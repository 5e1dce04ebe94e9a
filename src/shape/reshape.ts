/**
 * @file Reshapes, twice: `Reshape<S, T, Op>` / `Flatten<S>` at the type level and
 * `reshapeShape(op, shape, target)` / `flattenShape(op, shape)` at run time, with the same error
 * text. The element count must be kept; one target dim may be `-1`, inferred from the rest.
 *
 * Symbolic names count as unknown factors: `["batch", 28, 28]` reshaped to `[-1, 784]` is
 * `["batch", 784]` (the `-1` absorbs exactly the name), but a target without `-1` cannot equal
 * `batch*784` elements, so that is an error. A wide `number` dim makes the count unknown: no
 * compile error, and an inferred `-1` becomes `number`.
 */
import type { Compare, DivMod, Mul, Product } from "./arith.js";
import type { IsTuple, Shape } from "./dim.js";
import { assertShape } from "./dim.js";
import { ShapeError, showShape } from "./errors.js";
import { product } from "./arith.js";
import type { ShowList, ShowShape } from "./show.js";
import type { ReshapeNamed } from "./reshape-named.js";

/** `[literal product, names, has a wide dim]` of a list of dims. */
type CountOf<S, Lits extends number[] = [], Names extends string[] = [], Wide extends boolean = false> = S extends readonly [
  infer H,
  ...infer R,
]
  ? number extends H
    ? CountOf<R, Lits, Names, true>
    : string extends H
      ? CountOf<R, Lits, Names, true>
      : H extends number
        ? CountOf<R, [...Lits, H], Names, Wide>
        : H extends string
          ? CountOf<R, Lits, [...Names, H], Wide>
          : CountOf<R, Lits, Names, true>
  : Product<Lits> extends infer N extends number
    ? [N, Names, number extends N ? true : Wide]
    : never;

type JoinNames<L, Acc extends string = ""> = L extends readonly [infer H extends string, ...infer R]
  ? JoinNames<R, Acc extends "" ? H : `${Acc}*${H}`>
  : Acc;

/** The element count as messages print it: `784`, or `batch*784` with symbolic dims. */
type ShowCount<C> = C extends [infer N extends number, infer Names extends string[], boolean]
  ? Names extends []
    ? `${N}`
    : N extends 1
      ? JoinNames<Names>
      : `${JoinNames<Names>}*${N}`
  : never;

/**
 * The product of dims as one dim: a literal, a lone name, or `number`.
 * @category Shape algebra
 */
export type ProductDim<S> =
  CountOf<S> extends [infer N, infer Names, infer Wide]
    ? Wide extends true
      ? number
      : Names extends []
        ? N
        : Names extends [infer One]
          ? N extends 1
            ? One
            : number
          : number
    : never;

/** Validates a target shape: `[has -1, product of the other dims]`, or an error message. */
type CheckTarget<T, T0 extends readonly number[], Op extends string, Neg extends boolean = false, Lits extends number[] = []> = T extends readonly [
  infer H extends number,
  ...infer R,
]
  ? number extends H
    ? CheckTarget<R, T0, Op, Neg, [...Lits, number]>
    : H extends -1
      ? Neg extends true
        ? `${Op}: only one -1 allowed in ${ShowList<T0>}`
        : CheckTarget<R, T0, Op, true, Lits>
      : `${H}` extends `-${string}` | `${string}.${string}` | `${string}e${string}`
        ? `${Op}: invalid dim ${H} in target shape ${ShowList<T0>}`
        : CheckTarget<R, T0, Op, Neg, [...Lits, H]>
  : [Neg, Product<Lits>];

type Fill<T extends readonly number[], Q> = { -readonly [K in keyof T]: T[K] extends -1 ? Q : T[K] };

type ReshapeError<Op extends string, S extends Shape, T extends readonly number[], C, What extends string> =
  `${Op}: cannot reshape ${ShowShape<S>} (${ShowCount<C>} elements) to ${ShowList<T>} (${What})`;

/**
 * `[S prefix]` when the last dims of `S` multiply to exactly `P` (literals, read from the end and
 * no further than needed), else `false`.
 */
type SplitTrailingProduct<S, P extends number, Acc extends number = 1> = Acc extends P
  ? [S]
  : S extends readonly [...infer R, infer s]
    ? s extends number
      ? number extends s
        ? false
        : Mul<Acc, s> extends infer M extends number
          ? Compare<M, P> extends "gt"
            ? false
            : SplitTrailingProduct<R, P, M>
          : false
      : false
    : false;

/**
 * The common `reshape(x, [-1, ...rest])` where `rest` regroups the last dims of `x` and the `-1`
 * absorbs the leading ones (`[B, 784]` → `[-1, 28, 28]`, `[B, T, 8]` → `[-1, 2, 4]`): decided
 * from the trailing dims alone, so the leading ones may be names or type parameters.
 */
type AbsorbLeading<S extends Shape, T extends readonly number[]> = T extends readonly [-1, ...infer TR]
  ? CheckTarget<TR, T, ""> extends [false, infer P extends number]
    ? number extends P
      ? false
      : SplitTrailingProduct<S, P> extends [infer Pre]
        ? Pre extends readonly []
          ? false
          : [Remaining<Pre>, ...TR]
        : false
    : false
  : false;

/**
 * True when source dim `s` and target dim `t` are the same positive literal (or the same name), so
 * both may be set aside without changing the element-count check. The target dim is tested first:
 * it is a value's type, never a type parameter, so a `-1` or `number` there is decided at once even
 * when `s` is a type-parameter dim (`B` of a function generic over the batch).
 */
type Cancellable<s, t> = number extends t
  ? false
  : t extends 0 | -1
    ? false
    : [[s]] extends [[t]]
      ? [[t]] extends [[s]]
        ? true
        : false
      : false;

/** Splits off the dims `S` and `T` share at the front: `[front, S rest, T rest]`. */
type CancelFront<S, T, Pre extends unknown[] = []> = S extends readonly [infer s, ...infer SR]
  ? T extends readonly [infer t, ...infer TR]
    ? Cancellable<s, t> extends true
      ? CancelFront<SR, TR, [...Pre, s]>
      : [Pre, S, T]
    : [Pre, S, T]
  : [Pre, S, T];

/** Splits off the dims `S` and `T` share at the back: `[S rest, T rest, back]`. */
type CancelBack<S, T, Post extends unknown[] = []> = S extends readonly [...infer SR, infer s]
  ? T extends readonly [...infer TR, infer t]
    ? Cancellable<s, t> extends true
      ? CancelBack<SR, TR, [s, ...Post]>
      : [S, T, Post]
    : [S, T, Post]
  : [S, T, Post];

/** What an inferred `-1` stands for when it is all that is left of the target: the one dim left, or their product. */
type Remaining<S> = S extends readonly [infer One] ? One : ProductDim<S>;

/**
 * Reshape with the dims both shapes share at either end set aside first, so the common cases
 * (`[60000, 784]` → `[60000, 28, 28]`, `[n, c, h, w]` → `[n, -1]`, `[B, T, 8]` → `[-1, 8]`) need
 * little or no arithmetic, and dims set aside are never inspected (they may be type parameters).
 * On a mismatch the message is computed from the whole shapes.
 */
type ReshapeCancelled<S extends Shape, T extends readonly number[], Op extends string> =
  CancelFront<S, T> extends [infer Pre extends unknown[], infer S1, infer T1]
    ? CancelBack<S1, T1> extends [infer S2 extends Shape, infer T2 extends readonly number[], infer Post extends unknown[]]
      ? T2 extends readonly [-1]
        ? [...Pre, Remaining<S2>, ...Post]
        : (AbsorbLeading<S2, T2> extends infer K extends unknown[] ? K : ReshapeGeneral<S2, T2, Op>) extends infer R
          ? R extends readonly unknown[]
            ? [...Pre, ...R, ...Post]
            : ReshapeGeneral<S, T, Op>
          : never
      : never
    : never;

/** Reshape to a numeric target (literals, `number`, at most one `-1`). */
export type ReshapeNumeric<S extends Shape, T extends readonly number[], Op extends string> = ReshapeCancelled<S, T, Op>;

type ReshapeGeneral<S extends Shape, T extends readonly number[], Op extends string> =
  CheckTarget<T, T, Op> extends [infer Neg, infer P extends number]
    ? CountOf<S> extends [infer N extends number, infer Names extends string[], infer Wide]
      ? Wide extends true
        ? Fill<T, number>
        : number extends P
          ? Fill<T, number>
          : Neg extends true
            ? P extends 0
              ? ReshapeError<Op, S, T, CountOf<S>, `${ShowCount<CountOf<S>>} is not a multiple of 0`>
              : DivMod<N, P> extends [infer Q, infer Rem]
                ? Names extends []
                  ? Rem extends 0
                    ? Fill<T, Q>
                    : ReshapeError<Op, S, T, CountOf<S>, `${N} is not a multiple of ${P}`>
                  : Rem extends 0
                    ? Q extends 1
                      ? Names extends [infer One]
                        ? Fill<T, One>
                        : Fill<T, number>
                      : Fill<T, number>
                    : Fill<T, number>
                : never
            : Names extends []
              ? N extends P
                ? Fill<T, never>
                : ReshapeError<Op, S, T, CountOf<S>, `${P} elements`>
              : ReshapeError<Op, S, T, CountOf<S>, `${P} elements`>
      : never
    : CheckTarget<T, T, Op>;

/**
 * `S` reshaped to `T` (one entry may be `-1`), or an error message:
 * `Reshape<[60000, 784], [-1, 28, 28]>` is `[60000, 28, 28]`, and `Reshape<[28, 28], [780]>` is
 * `"reshape: cannot reshape [28, 28] (784 elements) to [780] (780 elements)"`. Named dims at the
 * start or end of `T` keep the source's dims there (`ReshapeNamed`):
 * `Reshape<["batch", 28, 28], ["batch", 784]>` is `["batch", 784]`.
 * @category Shape algebra
 */
export type Reshape<S extends Shape, T extends Shape, Op extends string = "reshape"> =
  ReshapeShape<S, T, Op> extends infer R ? R : never;

type ReshapeShape<S extends Shape, T extends Shape, Op extends string> =
  IsTuple<T> extends true
    ? IsTuple<S> extends true
      ? T extends readonly number[]
        ? ReshapeNumeric<S, T, Op>
        : ReshapeNamed<S, T, Op>
      : { -readonly [K in keyof T]: T[K] extends -1 | string ? number : T[K] }
    : number[];

/**
 * `S` with every dim after the first multiplied into one (`[64, 3, 32, 32]` → `[64, 3072]`), or an
 * error message for a scalar.
 * @category Shape algebra
 */
export type Flatten<S extends Shape, Op extends string = "flatten"> =
  FlattenShape<S, Op> extends infer R ? R : never;

type FlattenShape<S extends Shape, Op extends string = "flatten"> =
  IsTuple<S> extends true
    ? S extends readonly [infer H, ...infer R]
      ? [H, ProductDim<R>]
      : `${Op}: cannot flatten a scalar (shape [])`
    : [number, number];

/**
 * Runtime twin of `Reshape`: `target` with its `-1` filled in, or a `ShapeError` with the same text.
 * @category Shape algebra
 */
export function reshapeShape(op: string, shape: readonly number[], target: readonly number[]): number[] {
  assertShape(op, shape);
  let neg = -1;
  target.forEach((d, i) => {
    if (d === -1) {
      if (neg >= 0) throw new ShapeError(`${op}: only one -1 allowed in ${showShape(target)}`);
      neg = i;
    } else if (!Number.isSafeInteger(d) || d < 0) {
      throw new ShapeError(`${op}: invalid dim ${d} in target shape ${showShape(target)}`);
    }
  });
  const p = product(target.filter((d) => d !== -1));
  const n = product(shape);
  const out = [...target];
  if (neg >= 0) {
    if (p === 0 || n % p !== 0) {
      throw new ShapeError(`${op}: cannot reshape ${showShape(shape)} (${n} elements) to ${showShape(target)} (${n} is not a multiple of ${p})`);
    }
    out[neg] = n / p;
  } else if (n !== p) {
    throw new ShapeError(`${op}: cannot reshape ${showShape(shape)} (${n} elements) to ${showShape(target)} (${p} elements)`);
  }
  return out;
}

/**
 * Runtime twin of `Flatten`.
 * @category Shape algebra
 */
export function flattenShape(op: string, shape: readonly number[]): number[] {
  assertShape(op, shape);
  if (shape.length === 0) throw new ShapeError(`${op}: cannot flatten a scalar (shape [])`);
  return [shape[0], product(shape.slice(1))];
}

