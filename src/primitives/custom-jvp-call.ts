/**
 * @file The `customJvpCall` primitive behind `customJvp`: a function with a user-given JVP rule.
 * Evaluation, batching and compilation use `fun`; forward mode evaluates the rule's jaxpr instead,
 * on traceable ops, so reverse mode (linearize + transpose) and higher orders differentiate the
 * rule itself (as JAX's `custom_jvp_call`).
 */
import { evalJaxpr } from "../core/jaxpr.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { bind } from "../core/trace.js";
import { TraceError } from "../core/tensor.js";
import { isZero } from "../core/zero.js";
import { checkOperands, someArgBatched, vmapJaxpr } from "./_calls.js";


/** The operands `fun` runs on: its constants, then the arguments (the rule's constants sit between). */
function funOperands<X>(xs: readonly X[], numFunConsts: number, numJvpConsts: number): X[] {
  return [...xs.slice(0, numFunConsts), ...xs.slice(numFunConsts + numJvpConsts)];
}

export const customJvpCall: PrimitiveDef<"customJvpCall"> = {
  name: "customJvpCall",

  higherOrder: true,
  inlinable: true,

  // ---- shape ----
  shape: (avalsIn, { fun, jvp, numFunConsts, numJvpConsts, name }) => {
    checkOperands(`customJvp(${name})`, funOperands(avalsIn, numFunConsts, numJvpConsts), fun.avalsIn);
    checkOperands(`customJvp(${name}) rule`, avalsIn.slice(numFunConsts, numFunConsts + numJvpConsts), jvp.avalsIn.slice(0, numJvpConsts));
    return fun.avalsOut;
  },

  // ---- kernel ----
  impl: (args, { fun, numFunConsts, numJvpConsts }) => evalJaxpr(fun, funOperands(args, numFunConsts, numJvpConsts)) as never,

  callee: (inputs, { fun, numFunConsts, numJvpConsts }) => ({ jaxpr: fun, inputs: funOperands(inputs, numFunConsts, numJvpConsts) }),

  // ---- jvp ----
  // The rule's jaxpr maps (primals, tangents) of the arguments to (primal outs, tangent outs).
  // Constants the functions closed over get no tangent through the rule: one that carries a
  // tangent (a value being differentiated, captured instead of passed) would be silently dropped.
  jvp: (primals, tangents, { jvp, numFunConsts, numJvpConsts, name }) => {
    const numConsts = numFunConsts + numJvpConsts;
    if (tangents.slice(0, numConsts).some((t) => !isZero(t))) {
      throw new TraceError(
        `customJvp(${name}): the function or its JVP rule closes over a value that is being differentiated; pass it as an argument instead`,
      );
    }
    const args = primals.slice(numConsts);
    const outs = evalJaxpr(jvp, [...primals.slice(numFunConsts, numConsts), ...args, ...tangents.slice(numConsts)]);
    const m = outs.length / 2;
    return [outs.slice(0, m), outs.slice(m)];
  },

  // ---- vmap ----
  // Batch both jaxprs alike (a tangent is batched as its primal); every output along axis 0.
  vmap: (operands, operandDims, { fun, jvp, numFunConsts, numJvpConsts, name }, axisSize) => {
    const numConsts = numFunConsts + numJvpConsts;
    const [args, dims] = someArgBatched(operands, operandDims, numConsts, axisSize);
    const f = vmapJaxpr(fun, funOperands(args, numFunConsts, numJvpConsts), funOperands(dims, numFunConsts, numJvpConsts));
    const primals = args.slice(numConsts);
    const argDims = dims.slice(numConsts);
    const rule = vmapJaxpr(jvp, [...args.slice(numFunConsts, numConsts), ...primals, ...primals], [...dims.slice(numFunConsts, numConsts), ...argDims, ...argDims]);
    const outs = bind("customJvpCall", [...f.consts, ...args.slice(0, numFunConsts), ...rule.consts, ...args.slice(numFunConsts)], {
      fun: f.jaxpr,
      jvp: rule.jaxpr,
      numFunConsts: f.consts.length + numFunConsts,
      numJvpConsts: rule.consts.length + numJvpConsts,
      name,
    });
    return [outs, outs.map(() => 0)];
  },
};
