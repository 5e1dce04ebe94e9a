/**
 * @file The `selectAndGatherAdd` primitive: the forward-mode derivative of a maximum over windows.
 * From `tangent` and `operand` (of one shape) it gives one value per window of `operand`: the mean
 * of `tangent` over the window's maxima (ties split evenly, as in `selectAndScatterAdd`; 0 for a
 * window of padding only). Linear in `tangent`, piecewise constant in `operand`; its transpose is
 * `selectAndScatterAdd`.
 */
import { ShapedArray } from "../core/aval.js";
import { DTypeError } from "../core/errors.js";
import { TraceError } from "../core/tensor.js";
import { isFloat } from "../dtype.js";
import { currentBackend } from "../backend/backend.js";
import { UndefPrimal, type PrimitiveDef } from "../core/primitive.js";
import { checkSameShapes } from "./_rules.js";
import { batchFirst } from "../transforms/batching.js";
import { batchedWindow, selectAndGatherAddOf, selectAndScatterAddOf, windowShape } from "./_window.js";

export const selectAndGatherAdd: PrimitiveDef<"selectAndGatherAdd"> = {
  name: "selectAndGatherAdd",

  // ---- shape ----
  // tangent [shape], operand [shape] → [windows of operand].
  shape: ([tangent, operand], params) => {
    if (tangent.dtype !== operand.dtype) throw new DTypeError(`selectAndGatherAdd: dtypes differ: ${tangent.dtype} vs ${operand.dtype}`);
    if (!isFloat(tangent.dtype)) throw new DTypeError(`selectAndGatherAdd: expected float operands, got ${tangent.dtype}`);
    checkSameShapes("selectAndGatherAdd", tangent, operand);
    return [new ShapedArray(windowShape("selectAndGatherAdd", operand.shape, params), tangent.dtype)];
  },

  // ---- kernel ----
  impl: ([tangent, operand], params) => [currentBackend().selectAndGatherAdd(tangent, operand, params)],

  // ---- jvp ----
  // Linear in tangent; the operand only selects (zero derivative away from ties).
  jvp: ([tangent, operand], [tangentDot], params) => [
    [selectAndGatherAddOf(tangent, operand, params)],
    [selectAndGatherAddOf(tangentDot, operand, params)],
  ],

  // ---- transpose ----
  // ⟨ct, gather(t)⟩ = ⟨scatter(ct), t⟩ (see selectAndScatterAdd).
  transpose: ([ct], [tangent, operand], params) => {
    if (!(tangent instanceof UndefPrimal) || operand instanceof UndefPrimal) {
      throw new TraceError("selectAndGatherAdd: transpose needs a linear tangent and a known operand");
    }
    return [selectAndScatterAddOf(ct, operand, params), null];
  },

  // ---- vmap ----
  vmap: ([tangent, operand], [tangentDim, operandDim], params, axisSize) => [
    [selectAndGatherAddOf(batchFirst(tangent, tangentDim, axisSize), batchFirst(operand, operandDim, axisSize), batchedWindow(params))],
    [0],
  ],
};
