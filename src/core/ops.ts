/**
 * @file One-line bind wrappers, one per primitive: the untyped core API that rules, transforms and
 * the typed user-facing ops in `src/ops/` call. Operands must already agree (same shape and dtype
 * for elementwise ops); NumPy-style broadcasting and promotion live in `src/ops/`.
 * Ops that are linear in an operand skip symbolic zeros (`core/zero.ts`) instead of binding.
 */
import type { DType, Storage } from "../dtype.js";
import { bind, bind1 } from "./trace.js";
import { NO_PARAMS, type CompareOp, type ConvWindow, type DotDims, type PrimName, type PrimParams } from "./primitive.js";
import { primitives } from "./rule-table.js";
import { ShapedArray } from "./aval.js";
import type { AnyTensor } from "./tensor.js";
import { ConcreteTensor } from "./concrete.js";
import { SymbolicZero, isZero } from "./zero.js";

export type { AnyTensor };

type T = AnyTensor;

export const neg = (x: T): T => (isZero(x) ? x : bind1("neg", [x], NO_PARAMS));
export const exp = (x: T): T => bind1("exp", [x], NO_PARAMS);
export const log = (x: T): T => bind1("log", [x], NO_PARAMS);
export const sin = (x: T): T => bind1("sin", [x], NO_PARAMS);
export const cos = (x: T): T => bind1("cos", [x], NO_PARAMS);
export const sqrt = (x: T): T => bind1("sqrt", [x], NO_PARAMS);
export const tanh = (x: T): T => bind1("tanh", [x], NO_PARAMS);
export const abs = (x: T): T => bind1("abs", [x], NO_PARAMS);
export const sign = (x: T): T => bind1("sign", [x], NO_PARAMS);

export const add = (x: T, y: T): T => (isZero(x) && sameAval(x, y) ? y : isZero(y) && sameAval(x, y) ? x : bind1("add", [x, y], NO_PARAMS));
export const sub = (x: T, y: T): T => (isZero(y) && sameAval(x, y) ? x : isZero(x) && sameAval(x, y) ? neg(y) : bind1("sub", [x, y], NO_PARAMS));
export const mul = (x: T, y: T): T => ((isZero(x) || isZero(y)) && sameAval(x, y) ? SymbolicZero.like(x) : bind1("mul", [x, y], NO_PARAMS));
export const div = (x: T, y: T): T => (isZero(x) && sameAval(x, y) ? x : bind1("div", [x, y], NO_PARAMS));
export const max = (x: T, y: T): T => bind1("max", [x, y], NO_PARAMS);
export const min = (x: T, y: T): T => bind1("min", [x, y], NO_PARAMS);
export const pow = (x: T, y: T): T => bind1("pow", [x, y], NO_PARAMS);

/** Elementwise comparison of equal-shaped operands; the result is `bool`. */
export const compare = (x: T, y: T, op: CompareOp): T => bind1("compare", [x, y], { op });
/** `cond ? onTrue : onFalse` elementwise; `cond` is `bool`, all three have one shape. */
export const select = (cond: T, onTrue: T, onFalse: T): T =>
  isZero(onTrue) && isZero(onFalse) && sameAval(onTrue, onFalse) && sameShapeOf(cond, onTrue) ? onTrue : bind1("select", [cond, onTrue, onFalse], NO_PARAMS);
export const cast = (x: T, dtype: DType): T => (x.dtype === dtype ? x : isZero(x) ? SymbolicZero.like(x, dtype) : bind1("cast", [x], { dtype }));
export const stopGradient = (x: T): T => bind1("stopGradient", [x], NO_PARAMS);

/** Sums over `axes` (non-negative, each at most once); those axes are removed. */
export const reduceSum = (x: T, axes: readonly number[]): T =>
  axes.length === 0 && x.dtype !== "bool" ? x : isZero(x) ? zeroOut("reduceSum", [x], { axes }) : bind1("reduceSum", [x], { axes });
/** Maximum over `axes`; those axes are removed. */
export const reduceMax = (x: T, axes: readonly number[]): T => (axes.length === 0 ? x : bind1("reduceMax", [x], { axes }));
/** Index of the maximum along `axis` (first on ties), as int32; the axis is removed. */
export const argmax = (x: T, axis: number): T => bind1("argmax", [x], { axis });
/**
 * int32 `x` itself, after checking (now, or when a compiled program runs) that every element is
 * in `[lo, hi)`; a `RangeError` naming `op`, `what`, the first bad value and its position otherwise.
 */
export const checkIndices = (x: T, op: string, what: string, lo: number, hi: number): T => bind1("checkIndices", [x], { op, what, lo, hi });

export const reshape = (x: T, shape: readonly number[]): T =>
  isZero(x) ? zeroOut("reshape", [x], { shape }) : bind1("reshape", [x], { shape });
/** Broadcasts `x` to `shape`; dim i of `x` becomes dim `broadcastDims[i]` of the result (size equal, or 1). */
export const broadcastInDim = (x: T, shape: readonly number[], broadcastDims: readonly number[]): T =>
  isZero(x)
    ? zeroOut("broadcastInDim", [x], { shape, broadcastDims })
    : bind1("broadcastInDim", [x], { shape, broadcastDims });
