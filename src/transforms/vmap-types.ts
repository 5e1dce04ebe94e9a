/**
 * @file The static types of `vmap` (Autodidax's "vmap" with JAX's `in_axes`/`out_axes`): where the
 * mapped dim enters each argument and leaves each output, negative axes included, and the check
 * that every mapped argument has the same size along its axis (the text the runtime throws).
 *
 * The mapped size is read from the arguments, never inferred as one shared type parameter: with
 * `<B>(x: Tensor<[B, 3]>, y: Tensor<[B, 3]>)` the checker would infer `B = 64 | 32` for arguments
 * of 64 and 32 rows and accept them. Here each argument's size is found at its axis and the sizes
 * are compared with `DimMatch`, so a `number` size matches anything and a literal or name wins.
 */
import type { Tensor } from "../core/tensor.js";
import type { BatchDim } from "../core/primitive.js";
import type { DType } from "../dtype.js";
import type { NormalizeAxis } from "../shape/axis.js";
import type { InsertDim, NormalizeNewAxis } from "../shape/concat.js";
import type { Dim, DimMatch, IsTuple, MergeDim, Shape } from "../shape/dim.js";
import type { ShowDim, ShowShape } from "../shape/show.js";

/**
 * The axis option given for argument (or output) `K`: one axis for all, or the `K`-th of a list.
 * @category Transforms
 */
export type AxisFor<Axes, K> = Axes extends readonly unknown[] ? (K extends keyof Axes ? Axes[K] : 0) : Axes;

/**
 * Per-example shape `S` with the mapped dim `B` at axis `Ax`, counted in the batched shape (so in
 * `[-(r+1), r]` for rank `r`, as `expandDims`): `InsertAxis<[2, 3], 1, 8>` is `[2, 8, 3]` and
 * `InsertAxis<[2, 3], -1, 8>` is `[2, 3, 8]`. An axis out of range gives the runtime's message; a
 * wide axis or shape, a shape of unknown rank.
 * @category Transforms
 */
export type InsertAxis<S extends Shape, Ax, B> =
  IsTuple<S> extends false
    ? Dim[]
    : number extends Ax
      ? Dim[]
      : NormalizeNewAxis<Ax, S["length"]> extends [infer n]
        ? InsertDim<S, n, B>
        : `vmap: axis ${Ax & number} is out of range for per-example shape ${ShowShape<S>} (valid: ${NegRank<S>} to ${S["length"]})`;

type NegRank<S extends Shape> = `-${[...S, 0]["length"] & number}`;

/**
 * A pytree with the mapped dim `B` inserted at axis `Ax` of every tensor (`null`: unchanged). `Ax`
 * may be an axis tree (an array or record shaped like a prefix of `X`, as `inAxes` takes it): each
 * subtree follows its own axis. A tree where `X` has a tensor gives the runtime's complaint.
 * @category Transforms
 */
export type BatchedAt<X, B, Ax> = [Ax] extends [null]
  ? X
  : Ax extends object
    ? X extends Tensor<Shape, DType>
      ? `vmap: an axis tree where the argument has a tensor (an axis tree must be a prefix of its argument's tree)`
      : X extends readonly unknown[]
        ? { -readonly [K in keyof X]: K extends keyof Ax ? BatchedAt<X[K], B, Ax[K]> : X[K] }
        : X extends object
          ? { [K in keyof X]: K extends keyof Ax ? BatchedAt<X[K], B, Ax[K]> : X[K] }
          : X
    : X extends Tensor<infer S, infer D>
      ? InsertAxis<S, Ax, B> extends infer S2 extends Shape
        ? Tensor<S2, D>
        : InsertAxis<S, Ax, B>
      : X extends readonly unknown[]
        ? { -readonly [K in keyof X]: BatchedAt<X[K], B, Ax> }
        : X extends object
          ? { [K in keyof X]: BatchedAt<X[K], B, Ax> }
          : X;

/**
 * The type of an argument `X` mapped along axis tree `A` with mapped size `B`: the tensors under
 * an axis gain `B` at that axis, those under `null` keep their type. The same as `BatchedAt`, with
 * the arguments in the order `Batched` takes them.
 * @category Transforms
 */
export type BatchedAlong<X, A, B> = BatchedAt<X, B, A>;

/**
 * The argument types a vmapped `f` takes, with `B` as the mapped size: argument `K` of `P` with `B`
 * inserted at its in axis (unchanged for `null`).
 * @category Transforms
 */
export type BatchedArgs<P extends readonly unknown[], InAxes, B> = {
  -readonly [K in keyof P]: BatchedAt<P[K], B, AxisFor<InAxes, K>>;
};

/**
 * The sizes of a batched argument `X` along axis `Ax` (of its batched rank), one per tensor leaf;
 * an axis tree `Ax` takes each subtree's sizes along its own axis (none under `null`).
 */
