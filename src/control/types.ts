/**
 * @file The types of the control-flow ops: a pytree with a scanned dim removed or added, the
 * length a scan reads off its inputs, and the compile-time check that two branches (or a carry
 * going in and coming out) have one type, with a message that names both.
 */
import type { DType } from "../dtype.js";
import type { Tensor } from "../core/tensor.js";
import type { Dim, Shape } from "../shape/dim.js";
import type { ShowShape } from "../shape/show.js";

/**
 * A pytree of tensors with the leading (scanned) dim of every tensor removed: what one step sees.
 * @category Control flow
 */
export type SliceOf<X> =
  X extends Tensor<infer S, infer D>
    ? S extends readonly [infer _N, ...infer Rest extends Shape]
      ? Tensor<Rest, D>
      : Tensor<Shape, D>
    : X extends null | undefined
      ? X
      : X extends readonly unknown[]
        ? { -readonly [K in keyof X]: SliceOf<X[K]> }
        : X extends object
          ? { -readonly [K in keyof X]: SliceOf<X[K]> }
          : X;

/**
 * A pytree of tensors stacked along a new leading dim `N`: what a scan returns for its `ys`.
 * @category Control flow
 */
export type Stacked<Y, N extends Dim> =
  Y extends Tensor<infer S, infer D>
    ? Tensor<[N, ...S], D>
    : Y extends null | undefined
      ? Y
      : Y extends readonly unknown[]
        ? { -readonly [K in keyof Y]: Stacked<Y[K], N> }
        : Y extends object
          ? { -readonly [K in keyof Y]: Stacked<Y[K], N> }
          : Y;

/**
 * The leading dim of the tensors of a pytree (`number` when the type does not say one).
 * @category Control flow
 */
export type LengthOf<X> = [LeadingDims<X>] extends [never] ? number : LeadingDims<X> extends [infer N] ? N : number;

/**
 * The leading dims of a pytree's tensors, each as a 1-tuple (so that a dim that is a type parameter
 * is not itself tested against `never`, a test the checker would defer).
 */
type LeadingDims<X> =
  X extends Tensor<infer S, DType>
    ? S extends readonly [infer N extends Dim, ...unknown[]]
      ? [N]
      : [number]
    : X extends readonly unknown[]
      ? LeadingDims<X[number]>
      : X extends object
        ? LeadingDims<X[keyof X]>
        : never;

/**
 * A pytree type as messages print it (tensors as `Tensor<[3, 4], float32>`, records as `{…}`).
 * @category Control flow
 */
export type ShowTree<X, Depth extends unknown[] = []> = Depth["length"] extends 3
  ? "…"
  : X extends Tensor<infer S, infer D>
    ? `Tensor<${ShowShape<S>}, ${D}>`
    : X extends null | undefined
      ? `${X}`
      : X extends readonly [infer H, ...infer R]
        ? R extends readonly []
          ? `[${ShowTree<H, [...Depth, 0]>}]`
          : `[${ShowTree<H, [...Depth, 0]>}, …]`
        : X extends readonly unknown[]
          ? `${ShowTree<X[number], [...Depth, 0]>}[]`
          : X extends object
            ? "{…}"
            : "a static value";

/**
 * `unknown` when `A` and `B` are one type (either assignable to the other); otherwise a message
 * naming both, which the parameter it is intersected with cannot satisfy.
 * @category Control flow
 */
export type SameType<Op extends string, What extends string, A, B> = [A] extends [B]
  ? unknown
  : [B] extends [A]
    ? unknown
    : `${Op}: ${What} differ: ${ShowTree<A>} vs ${ShowTree<B>}`;
