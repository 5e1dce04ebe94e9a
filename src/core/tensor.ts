/** @file The user-facing `Tensor` type: a shape- and dtype-typed handle shared by concrete arrays and tracers. */
import type { DType, Storage } from "../dtype.js";
import { product, type Product } from "../shape/arith.js";
import type { Shape, ShapeValue } from "../shape/dim.js";

declare const SHAPE: unique symbol;
declare const DTYPE: unique symbol;

/**
 * A tensor whose shape `S` and dtype `D` are known to the type checker.
 *
 * The shape is a phantom type: at run time `shape` is a plain `number[]`, while `S` may hold
 * literal dims (`784`), `number` (known only at run time) or symbolic names (`"batch"`).
 * Concrete tensors hold data; tracers stand for values inside `grad`, `jit` and `vmap`.
 * Nothing is ever mutated and nothing needs disposing.
 * @category Tensor
 */
export abstract class Tensor<out S extends Shape = Shape, out D extends DType = "float32"> {
  // `out` is declared, not left to tsc to measure: measuring walks every method (with their shape
  // relations) and cost each user program about 0.3 s of check time (bench/types/user.ts).
  /** Phantom: the shape type `S` (type-level only; absent at run time, where `shape` holds the dims). */
  declare readonly [SHAPE]: S;
  /** Phantom: the dtype `D` (type-level only; read `dtype` at run time). */
  declare readonly [DTYPE]: D;

  /**
   * The dims, outermost first, as the type knows them: `Tensor<["batch", 784]>["shape"]` is
   * `readonly [number, 784]` (a name is a number known at run time). Never mutate it.
   */
  abstract get shape(): ShapeValue<S>;
  /** The element type. */
  abstract get dtype(): D;

  /** The number of dims (the rank): a literal whenever the shape is a tuple. */
  get ndim(): S["length"] {
    return this.shape.length;
  }

  /** The number of elements: a literal when every dim is one (`Tensor<[4, 8]>["size"]` is `32`), else `number`. */
  get size(): SizeOf<this> {
    return product(this.shape) as SizeOf<this>;
  }

  /**
   * The concrete value behind this tensor, or `null` when it is only known abstractly (inside
   * `jit`, or batched inside `vmap`). Under `grad`/`jvp` of concrete inputs the primal is known.
   */
  abstract concrete(): ConcreteLike | null;

  /** A copy of the elements in row-major order, as a typed array of the dtype's storage. */
  data(): Storage {
    return this.mustBeConcrete("data()").storage.slice();
  }

  /** The elements as nested JS arrays (booleans for `bool`). */
  toArray(): unknown {
    const c = this.mustBeConcrete("toArray()");
    return nest(c.storage, c.shape, c.dtype === "bool");
  }

  /** The single element of a size-1 tensor as a JS number (or boolean for `bool`). */
  item(): number | boolean {
    const c = this.mustBeConcrete("item()");
    if (c.storage.length !== 1) {
      throw new RangeError(`item(): tensor of shape [${c.shape.join(", ")}] has ${c.storage.length} elements, not 1`);
    }
    return c.dtype === "bool" ? c.storage[0] !== 0 : c.storage[0];
  }

  /** Prints like NumPy: `tensor([[1, 2], [3, 4]], dtype=float32)`. */
  toString(): string {
    const c = this.concrete();
    if (c === null) return `Tracer<${this.dtype}[${this.shape.join(",")}]>`;
    return formatTensor(c.storage, c.shape, c.dtype);
  }

  /** Whether this is a tracer of a transform that has returned (see `Tracer`). */
  protected escaped(): boolean {
    return false;
  }

  private mustBeConcrete(what: string): ConcreteLike {
    const c = this.concrete();
    if (c === null && this.escaped()) {
      throw new TraceError(
        `${what} needs a concrete value, but this tensor (${this.dtype}[${this.shape.join(",")}]) is a tracer that escaped ` +
          `the transform that made it (jit, grad or vmap, which has returned: for example a tracer stored in an outer variable); ` +
          `return it from the transformed function instead`,
      );
    }
    if (c === null) {
      throw new TraceError(
        `${what} needs a concrete value, but this tensor (${this.dtype}[${this.shape.join(",")}]) is traced ` +
          `inside jit or vmap; return it from the transformed function instead`,
      );
    }
    return c;
  }
}

