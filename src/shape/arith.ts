/**
 * @file Exact integer arithmetic on dims, twice: at the type level on decimal digit strings
 * (exact up to 2^53, then `number`), and at run time on JS numbers.
 *
 * Type-level numbers are parsed from their decimal text into digit tuples, least significant digit
 * first (`784` is `[4, 8, 7]`), and combined by schoolbook addition, subtraction, multiplication
 * and long division, with every digit operation a lookup in a small table. Every recursive type
 * here is tail-recursive and walks digits, so recursion depth is the number of digits (≤ 22), far
 * from the compiler's limits, and no tuple longer than the digit count is built. A result beyond 2^53 stays exact as text but has no number literal type, so it
 * becomes `number` (the documented degradation). `number` in, `number` out.
 */

// ---- digits ----

type Digit = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/** A natural number as decimal digits, least significant first, no leading zeros; `[]` is 0. */
type Digits = readonly Digit[];

// Digit tables: every digit operation is one indexed access, never a computation.

/** `AddTable[c][a][b]` is `[digit, carry]` of `a + b + c`. */
type AddTable = [
  [
    [[0, 0], [1, 0], [2, 0], [3, 0], [4, 0], [5, 0], [6, 0], [7, 0], [8, 0], [9, 0]],
    [[1, 0], [2, 0], [3, 0], [4, 0], [5, 0], [6, 0], [7, 0], [8, 0], [9, 0], [0, 1]],
    [[2, 0], [3, 0], [4, 0], [5, 0], [6, 0], [7, 0], [8, 0], [9, 0], [0, 1], [1, 1]],
    [[3, 0], [4, 0], [5, 0], [6, 0], [7, 0], [8, 0], [9, 0], [0, 1], [1, 1], [2, 1]],
    [[4, 0], [5, 0], [6, 0], [7, 0], [8, 0], [9, 0], [0, 1], [1, 1], [2, 1], [3, 1]],
    [[5, 0], [6, 0], [7, 0], [8, 0], [9, 0], [0, 1], [1, 1], [2, 1], [3, 1], [4, 1]],
    [[6, 0], [7, 0], [8, 0], [9, 0], [0, 1], [1, 1], [2, 1], [3, 1], [4, 1], [5, 1]],
    [[7, 0], [8, 0], [9, 0], [0, 1], [1, 1], [2, 1], [3, 1], [4, 1], [5, 1], [6, 1]],
    [[8, 0], [9, 0], [0, 1], [1, 1], [2, 1], [3, 1], [4, 1], [5, 1], [6, 1], [7, 1]],
    [[9, 0], [0, 1], [1, 1], [2, 1], [3, 1], [4, 1], [5, 1], [6, 1], [7, 1], [8, 1]],
  ],
  [
    [[1, 0], [2, 0], [3, 0], [4, 0], [5, 0], [6, 0], [7, 0], [8, 0], [9, 0], [0, 1]],
    [[2, 0], [3, 0], [4, 0], [5, 0], [6, 0], [7, 0], [8, 0], [9, 0], [0, 1], [1, 1]],
    [[3, 0], [4, 0], [5, 0], [6, 0], [7, 0], [8, 0], [9, 0], [0, 1], [1, 1], [2, 1]],
    [[4, 0], [5, 0], [6, 0], [7, 0], [8, 0], [9, 0], [0, 1], [1, 1], [2, 1], [3, 1]],
    [[5, 0], [6, 0], [7, 0], [8, 0], [9, 0], [0, 1], [1, 1], [2, 1], [3, 1], [4, 1]],
    [[6, 0], [7, 0], [8, 0], [9, 0], [0, 1], [1, 1], [2, 1], [3, 1], [4, 1], [5, 1]],
    [[7, 0], [8, 0], [9, 0], [0, 1], [1, 1], [2, 1], [3, 1], [4, 1], [5, 1], [6, 1]],
    [[8, 0], [9, 0], [0, 1], [1, 1], [2, 1], [3, 1], [4, 1], [5, 1], [6, 1], [7, 1]],
    [[9, 0], [0, 1], [1, 1], [2, 1], [3, 1], [4, 1], [5, 1], [6, 1], [7, 1], [8, 1]],
    [[0, 1], [1, 1], [2, 1], [3, 1], [4, 1], [5, 1], [6, 1], [7, 1], [8, 1], [9, 1]],
  ],
];

