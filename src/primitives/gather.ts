/**
 * @file The `gather` primitive: for every index vector (the last axis of int32 `indices`), the
 * window of the operand that starts there (XLA's Gather with its dimension numbers simplified,
 * see `IndexDims`). Behind `take`, `takeAlongAxis`, integer-array indexing, `dynamicSlice` and the
 * embedding layer. Linear in the operand; its transpose is `scatterAdd`.
 */
import * as ops from "../core/ops.js";
import { currentBackend } from "../backend/backend.js";
import { UndefPrimal, type PrimitiveDef } from "../core/primitive.js";
import { SymbolicZero, isZero } from "../core/zero.js";
import { TraceError } from "../core/tensor.js";
import { gatherOf, gatherShape, gatherVmap, indexDims, scatterAddOf } from "./_indexing.js";

export const gather: PrimitiveDef<"gather"> = {
  name: "gather",

  // ---- shape ----
  shape: ([x, indices], params) => [gatherShape(x, indices, params)],

  // ---- kernel ----
  impl: ([x, indices], params) => [currentBackend().gather(x, indices, params)],

  // ---- jvp ----
  // d gather(x) = gather(xDot); the fill value is a constant, so the tangent fills with 0.
  // Indices are integers: no tangent.
  jvp: ([x, indices], [xDot], params) => [[gatherOf(x, indices, params)], [gatherOf(xDot, indices, { ...params, fillValue: 0 })]],

  // ---- transpose ----
  // Each window's cotangent goes back to where it was read, summed where windows overlap; a window
  // that was filled read nothing, and "fill" drops it. Only tangent gathers are transposed, and
  // their fill is 0 (the JVP above), so the map is linear.
  transpose: ([ct], [x, indices], params) => {
    if (!(x instanceof UndefPrimal) || indices instanceof UndefPrimal) throw new TraceError("gather: transpose needs a linear operand and known indices");
    const shape = x.aval.shape.slice();
    if (isZero(ct)) return [new SymbolicZero(shape, ct.dtype), null];
    return [scatterAddOf(ops.filled(shape, 0, ct.dtype), indices, ct, indexDims(params)), null];
  },

  // ---- vmap ----
  vmap: gatherVmap,
};
