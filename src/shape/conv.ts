/**
 * @file Convolution and pooling output sizes, twice: `ConvOut<In, K, S, PadLo, PadHi, Dil>` at the
 * type level and `convOutSize(...)` at run time, with the same error text:
 * `out = floor((in + padLo + padHi − effectiveKernel) / stride) + 1`, where the effective kernel of
 * a dilated kernel is `dil·(k − 1) + 1`. Also the `"same"`/`"valid"` padding helpers and the
 * per-spatial-dim shape of an N-d convolution.
 */
import type { Add, CeilDiv, Compare, FloorDiv, IsNatural, Mul, Sub } from "./arith.js";
import type { Dim, IsTuple, Shape } from "./dim.js";
import { ShapeError, showShape } from "./errors.js";
import type { ShowList } from "./show.js";

type Lit<N> = N extends number ? (IsNatural<N> extends true ? N : never) : never;

type AllNatural<L> = L extends readonly [infer H, ...infer R] ? (IsNatural<H> extends true ? AllNatural<R> : false) : true;

/**
 * The output length of a convolution or pooling window along one dim, or an error message:
 * `ConvOut<28, 5>` is `24`, `ConvOut<32, 3, 1, 1, 1>` is `32`, `ConvOut<224, 7, 2, 3, 3>` is
 * `112`, and `ConvOut<3, 5>` is
 * `"conv: kernel 5 is larger than padded input 3 (input 3, padding 0+0)"`. A dim that is `number`
 * or a name gives `number`.
 * @category Shape algebra
 */
export type ConvOut<
  In,
  K extends number,
  S extends number = 1,
  PadLo extends number = 0,
  PadHi extends number = 0,
  Dil extends number = 1,
  Op extends string = "conv",
> =
  ConvOutSize<In, K, S, PadLo, PadHi, Dil, Op> extends infer R ? R : never;

type ConvOutSize<
  In,
  K extends number,
  S extends number = 1,
  PadLo extends number = 0,
  PadHi extends number = 0,
  Dil extends number = 1,
  Op extends string = "conv",
> =
  Compare<K, 0> extends "eq"
    ? `${Op}: kernel size must be positive, got 0`
    : Compare<S, 0> extends "eq"
      ? `${Op}: stride must be positive, got 0`
      : Compare<Dil, 0> extends "eq"
        ? `${Op}: dilation must be positive, got 0`
        : AllNatural<[In, K, S, PadLo, PadHi, Dil]> extends true
          ? ConvOutLit<Lit<In>, S, PadLo, PadHi, Add<Mul<Dil, Sub<K, 1>>, 1>, Op>
          : number;

type ConvOutLit<In extends number, S extends number, PadLo extends number, PadHi extends number, EK extends number, Op extends string> =
  Add<Add<In, PadLo>, PadHi> extends infer P extends number
    ? Compare<P, EK> extends "lt"
      ? `${Op}: kernel ${EK} is larger than padded input ${P} (input ${In}, padding ${PadLo}+${PadHi})`
      : Add<FloorDiv<Sub<P, EK>, S>, 1>
    : never;

/**
 * Pooling output length: `ConvOut` with the stride defaulting to the window, named `pool` in messages.
 * @category Shape algebra
 */
export type PoolOut<In, K extends number, S extends number = K, PadLo extends number = 0, PadHi extends number = 0, Op extends string = "pool"> =
  ConvOut<In, K, S, PadLo, PadHi, 1, Op>;

/**
 * `[padLo, padHi]` for `"same"` padding (TensorFlow's rule: output `ceil(in / stride)`, the odd
 * extra pad goes after): `SamePadding<28, 5>` is `[2, 2]`, `SamePadding<224, 7, 2>` is `[2, 3]`.
 * @category Shape algebra
 */
export type SamePadding<In, K extends number, S extends number = 1, Dil extends number = 1> =
  SamePaddingOf<In, K, S, Dil> extends infer R ? R : never;

type SamePaddingOf<In, K extends number, S extends number = 1, Dil extends number = 1> =
  AllNatural<[In, K, S, Dil]> extends true
    ? Add<Mul<Dil, Sub<K, 1>>, 1> extends infer EK extends number
      ? Sub<Add<Mul<Sub<CeilDiv<Lit<In>, S>, 1>, S>, EK>, Lit<In>> extends infer T extends number
        ? `${T}` extends `-${string}`
          ? [0, 0]
          : [FloorDiv<T, 2>, Sub<T, FloorDiv<T, 2>>]
        : never
      : never
    : [number, number];

/**
 * Padding of a convolution: `"valid"` (none), `"same"`, or `[lo, hi]` per spatial dim.
 * @category Shape algebra
 */
export type Padding = "valid" | "same" | readonly (readonly [number, number])[];

type At<L, I extends number, Default> = L extends readonly unknown[] ? (L[I] extends undefined ? Default : L[I]) : L;

type ConvDims<
  In,
  K,
  S,
  P,
  D,
  Op extends string,
  Idx extends 0[] = [],
  Out extends Dim[] = [],
> = In extends readonly [infer i extends Dim, ...infer IR]
  ? K extends readonly [infer k extends number, ...infer KR]
    ? At<S, Idx["length"], 1> extends infer s extends number
      ? At<D, Idx["length"], 1> extends infer d extends number
        ? KeepsDim<P, Idx["length"], k, s, d> extends true
          ? ConvDims<IR, KR, S, P, D, Op, [...Idx, 0], [...Out, i]>
          : (P extends "valid" ? [0, 0] : P extends "same" ? SamePadding<i, k, s, d> : At<P, Idx["length"], [0, 0]>) extends [
            infer lo extends number,
            infer hi extends number,
          ]
            ? ConvOut<i, k, s, lo, hi, d, Op> extends infer o
              ? o extends string
                ? o
                : ConvDims<IR, KR, S, P, D, Op, [...Idx, 0], [...Out, o & Dim]>
              : never
            : never
        : never
      : never
    : Out
  : Out;

