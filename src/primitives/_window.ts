/**
 * @file What the three window primitives (`reduceWindow`, `selectAndScatterAdd`,
 * `selectAndGatherAdd`) share: checking window params against an operand, their bind wrappers
 * (which skip symbolic zeros where the primitive is linear), and batching by a window of 1 over
 * the batch dim.
 */
import { bind1 } from "../core/trace.js";
import { SymbolicZero, isZero } from "../core/zero.js";
import type { AnyTensor } from "../core/ops.js";
import type { WindowParams } from "../core/primitive.js";
import { windowOutShape } from "../backend/js/window.js";
import { ShapeError, showShape } from "../shape/errors.js";

type T = AnyTensor;

// ---- shape rules ----

/**
 * Checks `params` against an operand of shape `shape` (one window size ≥ 1, stride ≥ 1 and
 * `[lo, hi]` padding ≥ 0 per dim) and returns the number of windows along each dim.
 */
export function windowShape(name: string, shape: readonly number[], params: WindowParams): number[] {
  const { window, strides, padding } = params;
  const fail = (why: string): never => {
    throw new ShapeError(`${name}: ${why} (operand is ${showShape(shape)})`);
  };
  const rank = shape.length;
  const ints = (xs: readonly number[], min: number) => xs.every((v) => Number.isSafeInteger(v) && v >= min);
  if (window.length !== rank || !ints(window, 1)) fail(`window must be ${rank} integers ≥ 1, got ${JSON.stringify(window)}`);
  if (strides.length !== rank || !ints(strides, 1)) fail(`strides must be ${rank} integers ≥ 1, got ${JSON.stringify(strides)}`);
  if (padding.length !== rank || !padding.every((p) => p.length === 2 && ints(p, 0))) {
    fail(`padding must be ${rank} pairs [lo, hi] of integers ≥ 0, got ${JSON.stringify(padding)}`);
  }
  return windowOutShape(shape, params);
}

/** Just the window of a window primitive's params (dropping `op`). */
export function geometryOf(params: WindowParams): WindowParams {
  return { window: params.window, strides: params.strides, padding: params.padding };
}

/** Whether every window is one element and every step one, with no padding: the identity. */
function isIdentity(params: WindowParams): boolean {
  return params.window.every((w, i) => w === 1 && params.strides[i] === 1 && params.padding[i][0] === 0 && params.padding[i][1] === 0);
}

// ---- bind wrappers ----

/** Sum (`Add`) or maximum (`Max`) over every window of `x`. */
export function reduceWindowOf(x: T, op: "Add" | "Max", params: WindowParams): T {
  const g = geometryOf(params);
  const outShape = windowShape("reduceWindow", x.shape, g);
  if (isIdentity(g) && x.dtype !== "bool") return x;
  if (op === "Add" && isZero(x)) return new SymbolicZero(outShape, x.dtype);
  return bind1("reduceWindow", [x], { op, ...g });
}

/** `operand`-shaped: each window's `source` value split evenly among the window's maxima in `operand`. */
export function selectAndScatterAddOf(source: T, operand: T, params: WindowParams): T {
  const g = geometryOf(params);
  if (isZero(source)) return new SymbolicZero(operand.shape.slice(), source.dtype);
  return bind1("selectAndScatterAdd", [source, operand], g);
}

/** Per window of `operand`: the mean of `tangent` over the window's maxima. */
export function selectAndGatherAddOf(tangent: T, operand: T, params: WindowParams): T {
  const g = geometryOf(params);
  if (isZero(tangent)) return new SymbolicZero(windowShape("selectAndGatherAdd", operand.shape, g), tangent.dtype);
  return bind1("selectAndGatherAdd", [tangent, operand], g);
}

// ---- batching ----

/** The window params of the batched problem: a window of 1, step 1 and no padding over the new leading dim. */
export function batchedWindow<P extends WindowParams>(params: P): P {
  return {
    ...params,
    window: [1, ...params.window],
    strides: [1, ...params.strides],
    padding: [[0, 0], ...params.padding],
  };
}
