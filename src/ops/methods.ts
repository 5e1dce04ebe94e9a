/**
 * @file Method syntax for the common ops (`x.matmul(w).add(b).relu()`): the methods are the free
 * functions with the receiver as first argument, installed on `Tensor.prototype` by
 * `installMethods()` (which `src/ops/index.ts` runs) and typed by module augmentation.
 *
 * Every method takes its receiver through a `this` parameter with its own type parameters rather
 * than mentioning the interface's `S` and `D`. That keeps `Tensor` covariant in `S` and `D` (the
 * checker measures variance from the members that mention them), so `Tensor<[32, 784]>` stays
 * assignable to `Tensor<[number, 784]>` and to `Tensor<Shape, DType>`.
 */
import type { DType, Promote } from "../dtype.js";
import { Tensor } from "../core/tensor.js";
import type { Dim, Shape } from "../shape/dim.js";
import type { Flatten, Reshape } from "../shape/reshape.js";
import type { MatMul } from "../shape/matmul.js";
import type { Permute } from "../shape/permute.js";
import type { AxisArg } from "../shape/reduce.js";
import type { ExpandDims, Squeeze } from "../shape/squeeze.js";
import type { Checked, FloatOf, Operand, ResultDType, ShapeResult } from "./operand.js";
import type { BinaryArg, BinaryShape } from "./elementwise.js";
import type { AxisParam, ReducedShape, SumDType } from "./reduction.js";
import { abs, add, cast, div, exp, log, mul, neg, pow, sqrt, square, sub, tanh } from "./elementwise.js";
import { argmax, max, mean, min, sum } from "./reduction.js";
import { relu, sigmoid, softmax, logSoftmax } from "./activations.js";
import { expandDims, flatten, reshape, squeeze, transpose } from "./movement.js";
import { matmul } from "./linalg.js";
import { at, type AtShape, type IndexRef } from "./at.js";

