/**
 * @file Rule factories shared by families of primitives (elementwise, reductions, bilinear
 * products), so that each primitive file states only what is particular to it.
 */
import { isFloat, type DType } from "../dtype.js";
import { ShapedArray, sameShape } from "../core/aval.js";
import { SymbolicZero } from "../core/zero.js";
import * as ops from "../core/ops.js";
import { UndefPrimal, type BatchDim, type PrimName, type PrimParams } from "../core/primitive.js";
import type { AnyTensor } from "../core/ops.js";
import { batchFirst } from "../transforms/batching.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { DTypeError } from "../core/errors.js";
import { TraceError } from "../core/tensor.js";

type T = AnyTensor;

// ---- shape rules ----

/** Shape rule of a unary op on floats (exp, log, …): same shape and dtype. */
export function floatUnaryShape(name: string) {
  return ([x]: ShapedArray[]): ShapedArray[] => {
    if (!isFloat(x.dtype)) throw new DTypeError(`${name}: expected a float tensor, got ${x.dtype}`);
    return [x];
  };
}

/** Shape rule of a unary op on numbers (neg, abs, sign): same shape and dtype, not bool. */
export function numericUnaryShape(name: string) {
  return ([x]: ShapedArray[]): ShapedArray[] => {
    if (x.dtype === "bool") throw new DTypeError(`${name}: expected a numeric tensor, got bool`);
    return [x];
  };
}

/** Shape rule of a binary elementwise op: operands of one shape and dtype. */
export function binaryShape(name: string, outDtype?: DType) {
  return ([x, y]: ShapedArray[]): ShapedArray[] => {
    checkSameShapes(name, x, y);
    if (x.dtype !== y.dtype) throw new DTypeError(`${name}: dtypes differ: ${x.dtype} vs ${y.dtype}`);
    return [new ShapedArray(x.shape, outDtype ?? x.dtype)];
  };
}

/** Shape rule of binary arithmetic (add, mul, …): like `binaryShape`, and bool is refused (cast first). */
export function arithmeticShape(name: string) {
  const rule = binaryShape(name);
  return (avals: ShapedArray[]): ShapedArray[] => {
    if (avals[0].dtype === "bool") throw new DTypeError(`${name}: arithmetic on bool tensors is not defined; cast to int32 or float first`);
    return rule(avals);
  };
}

/** Throws a ShapeError unless every entry of `values` is an integer (≥ `min` when given). */
export function checkIntegers(name: string, what: string, values: readonly number[], min = -Infinity): void {
  for (const v of values) {
    if (!Number.isInteger(v) || v < min) {
      throw new ShapeError(`${name}: ${what} must be integers${min === 0 ? " ≥ 0" : min === 1 ? " ≥ 1" : ""}, got [${values.join(", ")}]`);
    }
  }
}

/** Throws a ShapeError unless `x` and `y` have one shape. */
export function checkSameShapes(name: string, x: ShapedArray, y: ShapedArray): void {
  if (!sameShape(x.shape, y.shape)) {
    throw new ShapeError(`${name}: shapes differ: ${showShape(x.shape)} vs ${showShape(y.shape)}`);
  }
}

/** Checks reduction axes against the rank and returns the shape with them removed. */
export function reducedShape(name: string, x: ShapedArray, axes: readonly number[]): number[] {
  for (const a of axes) {
    if (!Number.isInteger(a) || a < 0 || a >= x.ndim) {
      throw new ShapeError(`${name}: axis ${a} out of range for rank-${x.ndim} tensor ${showShape(x.shape)}`);
    }
  }
  if (new Set(axes).size !== axes.length) throw new ShapeError(`${name}: repeated axis in [${axes.join(", ")}]`);
  return x.shape.filter((_, i) => !axes.includes(i));
}

// ---- batching ----

/**
 * Batching rule of an elementwise primitive with any number of operands: align every batch dim
 * at 0 and apply the primitive once.
 */
export function elementwiseVmap(apply: (args: T[]) => T) {
  return (args: T[], dims: BatchDim[], _params: unknown, axisSize: number): [T[], BatchDim[]] => {
    if (args.length === 1) return [[apply(args)], [dims[0]]];
    const first = dims.find((d) => d !== null) ?? null;
    if (dims.every((d) => d === first)) return [[apply(args)], [first]];
    return [[apply(args.map((x, i) => batchFirst(x, dims[i], axisSize)))], [0]];
  };
}

/** Batching rule of a reduction over `axes`: batch first, shift the axes past it. */
export function reduceVmap(apply: (x: T, axes: number[]) => T) {
  return ([x]: T[], [dim]: BatchDim[], params: { axes: readonly number[] }, axisSize: number): [T[], BatchDim[]] => {
    const xb = batchFirst(x, dim, axisSize);
    return [[apply(xb, params.axes.map((a) => a + 1))], [0]];
  };
}

// ---- derivatives ----

/** Tangent rule for outputs that do not depend smoothly on inputs (comparisons, argmax, sign). */
export function zeroTangent(y: T): T {
  return SymbolicZero.like(y);
}

/**
 * JVP rule of a bilinear primitive (linear in each operand when the other is fixed), from a
 * function `f` binding it: d f(x, y) = f(xDot, y) + f(x, yDot).
 */
export function bilinearJvp<Params>(f: (x: T, y: T, params: Params) => T) {
  return ([x, y]: T[], [xDot, yDot]: T[], params: Params): [T[], T[]] => [
    [f(x, y, params)],
    [ops.add(f(xDot, y, params), f(x, yDot, params))],
  ];
}

/**
 * Transposition rule of a bilinear primitive. Linearization only ever applies one to a tangent
 * and a known value, so exactly one operand is undefined; anything else is a `TraceError`.
 * `ctToX` gives x's cotangent from the output's, the known y and x's aval; `ctToY` likewise for y.
 */
export function bilinearTranspose<P extends PrimName>(
  name: P,
  ctToX: (ct: T, y: T, xAval: ShapedArray, params: PrimParams[P]) => T,
  ctToY: (ct: T, x: T, yAval: ShapedArray, params: PrimParams[P]) => T,
) {
  return ([ct]: T[], [x, y]: (T | UndefPrimal)[], params: PrimParams[P]): (T | null)[] => {
    if (x instanceof UndefPrimal && !(y instanceof UndefPrimal)) return [ctToX(ct, y, x.aval, params), null];
    if (y instanceof UndefPrimal && !(x instanceof UndefPrimal)) return [null, ctToY(ct, x, y.aval, params)];
    throw new TraceError(`${name}: transpose needs exactly one linear operand`);
  };
}

/**
 * JVP rule of an elementwise choice between two operands (max, min), from a function `f` binding
 * it and the comparison under which x wins: the tangent of the
 * winner, and on ties the average of both tangents (the NB in `max.ts` says why).
 */
export function tieSharingJvp(f: (x: T, y: T) => T, xWinsWhen: "gt" | "lt") {
  const yWinsWhen = xWinsWhen === "gt" ? "lt" : "gt";
  return ([x, y]: T[], [xDot, yDot]: T[]): [T[], T[]] => {
    const xWins = ops.compare(x, y, xWinsWhen);
    const yWins = ops.compare(x, y, yWinsWhen);
    const tie = ops.mul(ops.add(xDot, yDot), ops.fullLike(xDot, 0.5));
    return [[f(x, y)], [ops.select(xWins, xDot, ops.select(yWins, yDot, tie))]];
  };
}
