/** @file Element types of tensors and their storage: the one place dtypes are enumerated. */
import { DTypeError } from "./core/errors.js";

/**
 * The element type of a tensor. `bool` is stored as bytes holding 0 or 1.
 * @category Tensor
 */
export type DType = "float32" | "float64" | "int32" | "bool";

/**
 * Floating-point dtypes: the only ones that carry derivatives.
 * @category Tensor
 */
export type FloatDType = "float32" | "float64";

/** The typed array that stores elements of each dtype. */
export interface StorageOf {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
}

/** Any storage array. */
export type Storage = StorageOf[DType];

/** Every dtype, in promotion order (a later one wins). */
export const DTYPES: readonly DType[] = ["bool", "int32", "float32", "float64"];

/**
 * Throws a `DTypeError` naming `op` unless `dtype` is a dtype name. The `DType` type already
 * rejects bad names at compile time; this guards untyped callers, which would otherwise meet
 * "CTORS[dtype] is not a constructor" deep in allocation.
 */
export function checkDType(op: string, dtype: unknown): asserts dtype is DType {
  if (!(typeof dtype === "string" && Object.hasOwn(CTORS, dtype))) {
    const shown = typeof dtype === "string" ? JSON.stringify(dtype) : String(dtype);
    throw new DTypeError(`${op}: unknown dtype ${shown}; expected one of ${DTYPES.map((d) => `"${d}"`).join(", ")}`);
  }
}

/**
 * The most elements one tensor may hold. Typed arrays may allow more, but int32 indexing and the
 * wasm heap do not; past this, creation throws a `RangeError` rather than failing in allocation.
 */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** Throws a `RangeError` naming `op` unless `n` is a whole element count a tensor can hold. */
export function checkCount(op: string, n: number): void {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`${op}: size ${n} is not a non-negative integer`);
  if (n > MAX_ELEMENTS) throw new RangeError(`${op}: size ${n} exceeds the ${MAX_ELEMENTS} elements a tensor can hold`);
}

/** The smallest and largest int32. */
export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;

/**
 * A float converted to int32 as `cast` does (saturating, as JAX's conversions): truncated toward
 * zero, clamped to [−2³¹, 2³¹ − 1] (so ±Infinity become the extremes), NaN to 0.
 */
export function saturatingInt32(v: number): number {
  if (v >= INT32_MAX) return INT32_MAX;
  if (v <= INT32_MIN) return INT32_MIN;
  return v === v ? Math.trunc(v) : 0;
}

/**
 * Throws a `RangeError` naming `op`, the value and (when `index` is given) its position unless
 * `v` is an integer int32 can hold exactly: storing it would otherwise wrap modulo 2^32 or
 * truncate a fraction without a word. (`cast` converts instead; see its documentation.)
 */
export function checkInt32(op: string, v: number, index?: number): void {
  if (!(Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX)) {
    const at = index === undefined ? "" : ` at index ${index}`;
    const why = Number.isInteger(v) ? `is out of int32 range [${INT32_MIN}, ${INT32_MAX}]` : "is not an integer";
    throw new RangeError(`${op}: value ${v}${at} ${why}`);
  }
}

/** The largest finite float32. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Throws a `RangeError` naming `op`, the value and (when `index` is given) its position when the
 * finite `v` is too large for float32: storing it would give ±Infinity without a word. (Values
 * that round to a smaller float32, or to 0, are the usual rounding.)
 */
export function checkFloat32(op: string, v: number, index?: number): void {
  if (Number.isFinite(v) && !Number.isFinite(Math.fround(v))) {
    const at = index === undefined ? "" : ` at index ${index}`;
    throw new RangeError(`${op}: value ${v}${at} overflows float32 (largest finite ${FLOAT32_MAX})`);
  }
}

const CTORS = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

/** Where released buffers wait to be reused (see backend/buffer-pool.ts); set while a jit plan runs. */
export interface StorageSource {
  take(dtype: DType, n: number): Storage | undefined;
}

let source: StorageSource | null = null;
/** Released buffers handed out again so far (their contents change: see backend/wasm/resident.ts). */
let reissues = 0;

/** How many times `allocate` has handed out a released buffer (which it then overwrites). */
export function reissueCount(): number {
  return reissues;
}

/** Records that a released buffer was handed out again outside `allocate` (it gets new values). */
export function countReissue(): void {
  reissues++;
}

/** Makes `next` the place `allocate` looks first; returns the previous one, to restore. */
export function setStorageSource(next: StorageSource | null): StorageSource | null {
  const previous = source;
  source = next;
  return previous;
}

/**
 * Allocates zeroed storage for `n` elements of `dtype` (a released buffer, zeroed, when one fits).
 * A caller that writes every element passes `zeroed = false` to skip zeroing a reused buffer.
 */
export function allocate<D extends DType>(dtype: D, n: number, zeroed = true): StorageOf[D] {
  if (source !== null) {
    const reused = source.take(dtype, n);
    if (reused !== undefined) {
      reissues++;
      return (zeroed ? reused.fill(0) : reused) as StorageOf[D];
    }
  }
  return new CTORS[dtype](n) as StorageOf[D];
}

/** Copies `values` into new storage of `dtype`, converting as a cast does. */
export function storageFrom<D extends DType>(dtype: D, values: ArrayLike<number>): StorageOf[D] {
  const out = allocate(dtype, values.length);
  if (dtype === "bool") {
    for (let i = 0; i < values.length; i++) out[i] = values[i] ? 1 : 0;
  } else {
    (out as Float64Array).set(values);
  }
  return out;
}

/** The short name used when printing IR types, e.g. `f32[3,4]`. */
export const SHORT_NAME: Record<DType, string> = {
  float32: "f32",
  float64: "f64",
  int32: "i32",
  bool: "bool",
};

/** True for float32 and float64. */
export function isFloat(dtype: DType): dtype is FloatDType {
  return dtype === "float32" || dtype === "float64";
}

/** The dtype two operands are promoted to, as in NumPy/JAX: bool < int32 < float32 < float64. */
export function promoteDTypes(a: DType, b: DType): DType {
  return DTYPES.indexOf(a) >= DTYPES.indexOf(b) ? a : b;
}

/** Type-level twin of `promoteDTypes`. */
export type Promote<A extends DType, B extends DType> = A extends "float64"
  ? "float64"
  : B extends "float64"
    ? "float64"
    : A extends "float32"
      ? "float32"
      : B extends "float32"
        ? "float32"
        : A extends "int32"
          ? "int32"
          : B extends "int32"
            ? "int32"
            : "bool";