/** `SubTable[c][a][b]` is `[digit, borrow]` of `a − b − c`. */
type SubTable = [
  [
    [[0, 0], [9, 1], [8, 1], [7, 1], [6, 1], [5, 1], [4, 1], [3, 1], [2, 1], [1, 1]],
    [[1, 0], [0, 0], [9, 1], [8, 1], [7, 1], [6, 1], [5, 1], [4, 1], [3, 1], [2, 1]],
    [[2, 0], [1, 0], [0, 0], [9, 1], [8, 1], [7, 1], [6, 1], [5, 1], [4, 1], [3, 1]],
    [[3, 0], [2, 0], [1, 0], [0, 0], [9, 1], [8, 1], [7, 1], [6, 1], [5, 1], [4, 1]],
    [[4, 0], [3, 0], [2, 0], [1, 0], [0, 0], [9, 1], [8, 1], [7, 1], [6, 1], [5, 1]],
    [[5, 0], [4, 0], [3, 0], [2, 0], [1, 0], [0, 0], [9, 1], [8, 1], [7, 1], [6, 1]],
    [[6, 0], [5, 0], [4, 0], [3, 0], [2, 0], [1, 0], [0, 0], [9, 1], [8, 1], [7, 1]],
    [[7, 0], [6, 0], [5, 0], [4, 0], [3, 0], [2, 0], [1, 0], [0, 0], [9, 1], [8, 1]],
    [[8, 0], [7, 0], [6, 0], [5, 0], [4, 0], [3, 0], [2, 0], [1, 0], [0, 0], [9, 1]],
    [[9, 0], [8, 0], [7, 0], [6, 0], [5, 0], [4, 0], [3, 0], [2, 0], [1, 0], [0, 0]],
  ],
  [
    [[9, 1], [8, 1], [7, 1], [6, 1], [5, 1], [4, 1], [3, 1], [2, 1], [1, 1], [0, 1]],
    [[0, 0], [9, 1], [8, 1], [7, 1], [6, 1], [5, 1], [4, 1], [3, 1], [2, 1], [1, 1]],
    [[1, 0], [0, 0], [9, 1], [8, 1], [7, 1], [6, 1], [5, 1], [4, 1], [3, 1], [2, 1]],
    [[2, 0], [1, 0], [0, 0], [9, 1], [8, 1], [7, 1], [6, 1], [5, 1], [4, 1], [3, 1]],
    [[3, 0], [2, 0], [1, 0], [0, 0], [9, 1], [8, 1], [7, 1], [6, 1], [5, 1], [4, 1]],
    [[4, 0], [3, 0], [2, 0], [1, 0], [0, 0], [9, 1], [8, 1], [7, 1], [6, 1], [5, 1]],
    [[5, 0], [4, 0], [3, 0], [2, 0], [1, 0], [0, 0], [9, 1], [8, 1], [7, 1], [6, 1]],
    [[6, 0], [5, 0], [4, 0], [3, 0], [2, 0], [1, 0], [0, 0], [9, 1], [8, 1], [7, 1]],
    [[7, 0], [6, 0], [5, 0], [4, 0], [3, 0], [2, 0], [1, 0], [0, 0], [9, 1], [8, 1]],
    [[8, 0], [7, 0], [6, 0], [5, 0], [4, 0], [3, 0], [2, 0], [1, 0], [0, 0], [9, 1]],
  ],
];

/** `MulTable[a][b]` is `[digit, carry]` of `a × b`. */
type MulTable = [
  [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0]],
  [[0, 0], [1, 0], [2, 0], [3, 0], [4, 0], [5, 0], [6, 0], [7, 0], [8, 0], [9, 0]],
  [[0, 0], [2, 0], [4, 0], [6, 0], [8, 0], [0, 1], [2, 1], [4, 1], [6, 1], [8, 1]],
  [[0, 0], [3, 0], [6, 0], [9, 0], [2, 1], [5, 1], [8, 1], [1, 2], [4, 2], [7, 2]],
  [[0, 0], [4, 0], [8, 0], [2, 1], [6, 1], [0, 2], [4, 2], [8, 2], [2, 3], [6, 3]],
  [[0, 0], [5, 0], [0, 1], [5, 1], [0, 2], [5, 2], [0, 3], [5, 3], [0, 4], [5, 4]],
  [[0, 0], [6, 0], [2, 1], [8, 1], [4, 2], [0, 3], [6, 3], [2, 4], [8, 4], [4, 5]],
  [[0, 0], [7, 0], [4, 1], [1, 2], [8, 2], [5, 3], [2, 4], [9, 4], [6, 5], [3, 6]],
  [[0, 0], [8, 0], [6, 1], [4, 2], [2, 3], [0, 4], [8, 4], [6, 5], [4, 6], [2, 7]],
  [[0, 0], [9, 0], [8, 1], [7, 2], [6, 3], [5, 4], [4, 5], [3, 6], [2, 7], [1, 8]],
];

