/**
 * @file Export rule of `sort`: a stable sort of several operands along one axis by the first
 * `numKeys` of them, lexicographically, NaN after every number (before, descending). ONNX's
 * `TopK` with k the whole axis is a sort of one key that breaks ties by position (lower first, in
 * both directions): stable. A lexicographic sort is then stable sorts by each key from the last to
 * the first (least significant first, as in a radix sort), each reordering the permutation so far.
 * A float key is two: whether it is NaN (more significant) and the key with NaN read as 0, since
 * `TopK` has no order for NaN. The operands are then read in the final order with
 * `GatherElements`, which copies their elements bit for bit.
 */
import { isFloat } from "../../dtype.js";
import { int, ONNX_TYPE, type GraphBuilder, type Value } from "../graph.js";
import type { ExportContext, ExportRules } from "./types.js";

/** The keys `TopK` can sort `key` by, most significant first. */
function sortKeys(g: GraphBuilder, key: Value): string[] {
  const { dtype } = key.aval;
  if (dtype === "bool") return [g.cast(key.name, "bool", "int32")];
  if (!isFloat(dtype)) return [key.name];
  const nan = g.op("IsNaN", [key.name]);
  const type = ONNX_TYPE[dtype];
  return [g.cast(nan, "bool", "int32"), g.op("Where", [nan, g.scalar(type, 0), key.name])];
}

/** Export rule of `sort`. */
export const sortRules: ExportRules = {
  sort: (ctx: ExportContext, xs, { dimension, numKeys, descending }) => {
    const { g } = ctx;
    const shape = xs[0].aval.shape;
    const n = shape[dimension];
    if (n <= 1 || xs[0].aval.size === 0) return xs.map((x) => x.name);
    const axis = { axis: int(dimension) };
    const k = g.int64s([n]);
    const topK = (key: string) => g.node("TopK", [key, k], { ...axis, largest: int(descending ? 1 : 0), sorted: int(1) }, 2)[1];
    const keys = xs.slice(0, numKeys).flatMap((x) => sortKeys(g, x));
    // The least significant key sorts first; each later sort keeps its order among ties.
    let order: string | null = null;
    for (const key of keys.reverse()) {
      const byKey = topK(order === null ? key : g.op("GatherElements", [key, order], axis));
      order = order === null ? byKey : g.op("GatherElements", [order, byKey], axis);
    }
    return xs.map((x) => g.op("GatherElements", [x.name, order!], axis));
  },
};
