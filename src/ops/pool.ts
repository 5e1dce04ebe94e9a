/**
 * @file Pooling ops, channels last, on the `reduceWindow` primitive: `maxPool2d` / `avgPool2d`
 * over `[N, H, W, C]`, `maxPool1d` / `avgPool1d` over `[N, L, C]`, `globalMaxPool` /
 * `globalAvgPool` over `[N, ...spatial, C]`, and `reduceWindow` itself over every dim. Output
 * shapes are computed at the type level (`ConvSpatial`, as for convolutions), and a window larger
 * than the padded input is a compile error with the text the runtime throws.
 *
 * Max pooling's gradient is one `selectAndScatterAdd` kernel that splits a window's cotangent
 * evenly among tied maxima (JAX picks one). Average pooling with padding divides by the whole
 * window by default (padding counts as zeros: PyTorch's and Flax's default,
 * `count_include_pad=True`); `{ countIncludePad: false }` divides by the elements inside the input
 * instead (TensorFlow's "same" average pooling).
 */
import type { DType } from "../dtype.js";
import type { Tensor } from "../core/tensor.js";
import * as core from "../core/ops.js";
import type { WindowParams } from "../core/primitive.js";
import { reduceWindowOf } from "../primitives/_window.js";
import type { ConvSpatial, Padding } from "../shape/conv.js";
import { convSpatialShape } from "../shape/conv.js";
import type { Dim, IsTuple, Shape } from "../shape/dim.js";
import { product } from "../shape/arith.js";
import { ShapeError, showShape } from "../shape/errors.js";
import type { ShowShape } from "../shape/show.js";
import type { Checked, FloatOf, ShapeResult, T } from "./operand.js";
import { castTo, floatOf, untyped } from "./operand.js";

/**
 * A window size or stride of a 2-d pool: one number for both spatial dims, or `[height, width]`.
 * @category Pooling
 */
export type PoolSize2 = number | readonly [number, number];

/**
 * Options of the pooling ops. `S` is the stride (default: the window), `P` the padding.
 * @category Pooling
 */
export interface PoolOptions<S, P> {
  /** Step between windows (default: the window size, so windows do not overlap). */
  readonly strides?: S;
  /** `"valid"` (no padding, the default), `"same"` (output `ceil(in / stride)`), or `[lo, hi]` per spatial dim. */
  readonly padding?: P;
}

/**
 * Options of the average pools: also whether padding counts in the divisor (default true, as PyTorch).
 * @category Pooling
 */
export interface AvgPoolOptions<S, P> extends PoolOptions<S, P> {
  /** Divide by the whole window, padding included (default `true`, as PyTorch), or by its in-bounds elements only. */
  readonly countIncludePad?: boolean;
}

// ---- shapes ----

type Pair<K> = K extends readonly [infer A extends number, infer B extends number] ? [A, B] : K extends number ? [K, K] : [number, number];
type One<K> = K extends number ? [K] : [number];

/** Explicit padding as the mutable pairs `ConvSpatial` matches (a `const` argument infers readonly ones). */
type PlainPadding<P> = P extends "valid" | "same"
  ? P
  : P extends readonly [readonly [infer A extends number, infer B extends number]]
    ? [[A, B]]
    : P extends readonly [readonly [infer A extends number, infer B extends number], readonly [infer C extends number, infer D extends number]]
      ? [[A, B], [C, D]]
      : { -readonly [I in keyof P]: P[I] extends readonly [infer A, infer B] ? [A, B] : P[I] };

/**
 * The output shape of pooling `X` (`[N, ...spatial, C]`, `Layout` in messages) with windows `K`,
 * strides `S` and padding `P` over the spatial dims, or an error message naming `X`.
 * @category Pooling
 */
export type PoolShape<X extends Shape, K extends readonly number[], S extends readonly number[], P, Op extends string, Layout extends string, Unknown extends Dim[]> =
  PoolShapeImpl<X, K, S, P, Op, Layout, Unknown> extends infer R ? R : never;

type PoolShapeImpl<X extends Shape, K extends readonly number[], S extends readonly number[], P, Op extends string, Layout extends string, Unknown extends Dim[]> =
  IsTuple<X> extends false
    ? Unknown
    : X extends readonly [infer N extends Dim, ...infer Mid extends Dim[], infer C extends Dim]
      ? Mid["length"] extends K["length"]
        ? ConvSpatial<Mid, K, S, PlainPadding<P> extends infer Q extends Padding ? Q : "valid", 1, Op> extends infer O
          ? O extends string
            ? `${O} (x is ${ShowShape<X>})`
            : O extends Dim[]
              ? [N, ...O, C]
              : Unknown
          : never
        : `${Op}: x must be ${Layout}, got ${ShowShape<X>}`
      : `${Op}: x must be ${Layout}, got ${ShowShape<X>}`;

