/**
 * @file Eager kernel of the `cumulative` primitive on the JS backend (both backends run it): one
 * pass along the axis per line, O(n). The running value is a JS number, so float32 sums and
 * products accumulate in float64 and round once per stored element; int32 wraps as int32 does.
 */
import { allocate } from "../../dtype.js";
import { ConcreteTensor } from "../../core/concrete.js";
import { product } from "../../shape/arith.js";

/** The running operation of a `cumulative` primitive. */
export type CumulativeOp = "add" | "mul" | "max" | "min";

type Step = (acc: number, v: number) => number;

// NaN sticks once seen, as in NumPy's maximum.accumulate (`acc !== acc` keeps it).
const STEPS: Record<CumulativeOp, { readonly start: number; readonly float: Step; readonly int: Step }> = {
  add: { start: 0, float: (acc, v) => acc + v, int: (acc, v) => (acc + v) | 0 },
  mul: { start: 1, float: (acc, v) => acc * v, int: (acc, v) => Math.imul(acc, v) },
  max: { start: -Infinity, float: (acc, v) => (acc > v || acc !== acc ? acc : v), int: (acc, v) => (acc > v ? acc : v) },
  min: { start: Infinity, float: (acc, v) => (acc < v || acc !== acc ? acc : v), int: (acc, v) => (acc < v ? acc : v) },
};

/** Running `op` of `x` along `axis`; from the last element back to the first when `reverse`. */
export function cumulativeKernel(x: ConcreteTensor, axis: number, op: CumulativeOp, reverse: boolean): ConcreteTensor {
  const src = x.storage;
  const out = allocate(x.dtype, src.length, false);
  const n = x.shape[axis];
  const inner = product(x.shape.slice(axis + 1));
  const outer = product(x.shape.slice(0, axis));
  const { start, float, int } = STEPS[op];
  const step = x.dtype === "int32" ? int : float;
  const stride = reverse ? -inner : inner;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let p = o * n * inner + i + (reverse ? (n - 1) * inner : 0);
      let acc = start;
      for (let j = 0; j < n; j++, p += stride) {
        acc = step(acc, src[p]);
        out[p] = acc;
      }
    }
  }
  return ConcreteTensor.wrap(out, x.shape, x.dtype);
}
