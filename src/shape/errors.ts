/** @file Errors raised when shapes do not fit together at run time. */

/**
 * A shape mismatch found when a tensor is created or an op is traced. Its message is the same
 * text the type checker shows for the same mistake, e.g.
 * `matmul: inner dimensions differ: 784 vs 128 (a is [32, 784], b is [128, 10])`.
 * @category Errors
 */
export class ShapeError extends Error {
  /** Always `"ShapeError"`, so that the error can be told apart once serialized or logged. */
  override readonly name = "ShapeError";
}

/**
 * Formats a runtime shape the way error messages print it: `[32, 784]`.
 * @category Shape algebra
 */
export function showShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
