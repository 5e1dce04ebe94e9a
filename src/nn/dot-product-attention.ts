/**
 * @file Scaled dot-product attention as a function, `softmax(q·kᵀ·scale + mask) · v`, built from
 * `dotGeneral`, `select` and the reductions (so it has no rules of its own and every transform
 * applies). The softmax is computed here rather than by the `softmax` op because masking changes
 * what a row with no allowed key means: here it attends to nothing and gives zeros.
 */
import * as core from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { DTypeError } from "../core/errors.js";
import type { Tensor } from "../core/tensor.js";
import type { FloatDType } from "../dtype.js";
import { isFloat } from "../dtype.js";
import type { Checked, ShapeResult } from "../ops/operand.js";
import { expandTo } from "../ops/operand.js";
import type { Key } from "../random/key.js";
import { bernoulli } from "../random/sample.js";
import { checkBoolean, checkNumber, checkOptions, finite, unitInterval } from "../internal/check-args.js";
import type { Attention, AttentionLogits } from "../shape/attention.js";
import { attentionShape } from "../shape/attention.js";
import type { BroadcastTo } from "../shape/broadcast.js";
import { broadcastToShape } from "../shape/broadcast.js";
import type { Shape } from "../shape/dim.js";

type T = AnyTensor;

const OP = "dotProductAttention";

/**
 * Options of `dotProductAttention` (the mask's type is checked in the function's signature).
 * @category Layers
 */
export interface AttentionOptions {
  /** True for the keys a query may attend to; broadcast to the logits `[..., Tq, Tk]`. */
  readonly mask?: Tensor<Shape, "bool">;
  /** Query `i` attends only to keys `j ≤ i` (as JAX's and PyTorch's `is_causal`: aligned at the first key). */
  readonly causal?: boolean;
  /** Multiplies the logits (default `1/√D`, D the features of q and k). */
  readonly scale?: number;
  /** Probability of dropping each attention weight (inverted dropout; default 0). Needs `key`. */
  readonly dropout?: number;
  /** Randomness for `dropout`. */
  readonly key?: Key;
}

/** What the mask must be: a bool tensor that broadcasts to the logits (no check while the shapes themselves fail). */
type MaskCheck<M extends Shape, Q extends Shape, K extends Shape, V extends Shape> =
  AttentionLogits<Q, K, V> extends infer L ? (L extends string ? M : L extends Shape ? BroadcastTo<M, L, `${typeof OP}: mask`> : M) : never;

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** `[..., Tq, Tk]` booleans, true where query `i` may see key `j ≤ i`. */
function causalMask(shape: readonly number[]): T {
  const n = shape.length;
  const [tq, tk] = shape.slice(-2);
  const iota = (m: number) => core.fromValues(range(m), [m], "int32");
  return core.compare(core.broadcastInDim(iota(tq), shape, [n - 2]), core.broadcastInDim(iota(tk), shape, [n - 1]), "ge");
}

/** The keys each query may attend to, as bools of the logits' shape, or null when all may be. */
function allowedKeys(options: AttentionOptions, shape: readonly number[]): T | null {
  let allowed: T | null = null;
  if (options.mask !== undefined) {
    const mask = options.mask as unknown as T;
    if (mask.dtype !== "bool") throw new DTypeError(`${OP}: the mask must be bool but is ${mask.dtype}`);
    broadcastToShape(`${OP}: mask`, mask.shape, shape);
    allowed = expandTo(mask, shape);
  }
  if (options.causal !== undefined && checkBoolean(OP, "causal", options.causal)) {
    const causal = causalMask(shape);
    allowed = allowed === null ? causal : core.select(allowed, causal, allowed);
  }
  return allowed;
}

/**
 * Softmax over the last axis of `logits` where `allowed` (−∞ elsewhere, before the max shift).
 * A row with no allowed entry gets weights 0, not the NaN of 0/0: its max is −∞ and is replaced
 * by 0 for the shift, and its zero sum by 1 for the division.
 */
function maskedSoftmax(logits: T, allowed: T | null): T {
  const shape = logits.shape;
  const last = shape.length - 1;
  const rows = range(last);
  const x = allowed === null ? logits : core.select(allowed, logits, core.fullLike(logits, -Infinity));
  const max = core.stopGradient(core.reduceMax(x, [last]));
  const shift = core.select(core.compare(core.abs(max), core.fullLike(max, Infinity), "lt"), max, core.fullLike(max, 0));
  const e = core.exp(core.sub(x, core.broadcastInDim(shift, shape, rows)));
  const sum = core.reduceSum(e, [last]);
  const denom = allowed === null ? sum : core.select(core.compare(sum, core.fullLike(sum, 0), "gt"), sum, core.fullLike(sum, 1));
  return core.div(e, core.broadcastInDim(denom, shape, rows));
}

