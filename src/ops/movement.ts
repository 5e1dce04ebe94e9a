/**
 * @file Moving elements without computing: `reshape`, `flatten`, `transpose`, `expandDims`,
 * `squeeze`, `concat`, `stack`, `slice`, `broadcastTo`. Each result shape is computed by the
 * matching relation in `src/shape/`, and each mistake is a compile error with the text the
 * runtime throws.
 */
import type { DType, Promote } from "../dtype.js";
import { promoteDTypes } from "../dtype.js";
import { Tensor } from "../core/tensor.js";
import { ShapeError, showShape } from "../shape/errors.js";
import type { Add } from "../shape/arith.js";
import * as core from "../core/ops.js";
import type { Dim, Shape } from "../shape/dim.js";
import type { BroadcastTo } from "../shape/broadcast.js";
import { broadcastToShape } from "../shape/broadcast.js";
import type { Concat, Stack } from "../shape/concat.js";
import { concatShape, stackShape } from "../shape/concat.js";
import type { Permute } from "../shape/permute.js";
import { normalizePerm } from "../shape/permute.js";
import type { AxisArg } from "../shape/reduce.js";
import type { Flatten, Reshape } from "../shape/reshape.js";
import { flattenShape, reshapeShape } from "../shape/reshape.js";
import { reshapeNamedShape } from "../shape/reshape-named.js";
import type { Slice, SliceRange } from "../shape/slice.js";
import { sliceShape } from "../shape/slice.js";
import type { ExpandDims, Squeeze } from "../shape/squeeze.js";
import { expandDimsShape, squeezeShape } from "../shape/squeeze.js";
import type { AnyTensor, Checked, DTypeOf, ShapeResult, T } from "./operand.js";
import { castTo, expandTo, untyped } from "./operand.js";

function reshapeTo(x: T, shape: readonly number[]): T {
  return x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i]) ? x : core.reshape(x, shape);
}

/**
 * `x` with a new shape of the same element count; one dim may be `-1` (inferred). Named dims at
 * the start or end of the target keep the source's dims there, which must carry those names
 * (`["batch", 28, 28]` to `["batch", 784]`); a target may be another tensor's (read-only) `shape`.
 * @example
 * const img = reshape(zeros([60000, 784]), [-1, 28, 28]); // Tensor<[60000, 28, 28]>
 * @category Movement
 */
export function reshape<S extends Shape, D extends DType, const To extends readonly Dim[]>(
  x: Tensor<S, D>,
  shape: Checked<Reshape<S, To>, To>,
): Tensor<ShapeResult<Reshape<S, To>>, D> {
  const t = untyped(x);
  const target = shape as To;
  const dims = target.some((d) => typeof d === "string")
    ? reshapeNamedShape("reshape", t.shape, target)
    : reshapeShape("reshape", t.shape, target as readonly number[]);
  return reshapeTo(t, dims) as never;
}

/**
 * `x` with every dim after the first multiplied into one.
 * @example
 * const v = flatten(zeros([64, 3, 32, 32])); // Tensor<[64, 3072]>
 * @category Movement
 */
export function flatten<S extends Shape, D extends DType>(x: Checked<Flatten<S>, Tensor<S, D>>): Tensor<ShapeResult<Flatten<S>>, D> {
  const t = untyped(x as Tensor<S, D>);
  return reshapeTo(t, flattenShape("flatten", t.shape)) as never;
}

/**
 * `x` with its axes permuted: result axis `i` is input axis `perm[i]`; reversed without a perm.
 * @example
 * const t = transpose(zeros([2, 3, 4]), [0, 2, 1]); // Tensor<[2, 4, 3]>
 * @category Movement
 */
export function transpose<S extends Shape, D extends DType, const P extends readonly number[] | undefined = undefined>(
  x: Tensor<S, D>,
  perm?: Checked<Permute<S, P>, P>,
): Tensor<ShapeResult<Permute<S, P>>, D> {
  const t = untyped(x);
  const p = normalizePerm("transpose", t.shape, perm as P);
  return (p.every((a, i) => a === i) ? t : core.transpose(t, p)) as never;
}

/**
 * `x` with a new size-1 axis at `axis` (negative counts from the end of the result).
 * @example
 * const c = expandDims(zeros([3, 4]), 0); // Tensor<[1, 3, 4]>
 * @category Movement
 */
