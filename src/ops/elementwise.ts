/**
 * @file Elementwise ops with NumPy broadcasting and dtype promotion: arithmetic, math functions,
 * comparisons, `where`, `cast` and `stopGradient`. Each binary op accepts tensors or JS numbers on
 * either side (a number takes the other operand's dtype, as JAX's weak types do), broadcasts at
 * run time with `broadcastInDim`, and has its broadcast checked by the type checker with the same
 * message the runtime throws.
 */
import { checkDType, type DType } from "../dtype.js";
import type { Tensor } from "../core/tensor.js";
import * as core from "../core/ops.js";
import { erfOf } from "../primitives/erf.js";
import { expm1Of } from "../primitives/expm1.js";
import { log1pOf } from "../primitives/log1p.js";
import type { CompareOp } from "../core/primitive.js";
import type { Shape } from "../shape/dim.js";
import type { Broadcast, BroadcastAll } from "../shape/broadcast.js";
import { broadcastShapes } from "../shape/broadcast.js";
import type { AnyTensor, Checked, FloatOf, Operand, ResultDType, ShapeOf, ShapeResult, T } from "./operand.js";
import { align, expandTo, castTo, floatOf, promotedDType, scalar, untyped } from "./operand.js";

/**
 * The checked second operand of binary op `Op`: `B` itself, or the broadcast error message.
 * @category Elementwise
 */
export type BinaryArg<Op extends string, A, B> = Checked<Broadcast<ShapeOf<A>, ShapeOf<B>, Op>, B>;

/**
 * The result shape of binary op `Op` on `A` and `B`.
 * @category Elementwise
 */
export type BinaryShape<Op extends string, A, B> = ShapeResult<Broadcast<ShapeOf<A>, ShapeOf<B>, Op>>;

function binary(op: string, prim: (x: T, y: T) => T, a: Operand, b: Operand): T {
  const [x, y] = align(op, [a, b]);
  return prim(x, y);
}

// ---- arithmetic ----

/**
 * Elementwise `a + b` with broadcasting; either side may be a JS number.
 * @example
 * const y = add(zeros([32, 10]), ones([10])); // Tensor<[32, 10]>
 * @category Elementwise
 */
export function add<A extends Operand, B extends Operand>(a: A, b: BinaryArg<"add", A, B>): Tensor<BinaryShape<"add", A, B>, ResultDType<A, B>> {
  return binary("add", core.add, a, b as Operand) as never;
}

/**
 * Elementwise `a − b` with broadcasting.
 * @example
 * const y = sub(1, ones([3])); // Tensor<[3]>
 * @category Elementwise
 */
export function sub<A extends Operand, B extends Operand>(a: A, b: BinaryArg<"sub", A, B>): Tensor<BinaryShape<"sub", A, B>, ResultDType<A, B>> {
  return binary("sub", core.sub, a, b as Operand) as never;
}

/**
 * Elementwise `a · b` with broadcasting.
 * @example
 * const y = mul(ones([2, 3]), 2); // Tensor<[2, 3]>
 * @category Elementwise
 */
export function mul<A extends Operand, B extends Operand>(a: A, b: BinaryArg<"mul", A, B>): Tensor<BinaryShape<"mul", A, B>, ResultDType<A, B>> {
  return binary("mul", core.mul, a, b as Operand) as never;
}

/**
 * Elementwise true division `a / b` with broadcasting; integer operands divide as float32.
 * @example
 * const y = div(ones([4]), 4); // Tensor<[4]>, all 0.25
 * @category Elementwise
 */
export function div<A extends Operand, B extends Operand>(
  a: A,
  b: BinaryArg<"div", A, B>,
): Tensor<BinaryShape<"div", A, B>, FloatOf<ResultDType<A, B>>> {
  const dt = floatOf(promotedDType([a, b as Operand]));
  const [x, y] = align("div", [a, b as Operand], dt);
  return core.div(x, y) as never;
}

