/**
 * @file Index-based ops: `oneHot`, built from an iota (`fromValues`), broadcasting and `compare`;
 * and `IndexOptions`, how every op taking int32 labels or indices treats one out of range.
 */
import type { Tensor } from "../core/tensor.js";
import * as core from "../core/ops.js";
import type { Shape } from "../shape/dim.js";
import { assertShape } from "../shape/dim.js";
import { untyped } from "./operand.js";

/**
 * How an op taking int32 labels or indices treats one outside its valid range. `checked`
 * (default `true`) raises a `RangeError` naming the op, the value and its position: at once on
 * concrete values, and when the compiled program runs inside `jit` (the `checkIndices` primitive,
 * after JAX's checkify). With `checked: false` the op follows JAX: an out-of-range label one-hots
 * to a zero row (each op's documentation says what that gives).
 * @category Indexing
 */
export interface IndexOptions {
  readonly checked?: boolean;
}

/**
 * `indices` guarded by a range check when `options.checked` is not `false` (the check's result is
 * what callers must use, so it is kept exactly while the value is used). Internal.
 */
export function guardIndices(indices: core.AnyTensor, op: string, what: string, lo: number, hi: number, options: IndexOptions | undefined): core.AnyTensor {
  return options?.checked === false ? indices : core.checkIndices(indices, op, what, lo, hi);
}

/**
 * One-hot encoding of int32 `labels` over `n` classes as float32: a new last axis of size `n`
 * holding 1 at each label's index. A label outside `[0, n)` is a `RangeError` (eagerly or when a
 * jitted program runs); with `{ checked: false }` it gives an all-zero row, as JAX's `one_hot`.
 * @example
 * const y = oneHot(tensor([0, 2], "int32"), 3); // Tensor<[2, 3]>: [[1, 0, 0], [0, 0, 1]]
 * @category Indexing
 */
export function oneHot<S extends Shape, const N extends number>(
  labels: Tensor<S, "int32">,
  n: N,
  options?: IndexOptions,
): Tensor<[...S, N], "float32"> {
  assertShape("oneHot", [n]);
  return oneHotOf(untyped(labels), n, "oneHot", options) as never;
}

/** `oneHot` on an untyped tensor, its check naming `op`. Internal. */
export function oneHotOf(labels: core.AnyTensor, n: number, op: string, options: IndexOptions | undefined): core.AnyTensor {
  const t = guardIndices(labels, op, "label", 0, n, options);
  const shape = [...t.shape, n];
  const iota = core.fromValues(Array.from({ length: n }, (_, i) => i), [n], "int32");
  const l = core.broadcastInDim(t, shape, t.shape.map((_, i) => i));
  const i = core.broadcastInDim(iota, shape, [t.ndim]);
  return core.cast(core.compare(l, i, "eq"), "float32");
}