export function expandDims<S extends Shape, D extends DType, const Ax extends number>(
  x: Tensor<S, D>,
  axis: Checked<ExpandDims<S, Ax>, Ax>,
): Tensor<ShapeResult<ExpandDims<S, Ax>>, D> {
  const t = untyped(x);
  return core.reshape(t, expandDimsShape("expandDims", t.shape, axis as Ax)) as never;
}

/**
 * `x` without the size-1 axes at `axis` (every size-1 axis by default).
 * @example
 * const s = squeeze(zeros([3, 1, 4]), 1); // Tensor<[3, 4]>
 * @category Movement
 */
export function squeeze<S extends Shape, D extends DType, const Ax extends AxisArg = undefined>(
  x: Tensor<S, D>,
  axis?: Checked<Squeeze<S, Ax>, Ax>,
): Tensor<ShapeResult<Squeeze<S, Ax>>, D> {
  const t = untyped(x);
  return reshapeTo(t, squeezeShape("squeeze", t.shape, axis as AxisArg)) as never;
}

/**
 * The static shapes of a list of tensors (`"not a tensor"` for anything else).
 * @category Movement
 */
export type ShapesOf<Xs extends readonly unknown[]> = { [K in keyof Xs]: Xs[K] extends Tensor<infer S, infer _D> ? S : "not a tensor" };

/**
 * The shape of `concat(xs, axis)`, or an error message.
 * @category Movement
 */
export type ConcatOf<Xs extends readonly unknown[], Ax extends number> =
  ShapesOf<Xs> extends infer L extends readonly Shape[] ? Concat<L, Ax> : "concat: expects a list of tensors";

/**
 * The shape of `stack(xs, axis)`, or an error message.
 * @category Movement
 */
export type StackOf<Xs extends readonly unknown[], Ax extends number> =
  ShapesOf<Xs> extends infer L extends readonly Shape[] ? Stack<L, Ax> : "stack: expects a list of tensors";

/**
 * The promoted dtype of a list of tensors.
 * @category Movement
 */
export type PromoteAll<Xs extends readonly unknown[], Acc extends DType = "bool"> = Xs extends readonly [infer H, ...infer R]
  ? PromoteAll<R, Promote<Acc, DTypeOf<H>>>
  : number extends Xs["length"]
    ? Promote<Acc, DTypeOf<Xs[number]>>
    : Acc;

function tensorList(op: string, xs: readonly unknown[]): AnyTensor[] {
  if (!Array.isArray(xs) || xs.some((x) => !(x instanceof Tensor))) throw new ShapeError(`${op}: expects a list of tensors`);
  return xs as AnyTensor[];
}

function sameDType(xs: readonly AnyTensor[]): T[] {
  const dt = xs.map((x) => x.dtype).reduce(promoteDTypes);
  return xs.map((x) => castTo(untyped(x), dt));
}

/**
 * Joins tensors along an existing `axis` (default 0); all other dims must match.
 * @example
 * const all = concat([zeros([600, 784]), zeros([59400, 784])], 0); // Tensor<[60000, 784]>
 * @category Movement
 */
export function concat<const Xs extends readonly unknown[], const Ax extends number = 0>(
  xs: Checked<ConcatOf<Xs, Ax>, Xs>,
  axis?: Ax,
): Tensor<ShapeResult<ConcatOf<Xs, Ax>>, PromoteAll<Xs>> {
  const list = tensorList("concat", xs as Xs);
  const { axis: ax } = concatShape("concat", list.map((x) => x.shape), axis ?? 0);
  return (list.length === 1 ? untyped(list[0]) : core.concatenate(sameDType(list), ax)) as never;
}

/**
 * Stacks equal-shaped tensors along a new `axis` (default 0).
 * @example
 * const s = stack([zeros([3, 4]), ones([3, 4])]); // Tensor<[2, 3, 4]>
 * @category Movement
 */
