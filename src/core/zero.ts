/**
 * @file Symbolic zeros: the tangent of a value that does not depend on the inputs being
 * differentiated, and the cotangent of an output nothing flows back from. Linear ops on them are
 * skipped entirely (see `core/ops.ts`), so derivatives of code that mixes parameters with data
 * do no work for the data. A symbolic zero becomes a real tensor only when bound to a primitive.
 */
import type { DType } from "../dtype.js";
import { ConcreteTensor } from "./concrete.js";
import { Tensor, type AnyTensor } from "./tensor.js";

/** A tensor known to be all zeros, with no storage behind it. */
export class SymbolicZero extends Tensor<readonly (number | string)[], DType> {
  constructor(
    private readonly _shape: number[],
    private readonly _dtype: DType,
  ) {
    super();
  }

  override get shape(): number[] {
    return this._shape;
  }

  override get dtype(): DType {
    return this._dtype;
  }

  override concrete(): ConcreteTensor {
    return ConcreteTensor.full(this._shape, 0, this._dtype);
  }

  /** A symbolic zero with the shape and dtype of `x`. */
  static like(x: AnyTensor, dtype: DType = x.dtype): SymbolicZero {
    return new SymbolicZero(x.shape.slice(), dtype);
  }
}

/** True when `x` is a symbolic zero. */
export function isZero(x: AnyTensor): x is SymbolicZero {
  return x instanceof SymbolicZero;
}
