/**
 * @file `dynamicSlice` and `dynamicUpdateSlice` (JAX's `lax.dynamic_slice` /
 * `lax.dynamic_update_slice`): a slice of static sizes at start positions that may be traced
 * (computed inside `jit`, or different per example under `vmap`). A negative start counts from
 * the end; then starts are clamped so that the slice fits, as in JAX: never an error, never a
 * short slice.
 */
import type { DType } from "../dtype.js";
import { checkInt32 } from "../dtype.js";
import { Tensor } from "../core/tensor.js";
import { DTypeError } from "../core/errors.js";
import * as core from "../core/ops.js";
import type { Shape } from "../shape/dim.js";
import type { DynamicSlice, DynamicUpdateSlice } from "../shape/dynamic-slice.js";
import { dynamicSliceShape, dynamicUpdateSliceShape } from "../shape/dynamic-slice.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { gatherOf, scatterOf } from "../primitives/_indexing.js";
import type { Checked, ShapeResult, T } from "./operand.js";
import { castTo, untyped } from "./operand.js";

/**
 * Start positions, one per axis of a tensor of shape `S`: numbers or int32 scalars, or one int32 vector.
 * @category Indexing
 */
export type Starts<S extends Shape> = Tensor<[S["length"]], "int32"> | { readonly [K in keyof S]: number | Tensor<[], "int32"> };

/** The `[rank]` int32 start vector of `starts`, negatives counted from the end. */
function startVector(op: string, shape: readonly number[], starts: unknown): T {
  const rank = shape.length;
  let v: T;
  if (starts instanceof Tensor) {
    if (starts.dtype !== "int32") throw new DTypeError(`${op}: starts must be int32, got ${starts.dtype}`);
    if (starts.ndim !== 1 || starts.shape[0] !== rank) {
      throw new ShapeError(`${op}: starts ${showShape(starts.shape)} must be one per axis of ${showShape(shape)}`);
    }
    v = untyped(starts);
  } else {
    if (!Array.isArray(starts) || starts.length !== rank) {
      throw new ShapeError(`${op}: ${Array.isArray(starts) ? starts.length : "no"} starts for rank-${rank} tensor ${showShape(shape)}`);
    }
    const parts = starts.map((s: unknown, i): T => {
      if (typeof s === "number") {
        checkInt32(`${op}: start of axis ${i}`, s);
        return core.full([1], s, "int32");
      }
      if (!(s instanceof Tensor) || s.dtype !== "int32" || s.ndim !== 0) throw new DTypeError(`${op}: start ${i} must be an integer or an int32 scalar tensor`);
      return core.reshape(untyped(s), [1]);
    });
    v = rank === 0 ? core.fromValues([], [0], "int32") : rank === 1 ? parts[0] : core.concatenate(parts, 0);
  }
  const dims = core.fromValues(shape, [rank], "int32");
  return core.select(core.compare(v, core.fullLike(v, 0), "lt"), core.add(v, dims), v);
}

const allAxes = (rank: number): number[] => Array.from({ length: rank }, (_, i) => i);

/**
 * The slice of `x` of static `sizes` (one per axis) starting at `starts`, which may be traced: a
 * negative start counts from the end, then each start is clamped into `[0, dim − size]`.
 * @example
 * declare const x: Tensor<[100, 64]>;
 * declare const i: Tensor<[], "int32">;
 * const window = dynamicSlice(x, [i, 0], [3, 64]); // Tensor<[3, 64]>
 * @category Indexing
 */
export function dynamicSlice<S extends Shape, D extends DType, const Sizes extends readonly number[]>(
  x: Tensor<S, D>,
  starts: NoInfer<Starts<S>>,
  sizes: Checked<DynamicSlice<S, Sizes>, Sizes>,
): Tensor<ShapeResult<DynamicSlice<S, Sizes>>, D> {
  const op = "dynamicSlice";
  const t = untyped(x);
  const sliceSizes = dynamicSliceShape(op, t.shape, sizes as Sizes);
  const params = { axes: allAxes(t.ndim), collapsed: [], sliceSizes, mode: "clip", fillValue: 0 } as const;
  return gatherOf(t, startVector(op, t.shape, starts), params) as never;
}

/**
 * `x` with `update` written over the slice of its shape at `starts` (which may be traced; clamped
 * as in `dynamicSlice`); `update` is cast to `x`'s dtype. Gradients: `x`'s is zero where
 * overwritten, `update`'s is the slice of the cotangent.
 * @example
 * declare const x: Tensor<[100, 64]>;
 * declare const i: Tensor<[], "int32">;
 * const y = dynamicUpdateSlice(x, ones([1, 64]), [i, 0]); // Tensor<[100, 64]>
 * @category Indexing
 */
export function dynamicUpdateSlice<S extends Shape, D extends DType, U extends Shape>(
  x: Tensor<S, D>,
  update: Checked<DynamicUpdateSlice<S, U>, Tensor<U, DType>>,
  starts: NoInfer<Starts<S>>,
): Tensor<S, D> {
  const op = "dynamicUpdateSlice";
  const t = untyped(x);
  const u = untyped(update as Tensor<U, DType>);
  dynamicUpdateSliceShape(op, t.shape, u.shape);
  const dims = { axes: allAxes(t.ndim), collapsed: [], mode: "clip" } as const;
  return scatterOf(t, startVector(op, t.shape, starts), castTo(u, t.dtype), dims, "set") as never;
}
