/**
 * @file The `scatterAdd` primitive: the operand with each window of `updates` added at the place
 * its index vector names (overlapping windows all add). The transpose of `gather`; linear in the
 * operand and the updates together, with `gather` as its transpose in the updates.
 */
import { ShapedArray } from "../core/aval.js";
import { DTypeError } from "../core/errors.js";
import { currentBackend } from "../backend/backend.js";
import { UndefPrimal, type PrimitiveDef } from "../core/primitive.js";
import { TraceError } from "../core/tensor.js";
import { gatherOf, inverseGather, scatterAddOf, scatterVmap, scatterWindow } from "./_indexing.js";

export const scatterAdd: PrimitiveDef<"scatterAdd"> = {
  name: "scatterAdd",

  // ---- shape ----
  shape: ([x, indices, updates], params) => {
    if (x.dtype === "bool") throw new DTypeError("scatterAdd: arithmetic on bool tensors is not defined; cast to int32 or float first");
    scatterWindow("scatterAdd", x, indices, updates, params);
    return [x];
  },

  // ---- kernel ----
  impl: ([x, indices, updates], params) => [currentBackend().scatter(x, indices, updates, params, "add")],

  // ---- jvp ----
  // Linear in (x, updates): d scatterAdd(x, u) = scatterAdd(xDot, uDot). Indices carry no tangent.
  jvp: ([x, indices, updates], [xDot, , uDot], params) => [
    [scatterAddOf(x, indices, updates, params)],
    [scatterAddOf(xDot, indices, uDot, params)],
  ],

  // ---- transpose ----
  // The operand's cotangent passes through; each update's is the cotangent of the window it was
  // added to (0 for a dropped one: the inverse gather fills with 0).
  transpose: ([ct], [x, indices, updates], params) => {
    if (indices instanceof UndefPrimal) throw new TraceError("scatterAdd: transpose needs known indices");
    const uAval = updates instanceof UndefPrimal ? updates.aval : null;
    const xBar = x instanceof UndefPrimal ? ct : null;
    if (uAval === null) return [xBar, null, null];
    const xAval = x instanceof UndefPrimal ? x.aval : new ShapedArray(x.shape, x.dtype);
    const window = scatterWindow("scatterAdd", xAval, new ShapedArray(indices.shape, indices.dtype), uAval, params);
    return [xBar, null, gatherOf(ct, indices, inverseGather(params, window))];
  },

  // ---- vmap ----
  vmap: scatterVmap(scatterAddOf),
};
