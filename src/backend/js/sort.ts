/**
 * @file Eager kernel of the `sort` primitive on the JS backend (both backends run it): per line
 * along the sorted dimension, the positions are sorted by the key operands (lexicographically,
 * position last, so the order is total and the sort stable whatever the engine's sort does),
 * and every operand is read out in that order. O(n log n) per line.
 */
import { allocate, type Storage } from "../../dtype.js";
import { ConcreteTensor } from "../../core/concrete.js";
import { product } from "../../shape/arith.js";

/**
 * NumPy's ascending order of two numbers: NaN after every number (and equal to NaN), −0 equal
 * to +0; negative, zero or positive like a comparator.
 */
export function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const aNaN = a !== a;
  const bNaN = b !== b;
  return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
}

/** The operands permuted along `dimension` by a stable sort on the first `numKeys` of them. */
export function sortKernel(xs: readonly ConcreteTensor[], dimension: number, numKeys: number, descending: boolean): ConcreteTensor[] {
  const shape = xs[0].shape;
  const n = shape[dimension];
  const inner = product(shape.slice(dimension + 1));
  const outer = product(shape.slice(0, dimension));
  const srcs = xs.map((x) => x.storage);
  const keys = srcs.slice(0, numKeys);
  const outs: Storage[] = xs.map((x) => allocate(x.dtype, x.size, false));
  const sign = descending ? -1 : 1;
  const order = new Array<number>(n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      for (let j = 0; j < n; j++) order[j] = j;
      order.sort((p, q) => {
        for (const key of keys) {
          const c = compareNumbers(key[base + p * inner], key[base + q * inner]);
          if (c !== 0) return sign * c;
        }
        return p - q;
      });
      srcs.forEach((src, k) => {
        const out = outs[k];
        for (let j = 0; j < n; j++) out[base + j * inner] = src[base + order[j] * inner];
      });
    }
  }
  return xs.map((x, k) => ConcreteTensor.wrap(outs[k], shape, x.dtype));
}
