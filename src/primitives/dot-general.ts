/**
 * @file The `dotGeneral` primitive: a generalized matrix product that contracts paired axes and
 * keeps paired batch axes. Output axes: batch, then the free axes of x, then those of y (each in
 * order). Bilinear: linear in each operand when the other is known.
 */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { allocate } from "../dtype.js";
import { ShapedArray } from "../core/aval.js";
import { ConcreteTensor } from "../core/concrete.js";
import { product } from "../shape/arith.js";
import { DTypeError } from "../core/errors.js";
import { UndefPrimal, type DotDims, type PrimitiveDef } from "../core/primitive.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { batchedMatmul, permute } from "../backend/js/kernels.js";
import { moveAxis } from "./_rules.js";
import { wasmMatmul } from "../backend/wasm/matmul.js";
import { getBackend } from "../backend/config.js";

/** Below this many multiply-adds a JS loop beats packing operands for the SIMD kernel. */
const WASM_MIN_WORK = 16384;

type Axes = readonly number[];

/** The axes of a rank-`ndim` operand that are neither contracted nor batch, in order. */
function freeAxes(ndim: number, contract: Axes, batch: Axes): number[] {
  const free: number[] = [];
  for (let i = 0; i < ndim; i++) if (!contract.includes(i) && !batch.includes(i)) free.push(i);
  return free;
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
}

function isIdentity(perm: readonly number[]): boolean {
  return perm.every((p, i) => p === i);
}

/** Brings an operand to `[batch, rows, cols]` storage order by transposing if needed. */
function arrange(x: ConcreteTensor, order: number[]): ConcreteTensor {
  return isIdentity(order) ? x : permute(x, order);
}

/** `perm` such that transposing a result whose axes are `sourceAxes` puts them in order 0..n−1. */
function sortingPerm(sourceAxes: number[]): number[] {
  return sourceAxes.map((_, j) => sourceAxes.indexOf(j));
}

/** `x` transposed by `perm`, or `x` itself when `perm` is the identity. */
function permuted(x: AnyTensor, perm: readonly number[]): AnyTensor {
  return perm.every((d, i) => d === i) ? x : ops.transpose(x, perm);
}

