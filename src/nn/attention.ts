/**
 * @file The multi-head self-attention layer `multiHeadAttention(dModel, heads)`: project the
 * sequence to queries, keys and values, split them into heads, attend (`dotProductAttention`),
 * merge the heads and project back. Per example `[..., seq, dModel]` to the same shape.
 */
import type { AnyTensor } from "../core/ops.js";
import type { Tensor } from "../core/tensor.js";
import type { FloatDType } from "../dtype.js";
import type { Checked } from "../ops/operand.js";
import type { Key } from "../random/key.js";
import { splitList } from "../random/key.js";
import { checkBoolean, checkNumber, checkOptions, unitInterval } from "../internal/check-args.js";
import type { HeadSize, HeadsError } from "../shape/heads.js";
import { headSize } from "../shape/heads.js";
import { attend } from "./dot-product-attention.js";
import { mergeHeadsOf, splitHeadsOf } from "./heads.js";
import type { Initializer } from "./init.js";
import { glorotUniform, zeros } from "./init.js";
import type { ApplyOptions, Layer, LayerFn } from "./layer.js";
import { makeLayer } from "./layer.js";
import type { KeepSeq } from "./seq-check.js";
import { expectSeq } from "./seq-check.js";
import { checkSize, layerDType } from "./shape-check.js";
import { addLast, matmulLast } from "./tensor-math.js";

type T = AnyTensor;

/**
 * The parameters of `multiHeadAttention(D, H)`: the query, key, value and output projections
 * (`[D, D]` each, input rows, output columns) and their biases.
 * @category Layers
 */
export type MultiHeadParams<D extends number, DT extends FloatDType = "float32"> = {
  /** The query projection, all heads side by side. */
  wq: Tensor<[D, D], DT>;
  /** The query projection's bias. */
  bq: Tensor<[D], DT>;
  /** The key projection, all heads side by side. */
  wk: Tensor<[D, D], DT>;
  /** The key projection's bias. */
  bk: Tensor<[D], DT>;
  /** The value projection, all heads side by side. */
  wv: Tensor<[D, D], DT>;
  /** The value projection's bias. */
  bv: Tensor<[D], DT>;
  /** The output projection of the merged heads. */
  wo: Tensor<[D, D], DT>;
  /** The output projection's bias. */
  bo: Tensor<[D], DT>;
};

/**
 * Shape function of a layer that maps a sequence `[..., seq, D]` to the same shape; `Name` is for messages.
 * @category Layers
 */
export interface SeqFn<Name extends string, D extends number> extends LayerFn {
  readonly out: KeepSeq<this["in"], Name, D>;
}

/**
 * The `heads` argument of a layer named `Name` with `D` features: `H` itself, or the message when
 * `H` is not a positive integer or does not divide `D` (a compile error when both are literals).
 * @category Layers
 */
export type HeadsArg<Name extends string, D extends number, H extends number> = Checked<
  HeadSize<D, H> extends [unknown] ? H : HeadsError<Name, D, H, "dModel">,
  H
>;

/**
 * Options of `multiHeadAttention`.
 * @category Layers
 */
export interface MultiHeadOptions<DT extends FloatDType = "float32"> {
  /** The dtype of the parameters (default float32); inputs must have it too. */
  readonly dtype?: DT;
  /** Each position attends only to itself and the positions before it (default false). */
  readonly causal?: boolean;
  /** Dropout rate of the attention weights while training (default 0; needs `opts.key` then). */
  readonly dropout?: number;
  /** Initializer of the four projection matrices (default `glorotUniform`; biases start at 0). */
  readonly init?: Initializer;
}

/** The checked constructor arguments shared by the attention layers: `[causal, dropout rate]`. */
export function attentionConfig(name: string, dModel: number, heads: number, options: unknown): [boolean, number] {
  checkSize(name, "dModel", dModel);
  headSize(name, dModel, heads, "dModel");
  const o = checkOptions(name, "options", options) as { causal?: unknown; dropout?: unknown };
  const causal = o.causal === undefined ? false : checkBoolean(name, "causal", o.causal);
  return [causal, o.dropout === undefined ? 0 : checkNumber(name, "dropout", o.dropout, unitInterval)];
}

