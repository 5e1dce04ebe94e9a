/**
 * @file Eager kernels of the window primitives on the JS backend (the wasm backend runs them too):
 * `reduceWindow` (sum or maximum over N-d windows), and the two linear maps of max-pooling
 * derivatives, `selectAndScatterAdd` (each window's cotangent spread evenly over its maxima) and
 * `selectAndGatherAdd` (each window's tangent: the mean over its maxima). One pass over the
 * windows each; every window is walked as the list of its in-bounds input positions, so padding
 * costs nothing and takes part in no selection.
 */
import { allocate, isFloat } from "../../dtype.js";
import { ConcreteTensor } from "../../core/concrete.js";
import { product } from "../../shape/arith.js";
import { stridesOf } from "./kernels.js";

/** The geometry of a window op: per dim, the window size, the step between windows and `[lo, hi]` padding. */
export interface WindowGeometry {
  readonly window: readonly number[];
  readonly strides: readonly number[];
  readonly padding: readonly (readonly [number, number])[];
}

/**
 * The number of windows along each dim: `⌊(in + lo + hi − w) / s⌋ + 1`, or 0 where the window
 * does not fit the padded input (as XLA's reduce-window defines it).
 */
export function windowOutShape(inShape: readonly number[], g: WindowGeometry): number[] {
  return inShape.map((d, i) => {
    const padded = d + g.padding[i][0] + g.padding[i][1];
    return padded < g.window[i] ? 0 : Math.floor((padded - g.window[i]) / g.strides[i]) + 1;
  });
}

/**
 * Calls `visit(o, at, n)` for every window `o` (row-major over the output), with the flat input
 * positions of its `n` in-bounds elements in `at[0..n)`, in row-major window order.
 */
function forEachWindow(inShape: readonly number[], g: WindowGeometry, visit: (o: number, at: Int32Array, n: number) => void): void {
  const rank = inShape.length;
  const outShape = windowOutShape(inShape, g);
  const outSize = product(outShape);
  if (outSize === 0) return;
  const inStrides = stridesOf(inShape);
  // Per dim and output coordinate: the first in-bounds input coordinate and how many follow it.
  const first: Int32Array[] = [];
  const count: Int32Array[] = [];
  for (let d = 0; d < rank; d++) {
    const f = new Int32Array(outShape[d]);
    const c = new Int32Array(outShape[d]);
    for (let p = 0; p < outShape[d]; p++) {
      const start = p * g.strides[d] - g.padding[d][0];
      const a = Math.max(start, 0);
      const b = Math.min(start + g.window[d], inShape[d]);
      f[p] = a;
      c[p] = Math.max(b - a, 0);
    }
    first.push(f);
    count.push(c);
  }
  // A window holds at most min(window, input) elements per dim: a huge window over a small input
  // (padding) needs no huge scratch list.
  const at = new Int32Array(Math.max(product(g.window.map((w, d) => Math.min(w, inShape[d]))), 1));
  const p = new Int32Array(rank);
  const c = new Int32Array(rank);
  const j = new Int32Array(rank);
  const last = rank - 1;
  for (let o = 0; o < outSize; o++) {
    let base = 0;
    let empty = false;
    for (let d = 0; d < rank; d++) {
      c[d] = count[d][p[d]];
      base += first[d][p[d]] * inStrides[d];
      if (c[d] === 0) empty = true;
    }
    let n = 0;
    if (rank === 0) at[n++] = 0;
    else if (!empty) {
      j.fill(0);
      let off = base;
      const runLength = c[last];
      const step = inStrides[last];
      for (;;) {
        for (let t = 0; t < runLength; t++) at[n++] = off + t * step;
        let d = last - 1;
        while (d >= 0) {
          j[d]++;
          off += inStrides[d];
          if (j[d] < c[d]) break;
          off -= inStrides[d] * c[d];
          j[d] = 0;
          d--;
        }
        if (d < 0) break;
      }
    }
    visit(o, at, n);
    for (let d = last; d >= 0; d--) {
      if (++p[d] < outShape[d]) break;
      p[d] = 0;
    }
  }
}

