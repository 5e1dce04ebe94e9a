/**
 * @file Pooling layers over channels-last examples, on the `reduceWindow` primitive: `maxPool2d` and
 * `avgPool2d` (`[h, w, c]`) and `maxPool1d` and `avgPool1d` (`[l, c]`), "valid" windows (no
 * padding) every `stride` (default: the window). Max pooling's gradient is one
 * `selectAndScatterAdd` kernel, which splits a window's gradient evenly among tied maxima.
 */
import * as core from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import type { Tensor } from "../core/tensor.js";
import type { WindowParams } from "../core/primitive.js";
import { reduceWindowOf } from "../primitives/_window.js";
import { convSpatialShape, type ConvSpatial } from "../shape/conv.js";
import type { Dim, IsTuple } from "../shape/dim.js";
import { ShapeError, showShape } from "../shape/errors.js";
import type { ShowShape } from "../shape/show.js";
import type { Layer, LayerFn } from "./layer.js";
import { makeLayer } from "./layer.js";
import type { ShowSize, Size2, SpatialMap } from "./conv.js";
import { pair, showSize, spatialShape } from "./conv.js";
import type { NotOneTensor } from "./shape-check.js";
import { checkSize, perExample } from "./shape-check.js";

type T = AnyTensor;

/** The name of a pooling layer in messages: `maxPool2d(2)`, or `maxPool2d(3, 2)` with a stride. */
type PoolName<Op extends string, K, S> = [S] extends [undefined] ? `${Op}(${ShowSize<K>})` : `${Op}(${ShowSize<K>}, ${ShowSize<S>})`;

/**
 * Shape function of a 2-d pooling layer: `[h, w, c]` to `[h', w', c]`.
 * @category Layers
 */
export interface Pool2dFn<Op extends string, K extends Size2, S extends Size2 | undefined> extends LayerFn {
  /** `[h, w, c]` to `[h', w', c]` for the window and strides; an error for other ranks or windows larger than the input. */
  readonly out: SpatialMap<this["in"], PoolName<Op, K, S>, number, number, K, [S] extends [undefined] ? K : S, "valid">;
}

/**
 * Shape function of a 1-d pooling layer: `[l, c]` to `[l', c]`.
 * @category Layers
 */
export interface Pool1dFn<Op extends string, K extends number, S extends number | undefined> extends LayerFn {
  /** `[l, c]` to `[l', c]` for the window and stride; an error for other ranks or a window larger than the input. */
  readonly out: Pool1dMap<this["in"], PoolName<Op, K, S>, K, [S] extends [undefined] ? K : S>;
}

type Pool1dMap<X, Name extends string, K extends number, S> =
  X extends Tensor<infer Sh, infer D>
    ? IsTuple<Sh> extends false
      ? Tensor<[number, number], D>
      : Sh extends readonly [infer L extends Dim, infer C extends Dim]
        ? ConvSpatial<[L], [K], [S & number], "valid", 1, Name> extends infer O
          ? O extends string
            ? O
            : O extends readonly [infer L2 extends Dim]
              ? Tensor<[L2, C], D>
              : Tensor<[number, C], D>
          : never
        : `${Name} expects input [length, channels] but got ${ShowShape<Sh>}`
    : NotOneTensor<Name, X>;

/** The window params over a batch `[B, ...spatial, c]` with windows `k` every `s`, no padding. */
function validWindow(k: readonly number[], s: readonly number[]): WindowParams {
  return { window: [1, ...k, 1], strides: [1, ...s, 1], padding: [[0, 0], ...k.map(() => [0, 0] as const), [0, 0]] };
}

/** Max (`max`) or mean (`avg`) of each window of `x` by `g`. */
function poolWith(kind: "max" | "avg", x: T, g: WindowParams): T {
  if (kind === "max") return reduceWindowOf(x, "Max", g);
  const sum = reduceWindowOf(x, "Add", g);
  return core.mul(sum, core.fullLike(sum, 1 / g.window.reduce((a, b) => a * b, 1)));
}

function pool2d(op: "maxPool2d" | "avgPool2d", window: Size2, stride: Size2 | undefined) {
  const name = stride === undefined ? `${op}(${showSize(window)})` : `${op}(${showSize(window)}, ${showSize(stride)})`;
  const k = pair(window);
  const s = pair(stride ?? window);
  [...k, ...s].forEach((v) => checkSize(name, "window and stride", v));
  const kind = op === "maxPool2d" ? "max" : "avg";
  return makeLayer<never, {}>({
    name,
    init: () => ({}),
    apply: (_p, x) => {
      spatialShape(name, x, null, k, s, "valid");
      return poolWith(kind, x as T, validWindow(k, s));
    },
  });
}

function pool1d(op: "maxPool1d" | "avgPool1d", window: number, stride: number | undefined) {
  const name = stride === undefined ? `${op}(${window})` : `${op}(${window}, ${stride})`;
  const s = stride ?? window;
  [window, s].forEach((v) => checkSize(name, "window and stride", v));
  const kind = op === "maxPool1d" ? "max" : "avg";
  return makeLayer<never, {}>({
    name,
    init: () => ({}),
    apply: (_p, x) => {
      const sh = perExample(name, x);
      if (sh.length !== 2) throw new ShapeError(`${name} expects input [length, channels] but got ${showShape(sh)}`);
      convSpatialShape(name, [sh[0]], [window], [s], "valid");
      return poolWith(kind, x as T, validWindow([window], [s]));
    },
  });
}

/**
 * Max pooling over `window` (one number or `[h, w]`) with `stride` (default: the window), no
 * padding: per-example `[h, w, c]` to `[h', w', c]`. Where a window holds tied maxima, the
 * gradient is shared between them evenly. (The op `maxPool2d` also pads.)
 * @example
 * const pool = nn.maxPool2d(2); // [28, 28, 6] → [14, 14, 6]
 * @category Layers
 */
export function maxPool2d<const K extends Size2, const S extends Size2 | undefined = undefined>(
  window: K,
  stride?: S,
): Layer<Pool2dFn<"maxPool2d", K, S>, {}> {
  return pool2d("maxPool2d", window, stride) as never;
}

/**
 * Average pooling over `window` with `stride` (default: the window), no padding: per-example
 * `[h, w, c]` to `[h', w', c]`.
 * @example
 * const pool = nn.avgPool2d(2); // [28, 28, 6] → [14, 14, 6]
 * @category Layers
 */
export function avgPool2d<const K extends Size2, const S extends Size2 | undefined = undefined>(
  window: K,
  stride?: S,
): Layer<Pool2dFn<"avgPool2d", K, S>, {}> {
  return pool2d("avgPool2d", window, stride) as never;
}

/**
 * Max pooling along the length of `[l, c]` examples: windows of `window` every `stride` (default:
 * the window), no padding, to `[l', c]`.
 * @example
 * const pool = nn.maxPool1d(4); // [100, 8] → [25, 8]
 * @category Layers
 */
export function maxPool1d<const K extends number, const S extends number | undefined = undefined>(window: K, stride?: S): Layer<Pool1dFn<"maxPool1d", K, S>, {}> {
  return pool1d("maxPool1d", window, stride) as never;
}

/**
 * Average pooling along the length of `[l, c]` examples, to `[l', c]`.
 * @example
 * const pool = nn.avgPool1d(4, 2); // [100, 8] → [49, 8]
 * @category Layers
 */
export function avgPool1d<const K extends number, const S extends number | undefined = undefined>(window: K, stride?: S): Layer<Pool1dFn<"avgPool1d", K, S>, {}> {
  return pool1d("avgPool1d", window, stride) as never;
}
