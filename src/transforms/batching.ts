/**
 * @file Axis helpers of batching (Autodidax Part 1, "vmap"): moving a batch dim and materializing
 * one. `vmap` uses them to place its outputs, and the primitives' batching rules to align operands.
 */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import type { BatchDim } from "../core/primitive.js";

type T = AnyTensor;

/** Moves axis `from` of `x` to position `to`. */
export function moveAxis(x: T, from: number, to: number): T {
  if (from === to) return x;
  const perm = x.shape.map((_, i) => i).filter((i) => i !== from);
  perm.splice(to, 0, from);
  return ops.transpose(x, perm);
}

/** `x` with its batch dim at 0, broadcasting an unbatched `x` to `axisSize` copies. */
export function batchFirst(x: T, dim: BatchDim, axisSize: number): T {
  if (dim === null) {
    return ops.broadcastInDim(
      x,
      [axisSize, ...x.shape],
      x.shape.map((_, i) => i + 1),
    );
  }
  return moveAxis(x, dim, 0);
}
