/**
 * @file The typed 2-d convolution `conv2d` on the `conv2d` primitive: NHWC input, HWIO filter,
 * strides and `"valid"` / `"same"` / explicit padding. The output shape is computed at the type
 * level (`Conv2dShape`, from `ConvSpatial`), and a channel mismatch or a kernel larger than the
 * padded input is a compile error naming both shapes, with the same text at run time.
 */
import type { DType, Promote } from "../dtype.js";
import { promoteDTypes } from "../dtype.js";
import type { Tensor } from "../core/tensor.js";
import * as core from "../core/ops.js";
import type { ConvSpatial, Padding } from "../shape/conv.js";
import { convSpatialShape } from "../shape/conv.js";
import type { Dim, DimMatch, IsTuple, Shape } from "../shape/dim.js";
import { ShapeError, showShape } from "../shape/errors.js";
import type { ShowShape } from "../shape/show.js";
import type { Checked, ShapeResult } from "./operand.js";
import { castTo, untyped } from "./operand.js";

/**
 * Strides of `conv2d`: one number for both spatial dims, or `[height, width]`.
 * @category Linear algebra
 */
export type Conv2dStrides = number | readonly [number, number];

/**
 * Options of `conv2d`.
 * @category Linear algebra
 */
export interface ConvOptions<S extends Conv2dStrides, P extends Padding> {
  /** Step between windows (default 1). */
  readonly strides?: S;
  /**
   * `"valid"` (no padding, the default), `"same"` (output `ceil(in / stride)`, the odd extra pad
   * after), or `[[top, bottom], [left, right]]`.
   */
  readonly padding?: P;
}

type KernelDim<K> = K extends number ? K : number;

/** `P` with its pairs as mutable tuples, the form `ConvSpatial` matches (a `const` argument infers readonly ones). */
type PlainPadding<P extends Padding> = P extends readonly [readonly [infer A extends number, infer B extends number], readonly [infer C extends number, infer D extends number]]
  ? [[A, B], [C, D]]
  : P;

/**
 * The output shape of `conv2d` with input `X` `[N, H, W, C]` and filter `F` `[kh, kw, C, O]`:
 * `[N, H', W', O]`, or an error message naming both shapes.
 * @category Linear algebra
 */
export type Conv2dShape<X extends Shape, F extends Shape, S extends Conv2dStrides = 1, P extends Padding = "valid"> =
  Conv2dOutShape<X, F, S, P> extends infer R ? R : never;

type Conv2dOutShape<X extends Shape, F extends Shape, S extends Conv2dStrides = 1, P extends Padding = "valid"> =
  IsTuple<X> extends false
    ? [number, number, number, number]
    : IsTuple<F> extends false
      ? [number, number, number, number]
      : X extends readonly [infer N extends Dim, infer H extends Dim, infer W extends Dim, infer C]
        ? F extends readonly [infer KH, infer KW, infer C2, infer O extends Dim]
          ? DimMatch<C, C2> extends true
            ? OutShape<X, F, N, O, ConvSpatial<[H, W], [KernelDim<KH>, KernelDim<KW>], S, PlainPadding<P>, 1, "conv2d">>
            : `conv2d: input channels differ: ${C & (number | string)} vs ${C2 & (number | string)} (x is ${ShowShape<X>}, w is ${ShowShape<F>})`
          : `conv2d: w must be [kh, kw, C, O], got ${ShowShape<F>}`
        : `conv2d: x must be [N, H, W, C], got ${ShowShape<X>}`;

type OutShape<X extends Shape, F extends Shape, N extends Dim, O extends Dim, HW> = HW extends string
  ? `${HW} (x is ${ShowShape<X>}, w is ${ShowShape<F>})`
  : HW extends readonly [infer H2 extends Dim, infer W2 extends Dim]
    ? [N, H2, W2, O]
    : [N, number, number, O];

/** Runtime twin of `Conv2dShape`: the output shape and the explicit padding, or a `ShapeError` with the same text. */
export function conv2dShape(
  x: readonly number[],
  w: readonly number[],
  strides: Conv2dStrides = 1,
  padding: Padding = "valid",
): { shape: number[]; padding: [[number, number], [number, number]] } {
  const both = `(x is ${showShape(x)}, w is ${showShape(w)})`;
  if (x.length !== 4) throw new ShapeError(`conv2d: x must be [N, H, W, C], got ${showShape(x)}`);
  if (w.length !== 4) throw new ShapeError(`conv2d: w must be [kh, kw, C, O], got ${showShape(w)}`);
  if (x[3] !== w[2]) throw new ShapeError(`conv2d: input channels differ: ${x[3]} vs ${w[2]} ${both}`);
  try {
    const out = convSpatialShape("conv2d", x.slice(1, 3), w.slice(0, 2), strides, padding);
    return { shape: [x[0], out.shape[0], out.shape[1], w[3]], padding: [out.padding[0], out.padding[1]] };
  } catch (e) {
    if (e instanceof ShapeError) throw new ShapeError(`${e.message} ${both}`);
    throw e;
  }
}

/**
 * 2-d convolution (a cross-correlation, as in every deep learning library) of an NHWC input
 * `[N, H, W, C]` with an HWIO filter `[kh, kw, C, O]`: `[N, H', W', O]`. Differentiable in both
 * operands, batchable and jittable; float operands (mixed dtypes promote).
 * @example
 * const y = conv2d(zeros([32, 28, 28, 1]), zeros([3, 3, 1, 16]), { padding: "same" }); // Tensor<[32, 28, 28, 16]>
 * @category Linear algebra
 */
export function conv2d<
  X extends Shape,
  F extends Shape,
  DX extends DType,
  DF extends DType,
  const S extends Conv2dStrides = 1,
  const P extends Padding = "valid",
>(
  x: Tensor<X, DX>,
  w: Checked<Conv2dShape<X, F, S, P>, Tensor<F, DF>>,
  options: ConvOptions<S, P> = {},
): Tensor<ShapeResult<Conv2dShape<X, F, S, P>>, Promote<DX, DF>> {
  const a = untyped(x);
  const b = untyped(w as Tensor<F, DF>);
  const strides = options.strides ?? 1;
  const { padding } = conv2dShape(a.shape, b.shape, strides, options.padding ?? "valid");
  const dtype = promoteDTypes(a.dtype, b.dtype);
  const s: [number, number] = typeof strides === "number" ? [strides, strides] : [strides[0], strides[1]];
  return core.conv2d(castTo(a, dtype), castTo(b, dtype), { strides: s, padding }) as never;
}
