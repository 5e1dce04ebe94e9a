/** @file Typed errors of the core beyond shapes: dtype mismatches. (`ShapeError` lives in `shape/errors.ts`, `TraceError` in `tensor.ts`.) */

/**
 * An op received a dtype it does not accept, e.g. `exp` of an int32 tensor.
 * @category Errors
 */
export class DTypeError extends Error {
  override readonly name = "DTypeError";
}
