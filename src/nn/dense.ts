/**
 * @file The fully connected layer `dense(in, out)`: `y = x·w + b` on per-example vectors.
 */
import type { Tensor } from "../core/tensor.js";
import { splitList } from "../random/key.js";
import type { Initializer } from "./init.js";
import { glorotUniform, zeros } from "./init.js";
import type { Layer, LayerFn } from "./layer.js";
import { makeLayer } from "./layer.js";
import type { FixedMap } from "./shape-check.js";
import { checkSize, expectShape, layerDType } from "./shape-check.js";
import type { FloatDType } from "../dtype.js";
import { addLast, matmulLast } from "./tensor-math.js";

/**
 * The parameters of `dense(I, O)`: weights `w` (input rows, output columns) and bias `b`.
 * @category Layers
 */
export type DenseParams<I extends number, O extends number, D extends FloatDType = "float32"> = {
  /** The weights: `y = x·w + b`. */
  w: Tensor<[I, O], D>;
  /** The bias, one per output. */
  b: Tensor<[O], D>;
};

/**
 * Shape function of `dense(I, O)`: `[I]` to `[O]`.
 * @category Layers
 */
export interface DenseFn<I extends number, O extends number> extends LayerFn {
  /** `[I]` to `[O]` in the input's dtype; an error naming both shapes for other inputs. */
  readonly out: FixedMap<this["in"], `dense(${I}, ${O})`, [I], [O]>;
}

/**
 * Options of `dense`.
 * @category Layers
 */
export interface DenseOptions<D extends FloatDType = "float32"> {
  /** The dtype of the parameters (default float32); inputs must have it too. */
  readonly dtype?: D;
  /** Initializer of `w` (default `glorotUniform`). */
  readonly init?: Initializer;
  /** Initializer of `b` (default `zeros`). */
  readonly biasInit?: Initializer;
}

/**
 * A fully connected layer: per-example `[in]` to `[out]`, `y = x·w + b`. Weights default to
 * Glorot uniform, the bias to zeros; `{ dtype: "float64" }` makes them float64.
 * @example
 * const layer = nn.dense(784, 128);
 * const p = layer.init(random.key(0)); // { w: Tensor<[784, 128]>; b: Tensor<[128]> }
 * const y = layer.apply(p, zeros([32, 784])); // Tensor<[32, 128]>
 * @category Layers
 */
export function dense<const I extends number, const O extends number, D extends FloatDType = "float32">(
  inFeatures: I,
  outFeatures: O,
  options: DenseOptions<D> = {},
): Layer<DenseFn<I, O>, DenseParams<I, O, D>> {
  const name = `dense(${inFeatures}, ${outFeatures})`;
  checkSize(name, "the input size", inFeatures);
  checkSize(name, "the output size", outFeatures);
  const wInit = options.init ?? glorotUniform;
  const bInit = options.biasInit ?? zeros;
  const own = layerDType(name, options.dtype);
  return makeLayer<DenseFn<I, O>, DenseParams<I, O, D>>({
    name,
    init: (key, dtype = own) => {
      const [kw, kb] = splitList(key, 2);
      return { w: wInit(kw, [inFeatures, outFeatures], undefined, undefined, dtype), b: bInit(kb, [outFeatures], undefined, undefined, dtype) } as DenseParams<I, O, D>;
    },
    apply: (p, x) => {
      const t = expectShape(name, x, [inFeatures]);
      return addLast(matmulLast(t, p.w as never), p.b as never);
    },
  });
}
