/**
 * @file The pre-norm transformer block `transformerBlock(dModel, heads, mlpHidden)`:
 * `h = x + attention(layerNorm(x))`, then `h + mlp(layerNorm(h))` with a GELU MLP, as in GPT-2.
 * Built from the layers of the same names, so each piece has one definition.
 */
import type { AnyTensor } from "../core/ops.js";
import type { FloatDType } from "../dtype.js";
import * as core from "../core/ops.js";
import { gelu } from "../ops/activations.js";
import type { Key } from "../random/key.js";
import { splitList } from "../random/key.js";
import type { HeadsArg, MultiHeadParams, SeqFn } from "./attention.js";
import { attentionConfig, dropoutOf, initMultiHead, selfAttention } from "./attention.js";
import type { DenseParams } from "./dense.js";
import { dropout as dropoutLayer } from "./dropout.js";
import { glorotUniform, zeros } from "./init.js";
import type { Layer } from "./layer.js";
import { makeLayer } from "./layer.js";
import type { NormParams } from "./norm.js";
import { layerNorm } from "./norm.js";
import { expectSeq } from "./seq-check.js";
import { checkSize, layerDType } from "./shape-check.js";
import { addLast, matmulLast } from "./tensor-math.js";

type T = AnyTensor;

/**
 * The parameters of `transformerBlock(D, H, M)`: the two layer norms, the attention, and the MLP
 * (`up`: `D → M`, `down`: `M → D`).
 * @category Layers
 */
export type TransformerBlockParams<D extends number, M extends number, DT extends FloatDType = "float32"> = {
  /** The layer norm before attention. */
  norm1: NormParams<D, DT>;
  /** The self-attention. */
  attention: MultiHeadParams<D, DT>;
  /** The layer norm before the MLP. */
  norm2: NormParams<D, DT>;
  /** The MLP: `D` up to `M`, GELU, back down to `D`. */
  mlp: {
    /** `D` to `M`. */
    up: DenseParams<D, M, DT>;
    /** `M` back to `D`. */
    down: DenseParams<M, D, DT>;
  };
};

/**
 * Options of `transformerBlock`.
 * @category Layers
 */
export interface TransformerBlockOptions<DT extends FloatDType = "float32"> {
  /** The dtype of the parameters (default float32); inputs must have it too. */
  readonly dtype?: DT;
  /** Causal self-attention: position `i` sees positions `≤ i` only (default false). */
  readonly causal?: boolean;
  /** Dropout rate while training, of the attention weights and of both residual branches (default 0). */
  readonly dropout?: number;
  /** The layer norms' epsilon (default 1e-5). */
  readonly eps?: number;
}

/** The shape function's name of `transformerBlock(D, H, M)`. */
type BlockName<D extends number, H extends number, M extends number> = `transformerBlock(${D}, ${H}, ${M})`;

/** `x·w + b` over the last axis of a sequence. */
function linear(x: T, p: DenseParams<number, number, FloatDType>): T {
  return addLast(matmulLast(x, p.w as T), p.b as T);
}

/**
 * A pre-norm transformer block on sequences `[B, ..., seq, dModel]`, keeping the shape:
 * `h = x + attention(layerNorm(x))` (multi-head self-attention, `heads` heads), then
 * `y = h + down(gelu(up(layerNorm(h))))` with `up: dModel → mlpHidden`. `heads` must divide
 * `dModel`: a compile error when both are literals, a `ShapeError` otherwise. While training,
 * `dropout` drops attention weights and the output of each branch before it is added.
 * @example
 * const block = nn.transformerBlock(64, 4, 256, { causal: true }); // Tensor<["batch", "seq", 64]> → same
 * @category Layers
 */
export function transformerBlock<const D extends number, const H extends number, const M extends number, DT extends FloatDType = "float32">(
  dModel: D,
  heads: HeadsArg<BlockName<D, H, M>, D, H>,
  mlpHidden: M,
  options: TransformerBlockOptions<DT> = {},
): Layer<SeqFn<BlockName<D, H, M>, D>, TransformerBlockParams<D, M, DT>> {
  const h = heads as H;
  const name = `transformerBlock(${dModel}, ${h}, ${mlpHidden})`;
  const [causal, rate] = attentionConfig(name, dModel, h, options);
  checkSize(name, "mlpHidden", mlpHidden);
  const own = layerDType(name, options.dtype);
  const norm = layerNorm(dModel, { eps: options.eps });
  const normed = (p: NormParams<D, FloatDType>, x: T) => norm.apply(p, x as never) as unknown as T;
  return makeLayer<SeqFn<BlockName<D, H, M>, D>, TransformerBlockParams<D, M, DT>>({
    name,
    init: (key, dtype = own) => {
      const [ka, ku, kd] = splitList(key, 3);
      const dense = (k: Key, i: number, o: number) => ({
        w: glorotUniform(k, [i, o], undefined, undefined, dtype),
        b: zeros(k, [o], undefined, undefined, dtype),
      });
      return {
        norm1: norm.init(ka, { dtype }),
        attention: initMultiHead(ka, dModel, glorotUniform, dtype),
        norm2: norm.init(ka, { dtype }),
        mlp: { up: dense(ku, dModel, mlpHidden), down: dense(kd, mlpHidden, dModel) },
      } as TransformerBlockParams<D, M, DT>;
    },
    apply: (p, x, opts) => {
      const t = expectSeq(name, x, dModel);
      const [r, key] = dropoutOf(name, rate, opts);
      const [ka, k1, k2] = key === undefined ? [] : splitList(key, 3);
      const drop = (y: T, k: Key | undefined) => (r === 0 ? y : (dropoutLayer(r).apply({}, y as never, { training: true, key: k }) as unknown as T));
      const attended = selfAttention(name, p.attention as MultiHeadParams<number>, normed(p.norm1, t), h, causal, r, ka);
      const mid = core.add(t, drop(attended, k1));
      const mlp = linear(gelu(linear(normed(p.norm2, mid), p.mlp.up) as never) as unknown as T, p.mlp.down);
      return core.add(mid, drop(mlp, k2));
    },
  });
}
