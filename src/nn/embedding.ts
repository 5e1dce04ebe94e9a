/**
 * @file The embedding layer: int32 indices to learned vectors, one `gather` of table rows, so a
 * lookup costs the rows it reads, whatever the vocabulary size. The table's gradient is the
 * transpose of that gather, a `scatterAdd` of the output cotangents into the rows they came from
 * (repeated indices add up).
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
import { ShapeError, showShape } from "../shape/errors.js";
import { gatherOf } from "../primitives/_indexing.js";
import { guardIndices, type IndexOptions } from "../ops/indexing.js";

type T = AnyTensor;

/**
 * The parameters of `embedding(V, E)`: one `E`-vector per index, as rows of `table`.
 * @category Layers
 */
export type EmbeddingParams<V extends number, E extends number, D extends FloatDType = "float32"> = {
  /** One row of `E` numbers per index in `[0, V)`. */
  table: Tensor<[V, E], D>;
};

/**
 * The dtype of the rows an embedding returns: its table's in the parameters `apply` was given
 * (`init(key, { dtype })` may have made them in another dtype than the layer's own), else (for
 * parameters typed with any float dtype, or `any`) the layer's own `D`.
 */
type TableDType<P, D extends FloatDType> = 0 extends 1 & P
  ? D
  : [P] extends [never]
    ? D
    : P extends { readonly table: Tensor<infer _S, infer PD extends FloatDType> }
      ? [FloatDType] extends [PD]
        ? D
        : PD
      : D;

/**
 * Shape function of `embedding(V, E)`: int32 indices of any shape `S` to `[...S, E]` in the
 * dtype of the table it is given (`D`, the layer's own, when that is not known).
 * @category Layers
 */
export interface EmbeddingFn<V extends number, E extends number, D extends FloatDType = "float32"> extends LayerFn {
  /** int32 indices `S` to `[...S, E]`; an error for non-int32 input. */
  readonly out: this["in"] extends Tensor<infer S, infer DI>
    ? "int32" extends DI
      ? Tensor<[...S, E], TableDType<this["params"], D>>
      : `embedding(${V}, ${E}) expects int32 indices but got ${DI}`
    : NotOneTensor<`embedding(${V}, ${E})`, this["in"]>;
}

/**
 * A lookup table of `vocab` vectors of size `dim`: int32 indices `[B, ...S]` give `[B, ...S, dim]`.
 * An index outside `[0, vocab)` is a `RangeError`, eagerly or when a jitted program (`fit`'s
 * step) runs; with `checked: false` it gives a zero vector (JAX's one-hot lookup does the same).
 * The work per index is one row, independent of `vocab`. The table defaults to a normal with
 * stddev `1/√dim` (as Flax's default).
 * @example
 * const embed = nn.embedding(1000, 64); // Tensor<[B, 20], "int32"> → Tensor<[B, 20, 64]>
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
  return makeLayer<EmbeddingFn<V, E, D>, EmbeddingParams<V, E, D>>({
    name,
    init: (key, dtype = own) => ({ table: init(key, [vocab, dim], undefined, undefined, dtype) }) as unknown as EmbeddingParams<V, E, D>,
    apply: (p, x) => {
      const given = oneTensor(name, x);
      perExample(name, given);
      if (given.dtype !== "int32") throw new DTypeError(`${name} expects int32 indices but got ${given.dtype}`);
      const idx = guardIndices(given, name, "index", 0, vocab, options);
      const table = p.table as T;
      if (table.ndim !== 2 || table.shape[0] !== vocab || table.shape[1] !== dim) {
        throw new ShapeError(`${name} expects a table [${vocab}, ${dim}] but got ${showShape(table.shape)}`);
      }
      // A checked index is in range ("clip" never moves it); an unchecked one out of range reads
      // a zero row ("fill" with 0).
      const mode = options.checked === false ? "fill" : "clip";
      const params = { axes: [0], collapsed: [0], sliceSizes: [1, dim], mode, fillValue: 0 } as const;
      return gatherOf(table, core.reshape(idx, [...idx.shape, 1]), params);
    },
  });
}