/** `CompareTable[a][b]` orders two digits. */
type CompareTable = [
  ["eq", "lt", "lt", "lt", "lt", "lt", "lt", "lt", "lt", "lt"],
  ["gt", "eq", "lt", "lt", "lt", "lt", "lt", "lt", "lt", "lt"],
  ["gt", "gt", "eq", "lt", "lt", "lt", "lt", "lt", "lt", "lt"],
  ["gt", "gt", "gt", "eq", "lt", "lt", "lt", "lt", "lt", "lt"],
  ["gt", "gt", "gt", "gt", "eq", "lt", "lt", "lt", "lt", "lt"],
  ["gt", "gt", "gt", "gt", "gt", "eq", "lt", "lt", "lt", "lt"],
  ["gt", "gt", "gt", "gt", "gt", "gt", "eq", "lt", "lt", "lt"],
  ["gt", "gt", "gt", "gt", "gt", "gt", "gt", "eq", "lt", "lt"],
  ["gt", "gt", "gt", "gt", "gt", "gt", "gt", "gt", "eq", "lt"],
  ["gt", "gt", "gt", "gt", "gt", "gt", "gt", "gt", "gt", "eq"],
];

/** Drops most-significant zeros (trailing zeros of the reversed tuple). */
type Trim<A> = A extends readonly [...infer R, 0] ? Trim<R> : A;

/** Parses the decimal text of a non-negative integer; anything else gives `null`. */
type ParseDigits<T extends string, Acc extends Digit[] = []> = T extends `${infer C extends Digit}${infer R}`
  ? ParseDigits<R, [C, ...Acc]>
  : T extends ""
    ? Acc
    : null;

type JoinDigits<A, Acc extends string = ""> = A extends readonly [infer H extends Digit, ...infer R]
  ? JoinDigits<R, `${H}${Acc}`>
  : Acc extends ""
    ? "0"
    : Acc;

/** The digits of a non-negative integer literal, or `null` (wide `number`, negative, fractional, 1e21 …). */
type ToDigits<N extends number> = number extends N ? null : ParseDigits<`${N}`> extends infer D extends Digits ? Trim<D> : null;

/** Digits back to a number literal; beyond 2^53 the literal does not exist and this is `number`. */
type FromDigits<A> = JoinDigits<A> extends `${infer N extends number}` ? N : number;

// ---- digit-tuple arithmetic ----

type Concat<A extends Digit[], B> = B extends readonly Digit[] ? [...A, ...B] : A;

type AddDigits<A, B, C extends 0 | 1 = 0, Acc extends Digit[] = []> = A extends readonly [infer a extends Digit, ...infer AR]
  ? B extends readonly [infer b extends Digit, ...infer BR]
    ? AddTable[C][a][b] extends [infer d extends Digit, infer c extends 0 | 1]
      ? AddDigits<AR, BR, c, [...Acc, d]>
      : never
    : C extends 0
      ? Concat<Acc, A>
      : AddTable[1][a][0] extends [infer d extends Digit, infer c extends 0 | 1]
        ? AddDigits<AR, [], c, [...Acc, d]>
        : never
  : B extends readonly [Digit, ...unknown[]]
    ? AddDigits<B, A, C, Acc>
    : C extends 1
      ? [...Acc, 1]
      : Acc;

/** `A − B` for `A ≥ B`. */
type SubDigits<A, B, C extends 0 | 1 = 0, Acc extends Digit[] = []> = A extends readonly [infer a extends Digit, ...infer AR]
  ? B extends readonly [infer b extends Digit, ...infer BR]
    ? SubTable[C][a][b] extends [infer d extends Digit, infer c extends 0 | 1]
      ? SubDigits<AR, BR, c, [...Acc, d]>
      : never
    : C extends 0
      ? Trim<Concat<Acc, A>>
      : SubTable[1][a][0] extends [infer d extends Digit, infer c extends 0 | 1]
        ? SubDigits<AR, [], c, [...Acc, d]>
        : never
  : Trim<Acc>;

type Ordering = "lt" | "eq" | "gt";

type CompareLength<A, B> = A extends readonly [unknown, ...infer AR]
  ? B extends readonly [unknown, ...infer BR]
    ? CompareLength<AR, BR>
    : "gt"
  : B extends readonly []
    ? "eq"
    : "lt";