/**
 * Elementwise power `a ** b` with broadcasting.
 * @example
 * const y = pow(full([3], 2), 3); // Tensor<[3]>, all 8
 * @category Elementwise
 */
export function pow<A extends Operand, B extends Operand>(a: A, b: BinaryArg<"pow", A, B>): Tensor<BinaryShape<"pow", A, B>, ResultDType<A, B>> {
  return binary("pow", core.pow, a, b as Operand) as never;
}

/**
 * Elementwise maximum with broadcasting.
 * @example
 * const y = maximum(tensor([-1, 2]), 0); // [0, 2]
 * @category Elementwise
 */
export function maximum<A extends Operand, B extends Operand>(a: A, b: BinaryArg<"maximum", A, B>): Tensor<BinaryShape<"maximum", A, B>, ResultDType<A, B>> {
  return binary("maximum", core.max, a, b as Operand) as never;
}

/**
 * Elementwise minimum with broadcasting.
 * @example
 * const y = minimum(tensor([-1, 2]), 0); // [-1, 0]
 * @category Elementwise
 */
export function minimum<A extends Operand, B extends Operand>(a: A, b: BinaryArg<"minimum", A, B>): Tensor<BinaryShape<"minimum", A, B>, ResultDType<A, B>> {
  return binary("minimum", core.min, a, b as Operand) as never;
}

// ---- unary ----

/**
 * A unary op that keeps the dtype.
 * @category Elementwise
 */
export type SameOp = <S extends Shape, D extends DType>(x: Tensor<S, D>) => Tensor<S, D>;
/**
 * A unary op that computes in floating point (integers become float32).
 * @category Elementwise
 */
export type FloatOp = <S extends Shape, D extends DType>(x: Tensor<S, D>) => Tensor<S, FloatOf<D>>;

function floatUnary(prim: (x: T) => T): FloatOp {
  return ((x: AnyTensor) => prim(castTo(untyped(x), floatOf(x.dtype)))) as never;
}

/**
 * Elementwise negation.
 * @example
 * const y = neg(ones([3])); // [-1, -1, -1]
 * @category Elementwise
 */
export const neg: SameOp = (x) => core.neg(untyped(x)) as never;

/**
 * Elementwise `eˣ`.
 * @example
 * const y = exp(zeros([2])); // [1, 1]
 * @category Elementwise
 */
export const exp: FloatOp = floatUnary(core.exp);

/**
 * Elementwise natural logarithm.
 * @example
 * const y = log(ones([2])); // [0, 0]
 * @category Elementwise
 */
export const log: FloatOp = floatUnary(core.log);

/**
 * Elementwise square root.
 * @example
 * const y = sqrt(full([2], 9)); // [3, 3]
 * @category Elementwise
 */
export const sqrt: FloatOp = floatUnary(core.sqrt);

/**
 * Elementwise absolute value.
 * @example
 * const y = abs(tensor([-2, 3])); // [2, 3]
 * @category Elementwise
 */
export const abs: SameOp = (x) => core.abs(untyped(x)) as never;

/**
 * Elementwise sine.
 * @example
 * const y = sin(zeros([2])); // [0, 0]
 * @category Elementwise
 */
export const sin: FloatOp = floatUnary(core.sin);

/**
 * Elementwise cosine.
 * @example
 * const y = cos(zeros([2])); // [1, 1]
 * @category Elementwise
 */
export const cos: FloatOp = floatUnary(core.cos);

/**
 * Elementwise hyperbolic tangent.
 * @example
 * const y = tanh(zeros([2])); // [0, 0]
 * @category Elementwise
 */
export const tanh: FloatOp = floatUnary(core.tanh);

/**
 * Elementwise error function `erf x = 2/√π ∫₀ˣ e^(−t²) dt` (exact GELU is `x/2 · (1 + erf(x/√2))`).
 * @example
 * const y = erf(tensor([0, 1])); // [0, 0.8427]
 * @category Elementwise
 */
