/**
 * @file `splitHeads` and `mergeHeads`: the reshape-and-transpose pair around multi-head
 * attention, typed so that named dims survive it (`SplitHeads`/`MergeHeads` in
 * `src/shape/heads.ts` compute the result shapes and the errors).
 */
import * as core from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import type { Tensor } from "../core/tensor.js";
import type { DType } from "../dtype.js";
import type { Checked, ShapeResult } from "../ops/operand.js";
import type { Shape } from "../shape/dim.js";
import type { MergeHeads, SplitHeads } from "../shape/heads.js";
import { mergeHeadsShape, splitHeadsShape } from "../shape/heads.js";

type T = AnyTensor;

/** `perm` that swaps the axes `n − 3` and `n − 2` of a rank-`n` tensor (heads and sequence). */
function swapHeadsAndSeq(n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i === n - 3 ? n - 2 : i === n - 2 ? n - 3 : i));
}

/** Untyped `splitHeads`, for layers: `[..., T, D]` to `[..., H, T, D/H]`. */
export function splitHeadsOf(op: string, x: T, heads: number): T {
  const out = splitHeadsShape(op, x.shape, heads);
  const n = out.length;
  // [..., T, D] is [..., T, H, D/H] in memory; only the H and T axes trade places.
  const grouped = core.reshape(x, [...out.slice(0, -3), out[n - 2], heads, out[n - 1]]);
  return core.transpose(grouped, swapHeadsAndSeq(n));
}

/** Untyped `mergeHeads`, for layers: `[..., H, T, Dh]` to `[..., T, H·Dh]`. */
export function mergeHeadsOf(op: string, x: T): T {
  const out = mergeHeadsShape(op, x.shape);
  return core.reshape(core.transpose(x, swapHeadsAndSeq(x.ndim)), out);
}

/**
 * Splits the last axis of `x` (`[..., seq, features]`) into `heads` heads and moves them before
 * the sequence: `[..., heads, seq, features / heads]`, head `h` holding features
 * `h·Dh … (h+1)·Dh − 1`. Every other dim keeps its type, names included. `heads` must divide the
 * features: a compile error when both are literals, a `ShapeError` otherwise.
 * @example
 * declare const x: Tensor<["batch", "seq", 64]>;
 * const q = nn.splitHeads(x, 8); // Tensor<["batch", 8, "seq", 8]>
 * @category Layers
 */
export function splitHeads<S extends Shape, D extends DType, const H extends number>(
  x: Tensor<S, D>,
  heads: Checked<SplitHeads<S, H>, H>,
): Tensor<ShapeResult<SplitHeads<S, H>>, D> {
  return splitHeadsOf("splitHeads", x as unknown as T, heads as H) as never;
}

/**
 * The inverse of `splitHeads`: `[..., heads, seq, Dh]` to `[..., seq, heads·Dh]`, the heads'
 * features side by side in head order.
 * @example
 * declare const h: Tensor<["batch", 8, "seq", 8]>;
 * const y = nn.mergeHeads(h); // Tensor<["batch", "seq", 64]>
 * @category Layers
 */
export function mergeHeads<S extends Shape, D extends DType>(x: Checked<MergeHeads<S>, Tensor<S, D>>): Tensor<ShapeResult<MergeHeads<S>>, D> {
  return mergeHeadsOf("mergeHeads", x as unknown as T) as never;
}
