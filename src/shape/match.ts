/**
 * @file Two shapes that must be equal (a loss's predictions and targets, a metric's predictions
 * and labels), twice: `ShapesAgree<A, B>` at the type level and `shapesAgree(a, b)` at run time.
 *
 * The ops that need it take each shape as its own type parameter and check them with this
 * relation, instead of one shared parameter (`pred: Tensor<S>, target: Tensor<S>`): a shared
 * parameter makes the checker look for a type both arguments fit, so dims known only at run time
 * (`number`) would be refused against literals, and a shared dim parameter (`Tensor<[B]>` twice)
 * is inferred as the union `64 | 32` of mismatched sizes and accepts them.
 */
import type { DimMatch, IsTuple, Shape } from "./dim.js";

type DimsAgree<A, B> = A extends readonly [infer a, ...infer AR]
  ? B extends readonly [infer b, ...infer BR]
    ? DimMatch<a, b> extends true
      ? DimsAgree<AR, BR>
      : false
    : false
  : B extends readonly []
    ? true
    : false;

/**
 * True when shapes `A` and `B` may be equal: the same rank and every pair of dims matching
 * (`number` matches anything, a name only itself); a shape of unknown rank agrees with any.
 * Dims that are type parameters agree with themselves (`[B, 10]` and `[B, 10]`); the ranks are
 * compared first, so a rank mismatch is decided even when a dim is a type parameter.
 * @category Shape algebra
 */
export type ShapesAgree<A extends Shape, B extends Shape> =
  IsTuple<A> extends false ? true : IsTuple<B> extends false ? true : A["length"] extends B["length"] ? DimsAgree<A, B> : false;

/**
 * Runtime twin of `ShapesAgree` on concrete shapes: equal rank and dims.
 * @category Shape algebra
 */
export function shapesAgree(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