declare module "../core/tensor.js" {
  // Type parameters must repeat the class's exactly; the methods deliberately do not use them.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Tensor<out S extends Shape = Shape, out D extends DType = "float32"> {
    /** `add(this, b)`: elementwise sum with broadcasting. */
    add<T extends AnyTensor, B extends Operand>(this: T, b: BinaryArg<"add", T, B>): Tensor<BinaryShape<"add", T, B>, ResultDType<T, B>>;
    /** `sub(this, b)`: elementwise difference with broadcasting. */
    sub<T extends AnyTensor, B extends Operand>(this: T, b: BinaryArg<"sub", T, B>): Tensor<BinaryShape<"sub", T, B>, ResultDType<T, B>>;
    /** `mul(this, b)`: elementwise product with broadcasting. */
    mul<T extends AnyTensor, B extends Operand>(this: T, b: BinaryArg<"mul", T, B>): Tensor<BinaryShape<"mul", T, B>, ResultDType<T, B>>;
    /** `div(this, b)`: elementwise true division with broadcasting. */
    div<T extends AnyTensor, B extends Operand>(
      this: T,
      b: BinaryArg<"div", T, B>,
    ): Tensor<BinaryShape<"div", T, B>, FloatOf<ResultDType<T, B>>>;
    /** `pow(this, b)`: elementwise power with broadcasting. */
    pow<T extends AnyTensor, B extends Operand>(this: T, b: BinaryArg<"pow", T, B>): Tensor<BinaryShape<"pow", T, B>, ResultDType<T, B>>;
    /** `matmul(this, b)`: matrix product with NumPy rules. */
    matmul<A2 extends Shape, DA extends DType, B2 extends Shape, DB extends DType>(
      this: Tensor<A2, DA>,
      b: Checked<MatMul<A2, B2>, Tensor<B2, DB>>,
    ): Tensor<ShapeResult<MatMul<A2, B2>>, Promote<DA, DB>>;
    /** `sum(this, axis, keepDims)`. */
    sum<S2 extends Shape, D2 extends DType, const Ax extends AxisArg = undefined, K extends boolean = false>(
      this: Tensor<S2, D2>,
      axis?: AxisParam<S2, Ax, K, "sum">,
      keepDims?: K,
    ): Tensor<ReducedShape<S2, Ax, K, "sum">, SumDType<D2>>;
    /** `mean(this, axis, keepDims)`. */
    mean<S2 extends Shape, D2 extends DType, const Ax extends AxisArg = undefined, K extends boolean = false>(
      this: Tensor<S2, D2>,
      axis?: AxisParam<S2, Ax, K, "mean">,
      keepDims?: K,
    ): Tensor<ReducedShape<S2, Ax, K, "mean">, FloatOf<D2>>;
    /** `max(this, axis, keepDims)`. */
    max<S2 extends Shape, D2 extends DType, const Ax extends AxisArg = undefined, K extends boolean = false>(
      this: Tensor<S2, D2>,
      axis?: AxisParam<S2, Ax, K, "max">,
      keepDims?: K,
    ): Tensor<ReducedShape<S2, Ax, K, "max">, D2>;
    /** `min(this, axis, keepDims)`. */
    min<S2 extends Shape, D2 extends DType, const Ax extends AxisArg = undefined, K extends boolean = false>(
      this: Tensor<S2, D2>,
      axis?: AxisParam<S2, Ax, K, "min">,
      keepDims?: K,
    ): Tensor<ReducedShape<S2, Ax, K, "min">, D2>;
    /** `argmax(this, axis, keepDims)`. */
    argmax<S2 extends Shape, D2 extends DType, const Ax extends number | undefined = undefined, K extends boolean = false>(
      this: Tensor<S2, D2>,
      axis?: AxisParam<S2, Ax, K, "argmax">,
      keepDims?: K,
    ): Tensor<ReducedShape<S2, Ax, K, "argmax">, "int32">;
    /** `reshape(this, shape)`. */
    reshape<S2 extends Shape, D2 extends DType, const To extends readonly Dim[]>(
      this: Tensor<S2, D2>,
      shape: Checked<Reshape<S2, To>, To>,
    ): Tensor<ShapeResult<Reshape<S2, To>>, D2>;
    /** `flatten(this)`. */
    flatten<S2 extends Shape, D2 extends DType>(this: Checked<Flatten<S2>, Tensor<S2, D2>>): Tensor<ShapeResult<Flatten<S2>>, D2>;
    /** `transpose(this, perm)`. */
    transpose<S2 extends Shape, D2 extends DType, const P extends readonly number[] | undefined = undefined>(
      this: Tensor<S2, D2>,
      perm?: Checked<Permute<S2, P>, P>,
    ): Tensor<ShapeResult<Permute<S2, P>>, D2>;
    /** `expandDims(this, axis)`. */
    expandDims<S2 extends Shape, D2 extends DType, const Ax extends number>(
      this: Tensor<S2, D2>,
      axis: Checked<ExpandDims<S2, Ax>, Ax>,
    ): Tensor<ShapeResult<ExpandDims<S2, Ax>>, D2>;
    /** `squeeze(this, axis)`. */
    squeeze<S2 extends Shape, D2 extends DType, const Ax extends AxisArg = undefined>(
      this: Tensor<S2, D2>,
      axis?: Checked<Squeeze<S2, Ax>, Ax>,
    ): Tensor<ShapeResult<Squeeze<S2, Ax>>, D2>;
    /** `cast(this, dtype)`. */
    cast<S2 extends Shape, D2 extends DType, const To extends DType>(this: Tensor<S2, D2>, dtype: To): Tensor<S2, To>;
    /** `neg(this)`. */
    neg<S2 extends Shape, D2 extends DType>(this: Tensor<S2, D2>): Tensor<S2, D2>;
    /** `abs(this)`. */
    abs<S2 extends Shape, D2 extends DType>(this: Tensor<S2, D2>): Tensor<S2, D2>;
    /** `square(this)`. */
    square<S2 extends Shape, D2 extends DType>(this: Tensor<S2, D2>): Tensor<S2, D2>;
    /** `exp(this)`. */
    exp<S2 extends Shape, D2 extends DType>(this: Tensor<S2, D2>): Tensor<S2, FloatOf<D2>>;
    /** `log(this)`. */
    log<S2 extends Shape, D2 extends DType>(this: Tensor<S2, D2>): Tensor<S2, FloatOf<D2>>;
    /** `sqrt(this)`. */
    sqrt<S2 extends Shape, D2 extends DType>(this: Tensor<S2, D2>): Tensor<S2, FloatOf<D2>>;
    /** `tanh(this)`. */
    tanh<S2 extends Shape, D2 extends DType>(this: Tensor<S2, D2>): Tensor<S2, FloatOf<D2>>;
    /** `sigmoid(this)`. */
    sigmoid<S2 extends Shape, D2 extends DType>(this: Tensor<S2, D2>): Tensor<S2, FloatOf<D2>>;
    /** `relu(this)`. */
    relu<S2 extends Shape, D2 extends DType>(this: Tensor<S2, D2>): Tensor<S2, D2>;
    /** `softmax(this, axis)`. */
    softmax<S2 extends Shape, D2 extends DType, const Ax extends number = -1>(
      this: Tensor<S2, D2>,
      axis?: AxisParam<S2, Ax, true, "softmax">,
    ): Tensor<S2, FloatOf<D2>>;
    /** `logSoftmax(this, axis)`. */
    logSoftmax<S2 extends Shape, D2 extends DType, const Ax extends number = -1>(
      this: Tensor<S2, D2>,
      axis?: AxisParam<S2, Ax, true, "logSoftmax">,
    ): Tensor<S2, FloatOf<D2>>;
    /** `at(this, indices)`: JAX's `x.at[...]`, reads with `.get()` and functional updates with `.set(v)`, `.add(v)`, …. */
    at<S2 extends Shape, D2 extends DType, const E extends readonly unknown[]>(
      this: Tensor<S2, D2>,
      indices: Checked<AtShape<S2, E>, E>,
    ): IndexRef<S2, D2, ShapeResult<AtShape<S2, E>>>;
  }
}

/** The functions behind the methods, by method name. */
const METHODS: Record<string, (x: never, ...rest: never[]) => unknown> = {
  add,
  sub,
  mul,
  div,
  pow,
  matmul,
  sum,
  mean,
  max,
  min,
  argmax,
  reshape,
  flatten,
  transpose,
  expandDims,
  squeeze,
  cast,
  neg,
  abs,
  square,
  exp,
  log,
  sqrt,
  tanh,
  sigmoid,
  relu,
  softmax,
  logSoftmax,
  at,
};

/**
 * Installs the tensor methods on `Tensor.prototype` (idempotent; run by importing `src/ops/index.ts`).
 * @category Tensor
 */
export function installMethods(): void {
  for (const [name, fn] of Object.entries(METHODS)) {
    if (Object.prototype.hasOwnProperty.call(Tensor.prototype, name)) continue;
    Object.defineProperty(Tensor.prototype, name, {
      value: function (this: Tensor, ...args: unknown[]) {
        return (fn as (...a: unknown[]) => unknown)(this, ...args);
      },
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
}