/**
 * The output shape of a 2-d pool of `[N, H, W, C]`: `[N, H', W', C]`, or an error message.
 * @category Pooling
 */
export type Pool2dShape<X extends Shape, K, S, P, Op extends string> = PoolShape<
  X,
  Pair<K>,
  [S] extends [undefined] ? Pair<K> : Pair<S>,
  P,
  Op,
  "[N, H, W, C]",
  [number, number, number, number]
>;

/**
 * The output shape of a 1-d pool of `[N, L, C]`: `[N, L', C]`, or an error message.
 * @category Pooling
 */
export type Pool1dShape<X extends Shape, K, S, P, Op extends string> = PoolShape<
  X,
  One<K>,
  [S] extends [undefined] ? One<K> : One<S>,
  P extends readonly [number, number] ? [P] : P,
  Op,
  "[N, L, C]",
  [number, number, number]
>;

/**
 * The shape of a global pool of `[N, ...spatial, C]`: `[N, C]`, or an error message.
 * @category Pooling
 */
export type GlobalPoolShape<X extends Shape, Op extends string> =
  GlobalPoolShapeImpl<X, Op> extends infer R ? R : never;

type GlobalPoolShapeImpl<X extends Shape, Op extends string> =
  IsTuple<X> extends false
    ? [number, number]
    : X extends readonly [infer N extends Dim, infer _S0, ...infer Rest extends Dim[]]
      ? Rest extends readonly [...infer _Lead, infer C extends Dim]
        ? [N, C]
        : `${Op}: x must be [N, ...spatial, C] with at least one spatial dim, got ${ShowShape<X>}`
      : `${Op}: x must be [N, ...spatial, C] with at least one spatial dim, got ${ShowShape<X>}`;

/**
 * The output shape of `reduceWindow` over every dim of `X`, or an error message.
 * @category Pooling
 */
export type ReduceWindowShape<X extends Shape, K extends readonly number[], S, P> =
  IsTuple<X> extends false
    ? number[]
    : ConvSpatial<
        X,
        K,
        [S] extends [undefined] ? 1 : S extends number | readonly number[] ? S : 1,
        PlainPadding<P> extends infer Q extends Padding ? Q : "valid",
        1,
        "reduceWindow"
      >;

/**
 * Runtime twin of `PoolShape`'s checks: the window params over all dims of `x`
 * (`[N, ...spatial, C]`, with `spatial` of rank `window.length`), or a `ShapeError` with the
 * same text as the type.
 */
export function poolWindow(op: string, layout: string, x: readonly number[], window: number[], strides: number[], padding: Padding): WindowParams {
  if (x.length !== window.length + 2) throw new ShapeError(`${op}: x must be ${layout}, got ${showShape(x)}`);
  const spatial = x.slice(1, -1);
  if (typeof padding !== "string" && padding.length !== spatial.length) {
    throw new ShapeError(`${op}: padding must be ${spatial.length} pairs [lo, hi], got ${JSON.stringify(padding)} (x is ${showShape(x)})`);
  }
  try {
    const { padding: pads } = convSpatialShape(op, spatial, window, strides, padding);
    return { window: [1, ...window, 1], strides: [1, ...strides, 1], padding: [[0, 0], ...pads, [0, 0]] };
  } catch (e) {
    if (e instanceof ShapeError) throw new ShapeError(`${e.message} (x is ${showShape(x)})`);
    throw e;
  }
}

const pair = (k: PoolSize2): number[] => (typeof k === "number" ? [k, k] : [k[0], k[1]]);

/** The max or average pool of `x` by `g`. */
function pool(kind: "max" | "avg", x: T, g: WindowParams, countIncludePad: boolean): T {
  if (kind === "max") return reduceWindowOf(x, "Max", g);
  const xf = castTo(x, floatOf(x.dtype));
  const sum = reduceWindowOf(xf, "Add", g);
  const padded = g.padding.some(([lo, hi]) => lo > 0 || hi > 0);
  if (countIncludePad || !padded) return core.mul(sum, core.fullLike(sum, 1 / product(g.window)));
  // The divisor of each window is how many of its elements are inside the input: a window sum
  // of ones over one example's spatial dims, broadcast over the batch and channels.
  const spatial = [1, ...x.shape.slice(1, -1), 1];
  const counts = reduceWindowOf(core.filled(spatial, 1, xf.dtype), "Add", g);
  const at = sum.shape.map((_, i) => i);
  return core.div(sum, core.broadcastInDim(counts, sum.shape, at));
}

