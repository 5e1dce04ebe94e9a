/**
 * @file Parameter initializers: pure functions of a key and a shape, as JAX's
 * `nn.initializers` define them (variance scaling over fan-in / fan-out), built on `random`.
 */
import * as core from "../core/ops.js";
import type { Tensor } from "../core/tensor.js";
import type { Writable } from "../shape/dim.js";
import type { FloatDType } from "../dtype.js";
import { product } from "../shape/arith.js";
import type { Key } from "../random/key.js";
import { normal, truncatedNormal, uniform } from "../random/sample.js";

/**
 * An initializer: a tensor of `shape` drawn from `key`, in `dtype` (default float32). `fanIn` /
 * `fanOut` default to those of `computeFans(shape)`; layers whose weight layout differs pass their
 * own. (A layer casts what an initializer returns to the dtype it asked for, so one written
 * without a `dtype` parameter still gives parameters of the right type.)
 * @category Initializers
 */
export type Initializer = <const S extends readonly number[], D extends FloatDType = "float32">(
  key: Key,
  shape: S,
  fanIn?: number,
  fanOut?: number,
  dtype?: D,
) => Tensor<Writable<S>, D>;

/**
 * Fan-in and fan-out of a weight shape, as JAX computes them: the last axis is the output, the
 * one before it the input, and all earlier axes (a convolution's window) multiply both.
 * `[784, 128]` gives `[784, 128]`; an HWIO kernel `[5, 5, 1, 6]` gives `[25, 150]`.
 * @category Initializers
 */
export function computeFans(shape: readonly number[]): [fanIn: number, fanOut: number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  const receptive = product(shape.slice(0, -2));
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

type Mode = "fanIn" | "fanOut" | "fanAvg";
type Distribution = "uniform" | "normal" | "truncatedNormal";

/** The stddev of a standard normal truncated to ±2, by which truncated samples are rescaled to unit variance. */
const TRUNCATED_STDDEV = 0.8796256610342398;

/**
 * Variance scaling: samples with variance `scale / n`, where `n` is the fan-in, fan-out or their
 * average. All the named initializers below are instances of it.
 * @example
 * const heUniformLike = nn.varianceScaling(2, "fanIn", "uniform");
 * @category Initializers
 */
export function varianceScaling(scale: number, mode: Mode, distribution: Distribution): Initializer {
  return <const S extends readonly number[], D extends FloatDType = "float32">(
    key: Key,
    shape: S,
    fanIn?: number,
    fanOut?: number,
    dtype?: D,
  ): Tensor<Writable<S>, D> => {
    const [fi, fo] = computeFans(shape);
    const inN = fanIn ?? fi;
    const outN = fanOut ?? fo;
    const n = mode === "fanIn" ? inN : mode === "fanOut" ? outN : (inN + outN) / 2;
    const variance = scale / Math.max(1, n);
    if (distribution === "uniform") {
      const limit = Math.sqrt(3 * variance);
      return uniform(key, shape, { minval: -limit, maxval: limit, dtype: dtype ?? ("float32" as D) });
    }
    const options = { dtype: dtype ?? ("float32" as D) };
    const base = distribution === "normal" ? normal(key, shape, options) : truncatedNormal(key, shape, options);
    const stddev = Math.sqrt(variance) / (distribution === "normal" ? 1 : TRUNCATED_STDDEV);
    return scaled(base, stddev);
  };
}

function scaled<S extends readonly number[], D extends FloatDType>(x: Tensor<Writable<S>, D>, factor: number): Tensor<Writable<S>, D> {
  const t = x as unknown as core.AnyTensor;
  return core.mul(t, core.fullLike(t, factor)) as unknown as Tensor<Writable<S>, D>;
}

/**
 * Glorot (Xavier) uniform: `U(−a, a)` with `a = √(6 / (fanIn + fanOut))`. The default for
 * `dense` and `conv2d` weights.
 * @category Initializers
 */
export const glorotUniform: Initializer = varianceScaling(1, "fanAvg", "uniform");

/**
 * Glorot (Xavier) normal: truncated normal (±2σ) with variance `2 / (fanIn + fanOut)`.
 * @category Initializers
 */
export const glorotNormal: Initializer = varianceScaling(1, "fanAvg", "truncatedNormal");

/**
 * He (Kaiming) normal, for ReLU networks: truncated normal (±2σ) with variance `2 / fanIn`.
 * @category Initializers
 */
export const heNormal: Initializer = varianceScaling(2, "fanIn", "truncatedNormal");

/**
 * He (Kaiming) uniform: `U(−a, a)` with `a = √(6 / fanIn)`.
 * @category Initializers
 */
export const heUniform: Initializer = varianceScaling(2, "fanIn", "uniform");

/**
 * LeCun normal, for SELU-style networks: truncated normal (±2σ) with variance `1 / fanIn`.
 * @category Initializers
 */
export const lecunNormal: Initializer = varianceScaling(1, "fanIn", "truncatedNormal");

/**
 * A plain normal with the given standard deviation (fans are ignored).
 * @category Initializers
 */
export function normalInit(stddev = 1): Initializer {
  return <const S extends readonly number[], D extends FloatDType = "float32">(
    key: Key,
    shape: S,
    _fanIn?: number,
    _fanOut?: number,
    dtype?: D,
  ): Tensor<Writable<S>, D> => scaled(normal(key, shape, { dtype: dtype ?? ("float32" as D) }), stddev);
}

/**
 * All zeros (the default for biases); the key is ignored.
 * @category Initializers
 */
export const zeros: Initializer = <const S extends readonly number[], D extends FloatDType = "float32">(
  _key: Key,
  shape: S,
  _fanIn?: number,
  _fanOut?: number,
  dtype?: D,
): Tensor<Writable<S>, D> => core.full(shape, 0, dtype ?? "float32") as unknown as Tensor<Writable<S>, D>;

/**
 * All ones (the default for normalisation scales); the key is ignored.
 * @category Initializers
 */
export const ones: Initializer = <const S extends readonly number[], D extends FloatDType = "float32">(
  _key: Key,
  shape: S,
  _fanIn?: number,
  _fanOut?: number,
  dtype?: D,
): Tensor<Writable<S>, D> => core.full(shape, 1, dtype ?? "float32") as unknown as Tensor<Writable<S>, D>;
