/**
 * @file Eager kernels of the JS backend: plain loops over typed arrays that the primitives' `impl`
 * functions are written with. Portable and exact in float64; the fast path is `jit`'s business.
 */
import { allocate, type DType, type Storage } from "../../dtype.js";
import { ConcreteTensor } from "../../core/concrete.js";
import { product } from "../../shape/arith.js";

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** out[i] = f(x[i]). */
export function mapUnary(x: ConcreteTensor, f: (v: number) => number, dtype: DType = x.dtype): ConcreteTensor {
  const src = x.storage;
  const out = allocate(dtype, src.length);
  for (let i = 0; i < src.length; i++) out[i] = f(src[i]);
  return ConcreteTensor.wrap(out, x.shape, dtype);
}

/** out[i] = f(x[i], y[i]) for equal-shaped operands. */
export function mapBinary(
  x: ConcreteTensor,
  y: ConcreteTensor,
  f: (a: number, b: number) => number,
  dtype: DType = x.dtype,
): ConcreteTensor {
  const a = x.storage;
  const b = y.storage;
  const out = allocate(dtype, a.length);
  for (let i = 0; i < a.length; i++) out[i] = f(a[i], b[i]);
  return ConcreteTensor.wrap(out, x.shape, dtype);
}

/**
 * For every index of `shape`, copies `src[srcOffset + Σ idx[d]·srcStrides[d]]` to
 * `dst[dstOffset + Σ idx[d]·dstStrides[d]]`. With row-major strides on one side this is a
 * gather (transpose, broadcast with zero strides, strided slice) or a scatter (pad).
 */
export function stridedMove(
  src: Storage,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: Storage,
  dstOffset: number,
  dstStrides: readonly number[],
  shape: readonly number[],
): void {
  const n = shape.length;
  if (product(shape) === 0) return;
  if (n === 0) {
    dst[dstOffset] = src[srcOffset];
    return;
  }
  const idx = new Array<number>(n).fill(0);
  const last = n - 1;
  const lastDim = shape[last];
  const srcStep = srcStrides[last];
  const dstStep = dstStrides[last];
  let p = srcOffset;
  let o = dstOffset;
  for (;;) {
    for (let j = 0; j < lastDim; j++) dst[o + j * dstStep] = src[p + j * srcStep];
    let d = last - 1;
    while (d >= 0) {
      idx[d]++;
      p += srcStrides[d];
      o += dstStrides[d];
      if (idx[d] < shape[d]) break;
      p -= srcStrides[d] * shape[d];
      o -= dstStrides[d] * shape[d];
      idx[d] = 0;
      d--;
    }
    if (d < 0) return;
  }
}

/** Gathers from `src` at `offset + Σ idx[d]·strides[d]` into row-major `out`. */
export function stridedCopy(src: Storage, offset: number, strides: readonly number[], shape: readonly number[], out: Storage): void {
  stridedMove(src, offset, strides, out, 0, stridesOf(shape), shape);
}

/** `x` with its axes permuted: result axis i is input axis perm[i]. */
export function permute(x: ConcreteTensor, perm: readonly number[]): ConcreteTensor {
  const strides = stridesOf(x.shape);
  const shape = perm.map((p) => x.shape[p]);
  const out = allocate(x.dtype, x.storage.length);
  stridedCopy(
    x.storage,
    0,
    perm.map((p) => strides[p]),
    shape,
    out,
  );
  return ConcreteTensor.wrap(out, shape, x.dtype);
}

/**
 * Reduces over `axes` with `combine`, starting from `init`; returns the reduced tensor (axes
 * removed). The reduced axes are moved last so each output element reduces a contiguous run.
 */
export function reduce(
  x: ConcreteTensor,
  axes: readonly number[],
  init: number,
  combine: (acc: number, v: number) => number,
): ConcreteTensor {
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  // Leading axes reduced (e.g. a bias gradient summed over the batch): combine whole rows in
  // place instead of moving the axes last. Same order of combination per output element.
  if (axes.length > 0 && kept.length > 0 && axes.every((a, i) => a === i)) return reduceLeading(x, axes.length, init, combine);
  const order = [...kept, ...axes];
  // Already in order (the reduced axes are the trailing ones, in order): no copy needed.
  const moved = order.every((a, i) => a === i) ? x.storage : permute(x, order).storage;
  const outShape = kept.map((i) => x.shape[i]);
  const n = product(outShape);
  const run = product(axes.map((a) => x.shape[a]));
  const out = allocate(x.dtype, n);
  for (let i = 0; i < n; i++) {
    let acc = init;
    const base = i * run;
    for (let j = 0; j < run; j++) acc = combine(acc, moved[base + j]);
    out[i] = acc;
  }
  return ConcreteTensor.wrap(out, outShape, x.dtype);
}

/** The combining function of sums: pass this to `reduce` so that kernels can recognise a sum. */
export const plus = (acc: number, v: number): number => acc + v;

function reduceLeading(x: ConcreteTensor, leading: number, init: number, combine: (acc: number, v: number) => number): ConcreteTensor {
  const outShape = x.shape.slice(leading);
  const n = product(outShape);
  const rows = product(x.shape.slice(0, leading));
  const acc = new Float64Array(n).fill(init);
  const src = x.storage;
  if (combine === plus) {
    // The common case (bias gradients) without a call per element.
    for (let r = 0; r < rows; r++) {
      const base = r * n;
      for (let j = 0; j < n; j++) acc[j] += src[base + j];
    }
  } else {
    for (let r = 0; r < rows; r++) {
      const base = r * n;
      for (let j = 0; j < n; j++) acc[j] = combine(acc[j], src[base + j]);
    }
  }
  const out = allocate(x.dtype, n);
  out.set(acc as never);
  return ConcreteTensor.wrap(out, outShape, x.dtype);
}

/**
 * Batched matrix product of row-major `[batch, m, k]` and `[batch, k, n]` storages into
 * `[batch, m, n]`. The i-k-j loop order streams rows of both operands.
 */
export function batchedMatmul(
  a: Storage,
  b: Storage,
  batch: number,
  m: number,
  k: number,
  n: number,
  dtype: DType,
): Storage {
  const out = allocate(dtype, batch * m * n);
  if (dtype === "int32") return intMatmul(a, b, batch, m, k, n, out);
  for (let t = 0; t < batch; t++) {
    const aBase = t * m * k;
    const bBase = t * k * n;
    const oBase = t * m * n;
    for (let i = 0; i < m; i++) {
      const oRow = oBase + i * n;
      for (let p = 0; p < k; p++) {
        const av = a[aBase + i * k + p];
        const bRow = bBase + p * n;
        for (let j = 0; j < n; j++) out[oRow + j] += av * b[bRow + j];
      }
    }
  }
  return out;
}

/** int32 matrix product with wrap-around arithmetic (as C and XLA define it). */
function intMatmul(a: Storage, b: Storage, batch: number, m: number, k: number, n: number, out: Storage): Storage {
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) acc = (acc + Math.imul(a[t * m * k + i * k + p], b[t * k * n + p * n + j])) | 0;
        out[t * m * n + i * n + j] = acc;
      }
    }
  }
  return out;
}
