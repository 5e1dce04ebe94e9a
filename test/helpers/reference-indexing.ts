/**
 * @file Value oracle of `gather`, `scatterAdd` and `scatter` (see `reference.ts`): for every
 * output or update element, its operand position by explicit multi-index arithmetic, with the
 * window starts clamped ("clip") or the window dropped ("fill") exactly as documented.
 */
import type { DType } from "../../src/dtype.js";
import type { IndexDims, PrimParams, ScatterCombine } from "../../src/core/primitive.js";
import { forEachIndex, ravel, roundTo, type RefArray } from "./reference.js";

/**
 * The start of the window that index vector `b` of `indices` names, per operand axis (0 on axes
 * not indexed), or null when it does not fit and `mode` is "fill".
 */
function windowStart(shape: readonly number[], indices: RefArray, b: readonly number[], window: readonly number[], { axes, mode }: IndexDims): number[] | null {
  const start = shape.map(() => 0);
  for (let j = 0; j < axes.length; j++) {
    const a = axes[j];
    const s = indices.data[ravel([...b, j], indices.shape)];
    const limit = shape[a] - window[a];
    if (s >= 0 && s <= limit) start[a] = s;
    else if (mode === "fill") return null;
    else start[a] = Math.min(Math.max(s, 0), limit);
  }
  return start;
}

/** The operand position of element `w` (over the window's kept axes) of a window starting at `start`. */
function positionIn(start: readonly number[], kept: readonly number[], w: readonly number[]): number[] {
  return start.map((s, a) => s + (kept.includes(a) ? w[kept.indexOf(a)] : 0));
}

function keptAxes(rank: number, collapsed: readonly number[]): number[] {
  return Array.from({ length: rank }, (_, a) => a).filter((a) => !collapsed.includes(a));
}

/** Reference `gather`. */
export function refGather([x, indices]: RefArray[], params: PrimParams["gather"]): RefArray[] {
  const nb = indices.shape.length - 1;
  const kept = keptAxes(x.shape.length, params.collapsed);
  const shape = [...indices.shape.slice(0, nb), ...kept.map((a) => params.sliceSizes[a])];
  const data: number[] = [];
  forEachIndex(shape, (o) => {
    const start = windowStart(x.shape, indices, o.slice(0, nb), params.sliceSizes, params);
    const v = start === null ? params.fillValue : x.data[ravel(positionIn(start, kept, o.slice(nb)), x.shape)];
    data.push(roundTo(v, x.dtype));
  });
  return [{ shape, dtype: x.dtype, data }];
}

function combineOf(combine: ScatterCombine | "add", dtype: DType): (a: number, b: number) => number {
  switch (combine) {
    case "add":
      return (a, b) => a + b;
    case "set":
      return (_a, b) => b;
    case "mul":
      return dtype === "int32" ? Math.imul : (a, b) => a * b;
    case "min":
      return (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a < b ? a : b);
    case "max":
      return (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a > b ? a : b);
  }
}

/** Reference scatters: the updates visited in row-major order, each combined into its place. */
export function refScatter([x, indices, updates]: RefArray[], dims: IndexDims, combine: ScatterCombine | "add"): RefArray[] {
  const nb = indices.shape.length - 1;
  const kept = keptAxes(x.shape.length, dims.collapsed);
  const window = x.shape.map((_, a) => (kept.includes(a) ? updates.shape[nb + kept.indexOf(a)] : 1));
  const data = x.data.slice();
  const f = combineOf(combine, x.dtype);
  forEachIndex(updates.shape, (u) => {
    const start = windowStart(x.shape, indices, u.slice(0, nb), window, dims);
    if (start === null) return;
    const p = ravel(positionIn(start, kept, u.slice(nb)), x.shape);
    // int32 sums stay exact in float64 until rounded at the end; products wrap at every step (imul).
    data[p] = f(data[p], updates.data[ravel(u, updates.shape)]);
  });
  return [{ shape: x.shape.slice(), dtype: x.dtype, data: data.map((v) => roundTo(v, x.dtype)) }];
}
