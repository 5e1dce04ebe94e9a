/**
 * @file The 2-d convolution layer `conv2d` (NHWC input, HWIO kernel, bias): the `conv2d`
 * primitive with the layer's strides and `"same"`/`"valid"` padding made explicit, plus the bias.
 * Also the spatial shape types and checks that the pooling layers share.
 */
import * as core from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import type { Tensor } from "../core/tensor.js";
import { splitList } from "../random/key.js";
import type { ConvSpatial } from "../shape/conv.js";
import { convSpatialShape } from "../shape/conv.js";
import type { Dim, DimMatch, IsTuple } from "../shape/dim.js";
import { ShapeError, showShape } from "../shape/errors.js";
import type { ShowShape } from "../shape/show.js";
import type { Initializer } from "./init.js";
import { glorotUniform, zeros } from "./init.js";
import type { Layer, LayerFn, Value } from "./layer.js";
import { makeLayer } from "./layer.js";
import type { NotOneTensor } from "./shape-check.js";
import { checkSize, layerDType, perExample } from "./shape-check.js";
import type { FloatDType } from "../dtype.js";
import { addLast } from "./tensor-math.js";

type T = AnyTensor;

/**
 * A window size or stride: one number for both spatial dims, or `[height, width]`.
 * @category Layers
 */
export type Size2 = number | readonly [number, number];

/**
 * `Size2` as a pair: `3` is `[3, 3]`.
 * @category Layers
 */
export type Pair<K> = K extends readonly [infer A extends number, infer B extends number] ? [A, B] : K extends number ? [K, K] : [number, number];

/**
 * `Size2` as messages print it: `5` or `[3, 5]`.
 * @category Layers
 */
export type ShowSize<K> = K extends number ? `${K}` : K extends readonly [infer A extends number, infer B extends number] ? `[${A}, ${B}]` : "?";

/** Runtime twin of `Pair`. */
export function pair(k: Size2): [number, number] {
  return typeof k === "number" ? [k, k] : [k[0], k[1]];
}

/** Runtime twin of `ShowSize`. */
export function showSize(k: Size2): string {
  return typeof k === "number" ? `${k}` : showShape(k);
}

/**
 * The output of a spatial layer on `[height, width, C]`: `[h', w', Out]` with the sizes from
 * `ConvSpatial`, or an error message. `C` is `number` for pooling (any channel count).
 * @category Layers
 */
export type SpatialMap<X, Name extends string, C, Out, K, S, P extends "same" | "valid"> =
  X extends Tensor<infer Sh, infer D>
    ? IsTuple<Sh> extends false
      ? Tensor<[number, number, Out & Dim], D>
      : Sh extends readonly [infer H extends Dim, infer W extends Dim, infer C2 extends Dim]
        ? DimMatch<C2, C> extends true
          ? ConvSpatial<[H, W], Pair<K>, Pair<S>, P, 1, Name> extends infer HW
            ? HW extends string
              ? HW
              : HW extends readonly [infer H2 extends Dim, infer W2 extends Dim]
                ? Tensor<[H2, W2, (number extends Out ? C2 : Out) & Dim], D>
                : Tensor<[number, number, Out & Dim], D>
            : never
          : `${Name} expects input [height, width, ${C & number}] but got ${ShowShape<Sh>}`
        : `${Name} expects input [height, width, ${number extends C ? "channels" : C & number}] but got ${ShowShape<Sh>}`
    : NotOneTensor<Name, X>;

/**
 * Runtime twin of `SpatialMap`'s checks: the per-example shape must be `[h, w, channels]`;
 * returns the output size and the padding used.
 */
export function spatialShape(
  name: string,
  x: Value,
  channels: number | null,
  k: [number, number],
  s: [number, number],
  padding: "same" | "valid",
): { out: number[]; pads: [number, number][] } {
  const sh = perExample(name, x);
  if (sh.length !== 3 || (channels !== null && sh[2] !== channels)) {
    throw new ShapeError(`${name} expects input [height, width, ${channels ?? "channels"}] but got ${showShape(sh)}`);
  }
  const { shape, padding: pads } = convSpatialShape(name, sh.slice(0, 2), k, s, padding);
  return { out: shape, pads };
}

