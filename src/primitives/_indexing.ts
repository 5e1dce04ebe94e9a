/**
 * @file What `gather`, `scatterAdd` and `scatter` share: the check of their dimension numbers
 * (`IndexDims` in core/primitive.ts) against the operands, the window each index names, their
 * bind wrappers (kept here, apart from the three definitions, because each one's rules bind the
 * others) and their batching rule.
 */
import type { DType } from "../dtype.js";
import { ShapedArray } from "../core/aval.js";
import { DTypeError } from "../core/errors.js";
import type { BatchDim, IndexDims, PrimParams, ScatterCombine } from "../core/primitive.js";
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { bind1 } from "../core/trace.js";
import { SymbolicZero, isZero } from "../core/zero.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { batchFirst, moveAxis } from "../transforms/batching.js";

type T = AnyTensor;

/** The params of `gather`. */
export type GatherParams = PrimParams["gather"];

// ---- checks and shapes ----

function checkAxisList(op: string, what: string, axes: readonly number[], rank: number, shape: readonly number[]): void {
  const ok = axes.every((a) => Number.isInteger(a) && a >= 0 && a < rank) && new Set(axes).size === axes.length;
  if (!ok) throw new ShapeError(`${op}: ${what} [${axes.join(", ")}] must be distinct axes of the rank-${rank} operand ${showShape(shape)}`);
}

/** Checks the indices and dimension numbers of any of the three against operand shape `shape`; returns the number of batch axes. */
function checkDims(op: string, shape: readonly number[], indices: ShapedArray, { axes, collapsed, mode }: IndexDims): number {
  if (indices.dtype !== "int32") throw new DTypeError(`${op}: expected int32 indices, got ${indices.dtype}`);
  if (mode !== "clip" && mode !== "fill") throw new ShapeError(`${op}: mode must be "clip" or "fill", got ${String(mode)}`);
  if (indices.ndim === 0) throw new ShapeError(`${op}: indices need a last axis holding the starts, got a scalar`);
  checkAxisList(op, "indexed axes", axes, shape.length, shape);
  checkAxisList(op, "collapsed axes", collapsed, shape.length, shape);
  const k = indices.shape[indices.ndim - 1];
  if (k !== axes.length) {
    throw new ShapeError(`${op}: the last axis of indices ${showShape(indices.shape)} holds ${k} starts, but ${axes.length} axes are indexed`);
  }
  return indices.ndim - 1;
}

/** Throws a `DTypeError` unless `value` can be stored in `dtype` as it is. */
function checkFill(op: string, dtype: DType, value: number): void {
  const ok =
    dtype === "bool" ? value === 0 || value === 1 : dtype === "int32" ? Number.isInteger(value) && value === (value | 0) : typeof value === "number";
  if (!ok) throw new DTypeError(`${op}: fill value ${value} cannot be stored as ${dtype}`);
}

/** Shape rule of `gather`: `[...batch, ...sliceSizes without the collapsed axes]`. */
export function gatherShape(x: ShapedArray, indices: ShapedArray, params: GatherParams): ShapedArray {
  const { sliceSizes, collapsed } = params;
  const nb = checkDims("gather", x.shape, indices, params);
  const fits = sliceSizes.length === x.ndim && sliceSizes.every((s, a) => Number.isInteger(s) && s >= 0 && s <= x.shape[a]);
  if (!fits) throw new ShapeError(`gather: slice sizes [${sliceSizes.join(", ")}] do not fit the operand ${showShape(x.shape)}`);
  for (const a of collapsed) {
    if (sliceSizes[a] !== 1) throw new ShapeError(`gather: collapsed axis ${a} has slice size ${sliceSizes[a]}, not 1`);
  }
  checkFill("gather", x.dtype, params.fillValue);
  const window = sliceSizes.filter((_, a) => !collapsed.includes(a));
  return new ShapedArray([...indices.shape.slice(0, nb), ...window], x.dtype);
}

/**
 * Checks a scatter's operands (`op` is `scatterAdd` or `scatter[<combine>]`) and returns its window
 * sizes per operand axis: the updates' trailing dims, 1 on collapsed axes.
 */
export function scatterWindow(op: string, x: ShapedArray, indices: ShapedArray, updates: ShapedArray, dims: IndexDims): number[] {
  const nb = checkDims(op, x.shape, indices, dims);
  if (updates.dtype !== x.dtype) throw new DTypeError(`${op}: dtypes differ: operand ${x.dtype} vs updates ${updates.dtype}`);
  const batch = indices.shape.slice(0, nb);
  const expectRank = nb + x.ndim - dims.collapsed.length;
  const window: number[] = [];
  let j = nb;
  for (let a = 0; a < x.ndim; a++) window.push(dims.collapsed.includes(a) ? 1 : updates.shape[j++]);
  const fits =
    updates.ndim === expectRank && batch.every((d, i) => updates.shape[i] === d) && window.every((w, a) => w <= x.shape[a]);
  if (!fits) {
    throw new ShapeError(
      `${op}: updates ${showShape(updates.shape)} do not fit: expected the index batch ${showShape(batch)} followed by a window ` +
        `of ${x.ndim - dims.collapsed.length} dims within the operand ${showShape(x.shape)} (collapsed axes [${dims.collapsed.join(", ")}])`,
    );
  }
  return window;
}

