/** @file The `slice` primitive: the elements `start[i] ≤ j < limit[i]`, every `strides[i]`-th; linear. */
import * as ops from "../core/ops.js";
import { ShapedArray } from "../core/aval.js";
import { SymbolicZero } from "../core/zero.js";
import { currentBackend } from "../backend/backend.js";
import { UndefPrimal, type PrimitiveDef } from "../core/primitive.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { sliceLength } from "../backend/js/layout.js";
import { checkIntegers } from "./_rules.js";
import { batchFirst } from "../transforms/batching.js";

export const slice: PrimitiveDef<"slice"> = {
  name: "slice",

  // ---- shape ----
  shape: ([x], { start, limit, strides }) => {
    checkIntegers("slice", "start indices", start, 0);
    checkIntegers("slice", "limit indices", limit, 0);
    checkIntegers("slice", "strides", strides, 1);
    const ok =
      start.length === x.ndim &&
      limit.length === x.ndim &&
      strides.length === x.ndim &&
      x.shape.every((d, i) => start[i] >= 0 && start[i] <= limit[i] && limit[i] <= d && strides[i] >= 1);
    if (!ok) {
      throw new ShapeError(
        `slice: start [${start.join(", ")}], limit [${limit.join(", ")}], strides [${strides.join(", ")}] do not fit ${showShape(x.shape)}`,
      );
    }
    return [new ShapedArray(x.shape.map((_, i) => sliceLength(start[i], limit[i], strides[i])), x.dtype)];
  },

  // ---- kernel ----
  impl: ([x], { start, limit, strides }) => [currentBackend().slice(x, start, limit, strides)],

  // ---- jvp ----
  jvp: ([x], [xDot], { start, limit, strides }) => [[ops.slice(x, start, limit, strides)], [ops.slice(xDot, start, limit, strides)]],

  // ---- transpose ----
  // The taken elements get the cotangent back at their places; the rest get zero: a pad with
  // `start` zeros before, `stride − 1` between, and the remainder after.
  transpose: ([ct], [x], { start, strides }) => {
    const inShape = (x as UndefPrimal).aval.shape;
    if (ct.size === 0) return [new SymbolicZero(inShape.slice(), ct.dtype)];
    const config = inShape.map((d, i): [number, number, number] => {
      const n = ct.shape[i];
      const last = start[i] + (n - 1) * strides[i];
      return [start[i], d - 1 - last, strides[i] - 1];
    });
    return [ops.pad(ct, 0, config)];
  },

  // ---- vmap ----
  vmap: ([x], [dim], { start, limit, strides }, axisSize) => [
    [ops.slice(batchFirst(x, dim, axisSize), [0, ...start], [axisSize, ...limit], [1, ...strides])],
    [0],
  ],
};
