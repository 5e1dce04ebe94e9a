/**
 * @file Eager kernels of the layout and reduction primitives on the JS backend (both backends run
 * them): broadcasts, slices and pads as strided copies, concatenation, reductions and argmax.
 * Plain loops over typed arrays, exact in every dtype.
 */
import { allocate } from "../../dtype.js";
import { ConcreteTensor } from "../../core/concrete.js";
import { product } from "../../shape/arith.js";
import { mapUnary, permute, plus, reduce, stridedCopy, stridedMove, stridesOf } from "./kernels.js";

type PadConfig = readonly (readonly [number, number, number])[];

/** `x` repeated into `shape`: a strided copy with stride 0 along every new or stretched axis. */
export function broadcastKernel(x: ConcreteTensor, shape: readonly number[], broadcastDims: readonly number[]): ConcreteTensor {
  const inStrides = stridesOf(x.shape);
  const strides = shape.map(() => 0);
  broadcastDims.forEach((d, i) => {
    if (x.shape[i] !== 1) strides[d] = inStrides[i];
  });
  const out = allocate(x.dtype, product(shape));
  if (x.storage.length === 1) out.fill(x.storage[0]);
  else stridedCopy(x.storage, 0, strides, shape, out);
  return ConcreteTensor.wrap(out, shape, x.dtype);
}

/** The number of elements a strided slice takes along one axis. */
export function sliceLength(start: number, limit: number, stride: number): number {
  return Math.max(0, Math.ceil((limit - start) / stride));
}

/** Elements `start[i] ≤ j < limit[i]` of `x`, every `strides[i]`-th. */
export function sliceKernel(x: ConcreteTensor, start: readonly number[], limit: readonly number[], strides: readonly number[]): ConcreteTensor {
  const inStrides = stridesOf(x.shape);
  const shape = x.shape.map((_, i) => sliceLength(start[i], limit[i], strides[i]));
  const offset = start.reduce((acc, s, i) => acc + s * inStrides[i], 0);
  const out = allocate(x.dtype, product(shape));
  stridedCopy(x.storage, offset, inStrides.map((s, i) => s * strides[i]), shape, out);
  return ConcreteTensor.wrap(out, shape, x.dtype);
}

/** The shape `x` takes when padded by `config` (`[low, high, interior]` per axis). */
export function paddedShape(shape: readonly number[], config: PadConfig): number[] {
  return shape.map((d, i) => {
    const [lo, hi, interior] = config[i];
    return lo + hi + d + Math.max(0, d - 1) * interior;
  });
}

/**
 * `x` padded with `value`: pad generously on a canvas (negative low/high treated as 0), scatter
 * the operand with the interior spacing, then crop the negative parts.
 */
export function padKernel(x: ConcreteTensor, value: number, config: PadConfig): ConcreteTensor {
  const grown = config.map(([lo, hi, interior]) => [Math.max(lo, 0), Math.max(hi, 0), interior] as const);
  const canvasShape = paddedShape(x.shape, grown);
  const canvas = allocate(x.dtype, product(canvasShape));
  if (value !== 0) canvas.fill(value);
  const canvasStrides = stridesOf(canvasShape);
  const offset = grown.reduce((acc, [lo], i) => acc + lo * canvasStrides[i], 0);
  stridedMove(x.storage, 0, stridesOf(x.shape), canvas, offset, canvasStrides.map((s, i) => s * (grown[i][2] + 1)), x.shape);
  const result = ConcreteTensor.wrap(canvas, canvasShape, x.dtype);
  if (config.every(([lo, hi]) => lo >= 0 && hi >= 0)) return result;
  const start = config.map(([lo]) => Math.max(-lo, 0));
  const limit = canvasShape.map((d, i) => d - Math.max(-config[i][1], 0));
  return sliceKernel(result, start, limit, start.map(() => 1));
}

/**
 * The operands joined along `axis`. Row-major: for each index of the leading axes, each operand
 * fills a stripe of the output row, copied with plain loops (stripes are often tiny, e.g. a few
 * channels, where subarray/set would dominate).
 */
export function concatenateKernel(xs: readonly ConcreteTensor[], axis: number): ConcreteTensor {
  const shape = xs[0].shape.slice();
  shape[axis] = xs.reduce((acc, x) => acc + x.shape[axis], 0);
  const outer = product(shape.slice(0, axis));
  const out = allocate(xs[0].dtype, product(shape));
  const row = product(shape.slice(axis));
  let start = 0;
  for (const x of xs) {
    const src = x.storage;
    const block = product(x.shape.slice(axis));
    for (let i = 0; i < outer; i++) {
      const s = i * block;
      const d = i * row + start;
      for (let j = 0; j < block; j++) out[d + j] = src[s + j];
    }
    start += block;
  }
  return ConcreteTensor.wrap(out, shape, xs[0].dtype);
}

/**
 * Sum (`add`; bool counted as int32) or maximum (`max`; NaN wins, as in NumPy: `acc > v || acc !==
 * acc` keeps a NaN once seen) over `axes`, which are removed.
 */
export function reduceKernel(x: ConcreteTensor, axes: readonly number[], op: "Add" | "Max"): ConcreteTensor {
  if (op === "Add") return reduce(x.dtype === "bool" ? mapUnary(x, (v) => v, "int32") : x, axes, 0, plus);
  return reduce(x, axes, -Infinity, (acc, v) => (acc > v || acc !== acc ? acc : v));
}

/** Index (int32) of the maximum along `axis`, the first on ties; NaN counts as the maximum, as in NumPy. */
export function argmaxKernel(x: ConcreteTensor, axis: number): ConcreteTensor {
  const order = x.shape.map((_, i) => i).filter((i) => i !== axis);
  const moved = permute(x, [...order, axis]).storage;
  const n = x.shape[axis];
  const outShape = order.map((i) => x.shape[i]);
  const out = allocate("int32", product(outShape), false);
  for (let i = 0; i < out.length; i++) {
    const base = i * n;
    let best = 0;
    let bestVal = moved[base];
    for (let j = 1; j < n && bestVal === bestVal; j++) {
      const v = moved[base + j];
      if (v > bestVal || v !== v) {
        best = j;
        bestVal = v;
      }
    }
    out[i] = best;
  }
  return ConcreteTensor.wrap(out, outShape, "int32");
}