/** The params of the gather that reads back, from an operand, the windows a scatter of `updates` writes. */
export function inverseGather(dims: IndexDims, window: readonly number[], fillValue = 0): GatherParams {
  return { axes: dims.axes, collapsed: dims.collapsed, mode: dims.mode, sliceSizes: window, fillValue };
}

/** The dimension numbers of `dims` alone (without the extra params of one primitive). */
export function indexDims({ axes, collapsed, mode }: IndexDims): IndexDims {
  return { axes, collapsed, mode };
}

// ---- bind wrappers ----

const avalOf = (x: T): ShapedArray => new ShapedArray(x.shape, x.dtype);

/** `gather` of `x` at `indices`; symbolic zeros stay symbolic when the fill is 0. */
export function gatherOf(x: T, indices: T, params: GatherParams): T {
  if (isZero(x) && (params.mode === "clip" || params.fillValue === 0)) {
    return new SymbolicZero(gatherShape(avalOf(x), avalOf(indices), params).shape.slice(), x.dtype);
  }
  return bind1("gather", [x, indices], params);
}

/** `scatterAdd` of `updates` into `x`; adding symbolic zeros is skipped. */
export function scatterAddOf(x: T, indices: T, updates: T, dims: IndexDims): T {
  if (isZero(updates)) {
    scatterWindow("scatterAdd", avalOf(x), avalOf(indices), avalOf(updates), dims);
    return x;
  }
  return bind1("scatterAdd", [x, indices, updates], indexDims(dims));
}

/** `scatter` of `updates` into `x`, combined by `combine`. */
export function scatterOf(x: T, indices: T, updates: T, dims: IndexDims, combine: ScatterCombine): T {
  return bind1("scatter", [x, indices, updates], { ...indexDims(dims), combine });
}

// ---- batching ----

/** Shifts axis lists past a new leading operand axis. */
function shifted<P extends IndexDims>(params: P): P {
  return { ...params, axes: params.axes.map((a) => a + 1), collapsed: params.collapsed.map((a) => a + 1) };
}

/**
 * `indices` (batch axis first, of size `axisSize`) with the batch position prepended to every
 * index vector, and `params` indexing a new leading operand axis by it: each example then reads
 * and writes only its own slice of a batched operand.
 */
function withBatchIndex<P extends IndexDims>(indices: T, axisSize: number, params: P): [T, P] {
  const shape = [...indices.shape.slice(0, -1), 1];
  const iota = ops.fromValues(Array.from({ length: axisSize }, (_, i) => i), [axisSize], "int32");
  const batchIndex = ops.broadcastInDim(iota, shape, [0]);
  const p = shifted(params);
  return [ops.concatenate([batchIndex, indices], indices.ndim - 1), { ...p, axes: [0, ...p.axes], collapsed: [0, ...p.collapsed] }];
}

/** Batching rule of `gather`. */
export function gatherVmap([x, indices]: T[], [xDim, iDim]: BatchDim[], params: GatherParams, axisSize: number): [T[], BatchDim[]] {
  if (iDim === null) {
    // The batch axis becomes a whole-length window axis; it lands after the index batch axes.
    const p = shifted(params);
    const out = gatherOf(moveAxis(x, xDim!, 0), indices, { ...p, sliceSizes: [axisSize, ...p.sliceSizes] });
    return [[out], [indices.ndim - 1]];
  }
  const idx = moveAxis(indices, iDim, 0);
  if (xDim === null) return [[gatherOf(x, idx, params)], [0]];
  const [both, p] = withBatchIndex(idx, axisSize, params);
  return [[gatherOf(moveAxis(x, xDim, 0), both, { ...p, sliceSizes: [1, ...p.sliceSizes] })], [0]];
}

/** Batching rule of `scatterAdd` and `scatter` (`apply` binds the one batched). */
export function scatterVmap<P extends IndexDims>(apply: (x: T, indices: T, updates: T, params: P) => T) {
  return ([x, indices, updates]: T[], [xDim, iDim, uDim]: BatchDim[], params: P, axisSize: number): [T[], BatchDim[]] => {
    const xb = batchFirst(x, xDim, axisSize);
    if (iDim === null) {
      // Updates gain the batch axis as their first window axis, right after the index batch axes.
      const nb = indices.ndim - 1;
      const ub = uDim === null ? insertBroadcastAxis(updates, nb, axisSize) : moveAxis(updates, uDim, nb);
      return [[apply(xb, indices, ub, shifted(params))], [0]];
    }
    const [both, p] = withBatchIndex(moveAxis(indices, iDim, 0), axisSize, params);
    return [[apply(xb, both, batchFirst(updates, uDim, axisSize), p)], [0]];
  };
}

/** `x` broadcast along a new axis of size `n` at position `at`. */
function insertBroadcastAxis(x: T, at: number, n: number): T {
  const shape = [...x.shape.slice(0, at), n, ...x.shape.slice(at)];
  return ops.broadcastInDim(x, shape, x.shape.map((_, i) => (i < at ? i : i + 1)));
}
