/**
 * @file Checks of what the random functions are given (a key, a shape, a count), made where they
 * are called, so that a mistake names the function the user called rather than an op inside it
 * (`reshape`, `randint`, `randomBits`): a `TypeError` for a value of the wrong kind, a
 * `ShapeError` for a bad dim, a `RangeError` for a size no tensor can hold or a bad count.
 */
import { Tensor } from "../core/tensor.js";
import { assertShape } from "../shape/dim.js";
import { product } from "../shape/arith.js";
import { checkCount } from "../dtype.js";
import { showValue } from "../internal/check-args.js";

/** How a value of the wrong kind reads in a message. */
function describe(value: unknown): string {
  if (value instanceof Tensor) return `${value.dtype === "int32" ? "an" : "a"} ${value.dtype}[${value.shape.join(", ")}] tensor`;
  return value === null || value === undefined ? String(value) : `${typeof value} ${showValue(value)}`;
}

/** Throws a `TypeError` naming `op` unless `k` is a key (an int32 tensor of shape [2]). */
export function checkKeyArg(op: string, k: unknown): void {
  if (k instanceof Tensor && k.dtype === "int32" && k.ndim === 1 && k.shape[0] === 2) return;
  throw new TypeError(`${op}: expected a key (int32 tensor of shape [2], from random.key or random.split), got ${describe(k)}`);
}

/** Throws unless `shape` is an array of non-negative integer dims whose size a tensor can hold. */
export function checkSampleShape(op: string, shape: unknown): asserts shape is readonly number[] {
  if (!Array.isArray(shape)) throw new TypeError(`${op}: shape must be an array of dims, got ${describe(shape)}`);
  assertShape(op, shape);
  checkCount(op, product(shape));
}

/** Both checks of a sampler's `(key, shape)`. */
export function checkSampler(op: string, k: unknown, shape: unknown): asserts shape is readonly number[] {
  checkKeyArg(op, k);
  checkSampleShape(op, shape);
}

/** `n` as a count of at least `min`, else a `TypeError` / `RangeError` naming `op` and `name`. */
export function checkCountArg(op: string, name: string, n: unknown, min = 0): number {
  if (typeof n !== "number") throw new TypeError(`${op}: ${name} must be an integer ≥ ${min}, got ${describe(n)}`);
  if (!(Number.isInteger(n) && n >= min)) throw new RangeError(`${op}: ${name} must be an integer ≥ ${min}, got ${n}`);
  checkCount(op, n);
  return n;
}
