/**
 * @file The eager kernels of `gather` and the scatters on the JS backend (both backends run them).
 * A window is read or written as runs of contiguous elements: where it spans whole trailing axes
 * of the operand (an embedding row, a slice of leading axes) one run covers it, and a gather copies
 * it with one `set`.
 */
import { allocate, type Storage } from "../../dtype.js";
import { ConcreteTensor } from "../../core/concrete.js";
import type { IndexDims, PrimParams, ScatterCombine } from "../../core/primitive.js";
import { product } from "../../shape/arith.js";
import { stridesOf } from "./kernels.js";

/** Runs shorter than this are copied element by element (a typed-array `set` costs more). */
const SHORT_RUN = 16;

/** Where each window sits in the operand: its start offset (−1 when dropped) and its runs. */
interface Windows {
  /** Operand offset of each index vector's window, or −1 for a window out of range in "fill" mode. */
  readonly starts: Int32Array;
  /** Offset of each contiguous run within a window, in the window's row-major order. */
  readonly runs: Int32Array;
  /** Elements per run. */
  readonly run: number;
}

/** Locates the windows of size `window` (per operand axis) that `indices` name in an operand of `shape`. */
function locate(shape: readonly number[], indices: ConcreteTensor, window: readonly number[], { axes, mode }: IndexDims): Windows {
  const strides = stridesOf(shape);
  const k = axes.length;
  const count = product(indices.shape.slice(0, -1));
  const idx = indices.storage;
  const starts = new Int32Array(count);
  const limits = axes.map((a) => shape[a] - window[a]);
  const steps = axes.map((a) => strides[a]);
  for (let b = 0; b < count; b++) {
    let offset = 0;
    for (let j = 0; j < k; j++) {
      let s = idx[b * k + j];
      if (s < 0 || s > limits[j]) {
        if (mode === "fill") {
          offset = -1;
          break;
        }
        s = s < 0 ? 0 : limits[j];
      }
      offset += s * steps[j];
    }
    starts[b] = offset;
  }
  // The run: the trailing axes the window spans whole, times the window's extent on the axis before.
  let p = shape.length - 1;
  while (p >= 0 && window[p] === shape[p]) p--;
  const run = p < 0 ? product(shape) : window[p] * product(shape.slice(p + 1));
  const outer = window.slice(0, Math.max(p, 0));
  const runs = new Int32Array(product(outer));
  let r = 0;
  const walk = (axis: number, offset: number): void => {
    if (axis === outer.length) runs[r++] = offset;
    else for (let i = 0; i < outer[axis]; i++) walk(axis + 1, offset + i * strides[axis]);
  };
  if (runs.length > 0) walk(0, 0);
  return { starts, runs, run };
}

/** `gather`: the window at each index vector, or `fillValue` for a dropped one. */
export function gatherKernel(x: ConcreteTensor, indices: ConcreteTensor, params: PrimParams["gather"]): ConcreteTensor {
  const { sliceSizes, collapsed, fillValue } = params;
  const nb = indices.ndim - 1;
  const outShape = [...indices.shape.slice(0, nb), ...sliceSizes.filter((_, a) => !collapsed.includes(a))];
  const size = product(sliceSizes);
  const { starts, runs, run } = locate(x.shape, indices, sliceSizes, params);
  const src = x.storage;
  const out = allocate(x.dtype, starts.length * size, false);
  let o = 0;
  for (let b = 0; b < starts.length; b++) {
    const base = starts[b];
    if (base < 0) {
      out.fill(x.dtype === "bool" ? (fillValue ? 1 : 0) : fillValue, o, o + size);
      o += size;
      continue;
    }
    for (let r = 0; r < runs.length; r++) {
      const from = base + runs[r];
      if (run >= SHORT_RUN) out.set(src.subarray(from, from + run) as never, o);
      else for (let j = 0; j < run; j++) out[o + j] = src[from + j];
      o += run;
    }
  }
  return ConcreteTensor.wrap(out, outShape, x.dtype);
}

/** The scatters: `x` with each window of `updates` combined into place (`add` for `scatterAdd`). */
export function scatterKernel(
  x: ConcreteTensor,
  indices: ConcreteTensor,
  updates: ConcreteTensor,
  dims: IndexDims,
  combine: ScatterCombine | "add",
): ConcreteTensor {
  const nb = indices.ndim - 1;
  let j = nb;
  const window = x.shape.map((_, a) => (dims.collapsed.includes(a) ? 1 : updates.shape[j++]));
  const { starts, runs, run } = locate(x.shape, indices, window, dims);
  const out = allocate(x.dtype, x.size, false);
  out.set(x.storage as never);
  const u = updates.storage;
  const apply = APPLY[combine === "mul" && x.dtype === "int32" ? "imul" : combine];
  const size = runs.length * run;
  for (let b = 0; b < starts.length; b++) {
    if (starts[b] >= 0) apply(out, starts[b], runs, run, u, b * size);
  }
  return ConcreteTensor.wrap(out, x.shape, x.dtype);
}

/** Combines one window of updates (from `u` at `from`) into `out` at `base`, run by run. */
type Apply = (out: Storage, base: number, runs: Int32Array, run: number, u: Storage, from: number) => void;

/** One loop per combination, so the element loop has no call in it. NaN wins `min`/`max`, as in `max`. */
const APPLY: Record<ScatterCombine | "add" | "imul", Apply> = {
  add: (out, base, runs, run, u, from) => {
    for (let r = 0; r < runs.length; r++) for (let j = 0, o = base + runs[r]; j < run; j++) out[o + j] += u[from++];
  },
  set: (out, base, runs, run, u, from) => {
    for (let r = 0; r < runs.length; r++) for (let j = 0, o = base + runs[r]; j < run; j++) out[o + j] = u[from++];
  },
  mul: (out, base, runs, run, u, from) => {
    for (let r = 0; r < runs.length; r++) for (let j = 0, o = base + runs[r]; j < run; j++) out[o + j] *= u[from++];
  },
  // Integer products wrap modulo 2^32 (a float product would lose the low bits first).
  imul: (out, base, runs, run, u, from) => {
    for (let r = 0; r < runs.length; r++) for (let j = 0, o = base + runs[r]; j < run; j++) out[o + j] = Math.imul(out[o + j], u[from++]);
  },
  min: (out, base, runs, run, u, from) => {
    for (let r = 0; r < runs.length; r++) {
      for (let j = 0, o = base + runs[r]; j < run; j++) {
        const a = out[o + j];
        const v = u[from++];
        out[o + j] = a !== a || v !== v ? NaN : a < v ? a : v;
      }
    }
  },
  max: (out, base, runs, run, u, from) => {
    for (let r = 0; r < runs.length; r++) {
      for (let j = 0, o = base + runs[r]; j < run; j++) {
        const a = out[o + j];
        const v = u[from++];
        out[o + j] = a !== a || v !== v ? NaN : a > v ? a : v;
      }
    }
  },
};
