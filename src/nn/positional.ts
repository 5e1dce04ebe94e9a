/**
 * @file The learned positional embedding `positionalEmbedding(maxLen, dim)`: adds one trained
 * vector per position to a sequence `[seq, dim]` (seq ≤ maxLen), so that attention, which is
 * blind to order, can tell positions apart.
 */
import * as core from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import type { Tensor } from "../core/tensor.js";
import type { FloatDType } from "../dtype.js";
import type { Initializer } from "./init.js";
import { normalInit } from "./init.js";
import type { Layer, LayerFn } from "./layer.js";
import { makeLayer } from "./layer.js";
import type { FitSeq } from "./seq-check.js";
import { expectFitSeq } from "./seq-check.js";
import { checkSize, layerDType } from "./shape-check.js";

type T = AnyTensor;

/**
 * The parameters of `positionalEmbedding(L, E)`: row `i` of `table` is added at position `i`.
 * @category Layers
 */
export type PositionalParams<L extends number, E extends number, D extends FloatDType = "float32"> = {
  /** One learned vector per position `0 … L − 1`. */
  table: Tensor<[L, E], D>;
};

/**
 * Shape function of `positionalEmbedding(L, E)`: keeps `[seq, E]` for `seq ≤ L`.
 * @category Layers
 */
export interface PositionalFn<L extends number, E extends number> extends LayerFn {
  readonly out: FitSeq<this["in"], `positionalEmbedding(${L}, ${E})`, L, E>;
}

/**
 * A learned positional embedding: per example `[seq, dim]` (with `seq ≤ maxLen`) to the same
 * shape, `x[t] + table[t]`. A sequence longer than `maxLen` is a compile error when its length is
 * a literal, a `ShapeError` otherwise. The table starts as a normal with stddev 0.02 (GPT-2's).
 * @example
 * const stem = nn.serial(nn.embedding(27, 64), nn.positionalEmbedding(16, 64)); // Tensor<[B, 16], "int32"> → Tensor<[B, 16, 64]>
 * @category Layers
 */
export function positionalEmbedding<const L extends number, const E extends number, D extends FloatDType = "float32">(
  maxLen: L,
  dim: E,
  options: {
    /** Initializer of the table (default a normal with stddev 0.02). */
    readonly init?: Initializer;
    /** The dtype of the table (default float32); inputs must have it too. */
    readonly dtype?: D;
  } = {},
): Layer<PositionalFn<L, E>, PositionalParams<L, E, D>> {
  const name = `positionalEmbedding(${maxLen}, ${dim})`;
  checkSize(name, "maxLen", maxLen);
  checkSize(name, "dim", dim);
  const init = options.init ?? normalInit(0.02);
  const own = layerDType(name, options.dtype);
  return makeLayer<PositionalFn<L, E>, PositionalParams<L, E, D>>({
    name,
    init: (key, dtype = own) => ({ table: init(key, [maxLen, dim], undefined, undefined, dtype) }) as PositionalParams<L, E, D>,
    apply: (p, x) => {
      const t = expectFitSeq(name, x, maxLen, dim);
      const len = t.shape[1];
      const rows = core.slice(p.table as T, [0, 0], [len, dim]);
      return core.add(t, core.broadcastInDim(rows, t.shape, [1, 2]));
    },
  });
}
