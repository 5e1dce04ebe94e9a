/**
 * @file The `reduceWindow` primitive: the sum (`op: "Add"`) or maximum (`op: "Max"`) of every
 * window of an N-d operand, windows placed every `strides` along each dim of the operand padded by
 * `padding` (as XLA's reduce-window). Pooling layers are this primitive. Padding adds nothing to a
 * sum and takes part in no maximum (a window of padding only gives 0, or −∞). The sum is linear;
 * the maximum's derivatives are `selectAndGatherAdd` (forward) and `selectAndScatterAdd` (reverse).
 */
import * as ops from "../core/ops.js";
import { ShapedArray } from "../core/aval.js";
import { DTypeError } from "../core/errors.js";
import { TraceError } from "../core/tensor.js";
import { currentBackend } from "../backend/backend.js";
import { isFloat } from "../dtype.js";
import { zeroTangent } from "./_rules.js";
import type { PrimitiveDef, UndefPrimal } from "../core/primitive.js";
import { batchFirst } from "../transforms/batching.js";
import { batchedWindow, geometryOf, reduceWindowOf, selectAndGatherAddOf, windowShape } from "./_window.js";

export const reduceWindow: PrimitiveDef<"reduceWindow"> = {
  name: "reduceWindow",

  // ---- shape ----
  // Along each dim: ⌊(in + lo + hi − window) / stride⌋ + 1 windows, or none where a window does
  // not fit the padded operand.
  shape: ([x], params) => {
    if (params.op !== "Add" && params.op !== "Max") throw new TypeError(`reduceWindow: op must be "Add" or "Max", got ${JSON.stringify(params.op)}`);
    if (x.dtype === "bool") throw new DTypeError(`reduceWindow: expected a numeric operand, got bool; cast to int32 or float first`);
    return [new ShapedArray(windowShape("reduceWindow", x.shape, params), x.dtype)];
  },

  // ---- kernel ----
  impl: ([x], params) => [currentBackend().reduceWindow(x, params.op, geometryOf(params))],

  // ---- jvp ----
  // d Σ_window x = Σ_window xDot. d max_window x = xDot at the window's maximum.
  // NB: on ties the tangents of all maxima are averaged (as `reduceMax` and `max` do), so the
  // maximum of equal values is symmetric in them; JAX picks one of them.
  jvp: ([x], [xDot], params) => {
    const y = reduceWindowOf(x, params.op, params);
    if (params.op === "Add") return [[y], [reduceWindowOf(xDot, "Add", params)]];
    // An int32 maximum is piecewise constant in its (int32, zero) tangent.
    if (!isFloat(x.dtype)) return [[y], [zeroTangent(y)]];
    return [[y], [selectAndGatherAddOf(xDot, x, params)]];
  },

  // ---- transpose ----
  // Only the sum is linear. Element i receives the cotangent of every window covering it: put the
  // cotangents on the stride grid (interior padding stride − 1) with `window − 1 − lo` zeros before
  // (negative: cropped) and enough after for the input length, then sum every window with stride
  // 1; each input position then sees exactly the windows that covered it.
  transpose: ([ct], [x], params) => {
    if (params.op !== "Add") throw new TraceError("reduceWindow: only the sum (op Add) is linear; the maximum has no transpose");
    const inShape = (x as UndefPrimal).aval.shape;
    const config = inShape.map((d, i): [number, number, number] => {
      const w = params.window[i];
      const s = params.strides[i];
      const n = ct.shape[i];
      const dilated = n === 0 ? 0 : (n - 1) * s + 1;
      const before = w - 1 - params.padding[i][0];
      return [before, d + w - 1 - dilated - before, s - 1];
    });
    const spread = ops.pad(ct, 0, config);
    return [reduceWindowOf(spread, "Add", { window: params.window, strides: inShape.map(() => 1), padding: inShape.map(() => [0, 0] as const) })];
  },

  // ---- vmap ----
  // The batch dim gets a window of one element.
  vmap: ([x], [dim], params, axisSize) => [[reduceWindowOf(batchFirst(x, dim, axisSize), params.op, batchedWindow(params))], [0]],
};