export const erf: FloatOp = floatUnary(erfOf);

/**
 * Elementwise `eˣ − 1`, accurate where `x` is tiny (where `exp(x) − 1` loses every digit).
 * @example
 * const y = expm1(tensor([1e-10])); // [1e-10]
 * @category Elementwise
 */
export const expm1: FloatOp = floatUnary(expm1Of);

/**
 * Elementwise `log(1 + x)`, accurate where `x` is tiny (where `log(1 + x)` loses every digit).
 * @example
 * const y = log1p(tensor([1e-10])); // [1e-10]
 * @category Elementwise
 */
export const log1p: FloatOp = floatUnary(log1pOf);

/**
 * Elementwise sign: −1, 0 or 1.
 * @example
 * const y = sign(tensor([-2, 0, 5])); // [-1, 0, 1]
 * @category Elementwise
 */
export const sign: SameOp = (x) => core.sign(untyped(x)) as never;

/**
 * Elementwise `x²`.
 * @example
 * const y = square(tensor([3])); // [9]
 * @category Elementwise
 */
export const square: SameOp = (x) => core.mul(untyped(x), untyped(x)) as never;

/**
 * Elementwise `1 / x`.
 * @example
 * const y = reciprocal(full([2], 4)); // [0.25, 0.25]
 * @category Elementwise
 */
export const reciprocal: FloatOp = ((x: AnyTensor) => {
  const xf = castTo(untyped(x), floatOf(x.dtype));
  return core.div(core.fullLike(xf, 1), xf);
}) as never;

// ---- comparisons ----

/**
 * The checked second operand of a comparison.
 * @category Elementwise
 */
export type CompareArg<Op extends string, A, B> = BinaryArg<Op, A, B>;

function comparison(name: string, op: CompareOp, a: Operand, b: Operand): T {
  const [x, y] = align(name, [a, b]);
  return core.compare(x, y, op);
}

/**
 * Elementwise `a < b` as `bool`, with broadcasting.
 * @example
 * const m = less(tensor([1, 5]), 3); // [true, false]
 * @category Comparison
 */
export function less<A extends Operand, B extends Operand>(a: A, b: CompareArg<"less", A, B>): Tensor<BinaryShape<"less", A, B>, "bool"> {
  return comparison("less", "lt", a, b as Operand) as never;
}

/**
 * Elementwise `a ≤ b` as `bool`, with broadcasting.
 * @example
 * const m = lessEqual(tensor([1, 3]), 3); // [true, true]
 * @category Comparison
 */
export function lessEqual<A extends Operand, B extends Operand>(a: A, b: CompareArg<"lessEqual", A, B>): Tensor<BinaryShape<"lessEqual", A, B>, "bool"> {
  return comparison("lessEqual", "le", a, b as Operand) as never;
}

/**
 * Elementwise `a > b` as `bool`, with broadcasting.
 * @example
 * const m = greater(tensor([1, 5]), 3); // [false, true]
 * @category Comparison
 */
export function greater<A extends Operand, B extends Operand>(a: A, b: CompareArg<"greater", A, B>): Tensor<BinaryShape<"greater", A, B>, "bool"> {
  return comparison("greater", "gt", a, b as Operand) as never;
}

/**
 * Elementwise `a ≥ b` as `bool`, with broadcasting.
 * @example
 * const m = greaterEqual(tensor([1, 3]), 3); // [false, true]
 * @category Comparison
 */
export function greaterEqual<A extends Operand, B extends Operand>(
  a: A,
  b: CompareArg<"greaterEqual", A, B>,
): Tensor<BinaryShape<"greaterEqual", A, B>, "bool"> {
  return comparison("greaterEqual", "ge", a, b as Operand) as never;
}

/**
 * Elementwise `a == b` as `bool`, with broadcasting.
 * @example
 * const m = equal(tensor([1, 3]), 3); // [false, true]
 * @category Comparison
 */
