/**
 * @file What the typed ops share: operand types (tensors and JS numbers), the checked-argument
 * pattern that turns a failed shape relation into a compile error, and the runtime helpers that
 * broadcast and promote operands before calling the untyped core ops.
 */
import type { DType, Promote } from "../dtype.js";
import { promoteDTypes } from "../dtype.js";
import type { Tensor } from "../core/tensor.js";
import * as core from "../core/ops.js";
import type { Shape } from "../shape/dim.js";
import { broadcastShapes } from "../shape/broadcast.js";

/**
 * Any tensor, whatever its shape and dtype.
 * @category Tensor
 */
export type AnyTensor = Tensor<Shape, DType>;

/**
 * An operand of an elementwise op: a tensor, or a JS number that takes the tensor's dtype (JAX weak typing).
 * @category Tensor
 */
export type Operand = AnyTensor | number;

/**
 * The static shape of an operand; a number is a scalar, `[]`.
 * @category Tensor
 */
export type ShapeOf<X> = X extends Tensor<infer S, DType> ? S : [];

/**
 * The static dtype of a tensor.
 * @category Tensor
 */
export type DTypeOf<X> = X extends Tensor<infer _S, infer D> ? D : never;

/**
 * The parameter type of a checked argument: the argument's own type `X` when relation result `R`
 * is a shape, or the error message `R`, so a mismatch reads
 * `Argument of type 'Tensor<[128, 10]>' is not assignable to parameter of type '"matmul: …"'`.
 * @category Shape algebra
 */
export type Checked<R, X> = R extends string ? R : X;

/*
 * NB: tests on tensor types here are written `X extends number` or with `infer`, never
 * `X extends AnyTensor`: inside a function generic over a batch dim `B`, the checker cannot decide
 * whether `Tensor<[B, 10]>` fits a constraint that mentions `Dim` and would defer the whole type.
 */

/**
 * The shape a relation result stands for. After an error (already reported at the argument) it is
 * `any`, so the mistake is not reported again at every later use.
 * @category Shape algebra
 */
export type ShapeResult<R> = R extends string ? any : R extends infer S extends Shape ? S : any;


/**
 * `D` if it is a float dtype, else `float32` (what `exp`, `div`, `mean` … compute in).
 * @category Tensor
 */
export type FloatOf<D extends DType> = D extends "float64" ? "float64" : "float32";

/**
 * The dtype of a binary op's result: tensors promote; a number takes the other operand's dtype.
 * @category Tensor
 */
export type ResultDType<A, B> = A extends number
  ? B extends number
    ? "float32"
    : DTypeOf<B>
  : B extends number
    ? DTypeOf<A>
    : Promote<DTypeOf<A>, DTypeOf<B>>;

// ---- runtime helpers ----

/** The untyped tensor the core ops take. */
export type T = core.AnyTensor;

/** A runtime view of any typed tensor as the core's untyped tensor. */
export const untyped = (x: AnyTensor): T => x as T;

/** A scalar constant of `dtype`. */
export function scalar(value: number, dtype: DType): T {
  return core.full([], value, dtype);
}

/** `x` broadcast to `shape` (NumPy alignment at the last dim); `x` itself when already that shape. */
export function expandTo(x: T, shape: readonly number[]): T {
  if (x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  const offset = shape.length - x.ndim;
  return core.broadcastInDim(x, shape, x.shape.map((_, i) => i + offset));
}

/** `x` as `dtype`. */
export function castTo(x: T, dtype: DType): T {
  return core.cast(x, dtype);
}

/**
 * Brings operands to one dtype and one shape: numbers become scalars of the tensors' promoted
 * dtype (float32 if there are no tensors), tensors are cast to the promoted dtype, and all are
 * broadcast together; a mismatch throws the `ShapeError` the type checker reports for `op`.
 */
export function align(op: string, operands: readonly Operand[], dtype?: DType): T[] {
  const tensors = operands.filter((o): o is AnyTensor => typeof o !== "number") as T[];
  const dt = dtype ?? (tensors.length === 0 ? "float32" : tensors.map((t) => t.dtype).reduce(promoteDTypes));
  const cast = operands.map((o) => (typeof o === "number" ? scalar(o, dt) : castTo(o as T, dt)));
  let shape: number[] = [];
  let first = true;
  for (const o of operands) {
    if (typeof o === "number") continue;
    shape = first ? [...(o as T).shape] : broadcastShapes(op, shape, (o as T).shape);
    first = false;
  }
  return cast.map((x) => expandTo(x, shape));
}

/** The promoted dtype of operands (numbers are weak and do not count). */
export function promotedDType(operands: readonly Operand[]): DType {
  const dts = operands.filter((o): o is AnyTensor => typeof o !== "number").map((t) => t.dtype);
  return dts.length === 0 ? "float32" : dts.reduce(promoteDTypes);
}

/** Float dtype an op computes in for input dtype `d` (runtime twin of `FloatOf`). */
export function floatOf(d: DType): DType {
  return d === "float64" ? "float64" : "float32";
}
