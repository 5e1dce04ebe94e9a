/**
 * @file A parallel prefix scan (an "associative scan", Blelloch 1990; JAX's `associative_scan`)
 * written with traceable movement ops: pairs of neighbours are combined, the half-length result
 * is scanned recursively, and the other half is filled in from it. O(n) work in O(log n) levels of
 * slices, concatenations and reshapes, all linear and differentiable.
 *
 * `cumulative` differentiates its products, maxima and minima through this scan on
 * (value, tangent) pairs, as JAX does: every combine is a plain binary op with a JVP that is
 * exact where the closed forms are not (a product's derivative with zeros in the input). The
 * pairing is that of JAX's scan (a reverse scan pairs from the end, as JAX's scan of the flipped
 * array does), so what depends on it, the weights of tied extrema, agrees with JAX.
 */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";

type T = AnyTensor;

/** Parallel arrays scanned together (a value and its tangent, say), all of one shape. */
export type Parts = readonly T[];

/** Combines an earlier (in scan order) prefix with a later one, elementwise. */
export type Combine = (earlier: Parts, later: Parts) => Parts;

/** Elements `start`, `start + step`, … before `stop` along `axis`. */
function take(xs: Parts, axis: number, start: number, stop: number, step = 1): Parts {
  return xs.map((x) => {
    const begin = x.shape.map((_, i) => (i === axis ? start : 0));
    const end = x.shape.map((d, i) => (i === axis ? stop : d));
    const strides = x.shape.map((_, i) => (i === axis ? step : 1));
    return ops.slice(x, begin, end, strides);
  });
}

function length(xs: Parts, axis: number): number {
  return xs[0].shape[axis];
}

/** The parts of each group joined along `axis`, leaving out empty groups. */
function join(groups: readonly Parts[], axis: number): Parts {
  const live = groups.filter((g) => length(g, axis) > 0);
  return live.length === 1 ? live[0] : live[0].map((_, k) => ops.concatenate(live.map((g) => g[k]), axis));
}

/** `evens` at positions 0, 2, 4, … and `odds` at 1, 3, …; `evens` has as many or one more. */
function interleave(evens: Parts, odds: Parts, axis: number): Parts {
  const e = length(evens, axis);
  const n = e + length(odds, axis);
  return evens.map((even, k) => {
    let odd = odds[k];
    if (length(odds, axis) < e) odd = ops.pad(odd, 0, odd.shape.map((_, i) => [0, i === axis ? 1 : 0, 0] as const));
    const column = even.shape.flatMap((d, i) => (i === axis ? [d, 1] : [d]));
    const pairs = ops.concatenate([ops.reshape(even, column), ops.reshape(odd, column)], axis + 1);
    const merged = ops.reshape(pairs, even.shape.map((d, i) => (i === axis ? 2 * e : d)));
    return n === 2 * e ? merged : take([merged], axis, 0, n)[0];
  });
}

/**
 * The inclusive scan of `xs` along `axis` under `combine` (associative), from the first element
 * to the last, or from the last to the first when `reverse`.
 */
export function associativeScan(xs: Parts, axis: number, combine: Combine, reverse: boolean): Parts {
  return reverse ? suffixScan(xs, axis, combine) : prefixScan(xs, axis, combine);
}

function prefixScan(xs: Parts, axis: number, combine: Combine): Parts {
  const n = length(xs, axis);
  if (n < 2) return xs;
  const m = Math.floor(n / 2);
  // odd[k] is the prefix through 2k + 1; even position 2k (k ≥ 1) adds element 2k to odd[k − 1].
  const odd = prefixScan(combine(take(xs, axis, 0, 2 * m, 2), take(xs, axis, 1, 2 * m, 2)), axis, combine);
  const rest = Math.ceil(n / 2) - 1;
  const evenTail = rest > 0 ? combine(take(odd, axis, 0, rest), take(xs, axis, 2, n, 2)) : take(xs, axis, 0, 0);
  return interleave(join([take(xs, axis, 0, 1), evenTail], axis), odd, axis);
}

function suffixScan(xs: Parts, axis: number, combine: Combine): Parts {
  const n = length(xs, axis);
  if (n < 2) return xs;
  const m = Math.floor(n / 2);
  const o = n - 2 * m;
  // Pairs (o + 2k, o + 2k + 1) from the back; left[k] is the suffix from o + 2k, and the suffix
  // from o + 2k + 1 adds element o + 2k + 1 to left[k + 1] (the last element is its own suffix).
  const left = suffixScan(combine(take(xs, axis, o + 1, n, 2), take(xs, axis, o, n, 2)), axis, combine);
  const rightHead = m > 1 ? combine(take(left, axis, 1, m), take(xs, axis, o + 1, n - 2, 2)) : take(xs, axis, 0, 0);
  const paired = interleave(left, join([rightHead, take(xs, axis, n - 1, n)], axis), axis);
  return o === 0 ? paired : join([combine(take(left, axis, 0, 1), take(xs, axis, 0, 1)), paired], axis);
}
