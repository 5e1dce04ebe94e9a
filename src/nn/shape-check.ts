/**
 * @file The shape checks layers share, twice: type-level (`ShapesMatch`, `FixedMap`, …, used by
 * the layer functions in `LayerFn`s) and at run time (`expectShape`, …, throwing `ShapeError`
 * with the same text), so a mis-wired stack says the same thing to `tsc` and to a traced call.
 */
import type { AnyTensor } from "../core/ops.js";
import type { Tensor } from "../core/tensor.js";
import { checkDType, isFloat, type DType, type FloatDType } from "../dtype.js";
import { DTypeError } from "../core/errors.js";
import type { DimMatch, IsTuple, Shape } from "../shape/dim.js";
import { ShapeError, showShape } from "../shape/errors.js";
import type { ShowShape } from "../shape/show.js";
import type { Value } from "./layer.js";

// ---- type level ----

/** True when two dims may be equal (a wide `number` or `string` matches anything). */
type DimsMatch<A, B> = A extends readonly [infer a, ...infer AR]
  ? B extends readonly [infer b, ...infer BR]
    ? DimMatch<a, b> extends true
      ? DimsMatch<AR, BR>
      : false
    : false
  : B extends readonly []
    ? true
    : false;

/**
 * True when two shapes may be equal; a shape of unknown rank matches any shape.
 * @category Layers
 */
export type ShapesMatch<A extends Shape, B extends Shape> =
  IsTuple<A> extends false ? true : IsTuple<B> extends false ? true : A["length"] extends B["length"] ? DimsMatch<A, B> : false;

/**
 * How a per-example value is printed in messages: its shape, or a list of shapes for a tuple.
 * @category Layers
 */
export type ShowValue<X> =
  X extends Tensor<infer S, DType> ? ShowShape<S> : X extends readonly unknown[] ? `a tuple of ${X["length"]} tensors` : "a non-tensor";

/**
 * The message for a layer that takes one tensor but was given something else.
 * @category Layers
 */
export type NotOneTensor<Name extends string, X> = `${Name} expects one tensor but got ${ShowValue<X>}`;

/**
 * A layer that maps per-example shape `In` to `Out`, keeping the dtype: the output tensor type,
 * or `"<name> expects input [In] but got [S]"`.
 * @category Layers
 */
export type FixedMap<X, Name extends string, In extends Shape, Out extends Shape> =
  X extends Tensor<infer S, infer D>
    ? ShapesMatch<S, In> extends true
      ? Tensor<Out, D>
      : `${Name} expects input ${ShowShape<In>} but got ${ShowShape<S>}`
    : NotOneTensor<Name, X>;

/**
 * A layer that keeps any single tensor as it is (activations, dropout, identity).
 * @category Layers
 */
export type KeepTensor<X, Name extends string> = X extends Tensor<infer _S, infer _D> ? X : NotOneTensor<Name, X>;

/**
 * A layer that keeps a tensor whose last dim is `F` (normalisations): `"<name> expects input [..., F] but got [S]"`.
 * @category Layers
 */
export type KeepLastDim<X, Name extends string, F extends number> =
  X extends Tensor<infer S, DType>
    ? IsTuple<S> extends false
      ? X
      : S extends readonly [...infer _Lead, infer Last]
        ? DimMatch<Last, F> extends true
          ? X
          : `${Name} expects input [..., ${F}] but got ${ShowShape<S>}`
        : `${Name} expects input [..., ${F}] but got ${ShowShape<S>}`
    : NotOneTensor<Name, X>;

// ---- run time ----

/** The per-example shape of a batched runtime tensor (all dims after the first). */
export function perExample(name: string, x: Value): number[] {
  const t = oneTensor(name, x);
  if (t.ndim === 0) throw new ShapeError("apply: the input needs a leading batch dim, but it is a scalar");
  return t.shape.slice(1);
}

/** `x` as one tensor, or a `ShapeError` in the words of `NotOneTensor`. */
export function oneTensor(name: string, x: Value): AnyTensor {
  if (Array.isArray(x)) throw new ShapeError(`${name} expects one tensor but got a tuple of ${x.length} tensors`);
  return x as AnyTensor;
}

/** Runtime twin of `FixedMap`'s check: the per-example shape of `x` must be `expected`. */
export function expectShape(name: string, x: Value, expected: readonly number[]): AnyTensor {
  const s = perExample(name, x);
  if (s.length !== expected.length || s.some((d, i) => d !== expected[i])) {
    throw new ShapeError(`${name} expects input ${showShape(expected)} but got ${showShape(s)}`);
  }
  return x as AnyTensor;
}

/** Runtime twin of `KeepLastDim`'s check. */
export function expectLastDim(name: string, x: Value, features: number): AnyTensor {
  const s = perExample(name, x);
  if (s.length === 0 || s[s.length - 1] !== features) {
    throw new ShapeError(`${name} expects input [..., ${features}] but got ${showShape(s)}`);
  }
  return x as AnyTensor;
}

/** Checks that a layer size given at construction is a positive integer. */
export function checkSize(name: string, what: string, n: number): void {
  if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`${name}: ${what} must be a positive integer, got ${n}`);
}

/** The `dtype` option of a layer, checked (float32 when absent). */
export function layerDType(name: string, dtype: unknown): FloatDType {
  if (dtype === undefined) return "float32";
  checkDType(name, dtype);
  if (!isFloat(dtype)) throw new DTypeError(`${name}: parameters are float32 or float64, got "${dtype}"`);
  return dtype;
}
