/**
 * @file Naming dims at the data boundary, twice: `DimsCheck<S, Dims>` at the type level and
 * `checkDims(shape, dims)` at run time, with the same error text. `withDims(x, ["batch", 784])`
 * checks a tensor's shape against the given dims when it runs and returns the same tensor typed
 * `Tensor<["batch", 784]>`: the one place a name is given to a dim known only at run time, instead
 * of a cast (which checks nothing).
 */
import type { DType } from "../dtype.js";
import type { Tensor } from "../core/tensor.js";
import type { Dim, IsTuple, Shape, Writable } from "../shape/dim.js";
import { ShapeError, showShape } from "../shape/errors.js";
import type { ShowDim, ShowList, ShowShape } from "../shape/show.js";
import type { Checked } from "./operand.js";
import { untyped } from "./operand.js";

type DimsAgree<S, Dims, S0 extends Shape, D0, Idx extends 0[] = []> = Dims extends readonly [infer d, ...infer DR]
  ? S extends readonly [infer s, ...infer SR]
    ? // A name or `number` accepts any dim (checked at run time); a literal must not contradict a literal.
      d extends string
      ? DimsAgree<SR, DR, S0, D0, [...Idx, 0]>
      : number extends d
        ? DimsAgree<SR, DR, S0, D0, [...Idx, 0]>
        : [[s]] extends [[d]]
          ? DimsAgree<SR, DR, S0, D0, [...Idx, 0]>
          : s extends number
            ? number extends s
              ? DimsAgree<SR, DR, S0, D0, [...Idx, 0]>
              : `withDims: dim ${Idx["length"]} is ${ShowDim<s>}, but the dims ${ShowList<D0>} say ${ShowDim<d>}`
            : DimsAgree<SR, DR, S0, D0, [...Idx, 0]>
    : true
  : true;

/**
 * `true` when a tensor of shape `S` may have dims `Dims` (the same rank; literals equal where both
 * are literals), else the error text: `DimsCheck<[number, 784], ["batch", 785]>` is
 * `"withDims: dim 1 is 784, but the dims [batch, 785] say 785"`.
 * @category Movement
 */
export type DimsCheck<S extends Shape, Dims extends Shape> =
  IsTuple<S> extends false
    ? true
    : S["length"] extends Dims["length"]
      ? DimsAgree<S, Dims, S, Dims>
      : `withDims: shape ${ShowShape<S>} has rank ${S["length"]}, but the dims ${ShowList<Dims>} have ${Dims["length"]}`;

/**
 * Runtime twin of `DimsCheck`, stricter since the shape is known: literals must equal the dims,
 * and a name must stand for the same size wherever it appears. Throws a `ShapeError` otherwise.
 * @category Movement
 */
export function checkDims(shape: readonly number[], dims: readonly Dim[]): void {
  const spec = showShape(dims as number[]);
  for (const d of dims) {
    if (typeof d === "number" ? !(Number.isSafeInteger(d) && d >= 0) : typeof d !== "string") {
      throw new ShapeError(`withDims: invalid dim ${String(d)} in the dims ${spec} (dims are non-negative integers or names)`);
    }
  }
  if (shape.length !== dims.length) {
    throw new ShapeError(`withDims: shape ${showShape(shape)} has rank ${shape.length}, but the dims ${spec} have ${dims.length}`);
  }
  const bound = new Map<string, number>();
  dims.forEach((d, i) => {
    if (typeof d === "number") {
      if (d !== shape[i]) throw new ShapeError(`withDims: dim ${i} is ${shape[i]}, but the dims ${spec} say ${d}`);
      return;
    }
    const j = bound.get(d);
    if (j === undefined) bound.set(d, i);
    else if (shape[j] !== shape[i]) {
      throw new ShapeError(`withDims: dim ${i} is ${shape[i]}, but ${d} is ${shape[j]} (dim ${j})`);
    }
  });
}

/**
 * `x` itself, typed with the dims `dims` after checking its shape against them: literals must be
 * equal, names (`"batch"`) and `number` take whatever size is there (the same name the same size).
 * Use it where data enters (after a loader, or on a `fromArray` result) to name the batch dim once,
 * so a model, a loss and `fit` written for `Tensor<["batch", 784]>` take it without a cast. It
 * works on traced values too (shapes are known when tracing). A mismatch is a `ShapeError`, and
 * a compile error when the static shape already contradicts the dims.
 * @example
 * declare const images: Tensor<[number, 784]>;
 * const x = withDims(images, ["batch", 784]); // Tensor<["batch", 784]>
 * @category Movement
 */
export function withDims<S extends Shape, D extends DType, const Dims extends Shape>(
  x: Tensor<S, D>,
  dims: Checked<DimsCheck<S, Dims>, Dims>,
): Tensor<Writable<Dims>, D> {
  const t = untyped(x);
  checkDims(t.shape, dims as Dims);
  return x as never;
}
