/**
 * @file Reductions over axes: `sum`, `mean`, `max`, `min`, `argmax`, `argmin`. An axis argument is
 * one axis, a tuple of axes (negative counts from the end) or absent (all axes); `keepDims` keeps
 * reduced axes as size 1. Out-of-range or repeated axes are compile errors with the text the
 * runtime throws.
 */
import type { DType } from "../dtype.js";
import type { Tensor } from "../core/tensor.js";
import * as core from "../core/ops.js";
import type { Shape } from "../shape/dim.js";
import type { AxisArg, Reduce } from "../shape/reduce.js";
import { normalizeAxes, reduceShape } from "../shape/reduce.js";
import { product } from "../shape/arith.js";
import type { Checked, FloatOf, ShapeResult, T } from "./operand.js";
import { castTo, floatOf, untyped } from "./operand.js";

/**
 * The checked axis argument of reduction `Op`: `Ax` itself, or the error message.
 * @category Reduction
 */
export type AxisParam<S extends Shape, Ax extends AxisArg, K extends boolean, Op extends string> = Checked<Reduce<S, Ax, K, Op>, Ax>;

/**
 * The shape after reduction `Op` of `S` over `Ax`.
 * @category Reduction
 */
export type ReducedShape<S extends Shape, Ax extends AxisArg, K extends boolean, Op extends string> = ShapeResult<Reduce<S, Ax, K, Op>>;

/**
 * The dtype `sum` returns: `bool` counts as `int32`.
 * @category Reduction
 */
export type SumDType<D extends DType> = D extends "bool" ? "int32" : D;

function reduceWith(op: string, prim: (x: T, axes: readonly number[]) => T, x: T, axis: AxisArg, keepDims: boolean | undefined): T {
  const axes = normalizeAxes(op, axis, x.shape);
  const r = prim(x, axes);
  return keepDims ? core.reshape(r, reduceShape(op, x.shape, axis, true)) : r;
}

/**
 * Sum over `axis` (all axes by default); `bool` sums as `int32`.
 * @example
 * const s = sum(ones([32, 10]), 1); // Tensor<[32]>
 * const k = sum(ones([32, 10]), -1, true); // Tensor<[32, 1]>
 * @category Reduction
 */
export function sum<S extends Shape, D extends DType, const Ax extends AxisArg = undefined, K extends boolean = false>(
  x: Tensor<S, D>,
  axis?: AxisParam<S, Ax, K, "sum">,
  keepDims?: K,
): Tensor<ReducedShape<S, Ax, K, "sum">, SumDType<D>> {
  const t = untyped(x);
  return reduceWith("sum", core.reduceSum, t.dtype === "bool" ? castTo(t, "int32") : t, axis as AxisArg, keepDims) as never;
}

/**
 * Mean over `axis` (all axes by default), in floating point.
 * @example
 * const m = mean(ones([32, 10]), 0); // Tensor<[10]>
 * @category Reduction
 */
export function mean<S extends Shape, D extends DType, const Ax extends AxisArg = undefined, K extends boolean = false>(
  x: Tensor<S, D>,
  axis?: AxisParam<S, Ax, K, "mean">,
  keepDims?: K,
): Tensor<ReducedShape<S, Ax, K, "mean">, FloatOf<D>> {
  const t = castTo(untyped(x), floatOf(x.dtype));
  const axes = normalizeAxes("mean", axis as AxisArg, t.shape);
  const count = product(axes.map((a) => t.shape[a]));
  const s = reduceWith("mean", core.reduceSum, t, axis as AxisArg, keepDims);
  return core.div(s, core.fullLike(s, count)) as never;
}

/**
 * Maximum over `axis` (all axes by default).
 * @example
 * const m = max(tensor([[1, 5], [7, 2]]), 1); // [5, 7]
 * @category Reduction
 */
export function max<S extends Shape, D extends DType, const Ax extends AxisArg = undefined, K extends boolean = false>(
  x: Tensor<S, D>,
  axis?: AxisParam<S, Ax, K, "max">,
  keepDims?: K,
): Tensor<ReducedShape<S, Ax, K, "max">, D> {
  return reduceWith("max", core.reduceMax, untyped(x), axis as AxisArg, keepDims) as never;
}

/**
 * Minimum over `axis` (all axes by default).
 * @example
 * const m = min(tensor([[1, 5], [7, 2]]), 1); // [1, 2]
 * @category Reduction
 */
export function min<S extends Shape, D extends DType, const Ax extends AxisArg = undefined, K extends boolean = false>(
  x: Tensor<S, D>,
  axis?: AxisParam<S, Ax, K, "min">,
  keepDims?: K,
): Tensor<ReducedShape<S, Ax, K, "min">, D> {
  const t = untyped(x);
  const negMax = (y: T, axes: readonly number[]): T => core.neg(core.reduceMax(core.neg(y), axes));
  return reduceWith("min", (y, axes) => (axes.length === 0 ? y : negMax(y, axes)), t, axis as AxisArg, keepDims) as never;
}

function argReduce(op: string, x: T, axis: number | undefined, keepDims: boolean | undefined): T {
  if (axis === undefined) {
    const r = core.argmax(core.reshape(x, [x.size]), 0);
    return keepDims ? core.reshape(r, x.shape.map(() => 1)) : r;
  }
  const [ax] = normalizeAxes(op, axis, x.shape);
  const r = core.argmax(x, ax);
  return keepDims ? core.reshape(r, reduceShape(op, x.shape, axis, true)) : r;
}

/**
 * Index of the maximum along `axis` (first on ties) as int32; without an axis, the index into the
 * flattened tensor.
 * @example
 * const i = argmax(tensor([[1, 5], [7, 2]]), 1); // Tensor<[2], "int32">: [1, 0]
 * @category Reduction
 */
export function argmax<S extends Shape, D extends DType, const Ax extends number | undefined = undefined, K extends boolean = false>(
  x: Tensor<S, D>,
  axis?: AxisParam<S, Ax, K, "argmax">,
  keepDims?: K,
): Tensor<ReducedShape<S, Ax, K, "argmax">, "int32"> {
  const t = untyped(x);
  return argReduce("argmax", t.dtype === "bool" ? castTo(t, "int32") : t, axis as number | undefined, keepDims) as never;
}

/**
 * Index of the minimum along `axis` (first on ties) as int32; without an axis, the index into the
 * flattened tensor.
 * @example
 * const i = argmin(tensor([[1, 5], [7, 2]]), 1); // Tensor<[2], "int32">: [0, 1]
 * @category Reduction
 */
export function argmin<S extends Shape, D extends DType, const Ax extends number | undefined = undefined, K extends boolean = false>(
  x: Tensor<S, D>,
  axis?: AxisParam<S, Ax, K, "argmin">,
  keepDims?: K,
): Tensor<ReducedShape<S, Ax, K, "argmin">, "int32"> {
  const t = untyped(x);
  const v = t.dtype === "bool" ? castTo(t, "int32") : t;
  return argReduce("argmin", core.neg(v), axis as number | undefined, keepDims) as never;
}
