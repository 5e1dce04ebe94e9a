/** @file The `broadcastInDim` primitive: places the operand's dims at `broadcastDims` of a larger shape and repeats it; linear. */
import * as ops from "../core/ops.js";
import { ShapedArray, sameShape } from "../core/aval.js";
import type { Eqn, Lit, Var } from "../core/jaxpr.js";
import { currentBackend } from "../backend/backend.js";
import { UndefPrimal, type PrimitiveDef } from "../core/primitive.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { checkIntegers } from "./_rules.js";
import { batchFirst } from "../transforms/batching.js";

/** An equation filling `outBinders` (one var) with the scalar literal `fill`: a broadcast, the constant fill that passes make. */
export function fillEqn(fill: Lit, outBinders: readonly Var[]): Eqn {
  const eqn: Eqn<"broadcastInDim"> = { prim: "broadcastInDim", inputs: [fill], params: { shape: outBinders[0].aval.shape as number[], broadcastDims: [] }, outBinders };
  return eqn as Eqn;
}

export const broadcastInDim: PrimitiveDef<"broadcastInDim"> = {
  name: "broadcastInDim",

  // ---- shape ----
  shape: ([x], { shape, broadcastDims }) => {
    const fail = (): never => {
      throw new ShapeError(
        `broadcast: cannot broadcast ${showShape(x.shape)} to ${showShape(shape)} along dims [${broadcastDims.join(", ")}]`,
      );
    };
    checkIntegers("broadcast", "target dims", shape, 0);
    checkIntegers("broadcast", "broadcast dims", broadcastDims, 0);
    if (broadcastDims.length !== x.ndim) fail();
    broadcastDims.forEach((d, i) => {
      if (!(d >= 0 && d < shape.length) || (i > 0 && d <= broadcastDims[i - 1])) fail();
      if (x.shape[i] !== 1 && x.shape[i] !== shape[d]) fail();
    });
    return [new ShapedArray(shape, x.dtype)];
  },

  // ---- lower ----
  // Fused loops read the operand in place (as a scalar, a repeating row or a repeating column).
  loopBroadcast: ({ broadcastDims }) => broadcastDims,

  // ---- kernel ----
  impl: ([x], { shape, broadcastDims }) => [currentBackend().broadcast(x, shape, broadcastDims)],

  // ---- simplify ----
  // A broadcast to the shape x already has, keeping its axes in order, is x.
  simplify: ({ inputs: [x], params, outBinders: [out] }) =>
    sameShape(x.aval.shape, out.aval.shape) && params.broadcastDims.every((d, i) => d === i) ? x : null,

  // ---- jvp ----
  jvp: ([x], [xDot], { shape, broadcastDims }) => [
    [ops.broadcastInDim(x, shape, broadcastDims)],
    [ops.broadcastInDim(xDot, shape, broadcastDims)],
  ],

  // ---- transpose ----
  // Each input element was copied to many outputs, so its cotangent is the sum over those copies:
  // sum over the new axes and over the stretched size-1 axes, then restore the input shape.
  transpose: ([ct], [x], { shape, broadcastDims }) => {
    const inShape = (x as UndefPrimal).aval.shape;
    const summed = shape
      .map((_, d) => d)
      .filter((d) => {
        const i = broadcastDims.indexOf(d);
        return i < 0 || (inShape[i] === 1 && shape[d] !== 1);
      });
    return [ops.reshape(ops.reduceSum(ct, summed), inShape)];
  },

  // ---- vmap ----
  vmap: ([x], [dim], { shape, broadcastDims }, axisSize) => [
    [ops.broadcastInDim(batchFirst(x, dim, axisSize), [axisSize, ...shape], [0, ...broadcastDims.map((d) => d + 1)])],
    [0],
  ],
};
