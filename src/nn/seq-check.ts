/**
 * @file The shape checks of the sequence layers (attention, transformer blocks, positional
 * embeddings), twice: type-level (`KeepSeq`, `FitSeq`, used by their `LayerFn`s) and at run time
 * (`expectSeq`, `expectFitSeq`, throwing `ShapeError` with the same text), as `shape-check.ts`
 * does for the other layers.
 */
import type { AnyTensor } from "../core/ops.js";
import type { Tensor } from "../core/tensor.js";
import type { DType } from "../dtype.js";
import type { Compare } from "../shape/arith.js";
import type { DimMatch, IsTuple } from "../shape/dim.js";
import { ShapeError, showShape } from "../shape/errors.js";
import type { ShowDim, ShowShape } from "../shape/show.js";
import type { Value } from "./layer.js";
import type { NotOneTensor } from "./shape-check.js";
import { perExample } from "./shape-check.js";

// ---- type level ----

/**
 * A shape of unknown rank whose last dim is known (`[...Dim[], 64]`, what a layer such as
 * `embedding` gives when `serial` checks a stack at construction): `X` when that dim may be `F`,
 * else the message. Without a known last dim, `X`.
 */
type OpenLast<X, S, F extends number, Expects extends string> = S extends readonly [...infer _Lead, infer Last]
  ? DimMatch<Last, F> extends true
    ? X
    : `${Expects} but got [..., ${ShowDim<Last>}]`
  : X;

/**
 * A layer that keeps a sequence `[..., seq, F]` as it is (attention, transformer blocks):
 * the input, or `"<name> expects input [..., seq, F] but got [S]"`.
 * @category Layers
 */
export type KeepSeq<X, Name extends string, F extends number> =
  X extends Tensor<infer S, DType>
    ? IsTuple<S> extends false
      ? OpenLast<X, S, F, `${Name} expects input [..., seq, ${F}]`>
      : S extends readonly [...infer _Lead, infer _T, infer Last]
        ? DimMatch<Last, F> extends true
          ? X
          : `${Name} expects input [..., seq, ${F}] but got ${ShowShape<S>}`
        : `${Name} expects input [..., seq, ${F}] but got ${ShowShape<S>}`
    : NotOneTensor<Name, X>;

/** True unless `T` is a literal larger than `L`. */
type AtMost<T, L extends number> = T extends number ? (Compare<T, L> extends "gt" ? false : true) : true;

/**
 * A layer that keeps a sequence `[seq, F]` whose length is at most `L` (positional embeddings):
 * the input, or `"<name> expects input [seq ≤ L, F] but got [S]"`.
 * @category Layers
 */
export type FitSeq<X, Name extends string, L extends number, F extends number> =
  X extends Tensor<infer S, DType>
    ? IsTuple<S> extends false
      ? OpenLast<X, S, F, `${Name} expects input [seq ≤ ${L}, ${F}]`>
      : S extends readonly [infer T, infer Last]
        ? DimMatch<Last, F> extends true
          ? AtMost<T, L> extends true
            ? X
            : `${Name} expects input [seq ≤ ${L}, ${F}] but got ${ShowShape<S>}`
          : `${Name} expects input [seq ≤ ${L}, ${F}] but got ${ShowShape<S>}`
        : `${Name} expects input [seq ≤ ${L}, ${F}] but got ${ShowShape<S>}`
    : NotOneTensor<Name, X>;

// ---- run time ----

/** Runtime twin of `KeepSeq`'s check: per example `[..., seq, features]`. */
export function expectSeq(name: string, x: Value, features: number): AnyTensor {
  const s = perExample(name, x);
  if (s.length < 2 || s[s.length - 1] !== features) {
    throw new ShapeError(`${name} expects input [..., seq, ${features}] but got ${showShape(s)}`);
  }
  return x as AnyTensor;
}

/** Runtime twin of `FitSeq`'s check: per example `[seq, features]` with `seq ≤ maxLen`. */
export function expectFitSeq(name: string, x: Value, maxLen: number, features: number): AnyTensor {
  const s = perExample(name, x);
  if (s.length !== 2 || s[1] !== features || s[0] > maxLen) {
    throw new ShapeError(`${name} expects input [seq ≤ ${maxLen}, ${features}] but got ${showShape(s)}`);
  }
  return x as AnyTensor;
}