type SizesAt<X, Ax> = [Ax] extends [null]
  ? []
  : Ax extends object
    ? TreeSizes<X, Ax>
    : X extends Tensor<infer S, DType>
      ? IsTuple<S> extends false
        ? [number]
        : NormalizeAxis<Ax, S["length"]> extends [infer n]
          ? number extends n
            ? [number]
            : [S[n & keyof S]]
          : []
      : X extends readonly [infer H, ...infer R]
        ? [...SizesAt<H, Ax>, ...SizesAt<R, Ax>]
        : X extends readonly (infer E)[]
          ? SizesAt<E, Ax>
          : X extends object
            ? KeyList<keyof X> extends infer Keys
              ? FieldSizes<X, Keys, Ax>
              : never
            : [];

/** The sizes under an axis tree: tuple entries and record fields each with their own subtree. */
type TreeSizes<X, Ax> = X extends Tensor<Shape, DType>
  ? []
  : X extends readonly unknown[]
    ? TupleTreeSizes<X, Ax>
    : X extends object
      ? KeyList<keyof X> extends infer Keys
        ? FieldTreeSizes<X, Keys, Ax>
        : never
      : [];

type TupleTreeSizes<X, Ax> = X extends readonly [infer H, ...infer R]
  ? Ax extends readonly [infer AH, ...infer AR]
    ? [...SizesAt<H, AH>, ...TupleTreeSizes<R, AR>]
    : []
  : [];

type FieldTreeSizes<X, Keys, Ax, Acc extends unknown[] = []> = Keys extends readonly [infer K, ...infer R]
  ? FieldTreeSizes<X, R, Ax, [...Acc, ...(K extends keyof Ax ? SizesAt<X[K & keyof X], Ax[K]> : [])]>
  : Acc;

type FieldSizes<X, Keys, Ax, Acc extends unknown[] = []> = Keys extends readonly [infer K, ...infer R]
  ? FieldSizes<X, R, Ax, [...Acc, ...SizesAt<X[K & keyof X], Ax>]>
  : Acc;

// The keys of a record as a tuple, so its leaves' sizes are compared one by one (a union of them
// would hide a mismatch). Keys are literal types, never type parameters, so this always resolves.
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type LastOf<U> = UnionToIntersection<U extends unknown ? () => U : never> extends () => infer L ? L : never;
type KeyList<U, Acc extends unknown[] = []> = [U] extends [never] ? Acc : LastOf<U> extends infer L ? KeyList<Exclude<U, L>, [L, ...Acc]> : never;

/**
 * Folds the sizes of argument `I` into the running size `Acc` (none yet while `Started` is false),
 * or gives the runtime's message on a mismatch. A flag rather than a sentinel type: a test of `Acc`
 * against a sentinel cannot be decided when `Acc` is a type parameter.
 */
type FoldSizes<Sizes, Acc, Started extends boolean, I extends number> = Sizes extends readonly [infer s, ...infer R]
  ? Started extends false
    ? FoldSizes<R, s, true, I>
    : DimMatch<Acc, s> extends true
      ? FoldSizes<R, MergeDim<Acc, s>, true, I>
      : `vmap: mapped axes have different sizes: ${ShowDim<Acc>} vs ${ShowDim<s>} (argument ${I})`
  : [Acc, Started];

type ArgsSize<A, InAxes, Acc = number, Started extends boolean = false, Idx extends 0[] = []> = A extends readonly [infer H, ...infer R]
  ? AxisFor<InAxes, `${Idx["length"]}`> extends infer Ax
    ? [Ax] extends [null]
      ? ArgsSize<R, InAxes, Acc, Started, [...Idx, 0]>
      : FoldSizes<SizesAt<H, Ax>, Acc, Started, Idx["length"]> extends [infer Next, infer S extends boolean]
        ? ArgsSize<R, InAxes, Next, S, [...Idx, 0]>
        : FoldSizes<SizesAt<H, Ax>, Acc, Started, Idx["length"]>
    : never
  : [Acc];

/**
 * The mapped size of a call with arguments `A`: `[size]` (a literal or a name when any argument
 * says so, `number` when all are `number`), or the message naming the first argument whose size
 * differs: `"vmap: mapped axes have different sizes: 64 vs 32 (argument 1)"`.
 * @category Transforms
 */
export type MappedSize<A, InAxes> = ArgsSize<A, InAxes> extends infer R ? (R extends [infer B] ? [B] : R extends string ? R : [number]) : never;

/**
 * `A` as it is, or with the argument that does not fit replaced by the message (so the error lands on it).
 * @category Transforms
 */
