/**
 * @file Pooling layers `maxPool2d` and `avgPool2d` (NHWC, "valid" windows), built from one strided
 * `slice` per window offset combined with `max` or `add`, so their derivatives come for free.
 */
import * as core from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import type { Layer, LayerFn } from "./layer.js";
import { makeLayer } from "./layer.js";
import type { ShowSize, Size2, SpatialMap } from "./conv.js";
import { pair, showSize, spatialShape } from "./conv.js";
import { checkSize } from "./shape-check.js";
import { windowSlices } from "./tensor-math.js";

type T = AnyTensor;

/** The name of a pooling layer in messages: `maxPool2d(2)`, or `maxPool2d(3, 2)` with a stride. */
type PoolName<Op extends string, K, S> = [S] extends [undefined] ? `${Op}(${ShowSize<K>})` : `${Op}(${ShowSize<K>}, ${ShowSize<S>})`;

/** Shape function of a pooling layer: `[h, w, c]` to `[h', w', c]`. */
export interface Pool2dFn<Op extends string, K extends Size2, S extends Size2 | undefined> extends LayerFn {
  readonly out: SpatialMap<this["in"], PoolName<Op, K, S>, number, number, K, [S] extends [undefined] ? K : S, "valid">;
}

function pool2d(op: "maxPool2d" | "avgPool2d", window: Size2, stride: Size2 | undefined, combine: (xs: T[], n: number) => T) {
  const name = stride === undefined ? `${op}(${showSize(window)})` : `${op}(${showSize(window)}, ${showSize(stride)})`;
  const k = pair(window);
  const s = pair(stride ?? window);
  [...k, ...s].forEach((v) => checkSize(name, "window and stride", v));
  return makeLayer<never, {}>({
    name,
    init: () => ({}),
    apply: (_p, x) => {
      const { out } = spatialShape(name, x, null, k, s, "valid");
      return combine(windowSlices(x as T, k, s, out), k[0] * k[1]);
    },
  });
}

/**
 * Max pooling over `window` (one number or `[h, w]`) with `stride` (default: the window), no
 * padding: per-example `[h, w, c]` to `[h', w', c]`. Where a window holds tied maxima, the
 * gradient is shared between them (the `max` primitive averages ties).
 * @example
 * const pool = maxPool2d(2); // [28, 28, 6] → [14, 14, 6]
 * @category Layers
 */
export function maxPool2d<const K extends Size2, const S extends Size2 | undefined = undefined>(
  window: K,
  stride?: S,
): Layer<Pool2dFn<"maxPool2d", K, S>, {}> {
  return pool2d("maxPool2d", window, stride, (xs) => xs.reduce((m, x) => core.max(m, x))) as never;
}

/**
 * Average pooling over `window` with `stride` (default: the window), no padding: per-example
 * `[h, w, c]` to `[h', w', c]`.
 * @example
 * const pool = avgPool2d(2); // [28, 28, 6] → [14, 14, 6]
 * @category Layers
 */
export function avgPool2d<const K extends Size2, const S extends Size2 | undefined = undefined>(
  window: K,
  stride?: S,
): Layer<Pool2dFn<"avgPool2d", K, S>, {}> {
  return pool2d("avgPool2d", window, stride, (xs, n) => {
    const sum = xs.reduce((a, x) => core.add(a, x));
    return core.mul(sum, core.fullLike(sum, 1 / n));
  }) as never;
}
