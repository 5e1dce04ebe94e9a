/**
 * @file Integer-array indexing and functional updates, after JAX's `x[i, j]` and
 * `x.at[i, j].set(v)`: `at(x, [i, j])` names the elements; `.get()` reads them, `.set(v)`,
 * `.add(v)`, `.mul(v)`, `.min(v)`, `.max(v)` return a new tensor with them replaced or combined.
 * The result shape follows NumPy (`AdvancedIndex` in src/shape/advanced-index.ts); reads are one
 * `gather`, writes one `scatterAdd` or `scatter`.
 */
import type { DType } from "../dtype.js";
import { Tensor } from "../core/tensor.js";
import { DTypeError } from "../core/errors.js";
import type { ScatterCombine } from "../core/primitive.js";
import * as core from "../core/ops.js";
import type { Shape } from "../shape/dim.js";
import type { AdvancedIndex, IndexEntryShape } from "../shape/advanced-index.js";
import { indexPlan, type IndexPlan } from "../shape/advanced-index.js";
import type { BroadcastTo } from "../shape/broadcast.js";
import { broadcastToShape } from "../shape/broadcast.js";
import type { Checked, ShapeResult, T } from "./operand.js";
import { castTo, expandTo, untyped } from "./operand.js";
import { coreMode, fillValueOf, indicesAlong, modeOf, type GatherOptions, type IndexMode, type ScatterOptions } from "./indexing.js";
import { gatherAt, scatterAt, type IndexSites } from "./indexed.js";

/**
 * One entry of an `at` index, for one leading axis: a static integer (negative counts from the
 * end; the axis is dropped), `null` (the whole axis, NumPy's `:`), or an int32 tensor of indices.
 * @category Indexing
 */
export type IndexEntry = number | null | Tensor<Shape, "int32">;

/**
 * The entries as the shape relation sees them (an index tensor by its shape).
 * @category Indexing
 */
export type EntryShapes<E extends readonly unknown[]> = {
  -readonly [K in keyof E]: E[K] extends Tensor<infer S, infer D> ? ("int32" extends D ? S : "not int32") : E[K];
};

/**
 * The shape `at(x, entries).get()` has for `x` of shape `S`, or an error message.
 * @category Indexing
 */
export type AtShape<S extends Shape, E extends readonly unknown[]> =
  EntryShapes<E> extends infer X extends readonly IndexEntryShape[] ? AdvancedIndex<S, X> : "at: an index entry must be an integer, null or an int32 tensor";

/**
 * Values for a write at an index of shape `R`: a tensor that broadcasts to `R` (cast to the tensor's dtype), or the message why not.
 * @category Indexing
 */
export type UpdateArg<R extends Shape, U extends Shape> = Checked<BroadcastTo<U, R, "at">, Tensor<U, DType>>;

/**
 * The elements of a tensor of shape `S` that `at` named, whose reads have shape `R`. Every write
 * returns a new tensor (nothing is mutated); with repeated indices `set` keeps the last value in
 * row-major index order and the others combine all of them, as in JAX.
 * @category Indexing
 */
export interface IndexRef<S extends Shape, D extends DType, R extends Shape> {
  /** The elements, shape `R`. */
  get(options?: GatherOptions): Tensor<R, D>;
  /** The tensor with the elements replaced by `values`; their gradient is zero where overwritten. */
  set<U extends Shape = []>(values: number | UpdateArg<R, U>, options?: ScatterOptions): Tensor<S, D>;
  /** The tensor with `values` added to the elements. */
  add<U extends Shape = []>(values: number | UpdateArg<R, U>, options?: ScatterOptions): Tensor<S, D>;
  /** The tensor with the elements multiplied by `values`. */
  mul<U extends Shape = []>(values: number | UpdateArg<R, U>, options?: ScatterOptions): Tensor<S, D>;
  /** The tensor with each element the minimum of itself and `values` (ties share the gradient). */
  min<U extends Shape = []>(values: number | UpdateArg<R, U>, options?: ScatterOptions): Tensor<S, D>;
  /** The tensor with each element the maximum of itself and `values` (ties share the gradient). */
  max<U extends Shape = []>(values: number | UpdateArg<R, U>, options?: ScatterOptions): Tensor<S, D>;
}

