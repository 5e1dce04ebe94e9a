/**
 * @file Axis arguments, twice: `NormalizeAxis<Ax, R>` and `normalizeAxis(...)` turn a possibly
 * negative axis into an index in `[0, R)`, or report it out of range with the same text.
 */
import type { Abs, Compare, IsNegative, Sub } from "./arith.js";
import { ShapeError, showShape } from "./errors.js";
import type { Shape } from "./dim.js";
import type { ShowShape } from "./show.js";

/**
 * Axis `Ax` of a rank-`R` shape as `[index]` (`NormalizeAxis<-1, 3>` is `[2]`), `[number]` for a
 * wide `number` axis, or `false` when it is out of range or not an integer.
 * @category Shape algebra
 */
export type NormalizeAxis<Ax, R extends number> = number extends Ax
  ? [number]
  : Ax extends number
    ? IsNegative<Ax> extends true
      ? Compare<Abs<Ax>, R> extends "lt" | "eq"
        ? [Sub<R, Abs<Ax>>]
        : false
      : Compare<Ax, R> extends "lt"
        ? [Ax]
        : false
    : false;

/**
 * The message for an axis that does not fit: `sum: axis 2 out of range for rank-2 tensor [32, 10]`.
 * @category Shape algebra
 */
export type AxisError<Op extends string, Ax, S extends Shape> =
  `${Op}: axis ${Ax & (string | number)} out of range for rank-${S["length"]} tensor ${ShowShape<S>}`;

/**
 * Runtime twin of `NormalizeAxis` for a tensor of shape `shape`: the index of `axis` counted from
 * the end when negative. `rank` defaults to the shape's rank (`expandDims` and `stack` pass one
 * more). Throws `${op}: axis ${axis} out of range for rank-${r} tensor ${shape}` otherwise.
 * @category Shape algebra
 */
export function normalizeAxis(op: string, axis: number, shape: readonly number[], rank: number = shape.length): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ShapeError(`${op}: axis ${axis} out of range for rank-${shape.length} tensor ${showShape(shape)}`);
  }
  return axis < 0 ? axis + rank : axis;
}
