/** @file Errors at the boundary where data from outside enters. */

/**
 * Data from outside (a file, a buffer, a package) is not what it claims to be. The message says
 * what was expected and what was found.
 * @category Errors
 */
export class IoError extends Error {
  /** Always `"IoError"`, so that the error can be told apart once serialized or logged. */
  override readonly name = "IoError";
}
