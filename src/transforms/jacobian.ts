/**
 * @file Jacobians and Hessians by composing the other transforms: `jacfwd` = vmap of jvp over a
 * basis of input tangents, `jacrev` = vmap of vjp over a basis of output cotangents.
 */
import { ConcreteTensor } from "../core/concrete.js";
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { Tensor } from "../core/tensor.js";
import type { DType, FloatDType } from "../dtype.js";
import { product } from "../shape/arith.js";
import type { Shape } from "../shape/dim.js";
import { ShapeError } from "../shape/errors.js";
import { jvpFlat } from "./jvp.js";
import { vjpFlat } from "./vjp.js";
import { vmapFlat } from "./vmap.js";
import { moveAxis } from "./batching.js";

type T = AnyTensor;

/**
 * The Jacobian's type: output dims followed by input dims.
 * @category Transforms
 */
export type Jacobian<R, X> =
  R extends Tensor<infer SR, infer D> ? (X extends Tensor<infer SX, DType> ? Tensor<[...SR, ...SX], D> : never) : never;

type TensorFn<X, Rest extends unknown[], R> = (x: X, ...rest: Rest) => R;

/** `n` unit vectors shaped like `shape`, stacked: `[n, ...shape]`. */
function basis(shape: readonly number[], dtype: DType): T {
  const n = product(shape);
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++) values[i * n + i] = 1;
  return ConcreteTensor.fromValues(values, [n, ...shape], dtype);
}

function checkTensor(what: string, x: unknown): T {
  if (!(x instanceof Tensor)) throw new TypeError(`${what}: expected a tensor`);
  return x as T;
}

/**
 * `jacfwd(f)(x, ...rest)`: the Jacobian of `f` with respect to its first argument by forward
 * mode, shaped `[...outShape, ...xShape]`. Efficient when x has fewer elements than the output.
 * @category Transforms
 */
export function jacfwd<X extends Tensor<Shape, FloatDType>, Rest extends unknown[], R extends Tensor<Shape, DType>>(
  f: TensorFn<X, Rest, R>,
): (x: X, ...rest: Rest) => Jacobian<R, X> {
  return ((x: X, ...rest: Rest) => {
    const xt = checkTensor("jacfwd", x);
    const fFlat = (xx: T) => [checkTensor("jacfwd", f(xx as X, ...rest))];
    const [[cols]] = [
      vmapFlat((t: T) => [jvpFlat(fFlat, [xt], [t])[1][0]], [0], [basis(xt.shape, xt.dtype)]),
    ];
    // cols: [n, ...outShape] → [...outShape, ...xShape]
    const outRank = cols.ndim - 1;
    return ops.reshape(moveAxis(cols, 0, outRank), [...cols.shape.slice(1), ...xt.shape]);
  }) as never;
}

/**
 * `jacrev(f)(x, ...rest)`: the Jacobian of `f` with respect to its first argument by reverse
 * mode, shaped `[...outShape, ...xShape]`. Efficient when the output has fewer elements than x.
 * @category Transforms
 */
export function jacrev<X extends Tensor<Shape, FloatDType>, Rest extends unknown[], R extends Tensor<Shape, DType>>(
  f: TensorFn<X, Rest, R>,
): (x: X, ...rest: Rest) => Jacobian<R, X> {
  return ((x: X, ...rest: Rest) => {
    const xt = checkTensor("jacrev", x);
    const [[out], pullback] = vjpFlat((xx: T) => [checkTensor("jacrev", f(xx as X, ...rest))], [xt]);
    const [rows] = vmapFlat((ct: T) => pullback([ct]), [0], [basis(out.shape, out.dtype)]);
    return ops.reshape(rows, [...out.shape, ...xt.shape]);
  }) as never;
}

/**
 * `hessian(f)(x, ...rest)`: second derivatives of a scalar `f`, shaped `[...xShape, ...xShape]`
 * (forward over reverse).
 * @category Transforms
 */
export function hessian<X extends Tensor<Shape, FloatDType>, Rest extends unknown[], D extends FloatDType>(
  f: TensorFn<X, Rest, Tensor<[], D>>,
): (x: X, ...rest: Rest) => X extends Tensor<infer S, DType> ? Tensor<[...S, ...S], D> : never {
  return ((x: X, ...rest: Rest) => {
    if (checkTensor("hessian", x).dtype === "bool") throw new ShapeError("hessian: x must be float");
    return (jacfwd(jacrev(f) as never) as (...a: unknown[]) => unknown)(x, ...rest);
  }) as never;
}
