/**
 * @file The `cumulative` primitive: the running sum, product, maximum or minimum along one axis
 * (`cumsum`, `cumprod`, `cummax`, `cummin`), from the end when `reverse`. A primitive, not a
 * composite, for its O(n) kernel (a composite sum is a triangular O(n²) product) and for a
 * product's derivative that stays exact with zeros in the input (exp∘cumsum∘log does not).
 */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { ShapedArray } from "../core/aval.js";
import { DTypeError } from "../core/errors.js";
import { currentBackend } from "../backend/backend.js";
import { bind1 } from "../core/trace.js";
import { isZero, SymbolicZero } from "../core/zero.js";
import type { PrimParams, PrimitiveDef } from "../core/primitive.js";
import { TraceError } from "../core/tensor.js";
import { isFloat } from "../dtype.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { batchFirst } from "../transforms/batching.js";
import { associativeScan, type Combine } from "./_scan.js";
import { tieSharingJvp } from "./_rules.js";

type T = AnyTensor;
type Params = PrimParams["cumulative"];

const OPS: readonly Params["op"][] = ["add", "mul", "max", "min"];

/** The running `op` of `x` along `axis`, staged or computed (the typed public ops are `cumsum`, … in src/ops). */
export const cumulativeOf = (x: T, params: Params): T =>
  isZero(x) && params.op === "add" ? SymbolicZero.like(x) : bind1("cumulative", [x], params);

/**
 * Combines of (value, tangent) pairs for the scan that differentiates products and extrema. An
 * extremum's tangent is the winner's; a tie splits it evenly, as `max`'s own JVP does (and
 * JAX's): the scan pairs elements as JAX's does, so tied running maxima share the gradient with
 * JAX's weights (½ and ½ for two, ¼, ¼ and ½ for three in a row, …).
 */
function tangentCombine(op: Params["op"]): Combine {
  if (op === "mul") {
    // d(a·b) = aDot·b + a·bDot
    return ([a, aDot], [b, bDot]) => [ops.mul(a, b), ops.add(ops.mul(aDot, b), ops.mul(a, bDot))];
  }
  const jvp = op === "max" ? tieSharingJvp(ops.max, "gt") : tieSharingJvp(ops.min, "lt");
  return ([a, aDot], [b, bDot]) => {
    const [[y], [yDot]] = jvp([a, b], [aDot, bDot]);
    return [y, yDot];
  };
}

export const cumulative: PrimitiveDef<"cumulative"> = {
  name: "cumulative",

  // ---- shape ----
  shape: ([x], { op, axis, reverse }) => {
    if (!OPS.includes(op)) throw new ShapeError(`cumulative: op must be one of ${OPS.join(", ")}, got ${String(op)}`);
    if (!Number.isInteger(axis) || axis < 0 || axis >= x.ndim) {
      throw new ShapeError(`cumulative: axis ${axis} out of range for rank-${x.ndim} tensor ${showShape(x.shape)}`);
    }
    if (typeof reverse !== "boolean") throw new ShapeError(`cumulative: reverse must be a boolean, got ${String(reverse)}`);
    if (x.dtype === "bool") throw new DTypeError(`cumulative: bool operands are not supported; cast to int32 first`);
    return [new ShapedArray(x.shape, x.dtype)];
  },

  // ---- kernel ----
  impl: ([x], { op, axis, reverse }) => [currentBackend().cumulative(x, axis, op, reverse)],

  // ---- jvp ----
  // A running sum is linear: its tangent is the running sum of the tangent. Products and extrema
  // are differentiated through the associative scan of (value, tangent) pairs, as JAX does.
  jvp: ([x], [xDot], params) => {
    const y = cumulativeOf(x, params);
    if (params.op === "add") return [[y], [cumulativeOf(xDot, params)]];
    if (isZero(xDot) || !isFloat(x.dtype)) return [[y], [SymbolicZero.like(y)]];
    const [, yDot] = associativeScan([x, xDot], params.axis, tangentCombine(params.op), params.reverse);
    return [[y], [yDot]];
  },

  // ---- transpose ----
  // Only the running sum is linear: element j adds to every output at or after j, so a
  // cotangent flows back through a running sum in the other direction.
  transpose: ([ct], _args, params) => {
    if (params.op !== "add") throw new TraceError(`cumulative: only op "add" is linear, got "${params.op}"`);
    return [cumulativeOf(ct, { ...params, reverse: !params.reverse })];
  },

  // ---- vmap ----
  vmap: ([x], [dim], params, axisSize) => [[cumulativeOf(batchFirst(x, dim, axisSize), { ...params, axis: params.axis + 1 })], [0]],
};