export function stack<const Xs extends readonly unknown[], const Ax extends number = 0>(
  xs: Checked<StackOf<Xs, Ax>, Xs>,
  axis?: Ax,
): Tensor<ShapeResult<StackOf<Xs, Ax>>, PromoteAll<Xs>> {
  const list = tensorList("stack", xs as Xs);
  const { shape, axis: ax } = stackShape("stack", list.map((x) => x.shape), axis ?? 0);
  const one = shape.map((d, i) => (i === ax ? 1 : d));
  const parts = sameDType(list).map((x) => core.reshape(x, one));
  return (parts.length === 1 ? parts[0] : core.concatenate(parts, ax)) as never;
}

/**
 * Elements in one range per leading axis, NumPy style: `[start, end?, step?]` (`null` for a
 * default) or `null` for the whole axis; negative indices count from the end and bounds are
 * clamped. `slice(x, [[0, 2], null, [1, -1, 2]])` is NumPy's `x[0:2, :, 1:-1:2]`.
 * @example
 * const s = slice(zeros([10, 20]), [[2, 5], [null, null, 2]]); // Tensor<[3, 10]>
 * @category Movement
 */
export function slice<S extends Shape, D extends DType, const R extends SliceRange[]>(
  x: Tensor<S, D>,
  ranges: Checked<Slice<S, R>, R>,
): Tensor<ShapeResult<Slice<S, R>>, D> {
  const t = untyped(x);
  const spec = sliceShape("slice", t.shape, ranges as R);
  const whole = spec.shape.every((d, i) => d === t.shape[i]);
  return (whole ? t : core.slice(t, spec.start, spec.limit, spec.strides)) as never;
}

/**
 * `x` broadcast to `shape` (NumPy `broadcast_to`): dims align at the end, size-1 dims repeat.
 * @example
 * const b = broadcastTo(zeros([3, 1]), [2, 3, 4]); // Tensor<[2, 3, 4]>
 * @category Movement
 */
export function broadcastTo<S extends Shape, D extends DType, const To extends readonly number[]>(
  x: Tensor<S, D>,
  shape: Checked<BroadcastTo<S, To>, To>,
): Tensor<ShapeResult<BroadcastTo<S, To>>, D> {
  const t = untyped(x);
  return expandTo(t, broadcastToShape("broadcastTo", t.shape, shape as To)) as never;
}

/**
 * One dim after padding by `L` before and `H` after: a literal sum, or `number` (left unevaluated for a type-parameter dim).
 * @category Movement
 */
export type PaddedDim<D, L extends number, H extends number> = [L, H] extends [0, 0] ? D : PaddedBy<D, L, H>;

/**
 * `D + L + H` for a literal `D`; `number` otherwise (shown as `PaddedBy<T, 1, 1>` for a type-parameter dim).
 * @category Movement
 */
export type PaddedBy<D, L extends number, H extends number> = D extends number
  ? number extends D | L | H
    ? number
    : Add<Add<D, L>, H>
  : number;

/**
 * The shape after padding: each dim grows by its `[low, high]` widths.
 * @category Movement
 */
export type PadShape<S extends Shape, W extends readonly (readonly [number, number])[]> = {
  -readonly [K in keyof S]: K extends keyof W
    ? W[K] extends readonly [infer L extends number, infer H extends number]
      ? PaddedDim<S[K], L, H>
      : S[K]
    : S[K];
};

/**
 * `x` with `[low, high]` copies of `value` (default 0) added before and after each axis
 * (NumPy `pad` with constant mode). Widths must be non-negative integers, one pair per axis.
 * @example
 * const p = pad(zeros([28, 28]), [[2, 2], [2, 2]]); // Tensor<[32, 32]>
 * @category Movement
 */
export function pad<S extends Shape, D extends DType, const W extends readonly (readonly [number, number])[]>(
  x: Tensor<S, D>,
  widths: W & { readonly length: S["length"] },
  value = 0,
): Tensor<PadShape<S, W>, D> {
  const t = untyped(x);
  if (widths.length !== t.ndim) {
    throw new ShapeError(`pad: ${widths.length} [low, high] pairs for a rank-${t.ndim} tensor ${showShape(t.shape)}`);
  }
  for (const [lo, hi] of widths) {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < 0) {
      throw new ShapeError(`pad: widths must be non-negative integers, got ${JSON.stringify(widths)}`);
    }
  }
  return core.pad(
    t,
    value,
    widths.map(([lo, hi]) => [lo, hi, 0] as const),
  ) as never;
}
