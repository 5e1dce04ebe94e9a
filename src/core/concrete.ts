/** @file Concrete tensors: data held in a typed array on the JS backend, the values the eager interpreter computes. */
import { allocate, storageFrom, type DType, type Storage } from "../dtype.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { product } from "../shape/arith.js";
import { ShapedArray } from "./aval.js";
import { Tensor, type ConcreteLike } from "./tensor.js";
import { DonatedError } from "./errors.js";

/** A tensor whose elements are known: row-major storage of its dtype. Never mutated after creation. */
export class ConcreteTensor extends Tensor<readonly (number | string)[], DType> implements ConcreteLike {
  /** Set when the tensor was donated to a jitted call, which may have reused its buffer. */
  private donatedTo: string | null = null;

  constructor(
    private readonly _shape: number[],
    private readonly _dtype: DType,
    private readonly _storage: Storage,
  ) {
    super();
  }

  /** The row-major elements. Throws `DonatedError` once the tensor was donated to a jitted call. */
  get storage(): Storage {
    if (this.donatedTo !== null) throw new DonatedError(this.donatedTo, this._shape, this._dtype);
    return this._storage;
  }

  /** Whether the tensor was donated (its buffer may now hold another tensor's values). */
  get donated(): boolean {
    return this.donatedTo !== null;
  }

  /** Marks the tensor donated to the jitted function `name`: every later use throws. */
  markDonated(name: string): void {
    this.donatedTo = name;
  }

  override get shape(): number[] {
    return this._shape;
  }

  override get dtype(): DType {
    return this._dtype;
  }

  override concrete(): ConcreteTensor {
    return this;
  }

  get aval(): ShapedArray {
    return new ShapedArray(this._shape, this._dtype);
  }

  /** A tensor of `shape` with every element `value`. */
  static full(shape: readonly number[], value: number, dtype: DType): ConcreteTensor {
    const dims = checkedDims(shape);
    const storage = allocate(dtype, product(dims));
    // Object.is, not !==: a fill of −0 must store −0 (x + (−0) is the additive identity, x + 0 is not).
    if (!Object.is(value, 0)) storage.fill(dtype === "bool" ? (value ? 1 : 0) : value);
    return new ConcreteTensor(dims, dtype, storage);
  }

  /** A tensor of `shape` holding `values` (row-major), converted to `dtype`. */
  static fromValues(values: ArrayLike<number>, shape: readonly number[], dtype: DType): ConcreteTensor {
    const dims = checkedDims(shape);
    const n = product(dims);
    if (values.length !== n) {
      throw new ShapeError(`fromValues: ${values.length} values do not fill shape ${showShape(dims)} (${n} elements)`);
    }
    return new ConcreteTensor(dims, dtype, storageFrom(dtype, values));
  }

  /** Wraps storage without copying; the caller gives up the storage. */
  static wrap(storage: Storage, shape: readonly number[], dtype: DType): ConcreteTensor {
    return new ConcreteTensor(shape.slice(), dtype, storage);
  }
}

function checkedDims(shape: readonly number[]): number[] {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`shape ${showShape(shape)} has a dim that is not a non-negative integer: ${d}`);
    }
  }
  return shape.slice();
}
