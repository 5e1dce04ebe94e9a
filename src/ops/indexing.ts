/**
 * @file Index-based ops: `oneHot`, built from an iota (`fromValues`), broadcasting and `compare`.
 */
import type { Tensor } from "../core/tensor.js";
import * as core from "../core/ops.js";
import type { Shape } from "../shape/dim.js";
import { assertShape } from "../shape/dim.js";
import { untyped } from "./operand.js";

/**
 * One-hot encoding of int32 `labels` over `n` classes as float32: a new last axis of size `n`
 * holding 1 at each label's index. Labels outside `[0, n)` give all-zero rows.
 * @example
 * const y = oneHot(tensor([0, 2], "int32"), 3); // Tensor<[2, 3]>: [[1, 0, 0], [0, 0, 1]]
 * @category Indexing
 */
export function oneHot<S extends Shape, const N extends number>(labels: Tensor<S, "int32">, n: N): Tensor<[...S, N], "float32"> {
  const t = untyped(labels);
  assertShape("oneHot", [n]);
  const shape = [...t.shape, n];
  const iota = core.fromValues(Array.from({ length: n }, (_, i) => i), [n], "int32");
  const l = core.broadcastInDim(t, shape, t.shape.map((_, i) => i));
  const i = core.broadcastInDim(iota, shape, [t.ndim]);
  return core.cast(core.compare(l, i, "eq"), "float32") as never;
}
