/**
 * @file The embedding layer: int32 indices to learned vectors, as a one-hot matrix product (a
 * `compare` against an iota, a `cast` and one `dotGeneral`), so the table's gradient comes from
 * existing rules: it is the one-hot-weighted sum of the output cotangents.
 */
import * as core from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import type { Tensor } from "../core/tensor.js";
import { DTypeError } from "../core/errors.js";
import type { Initializer } from "./init.js";
import { normalInit } from "./init.js";
import type { Layer, LayerFn } from "./layer.js";
import { makeLayer } from "./layer.js";
import type { NotOneTensor } from "./shape-check.js";
import { checkSize, layerDType, oneTensor, perExample } from "./shape-check.js";
import type { FloatDType } from "../dtype.js";
import { matmulLast } from "./tensor-math.js";
import { guardIndices, type IndexOptions } from "../ops/indexing.js";

type T = AnyTensor;

/**
 * The parameters of `embedding(V, E)`: one `E`-vector per index, as rows of `table`.
 * @category Layers
 */
export type EmbeddingParams<V extends number, E extends number, D extends FloatDType = "float32"> = { table: Tensor<[V, E], D> };

/** Shape function of `embedding(V, E)`: int32 indices of any shape `S` to float32 `[...S, E]`. */
export interface EmbeddingFn<V extends number, E extends number, D extends FloatDType = "float32"> extends LayerFn {
  readonly out: this["in"] extends Tensor<infer S, infer DI>
    ? "int32" extends DI
      ? Tensor<[...S, E], D>
      : `embedding(${V}, ${E}) expects int32 indices but got ${DI}`
    : NotOneTensor<`embedding(${V}, ${E})`, this["in"]>;
}

/**
 * A lookup table of `vocab` vectors of size `dim`: int32 indices `[B, ...S]` give `[B, ...S, dim]`.
 * An index outside `[0, vocab)` is a `RangeError`, eagerly or when a jitted program (`fit`'s
 * step) runs; with `checked: false` it gives a zero vector (a one-hot zero row). The table defaults to a normal with stddev
 * `1/√dim` (as Flax's default).
 * @example
 * const embed = embedding(1000, 64); // Tensor<[B, 20], "int32"> → Tensor<[B, 20, 64]>
 * @category Layers
 */
export function embedding<const V extends number, const E extends number, D extends FloatDType = "float32">(
  vocab: V,
  dim: E,
  options: { readonly init?: Initializer; readonly dtype?: D } & IndexOptions = {},
): Layer<EmbeddingFn<V, E, D>, EmbeddingParams<V, E, D>> {
  const name = `embedding(${vocab}, ${dim})`;
  checkSize(name, "vocab", vocab);
  checkSize(name, "dim", dim);
  const own = layerDType(name, options.dtype);
  const init = options.init ?? normalInit(1 / Math.sqrt(dim));
  const iota = core.fromValues(Array.from({ length: vocab }, (_, i) => i), [vocab], "int32");
  return makeLayer<EmbeddingFn<V, E, D>, EmbeddingParams<V, E, D>>({
    name,
    init: (key, dtype = own) => ({ table: init(key, [vocab, dim], undefined, undefined, dtype) }) as unknown as EmbeddingParams<V, E, D>,
    apply: (p, x) => {
      const given = oneTensor(name, x);
      perExample(name, given);
      if (given.dtype !== "int32") throw new DTypeError(`${name} expects int32 indices but got ${given.dtype}`);
      const idx = guardIndices(given, name, "index", 0, vocab, options);
      const table = p.table as T;
      const shape = [...idx.shape, vocab];
      const dims = idx.shape.map((_, i) => i);
      const hit = core.compare(core.broadcastInDim(idx, shape, dims), core.broadcastInDim(iota, shape, [idx.ndim]), "eq");
      return matmulLast(core.cast(hit, table.dtype), table);
    },
  });
}