// ---- 2-d ----

/**
 * Max pooling over the middle dims of an NHWC `x` `[N, H, W, C]`: `[N, H', W', C]`, windows of
 * `window` (one number or `[h, w]`) every `strides` (default: the window). Padding takes part in no
 * maximum. The gradient goes to each window's maximum; tied maxima share it evenly.
 * @example
 * const y = maxPool2d(zeros([8, 28, 28, 16]), 2); // Tensor<[8, 14, 14, 16]>
 * const z = maxPool2d(zeros([8, 28, 28, 16]), 3, { strides: 2, padding: "same" }); // Tensor<[8, 14, 14, 16]>
 * @category Pooling
 */
export function maxPool2d<S extends Shape, D extends DType, const K extends PoolSize2, const St extends PoolSize2 | undefined = undefined, const P extends Padding = "valid">(
  x: Tensor<S, D>,
  window: Checked<Pool2dShape<S, K, St, P, "maxPool2d">, K>,
  options: PoolOptions<St, P> = {},
): Tensor<ShapeResult<Pool2dShape<S, K, St, P, "maxPool2d">>, D> {
  const k = pair(window as PoolSize2);
  const g = poolWindow("maxPool2d", "[N, H, W, C]", x.shape as number[], k, options.strides === undefined ? k : pair(options.strides), options.padding ?? "valid");
  return pool("max", untyped(x), g, true) as never;
}

/**
 * Average pooling over the middle dims of an NHWC `x` `[N, H, W, C]`: `[N, H', W', C]`, in floating
 * point. With padding, the divisor is the whole window (padding counts as zeros, as PyTorch's
 * default) unless `countIncludePad` is false.
 * @example
 * const y = avgPool2d(zeros([8, 28, 28, 16]), 2); // Tensor<[8, 14, 14, 16]>
 * @category Pooling
 */
export function avgPool2d<S extends Shape, D extends DType, const K extends PoolSize2, const St extends PoolSize2 | undefined = undefined, const P extends Padding = "valid">(
  x: Tensor<S, D>,
  window: Checked<Pool2dShape<S, K, St, P, "avgPool2d">, K>,
  options: AvgPoolOptions<St, P> = {},
): Tensor<ShapeResult<Pool2dShape<S, K, St, P, "avgPool2d">>, FloatOf<D>> {
  const k = pair(window as PoolSize2);
  const g = poolWindow("avgPool2d", "[N, H, W, C]", x.shape as number[], k, options.strides === undefined ? k : pair(options.strides), options.padding ?? "valid");
  return pool("avg", untyped(x), g, options.countIncludePad ?? true) as never;
}

// ---- 1-d ----

/**
 * Padding of a 1-d pool: `"valid"`, `"same"` or `[lo, hi]`.
 * @category Pooling
 */
export type Padding1d = "valid" | "same" | readonly [number, number];

const padding1d = (p: Padding1d): Padding => (typeof p === "string" ? p : [p]);

/**
 * Max pooling along the middle dim of `x` `[N, L, C]`: `[N, L', C]`, windows of `window` every
 * `strides` (default: the window).
 * @example
 * const y = maxPool1d(zeros([4, 100, 8]), 4); // Tensor<[4, 25, 8]>
 * @category Pooling
 */
export function maxPool1d<S extends Shape, D extends DType, const K extends number, const St extends number | undefined = undefined, const P extends Padding1d = "valid">(
  x: Tensor<S, D>,
  window: Checked<Pool1dShape<S, K, St, P, "maxPool1d">, K>,
  options: PoolOptions<St, P> = {},
): Tensor<ShapeResult<Pool1dShape<S, K, St, P, "maxPool1d">>, D> {
  const k = window as number;
  const g = poolWindow("maxPool1d", "[N, L, C]", x.shape as number[], [k], [options.strides ?? k], padding1d(options.padding ?? "valid"));
  return pool("max", untyped(x), g, true) as never;
}

/**
 * Average pooling along the middle dim of `x` `[N, L, C]`: `[N, L', C]`, in floating point (padding
 * counts in the divisor unless `countIncludePad` is false).
 * @example
 * const y = avgPool1d(zeros([4, 100, 8]), 4, { strides: 2 }); // Tensor<[4, 49, 8]>
 * @category Pooling
 */