export const dotGeneral: PrimitiveDef<"dotGeneral"> = {
  name: "dotGeneral",

  // ---- shape ----
  shape: ([x, y], { contract, batch }) => {
    const [xc, yc] = contract;
    const [xb, yb] = batch;
    const fail = (why: string): never => {
      throw new ShapeError(`dotGeneral: ${why} (x is ${showShape(x.shape)}, y is ${showShape(y.shape)})`);
    };
    if (x.dtype !== y.dtype) throw new DTypeError(`dotGeneral: dtypes differ: ${x.dtype} vs ${y.dtype}`);
    if (x.dtype === "bool") throw new DTypeError("dotGeneral: bool operands are not supported; cast to int32 or float first");
    if (xc.length !== yc.length || xb.length !== yb.length) fail("unpaired axes");
    const valid = (axes: Axes, ndim: number) => axes.every((a) => Number.isInteger(a) && a >= 0 && a < ndim);
    if (!valid([...xc, ...xb], x.ndim) || !valid([...yc, ...yb], y.ndim)) fail("axis out of range");
    if (new Set([...xc, ...xb]).size !== xc.length + xb.length || new Set([...yc, ...yb]).size !== yc.length + yb.length) {
      fail("an axis is used twice");
    }
    xc.forEach((a, i) => {
      if (x.shape[a] !== y.shape[yc[i]]) fail(`contracted dims differ: ${x.shape[a]} vs ${y.shape[yc[i]]}`);
    });
    xb.forEach((a, i) => {
      if (x.shape[a] !== y.shape[yb[i]]) fail(`batch dims differ: ${x.shape[a]} vs ${y.shape[yb[i]]}`);
    });
    const shape = [
      ...xb.map((a) => x.shape[a]),
      ...freeAxes(x.ndim, xc, xb).map((a) => x.shape[a]),
      ...freeAxes(y.ndim, yc, yb).map((a) => y.shape[a]),
    ];
    return [new ShapedArray(shape, x.dtype)];
  },

  // ---- kernel ----
  // float32 products of some size run on the WebAssembly SIMD kernel, reading plain and
  // transposed 2-D operands in place; the rest (float64, int32, tiny products) use JS loops.
  impl: ([x, y], { contract, batch }) => {
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
    const wasm = x.dtype === "float32" && m * n * k >= WASM_MIN_WORK && getBackend() === "wasm" ? wasmMatmul() : null;
    if (wasm !== null) {
      const out = allocate("float32", b * m * n, false) as Float32Array;
      // A 2-D operand stored transposed is read with swapped strides instead of being copied.
      const xT = b === 1 && x.ndim === 2 && xc[0] === 0;
      const yT = b === 1 && y.ndim === 2 && yc[0] === 1;
      const a = xT ? x.storage : arrange(x, [...xb, ...xf, ...xc]).storage;
      const c = yT ? y.storage : arrange(y, [...yb, ...yc, ...yf]).storage;
      for (let t = 0; t < b; t++) {
        wasm.multiply(
          a as Float32Array, t * m * k, xT ? 1 : k, xT ? m : 1,
          c as Float32Array, t * k * n, yT ? 1 : n, yT ? k : 1,
          m, k, n, out, t * m * n,
        );
      }
      return [ConcreteTensor.wrap(out, shape, x.dtype)];
    }
    const a = arrange(x, [...xb, ...xf, ...xc]).storage;
    const c = arrange(y, [...yb, ...yc, ...yf]).storage;
    return [ConcreteTensor.wrap(batchedMatmul(a, c, b, m, k, n, x.dtype), shape, x.dtype)];
  },

  // ---- jvp ----
  // d(x · y) = xDot · y + x · yDot
  jvp: ([x, y], [xDot, yDot], dims) => [
    [ops.dotGeneral(x, y, dims)],
    [ops.add(ops.dotGeneral(xDot, y, dims), ops.dotGeneral(x, yDot, dims))],
  ],

  // ---- transpose ----
  // The cotangent of one operand is the product of the output cotangent with the other operand,
  // contracting the other's free axes and keeping the batch axes; its axes come out as
  // [batch, own free, own contracted (in the other's order)] for x, and for y, whose product is
  // taken as (x, ct) so that the common Xᵀ·ct needs no transpose, as [batch, own contracted, own
  // free]; they are permuted back into place where that is not already the order.
  transpose: ([ct], [x, y], { contract, batch }) => {
    const [xc, yc] = contract;
    const [xb, yb] = batch;
    if (x instanceof UndefPrimal && !(y instanceof UndefPrimal)) {
      const xf = freeAxes(x.aval.ndim, xc, xb);
      const yf = freeAxes(y.ndim, yc, yb);
      const nb = xb.length;
      const ctYf = range(nb + xf.length, nb + xf.length + yf.length);
      const r = ops.dotGeneral(ct, y, { contract: [ctYf, yf], batch: [range(0, nb), yb] });
      const ycSorted = [...yc].sort((p, q) => p - q);
      const source = [...xb, ...xf, ...ycSorted.map((a) => xc[yc.indexOf(a)])];
      return [permuted(r, sortingPerm(source)), null];
    }
    if (y instanceof UndefPrimal && !(x instanceof UndefPrimal)) {
      const xf = freeAxes(x.ndim, xc, xb);
      const yf = freeAxes(y.aval.ndim, yc, yb);
      const nb = xb.length;
      const ctXf = range(nb, nb + xf.length);
      const r = ops.dotGeneral(x, ct, { contract: [xf, ctXf], batch: [xb, range(0, nb)] });
      const xcSorted = [...xc].sort((p, q) => p - q);
      const source = [...yb, ...xcSorted.map((a) => yc[xc.indexOf(a)]), ...yf];
      return [null, permuted(r, sortingPerm(source))];
    }
    throw new Error("dotGeneral: transpose needs exactly one linear operand");
  },

  // ---- vmap ----
  // Both batched: the vmapped axis becomes a new leading batch axis. One batched: it is a free
  // axis of that operand, placed first among its free axes.
  vmap: ([x, y], [xDim, yDim], { contract, batch }) => {
    const shift = (axes: Axes) => axes.map((a) => a + 1);
    const [xc, yc] = contract;
    const [xb, yb] = batch;
    if (xDim !== null && yDim !== null) {
      const dims: DotDims = { contract: [shift(xc), shift(yc)], batch: [[0, ...shift(xb)], [0, ...shift(yb)]] };
      return [[ops.dotGeneral(moveAxis(x, xDim, 0), moveAxis(y, yDim, 0), dims)], [0]];
    }
    if (xDim !== null) {
      const dims: DotDims = { contract: [shift(xc), yc], batch: [shift(xb), yb] };
      return [[ops.dotGeneral(moveAxis(x, xDim, 0), y, dims)], [xb.length]];
    }
    const dims: DotDims = { contract: [xc, shift(yc)], batch: [xb, shift(yb)] };
    return [[ops.dotGeneral(x, moveAxis(y, yDim!, 0), dims)], [xb.length + freeAxes(x.ndim, xc, xb).length]];
  },
};
