/**
 * @file Running reductions: `cumsum`, `cumprod`, `cummax`, `cummin` (NumPy's `cumsum`, …,
 * `maximum.accumulate`), on the `cumulative` primitive: O(n) along the axis, differentiable.
 * Without an axis the tensor is flattened first, as in NumPy; an out-of-range axis is a compile
 * error with the text the runtime throws.
 */
import type { DType } from "../dtype.js";
import type { Tensor } from "../core/tensor.js";
import * as core from "../core/ops.js";
import { cumulativeOf } from "../primitives/cumulative.js";
import type { Shape } from "../shape/dim.js";
import type { Cumulative } from "../shape/cumulative.js";
import { cumulativeShape } from "../shape/cumulative.js";
import type { Checked, ShapeResult, T } from "./operand.js";
import { castTo, untyped } from "./operand.js";
import type { SumDType } from "./reduction.js";
import { checkBoolean, checkOptions } from "../internal/check-args.js";

/**
 * Options of the running reductions: `reverse` runs from the last element to the first (element
 * i then reduces elements i, i + 1, …).
 * @category Reduction
 */
export interface CumulativeOptions {
  /** Run from the last element to the first (default `false`). */
  readonly reverse?: boolean;
}

/**
 * The checked axis argument of running reduction `Op`: `Ax` itself, or the error message.
 * @category Shape algebra
 */
export type CumulativeAxis<S extends Shape, Ax extends number | undefined, Op extends string> = Checked<Cumulative<S, Ax, Op>, Ax>;

/**
 * The result shape of running reduction `Op` of `S` along `Ax`.
 * @category Shape algebra
 */
export type CumulativeShape<S extends Shape, Ax extends number | undefined, Op extends string> = ShapeResult<Cumulative<S, Ax, Op>>;

/** `options.reverse`, checked: a `TypeError` naming `op` for anything but a boolean. */
function reverseOf(op: string, options: CumulativeOptions | undefined): boolean {
  if (options === undefined) return false;
  const { reverse } = checkOptions(op, "options", options);
  return reverse === undefined ? false : checkBoolean(op, "options.reverse", reverse);
}

function running(name: string, op: "add" | "mul" | "max" | "min", x: T, axis: number | undefined, options: CumulativeOptions | undefined): T {
  const { shape, axis: ax } = cumulativeShape(name, x.shape, axis);
  const flat = axis === undefined ? core.reshape(x, shape) : x;
  // bool sums and products count in int32 (NumPy); bool extrema are computed there and cast back.
  const input = flat.dtype === "bool" ? castTo(flat, "int32") : flat;
  const y = cumulativeOf(input, { op, axis: ax, reverse: reverseOf(name, options) });
  return flat.dtype === "bool" && (op === "max" || op === "min") ? castTo(y, "bool") : y;
}

/**
 * Running sum along `axis` (of the flattened tensor without one); `bool` sums as `int32`.
 * @example
 * const c = cumsum(tensor([[1, 2, 3], [4, 5, 6]]), 1); // Tensor<[2, 3]>: [[1, 3, 6], [4, 9, 15]]
 * @category Reduction
 */
export function cumsum<S extends Shape, D extends DType, const Ax extends number | undefined = undefined>(
  x: Tensor<S, D>,
  axis?: CumulativeAxis<S, Ax, "cumsum">,
  options?: CumulativeOptions,
): Tensor<CumulativeShape<S, Ax, "cumsum">, SumDType<D>> {
  return running("cumsum", "add", untyped(x), axis as number | undefined, options) as never;
}

/**
 * Running product along `axis` (of the flattened tensor without one); `bool` multiplies as
 * `int32`. Its gradient is exact with zeros in the input.
 * @example
 * const c = cumprod(tensor([1, 2, 3, 4]), 0); // Tensor<[4]>: [1, 2, 6, 24]
 * @category Reduction
 */
export function cumprod<S extends Shape, D extends DType, const Ax extends number | undefined = undefined>(
  x: Tensor<S, D>,
  axis?: CumulativeAxis<S, Ax, "cumprod">,
  options?: CumulativeOptions,
): Tensor<CumulativeShape<S, Ax, "cumprod">, SumDType<D>> {
  return running("cumprod", "mul", untyped(x), axis as number | undefined, options) as never;
}

/**
 * Running maximum along `axis` (of the flattened tensor without one); a NaN stays once seen. The
 * gradient goes to the running argmax; tied maxima share it as in JAX, which differentiates
 * through the same pairwise scan, splitting each tie evenly (½ and ½ for two in a row; ¼, ¼ and
 * ½ for three).
 * @example
 * const c = cummax(tensor([1, 3, 2, 5]), 0); // Tensor<[4]>: [1, 3, 3, 5]
 * @category Reduction
 */
export function cummax<S extends Shape, D extends DType, const Ax extends number | undefined = undefined>(
  x: Tensor<S, D>,
  axis?: CumulativeAxis<S, Ax, "cummax">,
  options?: CumulativeOptions,
): Tensor<CumulativeShape<S, Ax, "cummax">, D> {
  return running("cummax", "max", untyped(x), axis as number | undefined, options) as never;
}

/**
 * Running minimum along `axis` (of the flattened tensor without one); a NaN stays once seen. The
 * gradient goes to the running argmin; tied minima share it as in JAX (see `cummax`).
 * @example
 * const c = cummin(tensor([4, 2, 3, 1]), 0); // Tensor<[4]>: [4, 2, 2, 1]
 * @category Reduction
 */
export function cummin<S extends Shape, D extends DType, const Ax extends number | undefined = undefined>(
  x: Tensor<S, D>,
  axis?: CumulativeAxis<S, Ax, "cummin">,
  options?: CumulativeOptions,
): Tensor<CumulativeShape<S, Ax, "cummin">, D> {
  return running("cummin", "min", untyped(x), axis as number | undefined, options) as never;
}
