/**
 * @file The `customVjpCall` primitive behind `customVjp`: a function with a user-given reverse-mode
 * rule. Evaluation and compilation use `fun`; forward mode runs the user's `fwd` for the outputs
 * and residuals and stands for the tangents with a `customLin` of (residuals, tangents), which
 * reverse mode transposes by calling `bwd` (JAX's `custom_vjp_call` and `custom_lin`).
 */
import { evalJaxpr } from "../core/jaxpr.js";
import { OpaqueFn, type BatchDim, type PrimitiveDef } from "../core/primitive.js";
import { avalOf, bind } from "../core/trace.js";
import { TraceError } from "../core/tensor.js";
import { isZero } from "../core/zero.js";
import type { AnyTensor } from "../core/ops.js";
import { vmapFlat } from "../transforms/vmap.js";
import { checkOperands, someArgBatched, vmapJaxpr } from "./_calls.js";
import { batchedBwd } from "./custom-lin.js";

type T = AnyTensor;

export const customVjpCall: PrimitiveDef<"customVjpCall"> = {
  name: "customVjpCall",

  higherOrder: true,
  inlinable: true,

  // ---- shape ----
  shape: (avalsIn, { fun, name }) => {
    checkOperands(`customVjp(${name})`, avalsIn, fun.avalsIn);
    return fun.avalsOut;
  },

  // ---- kernel ----
  impl: (args, { fun }) => evalJaxpr(fun, args) as never,

  callee: (inputs, { fun }) => ({ jaxpr: fun, inputs: inputs.slice() }),

  // ---- jvp ----
  // Outputs and residuals from fwd; the output tangents are the custom linear map of the inputs'.
  jvp: (primals, tangents, { fun, numConsts, fwd, bwd, name }) => {
    if (tangents.slice(0, numConsts).some((t) => !isZero(t))) {
      throw new TraceError(`customVjp(${name}): the function closes over a value that is being differentiated; pass it as an argument instead`);
    }
    const numOuts = fun.outs.length;
    const outsAndRes = fwd.fn(...primals.slice(numConsts));
    const res = outsAndRes.slice(numOuts);
    const tangentsOut = bind("customLin", [...res, ...tangents.slice(numConsts)], {
      bwd,
      numRes: res.length,
      outAvals: outsAndRes.slice(0, numOuts).map(avalOf),
      name,
    });
    return [outsAndRes.slice(0, numOuts), tangentsOut];
  },

  // ---- vmap ----
  // fun batched as a jaxpr; fwd and bwd batched as functions: fwd puts every output and residual
  // along axis 0, and bwd takes them so.
  vmap: (operands, operandDims, { fun, numConsts, fwd, bwd, name }, axisSize) => {
    const [args, dims] = someArgBatched(operands, operandDims, numConsts, axisSize);
    const f = vmapJaxpr(fun, args, dims);
    const argDims = dims.slice(numConsts);
    const fwdBatched = (...xs: T[]): T[] => vmapFlat((...ys: T[]) => fwd.fn(...ys), argDims, xs);
    const outs = bind("customVjpCall", [...f.consts, ...args], {
      fun: f.jaxpr,
      numConsts: f.consts.length + numConsts,
      fwd: new OpaqueFn(fwdBatched, `vmap(${fwd.name})`),
      bwd: batchedBwd(bwd, () => 0, argDims),
      name,
    });
    return [outs, outs.map((): BatchDim => 0)];
  },
};