/**
 * Concrete storage with its shape, as the backend holds it.
 * @category Tensor
 */
export interface ConcreteLike {
  /** The dims, outermost first. */
  readonly shape: number[];
  /** The element type. */
  readonly dtype: DType;
  /** The elements in row-major order, in the typed array of the dtype (`Float32Array` for float32, …). */
  readonly storage: Storage;
}

/**
 * Raised when a traced value is used where a concrete one is needed, or a trace is misused.
 * @category Errors
 */
export class TraceError extends Error {
  /** Always `"TraceError"`, so that the error can be told apart once serialized or logged. */
  override readonly name = "TraceError";
}

function nest(storage: Storage, shape: number[], asBool: boolean): unknown {
  const read = (i: number): number | boolean => (asBool ? storage[i] !== 0 : storage[i]);
  if (shape.length === 0) return read(0);
  const go = (dim: number, offset: number): unknown[] => {
    const n = shape[dim];
    const stride = product(shape.slice(dim + 1));
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = dim === shape.length - 1 ? read(offset + i) : go(dim + 1, offset + i * stride);
    }
    return out;
  };
  return go(0, 0);
}

function formatNumber(v: number, dtype: DType): string {
  if (dtype === "bool") return v ? "True" : "False";
  if (dtype === "int32") return String(v);
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.`;
  const digits = dtype === "float32" ? 7 : 15;
  return String(Number(v.toPrecision(digits)));
}

const MAX_PRINTED = 1000;

/**
 * NumPy-style text of a tensor. Past `MAX_PRINTED` elements, each axis longer than 6 shows its
 * first and last 3 entries around "...". Only the elements shown are formatted (the column width
 * comes from them alone), so printing a 10^7-element tensor costs what printing its summary does.
 */
function formatTensor(storage: Storage, shape: number[], dtype: DType): string {
  const summarize = storage.length > MAX_PRINTED;
  const strides = shape.map((_, d) => product(shape.slice(d + 1)));
  const shown = (n: number): number[] => (summarize && n > 6 ? [0, 1, 2, -1, n - 3, n - 2, n - 1] : [...Array(n).keys()]);
  const cells = new Map<number, string>();
  const collect = (dim: number, offset: number): void => {
    if (dim === shape.length) cells.set(offset, formatNumber(storage[offset], dtype));
    else for (const i of shown(shape[dim])) if (i >= 0) collect(dim + 1, offset + i * strides[dim]);
  };
  collect(0, 0);
  let width = 0;
  for (const c of cells.values()) width = Math.max(width, c.length);
  const indent = "tensor(".length;
  const go = (dim: number, offset: number): string => {
    if (dim === shape.length) return cells.get(offset)!.padStart(width);
    const stride = strides[dim];
    const parts = shown(shape[dim]).map((i) => (i < 0 ? "..." : go(dim + 1, offset + i * stride)));
    const sep = dim === shape.length - 1 ? ", " : "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + dim + 1);
    return `[${parts.join(sep)}]`;
  };
  return `tensor(${go(0, 0)}, dtype=${dtype})`;
}

/**
 * The element count of a tensor type: `Product` of its dims. Read through the polymorphic `this`
 * so that `Tensor` stays covariant in `S` (a conditional type of `S` in a member would make the
 * checker treat `S` as invariant, and `Tensor<[32, 784]>` would no longer be a `Tensor<[number, 784]>`).
 * @category Tensor
 */
export type SizeOf<X> = X extends {
  /** The tensor's shape type. */
  readonly [SHAPE]: infer S extends Shape;
}
  ? Product<S>
  : number;

/** Any tensor, whatever its static shape and dtype: what the untyped core works with. */
export type AnyTensor = Tensor<Shape, DType>;
