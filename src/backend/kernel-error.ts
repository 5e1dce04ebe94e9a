/** @file The error of a compiled kernel that fails while it runs (raised by the backends). */

/**
 * A compiled kernel failed while it ran: a WebAssembly trap (an out-of-bounds memory access,
 * `unreachable`) or another exception, on the calling thread or on a worker of the pool. It means
 * a bug in typegrad's code generation, not in your input. The message names the kernel, the task
 * and the thread; the job is stopped, its results are dropped, and later calls work as before.
 * @category Errors
 */
export class KernelError extends Error {
  /** Always `"KernelError"`, so that the error can be told apart once serialized or logged. */
  override readonly name = "KernelError";
}
