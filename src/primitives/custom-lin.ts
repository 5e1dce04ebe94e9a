/**
 * @file The `customLin` primitive: the linear map from input tangents to output tangents of a
 * `customVjp` function at one point, known only through its transpose, the user's `bwd` applied to
 * the residuals `fwd` saved. Reverse mode stages it while linearizing and calls `bwd` when
 * transposing; anything that would evaluate it forward (jvp, jacfwd) is an error, as in JAX.
 */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { OpaqueFn, UndefPrimal, type BatchDim, type PrimParams, type PrimitiveDef } from "../core/primitive.js";
import { bind, instantiate } from "../core/trace.js";
import { TraceError } from "../core/tensor.js";
import { ShapedArray } from "../core/aval.js";
import { moveAxis } from "../transforms/batching.js";
import { vmapFlat } from "../transforms/vmap.js";

type T = AnyTensor;
type Bwd = PrimParams["customLin"]["bwd"];

function forwardModeError(name: string): TraceError {
  return new TraceError(
    `customVjp(${name}): forward-mode differentiation (jvp, jacfwd, evaluating a linearized function) of a function with a custom VJP is not supported; use customJvp for a function that needs it`,
  );
}

/**
 * `bwd` for the batched operands: residual i batched along `resDim(i)`, output cotangents along axis
 * 0. Each input cotangent comes back along its operand's batch dim, or summed over the batch for
 * an operand shared by every example (its cotangent is the sum of theirs).
 */
export function batchedBwd(bwd: Bwd, resDim: (i: number) => BatchDim, argDims: readonly BatchDim[]): Bwd {
  const fn = (res: readonly T[], cts: readonly T[]): T[] => {
    const n = res.length;
    const ctsIn = vmapFlat((...rc: T[]) => bwd.fn(rc.slice(0, n), rc.slice(n)), [...res.map((_, i) => resDim(i)), ...cts.map((): BatchDim => 0)], [...res, ...cts]);
    return ctsIn.map((ct, i) => {
      const d = argDims[i];
      return d === null ? ops.reduceSum(ct, [0]) : moveAxis(ct, 0, d);
    });
  };
  return new OpaqueFn(fn, `vmap(${bwd.name})`);
}

/** The avals with a batch axis of `axisSize` in front. */
export function batchedAvals(avals: readonly ShapedArray[], axisSize: number): ShapedArray[] {
  return avals.map((a) => new ShapedArray([axisSize, ...a.shape], a.dtype));
}

export const customLin: PrimitiveDef<"customLin"> = {
  name: "customLin",

  higherOrder: true,

  // ---- shape ----
  shape: (_avalsIn, { outAvals }) => outAvals.slice(),

  // ---- kernel ----
  impl: (_args, { name }) => {
    throw forwardModeError(name);
  },

  // ---- jvp ----
  jvp: (_primals, _tangents, { name }) => {
    throw forwardModeError(name);
  },

  // ---- transpose ----
  // Linear in the tangents (the residuals are known): the cotangents of the tangents are bwd's.
  transpose: (cts, args, { bwd, numRes }) => {
    const res = args.slice(0, numRes) as T[];
    if (res.some((r) => r instanceof UndefPrimal)) throw new TraceError("customLin: a residual is unknown while transposing");
    const ctsIn = bwd.fn(res, cts.map(instantiate));
    return [...res.map(() => null), ...args.slice(numRes).map((a, i) => (a instanceof UndefPrimal ? ctsIn[i] : null))];
  },

  // ---- vmap ----
  vmap: (args, dims, { bwd, numRes, outAvals, name }, axisSize) => {
    const tangents = args.slice(numRes).map((t, i) => (dims[numRes + i] === null ? t : moveAxis(t, dims[numRes + i]!, 0)));
    const tangentDims = dims.slice(numRes).map((d): BatchDim => (d === null ? null : 0));
    const outs = bind("customLin", [...args.slice(0, numRes), ...tangents], {
      bwd: batchedBwd(bwd, (i) => dims[i], tangentDims),
      numRes,
      outAvals: batchedAvals(outAvals, axisSize),
      name,
    });
    return [outs, outs.map(() => 0)];
  },
};
