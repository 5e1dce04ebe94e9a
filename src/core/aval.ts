/** @file Abstract values: what tracing knows about a tensor (its shape and dtype, not its data). */
import { SHORT_NAME, type DType } from "../dtype.js";
import { product } from "../shape/arith.js";

/** The abstract value of a tensor: shape and dtype. */
export class ShapedArray {
  constructor(
    readonly shape: readonly number[],
    readonly dtype: DType,
  ) {}

  get ndim(): number {
    return this.shape.length;
  }

  get size(): number {
    return product(this.shape);
  }

  /** Prints as in the IR: `f32[3,4]`. */
  toString(): string {
    return `${SHORT_NAME[this.dtype]}[${this.shape.join(",")}]`;
  }

  equals(other: ShapedArray): boolean {
    return this.dtype === other.dtype && sameShape(this.shape, other.shape);
  }
}

/** True when two runtime shapes are identical. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
