/**
 * @file The kernel of `dotGeneral`: operands brought to `[batch, rows, contracted]` and
 * `[batch, contracted, cols]` order (transposing only where needed) and multiplied. float32
 * products of some size run on the WebAssembly SIMD matmul, which reads plain and transposed
 * 2-D operands in place; the rest (float64, int32, tiny products) run on JS loops.
 */
import { allocate } from "../../dtype.js";
import { ConcreteTensor } from "../../core/concrete.js";
import { product } from "../../shape/arith.js";
import type { DotDims } from "../../core/primitive.js";
import { batchedMatmul, permute } from "./kernels.js";
import { MATMUL_SIMD_MIN_WORK, type WasmMatmul } from "../wasm/matmul.js";

type Axes = readonly number[];

/** The axes of a rank-`ndim` operand that are neither contracted nor batch, in order. */
export function freeAxes(ndim: number, contract: Axes, batch: Axes): number[] {
  const free: number[] = [];
  for (let i = 0; i < ndim; i++) if (!contract.includes(i) && !batch.includes(i)) free.push(i);
  return free;
}

/** Brings an operand to `[batch, rows, cols]` storage order by transposing if needed. */
function arrange(x: ConcreteTensor, order: number[]): ConcreteTensor {
  return order.every((p, i) => p === i) ? x : permute(x, order);
}

/** `dotGeneral(x, y)` (output axes: batch, free of x, free of y), on `simd` where it pays. */
export function dotGeneralKernel(x: ConcreteTensor, y: ConcreteTensor, { contract, batch }: DotDims, simd: WasmMatmul | null): ConcreteTensor {
  const [xc, yc] = contract;
  const [xb, yb] = batch;
  const xf = freeAxes(x.ndim, xc, xb);
  const yf = freeAxes(y.ndim, yc, yb);
  const size = (t: ConcreteTensor, axes: Axes) => product(axes.map((a) => t.shape[a]));
  const b = size(x, xb);
  const m = size(x, xf);
  const k = size(x, xc);
  const n = size(y, yf);
  const shape = [...xb.map((i) => x.shape[i]), ...xf.map((i) => x.shape[i]), ...yf.map((i) => y.shape[i])];
  if (simd !== null && x.dtype === "float32" && m * n * k >= MATMUL_SIMD_MIN_WORK) {
    const out = allocate("float32", b * m * n, false) as Float32Array;
    // A 2-D operand stored transposed is read with swapped strides instead of being copied.
    const xT = b === 1 && x.ndim === 2 && xc[0] === 0;
    const yT = b === 1 && y.ndim === 2 && yc[0] === 1;
    const a = xT ? x.storage : arrange(x, [...xb, ...xf, ...xc]).storage;
    const c = yT ? y.storage : arrange(y, [...yb, ...yc, ...yf]).storage;
    for (let t = 0; t < b; t++) {
      simd.multiply(
        a as Float32Array, t * m * k, xT ? 1 : k, xT ? m : 1,
        c as Float32Array, t * k * n, yT ? 1 : n, yT ? k : 1,
        m, k, n, out, t * m * n,
      );
    }
    return ConcreteTensor.wrap(out, shape, x.dtype);
  }
  const a = arrange(x, [...xb, ...xf, ...xc]).storage;
  const c = arrange(y, [...yb, ...yc, ...yf]).storage;
  return ConcreteTensor.wrap(batchedMatmul(a, c, b, m, k, n, x.dtype), shape, x.dtype);
}