/**
 * Indexes `x` by one entry per leading axis, like JAX's `x.at[...]`: a static integer, `null`
 * for a whole axis, or an int32 tensor. Index tensors broadcast together; their shape replaces
 * the axes they (and any integers) index, in place when those axes are adjacent, else in front
 * (NumPy). Out-of-range indices follow the `mode` of each read or write (`IndexMode`; default: a
 * `RangeError`, also inside `jit`); a static integer out of range is a compile error where the
 * types know, else a `RangeError`.
 * @example
 * declare const table: Tensor<[1000, 64]>;
 * declare const ids: Tensor<[32], "int32">;
 * const rows = at(table, [ids]).get(); // Tensor<[32, 64]>
 * const bumped = at(zeros([1000]), [ids]).add(1); // Tensor<[1000]>: repeats add up
 * const cleared = at(table, [null, 0]).set(0); // Tensor<[1000, 64]>, first column zeroed
 * @category Indexing
 */
export function at<S extends Shape, D extends DType, const E extends readonly unknown[]>(
  x: Tensor<S, D>,
  indices: Checked<AtShape<S, E>, E>,
): IndexRef<S, D, ShapeResult<AtShape<S, E>>> {
  return indexRefOf("at", untyped(x), indices as readonly unknown[]) as never;
}

/** The untyped reference behind `at` (and `take`), its errors naming `op`. Internal. */
export function indexRefOf(op: string, x: T, entries: readonly unknown[]): IndexRef<Shape, DType, Shape> {
  if (!Array.isArray(entries)) throw new TypeError(`${op}: indices must be an array of entries (integers, null or int32 tensors)`);
  const shapes = entries.map((e, i): number | null | readonly number[] => {
    if (e === null || typeof e === "number") return e;
    if (!(e instanceof Tensor)) throw new TypeError(`${op}: index entry ${i} must be an integer, null or an int32 tensor`);
    if (e.dtype !== "int32") throw new DTypeError(`${op}: index entry ${i} must be int32, got ${e.dtype}`);
    return e.shape;
  });
  const plan = indexPlan(op, x.shape, shapes);
  const sites = (mode: IndexMode): IndexSites => ({
    axes: plan.indexed,
    parts: plan.indexed.map((a, j) => {
      const s = plan.statics[j];
      return s !== null ? core.full([], s, "int32") : indicesAlong(entries[a] as T, x.shape[a], op, mode);
    }),
    batch: plan.batch,
    mode: coreMode(mode),
  });
  const write = (combine: ScatterCombine | "add") => (values: unknown, options?: ScatterOptions) => {
    const mode = modeOf(op, options);
    if (combine !== "set" && x.dtype === "bool") throw new DTypeError(`${op}: ${combine} on a bool tensor is not defined; cast to int32 or float first`);
    const v = valuesOf(op, values, x.dtype, plan.shape);
    return scatterAt(op, x, sites(mode), toSiteOrder(v, plan, x.ndim, true), combine);
  };
  return {
    get: (options) => {
      const mode = modeOf(op, options);
      return toSiteOrder(gatherAt(op, x, sites(mode), fillValueOf(op, options, x.dtype)), plan, x.ndim, false);
    },
    set: write("set"),
    add: write("add"),
    mul: write("mul"),
    min: write("min"),
    max: write("max"),
  } as IndexRef<Shape, DType, Shape>;
}

/** Update values as a tensor of `x`'s dtype broadcast to the read shape `shape`. */
function valuesOf(op: string, values: unknown, dtype: DType, shape: readonly number[]): T {
  if (typeof values === "number") return core.filled(shape, values, dtype);
  if (!(values instanceof Tensor)) throw new TypeError(`${op}: values must be a number or a tensor`);
  const t = castTo(untyped(values), dtype);
  broadcastToShape(op, t.shape, shape);
  return expandTo(t, shape);
}

/**
 * Between the gather/scatter layout (`[...batch, ...other axes]`) and the result layout, which
 * puts the batch dims in place of adjacent indexed axes: moves the batch dims after the other
 * axes that come before the first indexed one (or back, `toSites`).
 */
function toSiteOrder(y: T, plan: IndexPlan, rank: number, toSites: boolean): T {
  const before = plan.split || plan.indexed.length === 0 ? 0 : plan.indexed[0];
  const nb = plan.batch.length;
  if (before === 0 || nb === 0) return y;
  const n = nb + rank - plan.indexed.length;
  const axes = Array.from({ length: n }, (_, i) => i);
  // Result layout from gather layout: [before..., batch..., after...].
  const perm = [...axes.slice(nb, nb + before), ...axes.slice(0, nb), ...axes.slice(nb + before)];
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return core.transpose(y, toSites ? inverse : perm);
}