export function equal<A extends Operand, B extends Operand>(a: A, b: CompareArg<"equal", A, B>): Tensor<BinaryShape<"equal", A, B>, "bool"> {
  return comparison("equal", "eq", a, b as Operand) as never;
}

/**
 * Elementwise `a != b` as `bool`, with broadcasting.
 * @example
 * const m = notEqual(tensor([1, 3]), 3); // [true, false]
 * @category Comparison
 */
export function notEqual<A extends Operand, B extends Operand>(a: A, b: CompareArg<"notEqual", A, B>): Tensor<BinaryShape<"notEqual", A, B>, "bool"> {
  return comparison("notEqual", "ne", a, b as Operand) as never;
}

// ---- selection, casts, gradients ----

/**
 * `cond ? a : b` elementwise, broadcasting all three; `cond` is any tensor (nonzero is true), `a`
 * and `b` tensors or numbers.
 * @example
 * const x = tensor([-1, 2]);
 * const y = where(greater(x, 0), x, 0); // [0, 2]
 * @category Elementwise
 */
export function where<C extends AnyTensor, A extends Operand, B extends Operand>(
  cond: C,
  a: Checked<Broadcast<ShapeOf<C>, ShapeOf<A>, "where">, A>,
  b: Checked<BroadcastAll<[ShapeOf<C>, ShapeOf<A>, ShapeOf<B>], "where">, B>,
): Tensor<ShapeResult<BroadcastAll<[ShapeOf<C>, ShapeOf<A>, ShapeOf<B>], "where">>, ResultDType<A, B>> {
  const av = a as Operand;
  const bv = b as Operand;
  const dt = promotedDType([av, bv]);
  let c = untyped(cond);
  let shape = c.shape;
  for (const o of [av, bv]) if (typeof o !== "number") shape = broadcastShapes("where", shape, o.shape);
  const operand = (o: Operand): T => expandTo(typeof o === "number" ? scalar(o, dt) : castTo(untyped(o), dt), shape);
  if (c.dtype !== "bool") c = core.compare(c, core.fullLike(c, 0), "ne");
  return core.select(expandTo(c, shape), operand(av), operand(bv)) as never;
}

/**
 * `x` converted to `dtype` (a no-op when it already has it).
 *
 * A float to int32 saturates, as JAX's conversions do: it truncates toward zero, maps NaN to 0,
 * and clamps values beyond the int32 range to its ends, so `3e9` and `Infinity` become
 * `2147483647` and `-Infinity` becomes `-2147483648` (never a value wrapped modulo 2^32).
 * (Creating int32 tensors from JS numbers, by contrast, rejects such values with a `RangeError`.)
 * To bool is `x ≠ 0` (NaN gives true); from bool gives 0 or 1; float64 to float32 rounds to nearest.
 * An unknown dtype name is a `DTypeError`.
 * @example
 * const i = cast(tensor([1.7, -1.2]), "int32"); // [1, -1]
 * @category Elementwise
 */
export function cast<S extends Shape, D extends DType, const To extends DType>(x: Tensor<S, D>, dtype: To): Tensor<S, To> {
  checkDType("cast", dtype);
  return core.cast(untyped(x), dtype) as never;
}

/**
 * `x` with its derivative cut: the value passes through, the gradient is zero. With it, a
 * straight-through estimator (Bengio et al. 2013) is one line: the forward value of a step
 * function, the backward gradient of the identity, as `x + stopGradient(step(x) − x)`.
 * @example
 * const m = stopGradient(tensor([1, 2])); // the same values; no gradient flows back through m
 * // binarize to ±1 forward, pass the gradient through unchanged backward
 * const binarize = (x: Tensor<[4]>) => add(x, stopGradient(sub(sign(x), x)));
 * @category Elementwise
 */
export function stopGradient<S extends Shape, D extends DType>(x: Tensor<S, D>): Tensor<S, D> {
  return core.stopGradient(untyped(x)) as never;
}
