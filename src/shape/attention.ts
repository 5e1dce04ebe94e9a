/**
 * @file Shapes of scaled dot-product attention, twice: `Attention<Q, K, V, Op>` (and the logits'
 * shape `AttentionLogits`) at the type level and `attentionShape(op, q, k, v)` at run time, with
 * the same error text. q is `[..., Tq, D]`, k `[..., Tk, D]`, v `[..., Tk, Dv]`; the leading
 * (batch, head) dims broadcast as NumPy's do, so one k and v can serve every head of q; the
 * result is `[...batch, Tq, Dv]` and the attention logits are `[...batch, Tq, Tk]`.
 */
import type { BroadcastAll } from "./broadcast.js";
import type { Dim, DimMatch, IsTuple, Shape } from "./dim.js";
import { assertShape } from "./dim.js";
import { ShapeError, showShape } from "./errors.js";
import type { ShowDim, ShowShape } from "./show.js";

type Operands<Q extends Shape, K extends Shape, V extends Shape> = `(q is ${ShowShape<Q>}, k is ${ShowShape<K>}, v is ${ShowShape<V>})`;

/**
 * `[batch, Tq, Tk, Dv]` (batch dims as a tuple) of attention on shapes `Q`, `K`, `V`, or the
 * error message. The checks run in the order of the runtime twin, so both report the same first
 * mistake.
 */
type Parts<Q extends Shape, K extends Shape, V extends Shape, Op extends string> = Q extends readonly [
  ...infer QB extends Dim[],
  infer Tq,
  infer Dq,
]
  ? K extends readonly [...infer KB extends Dim[], infer Tk, infer Dk]
    ? V extends readonly [...infer VB extends Dim[], infer Tv, infer Dv]
      ? DimMatch<Dq, Dk> extends false
        ? `${Op}: q and k differ in features: ${ShowDim<Dq>} vs ${ShowDim<Dk>} ${Operands<Q, K, V>}`
        : DimMatch<Tk, Tv> extends false
          ? `${Op}: k and v differ in length: ${ShowDim<Tk>} vs ${ShowDim<Tv>} ${Operands<Q, K, V>}`
          : BroadcastAll<[QB, KB, VB]> extends infer B
            ? B extends string
              ? `${Op}: the batch dims of q, k and v do not broadcast ${Operands<Q, K, V>}`
              : [B, Tq, Tk, Dv]
            : never
      : RankError<Q, K, V, Op>
    : RankError<Q, K, V, Op>
  : RankError<Q, K, V, Op>;

type RankError<Q extends Shape, K extends Shape, V extends Shape, Op extends string> =
  `${Op}: q, k and v need at least 2 dims, [..., seq, features] ${Operands<Q, K, V>}`;

type Known<Q extends Shape, K extends Shape, V extends Shape> =
  IsTuple<Q> extends true ? (IsTuple<K> extends true ? IsTuple<V> : false) : false;

/**
 * The shape of `dotProductAttention(q, k, v)`, or an error message naming `Op` and the three
 * shapes: `Attention<[2, 5, 64], [2, 7, 64], [2, 7, 32]>` is `[2, 5, 32]`, and
 * `Attention<[2, 5, 64], [2, 7, 32], [2, 7, 32]>` is
 * `"dotProductAttention: q and k differ in features: 64 vs 32 (q is [2, 5, 64], k is [2, 7, 32], v is [2, 7, 32])"`.
 * Of unknown rank, `number[]`.
 * @category Shape algebra
 */
export type Attention<Q extends Shape, K extends Shape, V extends Shape, Op extends string = "dotProductAttention"> =
  AttentionImpl<Q, K, V, Op> extends infer R ? R : never;

type AttentionImpl<Q extends Shape, K extends Shape, V extends Shape, Op extends string = "dotProductAttention"> =
  Known<Q, K, V> extends true
    ? Parts<Q, K, V, Op> extends infer P
      ? P extends [infer B extends readonly unknown[], infer Tq, unknown, infer Dv]
        ? [...B, Tq, Dv]
        : P
      : never
    : number[];

/**
 * The shape of the attention logits (one row of key scores per query, `[...batch, Tq, Tk]`), or
 * the error message of `Attention`. A mask must broadcast to it.
 * @category Shape algebra
 */
export type AttentionLogits<Q extends Shape, K extends Shape, V extends Shape, Op extends string = "dotProductAttention"> =
  AttentionLogitsImpl<Q, K, V, Op> extends infer R ? R : never;

type AttentionLogitsImpl<Q extends Shape, K extends Shape, V extends Shape, Op extends string = "dotProductAttention"> =
  Known<Q, K, V> extends true
    ? Parts<Q, K, V, Op> extends infer P
      ? P extends [infer B extends readonly unknown[], infer Tq, infer Tk, unknown]
        ? [...B, Tq, Tk]
        : P
      : never
    : number[];

/**
 * Runtime twin of `Attention`'s parts: the broadcast batch dims, `Tq`, `Tk` and `Dv`.
 * @category Shape algebra
 */
export interface AttentionDims {
  /** The batch dims of q, k and v, broadcast together. */
  readonly batch: number[];
  /** The number of queries. */
  readonly tq: number;
  /** The number of keys (and values). */
  readonly tk: number;
  /** The size of each value. */
  readonly dv: number;
}

/**
 * Runtime twin of `Attention`: the batch dims and sizes of `dotProductAttention(q, k, v)`, or a
 * `ShapeError` with the text of the type-level message.
 * @category Shape algebra
 */
export function attentionShape(op: string, q: readonly number[], k: readonly number[], v: readonly number[]): AttentionDims {
  assertShape(op, q);
  assertShape(op, k);
  assertShape(op, v);
  const operands = `(q is ${showShape(q)}, k is ${showShape(k)}, v is ${showShape(v)})`;
  if (q.length < 2 || k.length < 2 || v.length < 2) {
    throw new ShapeError(`${op}: q, k and v need at least 2 dims, [..., seq, features] ${operands}`);
  }
  const last = (s: readonly number[], i: number) => s[s.length - i];
  if (last(q, 1) !== last(k, 1)) throw new ShapeError(`${op}: q and k differ in features: ${last(q, 1)} vs ${last(k, 1)} ${operands}`);
  if (last(k, 2) !== last(v, 2)) throw new ShapeError(`${op}: k and v differ in length: ${last(k, 2)} vs ${last(v, 2)} ${operands}`);
  const batches = [q, k, v].map((s) => s.slice(0, -2));
  const n = Math.max(...batches.map((b) => b.length));
  const batch: number[] = [];
  for (let i = n; i >= 1; i--) {
    const dims = batches.map((b) => (i <= b.length ? b[b.length - i] : 1)).filter((d) => d !== 1);
    if (dims.some((d) => d !== dims[0])) throw new ShapeError(`${op}: the batch dims of q, k and v do not broadcast ${operands}`);
    batch.push(dims.length === 0 ? 1 : dims[0]);
  }
  return { batch, tq: last(q, 2), tk: last(k, 2), dv: last(v, 1) };
}
