/**
 * @file Parameter-free elementwise layers: `relu`, `leakyRelu`, `sigmoid`, `tanh`, `gelu`,
 * `softplus`, `softmax` and `identity`. Each keeps any per-example shape and the dtype.
 */
import * as core from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import type { Layer, LayerFn } from "./layer.js";
import { makeLayer } from "./layer.js";
import type { KeepTensor } from "./shape-check.js";
import { oneTensor } from "./shape-check.js";
import { constLike, log1p } from "./tensor-math.js";

type T = AnyTensor;

/** Shape function of a layer that keeps its input's shape and dtype; `Name` is for messages. */
export interface KeepFn<Name extends string> extends LayerFn {
  readonly out: KeepTensor<this["in"], Name>;
}

/** A parameter-free layer that keeps the shape. */
export type Activation<Name extends string> = Layer<KeepFn<Name>, {}>;

function activation<Name extends string>(name: Name, f: (x: T) => T): Activation<Name> {
  return makeLayer<KeepFn<Name>, {}>({ name, init: () => ({}), apply: (_p, x) => f(oneTensor(name, x)) });
}

/**
 * `max(x, 0)`. At 0 the derivative is 1/2 (the `max` primitive averages ties).
 * @example
 * const model = serial(dense(784, 128), relu, dense(128, 10));
 * @category Activations
 */
export const relu: Activation<"relu"> = activation("relu", (x) => core.max(x, constLike(x, 0)));

/**
 * `x` for `x > 0`, `slope·x` otherwise (default slope 0.01).
 * @category Activations
 */
export function leakyRelu(slope = 0.01): Activation<"leakyRelu"> {
  return activation("leakyRelu", (x) => core.select(core.compare(x, constLike(x, 0), "gt"), x, core.mul(x, constLike(x, slope))));
}

/**
 * The logistic function `1 / (1 + e⁻ˣ)`, computed as `(tanh(x/2) + 1) / 2`, which never overflows.
 * @category Activations
 */
export const sigmoid: Activation<"sigmoid"> = activation("sigmoid", (x) => {
  const half = constLike(x, 0.5);
  return core.mul(core.add(core.tanh(core.mul(x, half)), constLike(x, 1)), half);
});

/**
 * The hyperbolic tangent.
 * @category Activations
 */
export const tanh: Activation<"tanh"> = activation("tanh", (x) => core.tanh(x));

/**
 * GELU, by its tanh approximation: `x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³)))` (as JAX's
 * `gelu(approximate=True)`; within 1e-3 of the exact `x·Φ(x)`).
 * @category Activations
 */
export const gelu: Activation<"gelu"> = activation("gelu", (x) => {
  const cube = core.mul(core.mul(x, x), x);
  const inner = core.mul(constLike(x, Math.sqrt(2 / Math.PI)), core.add(x, core.mul(constLike(x, 0.044715), cube)));
  return core.mul(core.mul(constLike(x, 0.5), x), core.add(constLike(x, 1), core.tanh(inner)));
});

/**
 * `log(1 + eˣ)`, computed stably as `max(x, 0) + log1p(e^−|x|)`: no overflow for large `x`, and
 * accurate tiny values for very negative `x`.
 * @category Activations
 */
export const softplus: Activation<"softplus"> = activation("softplus", (x) =>
  core.add(core.max(x, constLike(x, 0)), log1p(core.exp(core.neg(core.abs(x))))),
);

/**
 * Softmax over the last axis: `exp(x − max) / Σ exp(x − max)` (the max is gradient-stopped; it
 * cancels mathematically and only prevents overflow).
 * @category Activations
 */
export const softmax: Activation<"softmax"> = activation("softmax", (x) => {
  const last = x.ndim - 1;
  const keep = x.shape.map((_, i) => i).filter((i) => i !== last);
  const m = core.stopGradient(core.broadcastInDim(core.reduceMax(x, [last]), x.shape, keep));
  const e = core.exp(core.sub(x, m));
  return core.div(e, core.broadcastInDim(core.reduceSum(e, [last]), x.shape, keep));
});

/**
 * The identity layer: returns its input.
 * @category Activations
 */
export const identity: Activation<"identity"> = activation("identity", (x) => x);