/**
 * True when a (non-empty, undilated-by-0) window leaves its dim as it is, whatever its size: `"same"` padding with stride 1,
 * or a window of 1 with stride 1 and no padding. Decided from the window, stride and padding alone
 * (never the input dim), so the input dim passes through unchanged also when it is a name or a type
 * parameter (`conv2d(x, k, { padding: "same" })` of `[B, H, W, C]` is `[B, H, W, O]`).
 */
type KeepsDim<P, Idx extends number, k, s, d> = [k] extends [0]
  ? false
  : [d] extends [0]
    ? false
    : KeepsDimSized<P, Idx, k, s>;

type KeepsDimSized<P, Idx extends number, k, s> = [P, s] extends ["same", 1]
  ? true
  : [k, s] extends [1, 1]
    ? P extends "valid"
      ? true
      : At<P, Idx, [0, 0]> extends readonly [0, 0]
        ? true
        : false
    : false;

/**
 * The spatial output shape of an N-d convolution or pooling, or an error message:
 * `ConvSpatial<[28, 28], [5, 5]>` is `[24, 24]`, `ConvSpatial<[32, 32], [3, 3], 2, "same">` is
 * `[16, 16]`. `Strides` and `Dilation` are one number for all dims or one per dim.
 * @category Shape algebra
 */
export type ConvSpatial<
  In extends Shape,
  K extends readonly number[],
  Strides extends number | readonly number[] = 1,
  Pad extends Padding = "valid",
  Dilation extends number | readonly number[] = 1,
  Op extends string = "conv",
> =
  ConvSpatialShape<In, K, Strides, Pad, Dilation, Op> extends infer R ? R : never;

type ConvSpatialShape<
  In extends Shape,
  K extends readonly number[],
  Strides extends number | readonly number[] = 1,
  Pad extends Padding = "valid",
  Dilation extends number | readonly number[] = 1,
  Op extends string = "conv",
> =
  IsTuple<In> extends true
    ? In["length"] extends K["length"]
      ? ConvDims<In, K, Strides, Pad, Dilation, Op>
      : `${Op}: kernel ${ShowList<K>} has ${K["length"]} spatial dims but the input has ${In["length"]}`
    : number[];

/**
 * Runtime twin of `ConvOut`: the output length along one dim, or a `ShapeError` with the same text.
 * @category Shape algebra
 */
export function convOutSize(op: string, input: number, k: number, stride = 1, padLo = 0, padHi = 0, dilation = 1): number {
  if (k === 0) throw new ShapeError(`${op}: kernel size must be positive, got 0`);
  if (stride === 0) throw new ShapeError(`${op}: stride must be positive, got 0`);
  if (dilation === 0) throw new ShapeError(`${op}: dilation must be positive, got 0`);
  for (const [name, v] of [["input", input], ["kernel", k], ["stride", stride], ["padding", padLo], ["padding", padHi], ["dilation", dilation]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new ShapeError(`${op}: ${name} ${v} is not a non-negative integer`);
  }
  const ek = dilation * (k - 1) + 1;
  const p = input + padLo + padHi;
  if (p < ek) {
    throw new ShapeError(`${op}: kernel ${ek} is larger than padded input ${p} (input ${input}, padding ${padLo}+${padHi})`);
  }
  return Math.floor((p - ek) / stride) + 1;
}

/**
 * Runtime twin of `SamePadding`.
 * @category Shape algebra
 */
export function samePadding(input: number, k: number, stride = 1, dilation = 1): [number, number] {
  const ek = dilation * (k - 1) + 1;
  const total = Math.max((Math.ceil(input / stride) - 1) * stride + ek - input, 0);
  const lo = Math.floor(total / 2);
  return [lo, total - lo];
}

/**
 * Runtime twin of `ConvSpatial`: output spatial dims and the explicit padding used.
 * @category Shape algebra
 */
export function convSpatialShape(
  op: string,
  input: readonly number[],
  kernel: readonly number[],
  strides: number | readonly number[] = 1,
  padding: Padding = "valid",
  dilation: number | readonly number[] = 1,
): {
  /** The output's spatial dims. */
  shape: number[];
  /** The `[lo, hi]` padding of each spatial dim (`"same"` and `"valid"` resolved). */
  padding: [number, number][];
} {
  if (input.length !== kernel.length) {
    throw new ShapeError(`${op}: kernel ${showShape(kernel)} has ${kernel.length} spatial dims but the input has ${input.length}`);
  }
  const at = (v: number | readonly number[], i: number): number => (typeof v === "number" ? v : (v[i] ?? 1));
  const pads: [number, number][] = input.map((d, i) =>
    padding === "valid"
      ? [0, 0]
      : padding === "same"
        ? samePadding(d, kernel[i], at(strides, i), at(dilation, i))
        : [padding[i]?.[0] ?? 0, padding[i]?.[1] ?? 0],
  );
  const shape = input.map((d, i) => convOutSize(op, d, kernel[i], at(strides, i), pads[i][0], pads[i][1], at(dilation, i)));
  return { shape, padding: pads };
}