/** Compares equal-length digit tuples; the most significant difference (the last one seen) wins. */
type CompareSameLength<A, B, Res extends Ordering = "eq"> = A extends readonly [infer a extends Digit, ...infer AR]
  ? B extends readonly [infer b extends Digit, ...infer BR]
    ? CompareSameLength<AR, BR, CompareTable[a][b] extends "eq" ? Res : CompareTable[a][b]>
    : Res
  : Res;

type CompareDigits<A, B> = CompareLength<A, B> extends "eq" ? CompareSameLength<A, B> : CompareLength<A, B>;

/** `A × b` for one digit `b`, carrying `K`. */
type MulByDigit<A, b extends Digit, K extends Digit = 0, Acc extends Digit[] = []> = A extends readonly [
  infer a extends Digit,
  ...infer AR,
]
  ? MulTable[a][b] extends [infer p extends Digit, infer c1 extends Digit]
    ? AddTable[0][p][K] extends [infer d extends Digit, infer c2 extends 0 | 1]
      ? MulByDigit<AR, b, AddTable[0][c1][c2][0], [...Acc, d]>
      : never
    : never
  : K extends 0
    ? Acc
    : [...Acc, K];

type MulLoop<A, B, Shift extends 0[] = [], Acc = []> = B extends readonly [infer b extends Digit, ...infer BR]
  ? MulLoop<A, BR, [...Shift, 0], b extends 0 ? Acc : AddDigits<Acc, [...Shift, ...MulByDigit<A, b>]>>
  : Acc;

/** `A × B`: one pass per digit of the shorter factor; 0 and 1 are free. */
type MulDigits<A, B> = A extends readonly []
  ? []
  : B extends readonly []
    ? []
    : A extends readonly [1]
      ? B
      : B extends readonly [1]
        ? A
        : CompareLength<A, B> extends "lt"
          ? MulLoop<B, A>
          : MulLoop<A, B>;

/** The product of a list of dims in digit form, or `null` when one is not a natural literal. */
type ProductDigits<S, Acc = [1]> = S extends readonly [infer H, ...infer R]
  ? H extends number
    ? ToDigits<H> extends infer h extends Digits
      ? ProductDigits<R, MulDigits<Acc, h>>
      : null
    : null
  : Acc;

/**
 * `k·D` for a digit `k`, computed only when the quotient search asks for it (a long division
 * touches four of the nine multiples), and cached by tsc per `D` and `k`.
 */
type MultipleOf<D, K extends Digit> = K extends 1 ? D : MulByDigit<D, K>;

/** The largest `q ≤ 9` with `q·D ≤ Cur`, by binary search (0 at once when `Cur < D`). */
type QuotientDigit<D, Cur> =
  CompareDigits<D, Cur> extends "gt"
    ? 0
    : CompareDigits<MultipleOf<D, 5>, Cur> extends "gt"
      ? CompareDigits<MultipleOf<D, 3>, Cur> extends "gt"
        ? CompareDigits<MultipleOf<D, 2>, Cur> extends "gt"
          ? 1
          : 2
        : CompareDigits<MultipleOf<D, 4>, Cur> extends "gt"
          ? 3
          : 4
      : CompareDigits<MultipleOf<D, 7>, Cur> extends "gt"
        ? CompareDigits<MultipleOf<D, 6>, Cur> extends "gt"
          ? 5
          : 6
        : CompareDigits<MultipleOf<D, 8>, Cur> extends "gt"
          ? 7
          : CompareDigits<MultipleOf<D, 9>, Cur> extends "gt"
            ? 8
            : 9;

/** Long division of `A` (most significant digit first) by `M` (digits): `[quotient, remainder]`. */
type DivModDigits<A, M, Rem extends unknown[] = [], Quot extends unknown[] = []> = A extends readonly [
  ...infer AR,
  infer a,
]
  ? Trim<[a, ...Rem]> extends infer Cur
    ? QuotientDigit<M, Cur> extends infer q extends Digit
      ? q extends 0
        ? Cur extends infer C extends unknown[]
          ? DivModDigits<AR, M, C, [0, ...Quot]>
          : never
        : SubDigits<Cur, MultipleOf<M, q>> extends infer R extends unknown[]
          ? DivModDigits<AR, M, R, [q, ...Quot]>
          : never
      : never
    : never
  : [Trim<Quot>, Rem];

// ---- the public type-level operations ----

/**
 * True when `N` is the wide type `number` (a dim known only at run time).
 * @category Shape algebra
 */
export type IsWide<N> = number extends N ? true : string extends N ? true : false;