export function avgPool1d<S extends Shape, D extends DType, const K extends number, const St extends number | undefined = undefined, const P extends Padding1d = "valid">(
  x: Tensor<S, D>,
  window: Checked<Pool1dShape<S, K, St, P, "avgPool1d">, K>,
  options: AvgPoolOptions<St, P> = {},
): Tensor<ShapeResult<Pool1dShape<S, K, St, P, "avgPool1d">>, FloatOf<D>> {
  const k = window as number;
  const g = poolWindow("avgPool1d", "[N, L, C]", x.shape as number[], [k], [options.strides ?? k], padding1d(options.padding ?? "valid"));
  return pool("avg", untyped(x), g, options.countIncludePad ?? true) as never;
}

// ---- global ----

/** Runtime twin of `GlobalPoolShape`: the spatial axes of `x`, or a `ShapeError` with the same text. */
export function globalAxes(op: string, x: readonly number[]): number[] {
  if (x.length < 3) throw new ShapeError(`${op}: x must be [N, ...spatial, C] with at least one spatial dim, got ${showShape(x)}`);
  return x.slice(1, -1).map((_, i) => i + 1);
}

/**
 * The maximum over all spatial dims of `x` `[N, ...spatial, C]`: `[N, C]` (ties share the gradient
 * evenly, as every maximum does).
 * @example
 * const y = globalMaxPool(zeros([8, 7, 7, 64])); // Tensor<[8, 64]>
 * @category Pooling
 */
export function globalMaxPool<S extends Shape, D extends DType>(
  x: Checked<GlobalPoolShape<S, "globalMaxPool">, Tensor<S, D>>,
): Tensor<ShapeResult<GlobalPoolShape<S, "globalMaxPool">>, D> {
  const t = untyped(x as Tensor<S, D>);
  return core.reduceMax(t, globalAxes("globalMaxPool", t.shape)) as never;
}

/**
 * The mean over all spatial dims of `x` `[N, ...spatial, C]`: `[N, C]`, in floating point.
 * @example
 * const y = globalAvgPool(zeros([8, 7, 7, 64])); // Tensor<[8, 64]>
 * @category Pooling
 */
export function globalAvgPool<S extends Shape, D extends DType>(
  x: Checked<GlobalPoolShape<S, "globalAvgPool">, Tensor<S, D>>,
): Tensor<ShapeResult<GlobalPoolShape<S, "globalAvgPool">>, FloatOf<D>> {
  const t = untyped(x as Tensor<S, D>);
  const axes = globalAxes("globalAvgPool", t.shape);
  const xf = castTo(t, floatOf(t.dtype));
  const sum = core.reduceSum(xf, axes);
  return core.mul(sum, core.fullLike(sum, 1 / product(axes.map((a) => t.shape[a])))) as never;
}

// ---- any window ----

/**
 * The sum or maximum of every window of `x`, over every dim (a window of 1 leaves a dim as it
 * is): `window` has one size per dim, `strides` one number or one per dim (default 1), `padding`
 * as for the pools. JAX's `lax.reduce_window` for its two common reductions.
 * @example
 * const y = reduceWindow(zeros([2, 9, 4]), "max", [1, 3, 1], { strides: [1, 3, 1] }); // Tensor<[2, 3, 4]>
 * @category Pooling
 */
export function reduceWindow<
  S extends Shape,
  D extends DType,
  const K extends readonly number[],
  const St extends number | readonly number[] | undefined = undefined,
  const P extends Padding = "valid",
>(
  x: Tensor<S, D>,
  op: "sum" | "max",
  window: Checked<ReduceWindowShape<S, K, St, P>, K>,
  options: PoolOptions<St, P> = {},
): Tensor<ShapeResult<ReduceWindowShape<S, K, St, P>>, D> {
  if (op !== "sum" && op !== "max") throw new TypeError(`reduceWindow: op must be "sum" or "max", got ${JSON.stringify(op)}`);
  const t = untyped(x);
  const k = window as readonly number[];
  const strides = options.strides ?? 1;
  const padding = options.padding ?? "valid";
  if (typeof padding !== "string" && padding.length !== t.ndim) {
    throw new ShapeError(`reduceWindow: padding must be ${t.ndim} pairs [lo, hi], got ${JSON.stringify(padding)} (x is ${showShape(t.shape)})`);
  }
  const { padding: pads } = convSpatialShape("reduceWindow", t.shape, k, strides, padding);
  const s = t.shape.map((_, i) => (typeof strides === "number" ? strides : (strides[i] ?? 1)));
  return reduceWindowOf(t, op === "sum" ? "Add" : "Max", { window: k, strides: s, padding: pads }) as never;
}