/**
 * The parameters of `conv2d(C, O, K)`: an HWIO kernel `w` and a bias `b`.
 * @category Layers
 */
export type Conv2dParams<C extends number, O extends number, K extends Size2, D extends FloatDType = "float32"> = {
  /** The kernel, HWIO: `[kh, kw, C, O]`. */
  w: Tensor<[Pair<K>[0], Pair<K>[1], C, O], D>;
  /** The bias, one per output channel. */
  b: Tensor<[O], D>;
};

/**
 * Shape function of `conv2d`: `[h, w, C]` to `[h', w', O]`.
 * @category Layers
 */
export interface Conv2dFn<C extends number, O extends number, K extends Size2, S extends Size2, P extends "same" | "valid">
  extends LayerFn {
  /** `[h, w, C]` to `[h', w', O]` with the output sizes of the kernel, strides and padding; an error for other inputs. */
  readonly out: SpatialMap<this["in"], `conv2d(${C}, ${O}, ${ShowSize<K>})`, C, O, K, S, P>;
}

/**
 * Options of `conv2d`.
 * @category Layers
 */
export interface Conv2dOptions<S extends Size2, P extends "same" | "valid", D extends FloatDType = "float32"> {
  /** The dtype of the parameters (default float32); inputs must have it too. */
  readonly dtype?: D;
  /** Step between windows (default 1). */
  readonly stride?: S;
  /** `"valid"` (no padding, the default) or `"same"` (output `ceil(in / stride)`, extra padding after). */
  readonly padding?: P;
  /** Initializer of the kernel (default `glorotUniform`, fans from the HWIO shape). */
  readonly init?: Initializer;
  /** Initializer of the bias (default `zeros`). */
  readonly biasInit?: Initializer;
}

/**
 * A 2-d convolution over NHWC input: per-example `[h, w, inChannels]` to `[h', w', outChannels]`,
 * with an HWIO kernel `[kh, kw, inChannels, outChannels]` and a bias. (It is a cross-correlation,
 * as in every deep learning library.) Output sizes are computed at the type level.
 * @example
 * const conv = nn.conv2d(1, 6, 5, { padding: "same" }); // [28, 28, 1] → [28, 28, 6]
 * @category Layers
 */
export function conv2d<
  const C extends number,
  const O extends number,
  const K extends Size2,
  const S extends Size2 = 1,
  const P extends "same" | "valid" = "valid",
  D extends FloatDType = "float32",
>(inChannels: C, outChannels: O, kernel: K, options: Conv2dOptions<S, P, D> = {}): Layer<Conv2dFn<C, O, K, S, P>, Conv2dParams<C, O, K, D>> {
  const name = `conv2d(${inChannels}, ${outChannels}, ${showSize(kernel)})`;
  const k = pair(kernel);
  const s = pair(options.stride ?? 1);
  const padding = options.padding ?? "valid";
  checkSize(name, "inChannels", inChannels);
  checkSize(name, "outChannels", outChannels);
  [...k, ...s].forEach((v) => checkSize(name, "kernel size and stride", v));
  const wInit = options.init ?? glorotUniform;
  const bInit = options.biasInit ?? zeros;
  const own = layerDType(name, options.dtype);
  return makeLayer<Conv2dFn<C, O, K, S, P>, Conv2dParams<C, O, K, D>>({
    name,
    init: (key, dtype = own) => {
      const [kw, kb] = splitList(key, 2);
      const w = wInit(kw, [k[0], k[1], inChannels, outChannels], undefined, undefined, dtype);
      return { w, b: bInit(kb, [outChannels], undefined, undefined, dtype) } as unknown as Conv2dParams<C, O, K, D>;
    },
    apply: (p, x) => {
      const { pads } = spatialShape(name, x, inChannels, k, s, padding);
      const y = core.conv2d(x as T, p.w as T, { strides: s, padding: [pads[0], pads[1]] });
      return addLast(y, p.b as T);
    },
  });
}