/**
 * True when `N` is a non-negative integer literal below 1e21.
 * @category Shape algebra
 */
export type IsNatural<N> = N extends number ? (ToDigits<N> extends null ? false : true) : false;

/**
 * `A + B` on non-negative integer literals; `number` if either is not one.
 * @category Shape algebra
 */
export type Add<A extends number, B extends number> = ToDigits<A> extends infer a extends Digits
  ? ToDigits<B> extends infer b extends Digits
    ? FromDigits<AddDigits<a, b>>
    : number
  : number;

/**
 * `A × B` on non-negative integer literals; `number` if either is not one or the product passes 2^53.
 * @category Shape algebra
 */
export type Mul<A extends number, B extends number> = ToDigits<A> extends infer a extends Digits
  ? ToDigits<B> extends infer b extends Digits
    ? FromDigits<MulDigits<a, b>>
    : number
  : number;

/**
 * `A − B` on non-negative integer literals (negative results are negative literals); else `number`.
 * @category Shape algebra
 */
export type Sub<A extends number, B extends number> = ToDigits<A> extends infer a extends Digits
  ? ToDigits<B> extends infer b extends Digits
    ? CompareDigits<a, b> extends "lt"
      ? `-${JoinDigits<SubDigits<b, a>>}` extends `${infer N extends number}`
        ? N
        : number
      : FromDigits<SubDigits<a, b>>
    : number
  : number;

/**
 * `"lt" | "eq" | "gt"` comparing non-negative integer literals; `null` if either is not one.
 * @category Shape algebra
 */
export type Compare<A extends number, B extends number> = ToDigits<A> extends infer a extends Digits
  ? ToDigits<B> extends infer b extends Digits
    ? CompareDigits<a, b>
    : null
  : null;

/**
 * `[floor(A / D), A mod D]` for literals `A ≥ 0`, `D > 0`; `[number, number]` otherwise (incl. `D = 0`).
 * @category Shape algebra
 */
export type DivMod<A extends number, D extends number> = ToDigits<A> extends infer a extends Digits
  ? ToDigits<D> extends infer d extends Digits
    ? d extends readonly []
      ? [number, number]
      : d extends readonly [1]
        ? [A, 0]
        : DivModDigits<a, d> extends [infer q extends Digits, infer r extends Digits]
          ? [FromDigits<q>, FromDigits<r>]
          : [number, number]
    : [number, number]
  : [number, number];

/**
 * `floor(A / D)` (see `DivMod`).
 * @category Shape algebra
 */
export type FloorDiv<A extends number, D extends number> = DivMod<A, D>[0];

/**
 * `ceil(A / D)` for literals `A ≥ 0`, `D > 0`; else `number`.
 * @category Shape algebra
 */
export type CeilDiv<A extends number, D extends number> =
  DivMod<A, D> extends [infer Q extends number, infer R extends number] ? (R extends 0 ? Q : Add<Q, 1>) : number;

/**
 * The product of a list of dims: a literal when every dim is a literal, else `number`.
 * @category Shape algebra
 */
export type Product<S extends readonly unknown[]> = number extends S["length"]
  ? number
  : ProductDigits<S> extends infer P extends Digits
    ? FromDigits<P>
    : number;

/**
 * The absolute value of an integer literal as a literal (`-3` → `3`); `number` otherwise.
 * @category Shape algebra
 */
export type Abs<N extends number> = `${N}` extends `-${infer P extends number}` ? P : N;

/**
 * True for a negative number literal.
 * @category Shape algebra
 */
export type IsNegative<N extends number> = number extends N ? false : `${N}` extends `-${string}` ? true : false;

// ---- runtime twins ----

/**
 * True when `n` is a valid dim: a non-negative safe integer.
 * @category Shape algebra
 */
export function isNatural(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
}

/**
 * The product of runtime dims (1 for an empty list): the number of elements of a shape. The one
 * definition in the library; this module imports nothing, so core, backend and compiler code can
 * all use it without closing an import cycle.
 * @category Shape algebra
 */
export function product(dims: readonly number[]): number {
  let p = 1;
  for (const d of dims) p *= d;
  return p;
}

/**
 * `[floor(a / d), a mod d]` for `d > 0` (runtime twin of `DivMod`).
 * @category Shape algebra
 */
export function divMod(a: number, d: number): [number, number] {
  const q = Math.floor(a / d);
  return [q, a - q * d];
}

/**
 * `ceil(a / d)` (runtime twin of `CeilDiv`).
 * @category Shape algebra
 */
export function ceilDiv(a: number, d: number): number {
  return Math.ceil(a / d);
}
