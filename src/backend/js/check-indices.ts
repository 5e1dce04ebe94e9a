/**
 * @file The eager kernel of the `checkIndices` primitive on the JS backend (both backends run it):
 * a scan for the first index outside its valid range, reported as a `RangeError` with its
 * position.
 */
import type { ConcreteTensor } from "../../core/concrete.js";

/**
 * `x` itself when every element is in `[lo, hi)`; else a `RangeError` naming `op`, `what` the
 * values are, the first bad value (in row-major order) and its multi-index.
 */
export function checkIndicesKernel(x: ConcreteTensor, lo: number, hi: number, op: string, what: string): ConcreteTensor {
  const data = x.storage;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v >= lo && v < hi) continue;
    throw new RangeError(`${op}: ${what} ${v} at position [${multiIndex(i, x.shape).join(", ")}] is out of range [${lo}, ${hi})`);
  }
  return x;
}

/** The multi-index of flat (row-major) position `flat` in `shape`. */
export function multiIndex(flat: number, shape: readonly number[]): number[] {
  const index = shape.map(() => 0);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return index;
}
