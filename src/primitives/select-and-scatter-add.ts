/**
 * @file The `selectAndScatterAdd` primitive: the reverse-mode derivative of a maximum over windows
 * as one kernel. From `source` (one value per window) and `operand` (what `reduceWindow` with
 * `op: "Max"` reduced) it gives an `operand`-shaped result: each window's value divided evenly
 * among the window's maxima and added there (where windows overlap, their shares add up).
 * NB: JAX's select-and-scatter gives a window's whole value to one maximum; splitting ties evenly
 * matches what `reduceMax` and `max` do on ties, keeping the maximum of equal values symmetric.
 * Linear in `source`; in `operand` piecewise constant (it only chooses), so its derivative there is
 * zero. Its transpose is `selectAndGatherAdd`, and that one's is this.
 */
import { ShapedArray } from "../core/aval.js";
import { DTypeError } from "../core/errors.js";
import { TraceError } from "../core/tensor.js";
import { isFloat } from "../dtype.js";
import { currentBackend } from "../backend/backend.js";
import { UndefPrimal, type PrimitiveDef } from "../core/primitive.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { batchFirst } from "../transforms/batching.js";
import { batchedWindow, selectAndGatherAddOf, selectAndScatterAddOf, windowShape } from "./_window.js";

export const selectAndScatterAdd: PrimitiveDef<"selectAndScatterAdd"> = {
  name: "selectAndScatterAdd",

  // ---- shape ----
  // source [windows of operand], operand [shape] → [shape].
  shape: ([source, operand], params) => {
    if (source.dtype !== operand.dtype) throw new DTypeError(`selectAndScatterAdd: dtypes differ: ${source.dtype} vs ${operand.dtype}`);
    if (!isFloat(source.dtype)) throw new DTypeError(`selectAndScatterAdd: expected float operands, got ${source.dtype}`);
    const windows = windowShape("selectAndScatterAdd", operand.shape, params);
    if (source.ndim !== windows.length || source.shape.some((d, i) => d !== windows[i])) {
      throw new ShapeError(`selectAndScatterAdd: source ${showShape(source.shape)} is not one value per window ${showShape(windows)} of operand ${showShape(operand.shape)}`);
    }
    return [new ShapedArray(operand.shape, source.dtype)];
  },

  // ---- kernel ----
  impl: ([source, operand], params) => [currentBackend().selectAndScatterAdd(source, operand, params)],

  // ---- jvp ----
  // Linear in source; the operand only selects (zero derivative away from ties).
  jvp: ([source, operand], [sourceDot], params) => [
    [selectAndScatterAddOf(source, operand, params)],
    [selectAndScatterAddOf(sourceDot, operand, params)],
  ],

  // ---- transpose ----
  // ⟨ct, scatter(s)⟩ = Σ_windows s · mean of ct over the window's maxima = ⟨gather(ct), s⟩.
  transpose: ([ct], [source, operand], params) => {
    if (!(source instanceof UndefPrimal) || operand instanceof UndefPrimal) {
      throw new TraceError("selectAndScatterAdd: transpose needs a linear source and a known operand");
    }
    return [selectAndGatherAddOf(ct, operand, params), null];
  },

  // ---- vmap ----
  // Both operands batch first; the batch dim gets a window of one element.
  vmap: ([source, operand], [sourceDim, operandDim], params, axisSize) => [
    [selectAndScatterAddOf(batchFirst(source, sourceDim, axisSize), batchFirst(operand, operandDim, axisSize), batchedWindow(params))],
    [0],
  ],
};