/** Inverted dropout of the attention weights (`rate` already checked). */
function dropWeights(weights: T, rate: number, key: Key | undefined): T {
  if (rate === 0) return weights;
  if (key === undefined) throw new TypeError(`${OP}: dropout ${rate} needs a random key: { dropout, key }`);
  const keep = bernoulli(key, 1 - rate, [...weights.shape]) as unknown as T;
  return core.select(keep, core.mul(weights, core.fullLike(weights, 1 / (1 - rate))), core.fullLike(weights, 0));
}

/** Untyped `dotProductAttention`, for layers. */
export function attend(q: T, k: T, v: T, options: AttentionOptions = {}): T {
  checkOptions(OP, "options", options);
  const { batch, tq, tk, dv } = attentionShape(OP, q.shape, k.shape, v.shape);
  if (!isFloat(q.dtype) || k.dtype !== q.dtype || v.dtype !== q.dtype) {
    throw new DTypeError(`${OP}: q, k and v must share one float dtype, got ${q.dtype}, ${k.dtype} and ${v.dtype}`);
  }
  const d = q.shape[q.ndim - 1];
  const scale = options.scale === undefined ? (d > 0 ? 1 / Math.sqrt(d) : 1) : checkNumber(OP, "scale", options.scale, finite);
  const rate = options.dropout === undefined ? 0 : checkNumber(OP, "dropout", options.dropout, unitInterval);
  const allowed = allowedKeys(options, [...batch, tq, tk]);
  // With no keys every query attends to nothing: zeros (reduceMax has no max of zero elements).
  if (tk === 0) return core.filled([...batch, tq, dv], 0, q.dtype);
  const nb = batch.length;
  const axes = range(nb);
  const qb = expandTo(q, [...batch, tq, d]);
  const kb = expandTo(k, [...batch, tk, d]);
  const vb = expandTo(v, [...batch, tk, dv]);
  const scores = core.dotGeneral(qb, kb, { contract: [[nb + 1], [nb + 1]], batch: [axes, axes] });
  const logits = core.mul(scores, core.fullLike(scores, scale));
  const weights = dropWeights(maskedSoftmax(logits, allowed), rate, options.key);
  return core.dotGeneral(weights, vb, { contract: [[nb + 1], [nb]], batch: [axes, axes] });
}

/**
 * Scaled dot-product attention: each query of `q` (`[..., Tq, D]`) takes the average of the
 * values `v` (`[..., Tk, Dv]`) weighted by `softmax(q·kᵀ · scale)` over the keys `k`
 * (`[..., Tk, D]`); the result is `[..., Tq, Dv]`. Leading dims (batch, heads) broadcast, so
 * `[B, H, T, D]` works as it is. The softmax subtracts each row's max first; a `mask` (bool,
 * true = may attend, broadcast to `[..., Tq, Tk]`) and `causal: true` put −∞ on the excluded
 * logits before that shift. A query that may attend to no key at all gets zeros (weights 0, not
 * the NaN of 0/0), and zero gradients. Mismatched shapes are a compile error on `v` naming all
 * three, or a `ShapeError` with the same text.
 * @example
 * declare const q: Tensor<["batch", 5, 64]>;
 * declare const k: Tensor<["batch", 7, 64]>;
 * declare const v: Tensor<["batch", 7, 32]>;
 * const y = nn.dotProductAttention(q, k, v); // Tensor<["batch", 5, 32]>
 * @category Layers
 */
export function dotProductAttention<Q extends Shape, K extends Shape, V extends Shape, D extends FloatDType, M extends Shape = []>(
  q: Tensor<Q, D>,
  k: Tensor<K, NoInfer<D>>,
  v: Checked<Attention<Q, K, V>, Tensor<V, NoInfer<D>>>,
  options?: Omit<AttentionOptions, "mask"> & { readonly mask?: Checked<MaskCheck<M, Q, K, V>, Tensor<M, "bool">> },
): Tensor<ShapeResult<Attention<Q, K, V>>, D> {
  return attend(q as unknown as T, k as unknown as T, v as unknown as T, (options ?? {}) as AttentionOptions) as never;
}
