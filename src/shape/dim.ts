/** @file Dims and shapes as types: a dim is a number literal, `number` (known at run time) or a symbolic name. */
import { ShapeError, showShape } from "./errors.js";

/**
 * One dimension: a literal size (`784`), `number` (known only at run time) or a name (`"batch"`).
 * @category Shape algebra
 */
export type Dim = number | string;

/**
 * A shape: dims outermost first.
 * @category Shape algebra
 */
export type Shape = readonly Dim[];

/**
 * True when `S` is a tuple (its rank is known to the type checker).
 * @category Shape algebra
 */
export type IsTuple<S extends Shape> = number extends S["length"] ? false : true;

/**
 * True when two dims may be equal: identical types, or either is wide (`number`, `string`: known
 * only at run time, so the check is left to the runtime twin). A name never equals a literal.
 *
 * The operands are wrapped in `[[…]]` so that a dim that is a type parameter (`B` in a function
 * generic over the batch) still resolves when it is compared with itself; a bare `B extends B`
 * would be deferred by the checker.
 * @category Shape algebra
 */
export type DimMatch<A, B> = [[A]] extends [[B]]
  ? [[B]] extends [[A]]
    ? true
    : WideMatch<A, B>
  : WideMatch<A, B>;

type WideMatch<A, B> = number extends A ? true : number extends B ? true : string extends A ? true : string extends B ? true : false;

/**
 * Of two matching dims, the one that says more: a literal or name beats a wide `number`/`string`.
 * @category Shape algebra
 */
export type MergeDim<A, B> = [[A]] extends [[B]] ? A : number extends A ? B : string extends A ? B : A;

/**
 * True when a dim is certainly the literal 1.
 * @category Shape algebra
 */
export type IsOne<D> = [[D]] extends [[1]] ? true : false;

/**
 * The rank of a shape as a number literal (`number` for an array of unknown length).
 * @category Shape algebra
 */
export type Rank<S extends Shape> = S["length"];

/**
 * A dim as the number it is at run time: a literal stays that literal, a name or `number` is
 * `number`. Distributive on purpose: for a dim that is a type parameter (`B extends Dim` in a
 * function generic over the batch) it stays `DimSize<B>`, which the checker knows is a `number`.
 * @category Shape algebra
 */
export type DimSize<D> = D extends number ? D : number;

/**
 * The runtime `shape` of a tensor typed `S`: read-only, literal dims kept, names and `number`
 * as `number`. `ShapeValue<["batch", 784]>` is `readonly [number, 784]`; of unknown rank,
 * `readonly number[]`.
 * @category Shape algebra
 */
export type ShapeValue<S extends Shape> = { readonly [K in keyof S]: DimSize<S[K]> };

/**
 * A shape argument as a tensor's shape type: `readonly [4, 8]` (e.g. another tensor's `shape`)
 * becomes `[4, 8]`. Functions that take a shape accept read-only arrays and type their result
 * with this, so `zeros(x.shape)` works; for a generic `S extends number[]` it relates to `S` itself.
 * @category Shape algebra
 */
export type Writable<S> = { -readonly [K in keyof S]: S[K] };

/**
 * A runtime dim is valid when it is a non-negative safe integer.
 * @category Shape algebra
 */
export function isValidDim(d: unknown): d is number {
  return typeof d === "number" && Number.isSafeInteger(d) && d >= 0;
}

/**
 * Checks that every dim of a runtime shape is a non-negative integer; throws
 * `${op}: invalid dim ${d} in shape [...] (dims are non-negative integers)` otherwise.
 * @category Shape algebra
 */
export function assertShape(op: string, shape: readonly unknown[]): asserts shape is readonly number[] {
  for (const d of shape) {
    if (!isValidDim(d)) {
      throw new ShapeError(`${op}: invalid dim ${String(d)} in shape ${showShape(shape as number[])} (dims are non-negative integers)`);
    }
  }
}
