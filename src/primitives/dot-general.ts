/**
 * @file The `dotGeneral` primitive: a generalized matrix product that contracts paired axes and
 * keeps paired batch axes. Output axes: batch, then the free axes of x, then those of y (each in
 * order). Bilinear: linear in each operand when the other is known.
 */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { ShapedArray } from "../core/aval.js";
import { DTypeError } from "../core/errors.js";
import type { DotDims, PrimitiveDef } from "../core/primitive.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { moveAxis } from "../transforms/batching.js";
import { bilinearJvp, bilinearTranspose } from "./_rules.js";
import { currentBackend } from "../backend/backend.js";
import { freeAxes } from "../backend/js/dot.js";

type Axes = readonly number[];

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
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
  impl: ([x, y], dims) => [currentBackend().dotGeneral(x, y, dims)],

  // ---- jvp ----
  // d(x · y) = xDot · y + x · yDot
  jvp: bilinearJvp((x, y, dims) => ops.dotGeneral(x, y, dims)),

  // ---- transpose ----
  // The cotangent of one operand is the product of the output cotangent with the other operand,
  // contracting the other's free axes and keeping the batch axes; its axes come out as
  // [batch, own free, own contracted (in the other's order)] for x, and for y, whose product is
  // taken as (x, ct) so that the common Xᵀ·ct needs no transpose, as [batch, own contracted, own
  // free]; they are permuted back into place where that is not already the order.
  transpose: bilinearTranspose(
    "dotGeneral",
    (ct, y, xAval, { contract, batch }) => {
      const [xc, yc] = contract;
      const [xb, yb] = batch;
      const xf = freeAxes(xAval.ndim, xc, xb);
      const yf = freeAxes(y.ndim, yc, yb);
      const nb = xb.length;
      const ctYf = range(nb + xf.length, nb + xf.length + yf.length);
      const r = ops.dotGeneral(ct, y, { contract: [ctYf, yf], batch: [range(0, nb), yb] });
      const ycSorted = [...yc].sort((p, q) => p - q);
      const source = [...xb, ...xf, ...ycSorted.map((a) => xc[yc.indexOf(a)])];
      return permuted(r, sortingPerm(source));
    },
    (ct, x, yAval, { contract, batch }) => {
      const [xc, yc] = contract;
      const [xb, yb] = batch;
      const xf = freeAxes(x.ndim, xc, xb);
      const yf = freeAxes(yAval.ndim, yc, yb);
      const nb = xb.length;
      const ctXf = range(nb, nb + xf.length);
      const r = ops.dotGeneral(x, ct, { contract: [xf, ctXf], batch: [xb, range(0, nb)] });
      const xcSorted = [...xc].sort((p, q) => p - q);
      const source = [...yb, ...xcSorted.map((a) => yc[xc.indexOf(a)]), ...yf];
      return permuted(r, sortingPerm(source));
    },
  ),

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