export const transpose = (x: T, perm: readonly number[]): T =>
  isZero(x) ? zeroOut("transpose", [x], { perm }) : bind1("transpose", [x], { perm });
/** Elements `start[i] ≤ j < limit[i]` taking every `strides[i]`-th. */
export const slice = (x: T, start: readonly number[], limit: readonly number[], strides?: readonly number[]): T => {
  const params = { start, limit, strides: strides ?? start.map(() => 1) };
  return isZero(x) ? zeroOut("slice", [x], params) : bind1("slice", [x], params);
};
/** Pads each axis with `[low, high, interior]` copies of `value` (low/high may be negative: cropping). */
export const pad = (x: T, value: number, config: readonly (readonly [number, number, number])[]): T =>
  isZero(x) && value === 0 ? zeroOut("pad", [x], { value, config }) : bind1("pad", [x], { value, config });
export const concatenate = (xs: readonly T[], axis: number): T =>
  xs.every(isZero) ? zeroOut("concatenate", xs, { axis }) : bind1("concatenate", xs, { axis });
/** Generalized matrix product: batch dims first, then free dims of `x`, then free dims of `y`. */
export const dotGeneral = (x: T, y: T, dims: DotDims): T =>
  isZero(x) || isZero(y) ? zeroOut("dotGeneral", [x, y], dims) : bind1("dotGeneral", [x, y], dims);
/** 2-d convolution (cross-correlation) of NHWC `x` `[N, H, W, C]` with HWIO `w` `[kh, kw, C, O]`: `[N, H', W', O]`. */
export const conv2d = (x: T, w: T, window: ConvWindow): T =>
  isZero(x) || isZero(w) ? zeroOut("conv2d", [x, w], window) : bind1("conv2d", [x, w], window);
/** The transpose of `conv2d` in its input: `ct` `[N, H', W', O]` and `w` `[kh, kw, C, O]` to `[N, ...inputSize, C]`. */
export const conv2dBackpropInput = (ct: T, w: T, params: PrimParams["conv2dBackpropInput"]): T =>
  isZero(ct) || isZero(w) ? zeroOut("conv2dBackpropInput", [ct, w], params) : bind1("conv2dBackpropInput", [ct, w], params);
/** The transpose of `conv2d` in its filter: `x` `[N, H, W, C]` and `ct` `[N, H', W', O]` to `[...kernelSize, C, O]`. */
export const conv2dBackpropFilter = (x: T, ct: T, params: PrimParams["conv2dBackpropFilter"]): T =>
  isZero(x) || isZero(ct) ? zeroOut("conv2dBackpropFilter", [x, ct], params) : bind1("conv2dBackpropFilter", [x, ct], params);

/** `x >>> y` on int32 bit patterns. */
export const shiftRightLogical = (x: T, y: T): T => bind1("shiftRightLogical", [x, y], NO_PARAMS);
/** Threefry-2x32 (20 rounds) of counter words `(x0, x1)` under key words `(k0, k1)`; all int32, one shape. */
export const threefry2x32 = (k0: T, k1: T, x0: T, x1: T): [T, T] => {
  const [y0, y1] = bind("threefry2x32", [k0, k1, x0, x1], NO_PARAMS);
  return [y0, y1];
};

/** A concrete tensor filled with `value` (its storage is allocated now; see `filled` for a traced one). */
export const full = (shape: readonly number[], value: number, dtype: DType): T => ConcreteTensor.full(shape, value, dtype);
/** `value` at every index of `shape`: a broadcast scalar, cheap to trace and (by `fill`) to run. */
export const filled = (shape: readonly number[], value: number, dtype: DType): T => {
  const scalar = ConcreteTensor.full([], value, dtype);
  return shape.length === 0 ? scalar : broadcastInDim(scalar, shape, []);
};
/** `value` in the shape (and by default the dtype) of `x`. */
export const fullLike = (x: T, value: number, dtype: DType = x.dtype): T => filled(x.shape, value, dtype);
/** Symbolic zeros with the shape and dtype of `x`. */
export const zerosLike = (x: T): T => SymbolicZero.like(x);
/** A concrete tensor that takes over `storage` (row-major, of `dtype`) without copying it. */
export const fromStorage = (storage: Storage, shape: readonly number[], dtype: DType): T => ConcreteTensor.wrap(storage, shape, dtype);
/** A concrete tensor from row-major values. */
export const fromValues = (values: ArrayLike<number>, shape: readonly number[], dtype: DType): T =>
  ConcreteTensor.fromValues(values, shape, dtype);

export { bind, bind1 };

/**
 * The symbolic zero that `prim` applied to symbolic zeros produces: its shape rule runs on
 * abstract values (checking them), and nothing is computed or staged.
 */
function zeroOut<P extends PrimName>(prim: P, args: readonly T[], params: PrimParams[P]): T {
  const [aval] = primitives[prim].shape(
    args.map((x) => new ShapedArray(x.shape, x.dtype)),
    params,
  );
  return new SymbolicZero(aval.shape as number[], aval.dtype);
}

function sameAval(x: T, y: T): boolean {
  return x.dtype === y.dtype && sameShapeOf(x, y);
}

function sameShapeOf(x: T, y: T): boolean {
  const a = x.shape;
  const b = y.shape;
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
