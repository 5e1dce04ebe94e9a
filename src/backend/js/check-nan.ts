/**
 * @file The eager kernel of the `checkNaN` primitive on the JS backend (both backends run it): a
 * scan for the first NaN, reported as a `RangeError` with its position.
 */
import type { ConcreteTensor } from "../../core/concrete.js";
import { multiIndex } from "./check-indices.js";

/** `x` itself when no element is NaN; else a `RangeError` naming `op`, `what` the values are and the first NaN's multi-index. */
export function checkNaNKernel(x: ConcreteTensor, op: string, what: string): ConcreteTensor {
  const data = x.storage;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === data[i]) continue;
    throw new RangeError(`${op}: ${what} is NaN at position [${multiIndex(i, x.shape).join(", ")}]`);
  }
  return x;
}