/** The dropout rate and key of one call: rate 0 outside training; a `TypeError` when training needs a key that is missing. */
export function dropoutOf(name: string, rate: number, opts: ApplyOptions): [number, Key | undefined] {
  if (!opts.training || rate === 0) return [0, undefined];
  if (opts.key === undefined) throw new TypeError(`${name}: training with dropout needs a random key: apply(params, x, { training: true, key })`);
  return [rate, opts.key];
}

/** Fresh `MultiHeadParams` in `dtype`: four projections from `init`, zero biases. */
export function initMultiHead<D extends number, DT extends FloatDType>(key: Key, dModel: D, init: Initializer, dtype: DT): MultiHeadParams<D, DT> {
  const [kq, kk, kv, ko] = splitList(key, 4);
  const w = (k: Key) => init(k, [dModel, dModel], undefined, undefined, dtype) as Tensor<[D, D], DT>;
  const b = () => zeros(key, [dModel], undefined, undefined, dtype) as Tensor<[D], DT>;
  return { wq: w(kq), bq: b(), wk: w(kk), bk: b(), wv: w(kv), bv: b(), wo: w(ko), bo: b() };
}

/** Multi-head self-attention of the sequence `x` (`[B, ..., T, D]`), untyped: what the layers apply. */
export function selfAttention(name: string, p: MultiHeadParams<number>, x: T, heads: number, causal: boolean, rate: number, key?: Key): T {
  const project = (w: Tensor<[number, number]>, b: Tensor<[number]>) => splitHeadsOf(name, addLast(matmulLast(x, w as T), b as T), heads);
  const y = attend(project(p.wq, p.bq), project(p.wk, p.bk), project(p.wv, p.bv), { causal, dropout: rate, key });
  return addLast(matmulLast(mergeHeadsOf(name, y), p.wo as T), p.bo as T);
}

/**
 * Multi-head self-attention: every position of a sequence `[B, ..., seq, dModel]` attends to the
 * positions of the same sequence (queries, keys and values are projections of one input), in
 * `heads` heads of `dModel / heads` features each, and the result has the input's shape. The head
 * split and merge keep the named dims (see `splitHeads`). `heads` must divide `dModel`: a compile
 * error when both are literals, a `ShapeError` otherwise. With `causal`, position `i` sees
 * positions `≤ i` only; `dropout` drops attention weights while training (`{ training: true, key }`).
 * @example
 * const attn = nn.multiHeadAttention(64, 8, { causal: true });
 * const p = attn.init(random.key(0)); // { wq: Tensor<[64, 64]>, bq: Tensor<[64]>, … }
 * declare const x: Tensor<["batch", "seq", 64]>;
 * const y = attn.apply(p, x); // Tensor<["batch", "seq", 64]>
 * @category Layers
 */
export function multiHeadAttention<const D extends number, const H extends number, DT extends FloatDType = "float32">(
  dModel: D,
  heads: HeadsArg<`multiHeadAttention(${D}, ${H})`, D, H>,
  options: MultiHeadOptions<DT> = {},
): Layer<SeqFn<`multiHeadAttention(${D}, ${H})`, D>, MultiHeadParams<D, DT>> {
  const h = heads as H;
  const name = `multiHeadAttention(${dModel}, ${h})`;
  const [causal, rate] = attentionConfig(name, dModel, h, options);
  const init = options.init ?? glorotUniform;
  const own = layerDType(name, options.dtype);
  return makeLayer<SeqFn<`multiHeadAttention(${D}, ${H})`, D>, MultiHeadParams<D, DT>>({
    name,
    init: (key, dtype = own) => initMultiHead(key, dModel, init, dtype) as MultiHeadParams<D, DT>,
    apply: (p, x, opts) => {
      const t = expectSeq(name, x, dModel);
      const [r, key] = dropoutOf(name, rate, opts);
      return selfAttention(name, p as MultiHeadParams<number>, t, h, causal, r, key);
    },
  });
}
