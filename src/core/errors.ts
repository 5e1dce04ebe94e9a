/** @file Typed errors of the core beyond shapes: dtype mismatches, use after donation. (`ShapeError` lives in `shape/errors.ts`, `TraceError` in `tensor.ts`.) */

/**
 * An op received a dtype it does not accept, e.g. `exp` of an int32 tensor.
 * @category Errors
 */
export class DTypeError extends Error {
  /** Always `"DTypeError"`, so that the error can be told apart once serialized or logged. */
  override readonly name = "DTypeError";
}

/**
 * A tensor was used after being donated to a jitted function (`jit(f, { donate: [...] })`), which
 * may have reused its buffer for an output: use that output instead.
 * @category Errors
 */
export class DonatedError extends Error {
  /** Always `"DonatedError"`, so that the error can be told apart once serialized or logged. */
  override readonly name = "DonatedError";
  constructor(fn: string, shape: readonly number[], dtype: string) {
    super(`this ${dtype}[${shape.join(", ")}] tensor was donated to jit(${fn}), which may have reused its buffer; use the values that call returned`);
  }
}
