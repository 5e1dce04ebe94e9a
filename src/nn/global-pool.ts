/**
 * @file Global pooling layers `globalMaxPool` and `globalAvgPool`: per-example `[...spatial, c]`
 * (one spatial dim or more) to `[c]`, the maximum or mean over all spatial positions, as the ops
 * of the same names (one definition).
 */
import type { Tensor } from "../core/tensor.js";
import type { Dim, IsTuple } from "../shape/dim.js";
import { ShapeError, showShape } from "../shape/errors.js";
import type { ShowShape } from "../shape/show.js";
import { globalAvgPool as avgOp, globalMaxPool as maxOp } from "../ops/pool.js";
import type { Layer, LayerFn } from "./layer.js";
import { makeLayer } from "./layer.js";
import type { NotOneTensor } from "./shape-check.js";
import { oneTensor, perExample } from "./shape-check.js";

/**
 * Shape function of a global pooling layer: `[...spatial, c]` to `[c]`.
 * @category Layers
 */
export interface GlobalPoolFn<Name extends string> extends LayerFn {
  /** `[...spatial, c]` to `[c]`; an error for inputs without a spatial dim. */
  readonly out: this["in"] extends Tensor<infer S, infer D>
    ? IsTuple<S> extends false
      ? Tensor<[number], D>
      : S extends readonly [infer _S0, ...infer _Lead, infer C extends Dim]
        ? Tensor<[C], D>
        : `${Name} expects input [...spatial, channels] but got ${ShowShape<S>}`
    : NotOneTensor<Name, this["in"]>;
}

function globalPool<Name extends "globalMaxPool" | "globalAvgPool">(name: Name, op: (x: never) => unknown): Layer<GlobalPoolFn<Name>, {}> {
  return makeLayer<GlobalPoolFn<Name>, {}>({
    name,
    init: () => ({}),
    apply: (_p, x) => {
      const s = perExample(name, x);
      if (s.length < 2) throw new ShapeError(`${name} expects input [...spatial, channels] but got ${showShape(s)}`);
      return op(oneTensor(name, x) as never) as never;
    },
  });
}

/**
 * The maximum over every spatial position: per-example `[...spatial, c]` to `[c]` (ties share the
 * gradient evenly).
 * @example
 * const head = nn.serial(nn.conv2d(3, 64, 3), nn.relu, nn.globalMaxPool, nn.dense(64, 10));
 * @category Layers
 */
export const globalMaxPool: Layer<GlobalPoolFn<"globalMaxPool">, {}> = globalPool("globalMaxPool", maxOp);

/**
 * The mean over every spatial position: per-example `[...spatial, c]` to `[c]`.
 * @example
 * const head = nn.serial(nn.conv2d(3, 64, 3), nn.relu, nn.globalAvgPool, nn.dense(64, 10));
 * @category Layers
 */
export const globalAvgPool: Layer<GlobalPoolFn<"globalAvgPool">, {}> = globalPool("globalAvgPool", avgOp);
