/**
 * @file Shapes of running reductions (`cumsum`, `cumprod`, `cummax`, `cummin`), twice:
 * `Cumulative<S, Ax, Op>` at the type level and `cumulativeShape(op, shape, axis)` at run time,
 * with the same error text. Along an axis the shape is kept; without one the tensor is
 * flattened first, as in NumPy (`[2, 3]` gives `[6]`).
 */
import type { IsTuple, Shape } from "./dim.js";
import { assertShape } from "./dim.js";
import type { AxisError, NormalizeAxis } from "./axis.js";
import { normalizeAxis } from "./axis.js";
import type { ProductDim } from "./reshape.js";
import { product } from "./arith.js";

type CumulativeTuple<S extends Shape, Ax, Op extends string> = [Ax] extends [undefined]
  ? [ProductDim<S>]
  : NormalizeAxis<Ax, S["length"]> extends [unknown]
    ? S
    : AxisError<Op, Ax, S>;

/**
 * The shape of a running reduction `Op` of `S` along `Ax`: `S` itself, `[size]` when `Ax` is
 * `undefined` (flattened first), or an error message: `Cumulative<[2, 3], 1>` is `[2, 3]`,
 * `Cumulative<[2, 3], undefined>` is `[6]`, and `Cumulative<[2, 3], 2, "cumsum">` is
 * `"cumsum: axis 2 out of range for rank-2 tensor [2, 3]"`.
 * @category Shape algebra
 */
export type Cumulative<S extends Shape, Ax extends number | undefined = undefined, Op extends string = "cumulative"> =
  CumulativeImpl<S, Ax, Op> extends infer R ? R : never;

type CumulativeImpl<S extends Shape, Ax extends number | undefined = undefined, Op extends string = "cumulative"> =
  IsTuple<S> extends true ? CumulativeTuple<S, Ax, Op> : [Ax] extends [undefined] ? [number] : S;

/**
 * Runtime twin of `Cumulative`: the result shape and the axis the running reduction takes in it
 * (0 after flattening), or a `ShapeError` with the same text as the type.
 * @category Shape algebra
 */
export function cumulativeShape(
  op: string,
  shape: readonly number[],
  axis: number | undefined,
): {
  /** The result's shape. */
  shape: number[];
  /** The axis the running reduction takes, counted from the front (0 after flattening). */
  axis: number;
} {
  assertShape(op, shape);
  if (axis === undefined) return { shape: [product(shape)], axis: 0 };
  return { shape: shape.slice(), axis: normalizeAxis(op, axis, shape) };
}