/** The value no element is below: −∞ for floats, the least int32 (XLA's initial value of a max over int32). */
function lowest(x: ConcreteTensor): number {
  return isFloat(x.dtype) ? -Infinity : -2147483648;
}

/**
 * The maximum of `xs` at positions `at[0..n)` (NaN wins, as in NumPy), or `init` for none.
 * NB: `v > m || v !== v` takes the first NaN and keeps it (`m > NaN` is false, so nothing replaces it).
 */
function windowMax(xs: ArrayLike<number>, at: Int32Array, n: number, init: number): number {
  let m = init;
  for (let t = 0; t < n; t++) {
    const v = xs[at[t]];
    if (v > m || (v !== v && m === m)) m = v;
  }
  return m;
}

/** Whether `v` is selected as a maximum `m` of its window: equal, or both NaN. */
const isMax = (v: number, m: number): boolean => v === m || (v !== v && m !== m);

/**
 * Sum (`Add`, accumulated in float64; an empty window gives 0) or maximum (`Max`; NaN wins; an
 * empty window, all padding, gives −∞, or the least int32) of every window of `x`.
 */
export function reduceWindowKernel(x: ConcreteTensor, op: "Add" | "Max", g: WindowGeometry): ConcreteTensor {
  const outShape = windowOutShape(x.shape, g);
  const out = allocate(x.dtype, product(outShape), false);
  const xs = x.storage;
  if (op === "Add") {
    forEachWindow(x.shape, g, (o, at, n) => {
      let acc = 0;
      for (let t = 0; t < n; t++) acc += xs[at[t]];
      out[o] = acc;
    });
  } else {
    const init = lowest(x);
    forEachWindow(x.shape, g, (o, at, n) => {
      out[o] = windowMax(xs, at, n, init);
    });
  }
  return ConcreteTensor.wrap(out, outShape, x.dtype);
}

/**
 * `operand`-shaped: each window's `source` value divided evenly among the window's maxima in
 * `operand` and added there (overlapping windows add up). The transpose of `selectAndGatherAdd`.
 */
export function selectAndScatterAddKernel(source: ConcreteTensor, operand: ConcreteTensor, g: WindowGeometry): ConcreteTensor {
  const acc = new Float64Array(operand.size);
  const xs = operand.storage;
  const ss = source.storage;
  forEachWindow(operand.shape, g, (o, at, n) => {
    if (n === 0) return;
    const m = windowMax(xs, at, n, -Infinity);
    let ties = 0;
    for (let t = 0; t < n; t++) if (isMax(xs[at[t]], m)) ties++;
    const share = ss[o] / ties;
    for (let t = 0; t < n; t++) if (isMax(xs[at[t]], m)) acc[at[t]] += share;
  });
  const out = allocate(source.dtype, operand.size, false);
  (out as Float64Array).set(acc);
  return ConcreteTensor.wrap(out, operand.shape, source.dtype);
}

/**
 * One value per window: the mean of `tangent` over the window's maxima in `operand` (0 for a
 * window of padding only). The derivative of a max over windows along `tangent`.
 */
export function selectAndGatherAddKernel(tangent: ConcreteTensor, operand: ConcreteTensor, g: WindowGeometry): ConcreteTensor {
  const outShape = windowOutShape(operand.shape, g);
  const out = allocate(tangent.dtype, product(outShape), false);
  const xs = operand.storage;
  const ts = tangent.storage;
  forEachWindow(operand.shape, g, (o, at, n) => {
    if (n === 0) {
      out[o] = 0;
      return;
    }
    const m = windowMax(xs, at, n, -Infinity);
    let ties = 0;
    let sum = 0;
    for (let t = 0; t < n; t++) {
      if (isMax(xs[at[t]], m)) {
        ties++;
        sum += ts[at[t]];
      }
    }
    out[o] = sum / ties;
  });
  return ConcreteTensor.wrap(out, outShape, tangent.dtype);
}
