/** @file Element types of tensors and their storage: the one place dtypes are enumerated. */

/** The element type of a tensor. `bool` is stored as bytes holding 0 or 1. */
export type DType = "float32" | "float64" | "int32" | "bool";

/** Floating-point dtypes: the only ones that carry derivatives. */
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
    if (reused !== undefined) return (zeroed ? reused.fill(0) : reused) as StorageOf[D];
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