export type CheckMappedArgs<A extends readonly unknown[], InAxes> =
  MappedSize<A, InAxes> extends infer R extends string
    ? R extends `${string}(argument ${infer I extends number})`
      ? { [K in keyof A]: K extends `${I}` ? R : A[K] }
      : A
    : A;

/**
 * The result of a vmapped `f` returning `R`, mapped size `B`: one out axis moves the mapped dim of
 * every output tensor there (`null`: unchanged); an axis tree (JAX's `out_axes` pytree), shaped
 * like a prefix of `R`, gives each subtree its own axis. A list of one axis for a result that is
 * one tensor applies to it.
 * @category Transforms
 */
export type BatchedResult<R, B, OutAxes> = OutAxes extends readonly [infer A]
  ? R extends Tensor<Shape, DType>
    ? BatchedAt<R, B, A>
    : BatchedAt<R, B, OutAxes>
  : BatchedAt<R, B, OutAxes>;

/** ` at <path>`, or nothing at the root. */
type At<Path extends string> = Path extends "" ? "" : ` at ${Path}`;

/** How a node of the result reads in a mismatch message (as the runtime says it). */
type Describe<X> =
  X extends Tensor<Shape, DType>
    ? "a tensor"
    : X extends readonly unknown[]
      ? number extends X["length"]
        ? "an array"
        : `an array of ${X["length"]}`
      : X extends object
        ? "a record"
        : "not a tensor";

type Prefix = "(an axis tree must be a prefix of the result's tree)";

/** The keys of a record type, for messages. */
type KeysOf<T> = KeyList<keyof T> extends infer L extends readonly unknown[] ? JoinKeys<L> : string;
type JoinKeys<L extends readonly unknown[]> = L extends readonly [infer H extends string, ...infer R] ? (R extends readonly [] ? H : `${H}, ${JoinKeys<R>}`) : "";

/**
 * The first place where the out axis tree `Ax` is not a prefix of the result `X` (its message, as
 * the runtime gives it), or `never` where it is. `Path` is where `X` sits in the result.
 */
type OutTreeError<X, Ax, Path extends string> = 0 extends 1 & X
  ? never
  : [Ax] extends [null]
    ? never
    : Ax extends number
      ? never
      : Ax extends readonly unknown[]
        ? X extends readonly unknown[]
          ? number extends X["length"]
            ? never
            : X["length"] extends Ax["length"]
              ? { [K in keyof Ax & `${number}`]: OutTreeError<X[K & keyof X], Ax[K], `${Path}[${K}]`> }[keyof Ax & `${number}`]
              : `vmap: outAxes${Path} is an array of ${Ax["length"]} axis trees where the output${At<Path>} is ${Describe<X>} ${Prefix}`
          : `vmap: outAxes${Path} is an array of ${Ax["length"]} axis trees where the output${At<Path>} is ${Describe<X>} ${Prefix}`
        : Ax extends object
          ? X extends Tensor<Shape, DType>
            ? `vmap: outAxes${Path} is a record with keys {${KeysOf<Ax>}} where the output${At<Path>} is a tensor ${Prefix}`
            : X extends readonly unknown[]
              ? `vmap: outAxes${Path} is a record with keys {${KeysOf<Ax>}} where the output${At<Path>} is ${Describe<X>} ${Prefix}`
              : X extends object
                ? [Exclude<keyof X, keyof Ax> | Exclude<keyof Ax, keyof X>] extends [never]
                  ? { [K in keyof Ax]: OutTreeError<X[K & keyof X], Ax[K], `${Path}.${K & string}`> }[keyof Ax]
                  : `vmap: outAxes${Path} is a record with keys {${KeysOf<Ax>}} where the output${At<Path>} is a record with keys {${KeysOf<X>}} ${Prefix}`
                : `vmap: outAxes${Path} is a record with keys {${KeysOf<Ax>}} where the output${At<Path>} is ${Describe<X>} ${Prefix}`
          : never;

/**
 * `unknown` when the out axis tree `OutAxes` fits the result `R` (a prefix of its tree, or one
 * axis); otherwise an `outAxes` option of the message's type, so the error lands on the option.
 * @category Transforms
 */
export type CheckOutAxes<R, OutAxes> = [OutAxes] extends [number | null]
  ? unknown // decided without R, so that a generic caller's result type needs no resolving
  : (
        OutAxes extends readonly [infer A] ? (R extends Tensor<Shape, DType> ? OutTreeError<R, A, "[0]"> : OutTreeError<R, OutAxes, "">) : OutTreeError<R, OutAxes, "">
      ) extends infer E
    ? [E] extends [never]
      ? unknown
      : {
          /** The message of the mismatch, as the type the option must have (no value has it). */
          readonly outAxes: E;
        }
    : unknown;

/**
 * Axis options as given: one axis (or `null`) for all, or one per argument / output.
 * @category Transforms
 */
export type Axes = BatchDim | readonly BatchDim[];
