/**
 * @file The `checkpoint` primitive (rematerialization, JAX's `remat`): calls a jaxpr like `jitCall`,
 * but reverse mode saves only its inputs (and what the policy allows) and recomputes the rest in
 * the backward pass. The recomputation lives inside a `checkpoint` equation of its own, which the
 * simplifier never merges with the forward computation (it is higher-order), so the saving holds
 * under `jit` too.
 */
import { makeJaxprFlat } from "../core/make-jaxpr.js";
import { evalJaxpr, Var, type Eqn } from "../core/jaxpr.js";
import { planOf } from "../compiler/plan.js";
import { simplify } from "../compiler/simplify.js";
import type { AnyTensor } from "../core/ops.js";
import { UndefPrimal, type BatchDim, type PrimitiveDef } from "../core/primitive.js";
import { avalOf, bind } from "../core/trace.js";
import { isZero } from "../core/zero.js";
import { jvpFlat } from "../transforms/jvp.js";
import { PartialVal, partialEvalFlat } from "../transforms/partial-eval.js";
import { backwardPass } from "../transforms/transpose.js";
import { rematSplit } from "../transforms/remat.js";
import { checkOperands, vmapJaxpr } from "./_calls.js";

type T = AnyTensor;

export const checkpoint: PrimitiveDef<"checkpoint"> = {
  name: "checkpoint",

  higherOrder: true,

  // ---- shape ----
  shape: (avalsIn, { jaxpr, name }) => {
    checkOperands(`checkpoint(${name})`, avalsIn, jaxpr.avalsIn);
    return jaxpr.avalsOut;
  },

  // ---- kernel ----
  impl: (args, { jaxpr }) => planOf(jaxpr)(args),

  callee: (inputs, { jaxpr }) => ({ jaxpr, inputs: inputs.slice() }),

  // ---- jvp ----
  // A checkpoint of the JVP jaxpr, from (primals, nonzero tangents) to (primals, tangents). Zero
  // tangents stay symbolic inside, so the JVP does exactly the work (and the rounding) it would
  // do on the function itself.
  jvp: (primals, tangents, { jaxpr, policy, name }) => {
    const n = primals.length;
    const nonzero = tangents.map((t) => !isZero(t));
    const closed = makeJaxprFlat(
      (...pt: T[]) => {
        let k = n;
        const ts = tangents.map((t, i) => (nonzero[i] ? pt[k++] : t));
        const [po, to] = jvpFlat((...xs: T[]) => evalJaxpr(jaxpr, xs), pt.slice(0, n), ts);
        return [...po, ...to];
      },
      [...primals, ...tangents.filter((_, i) => nonzero[i])].map(avalOf),
    );
    const outs = bind("checkpoint", [...closed.consts, ...primals, ...tangents.filter((_, i) => nonzero[i])], {
      jaxpr: closed.jaxpr,
      numConsts: closed.consts.length,
      policy,
      name,
    });
    const m = jaxpr.outs.length;
    return [outs.slice(0, m), outs.slice(m)];
  },

  // ---- transpose ----
  // The equation reverse mode stages is the unknown half of a split: it recomputes from its known
  // inputs (residuals) and is linear in the others. Inside one new checkpoint, so the recomputation
  // happens when the backward pass needs it: recompute and linearize by partial evaluation (as
  // linearize does, so the linear program and its rounding are the ones reverse mode would have
  // built without checkpoint), then run the linear part backwards.
  transpose: (cts, args, { jaxpr, policy, name }) => {
    const known = args.filter((a): a is T => !(a instanceof UndefPrimal));
    const closed = makeJaxprFlat(
      (...kc: T[]) => {
        let k = 0;
        const pvals = args.map((a) => (a instanceof UndefPrimal ? PartialVal.unknown(a.aval) : PartialVal.known(kc[k++])));
        const lin = partialEvalFlat((...xs: T[]) => evalJaxpr(jaxpr, xs), pvals, () => true);
        const linearIns = args.filter((a): a is UndefPrimal => a instanceof UndefPrimal);
        const ctsIn = backwardPass(lin.jaxpr, [...lin.consts, ...linearIns], kc.slice(known.length));
        return ctsIn.slice(lin.consts.length) as T[];
      },
      [...known.map(avalOf), ...cts.map(avalOf)],
    );
    const outs = bind("checkpoint", [...closed.consts, ...known, ...cts], {
      jaxpr: simplify(closed.jaxpr),
      numConsts: closed.consts.length,
      policy,
      name: `transpose(${name})`,
    });
    let u = 0;
    return args.map((a) => (a instanceof UndefPrimal ? outs[u++] : null));
  },

  // ---- vmap ----
  vmap: (args, dims, { jaxpr, policy, name }) => {
    const closed = vmapJaxpr(jaxpr, args, dims);
    const outs = bind("checkpoint", [...closed.consts, ...args], { jaxpr: closed.jaxpr, numConsts: closed.consts.length, policy, name });
    return [outs, outs.map((): BatchDim => 0)];
  },

  // ---- partial eval ----
  // The known part runs now, inline (its intermediates die with it); the unknown part is staged
  // as a checkpoint taking the residuals (the known inputs and saved values) and recomputing.
  partialEval: (trace, args, { jaxpr, policy, name }) => {
    const knownIns = args.map((x) => trace.knownValue(x));
    const split = rematSplit(
      jaxpr,
      knownIns.map((x) => x === null),
      policy,
    );
    const knownOuts = evalJaxpr(
      split.known,
      knownIns.filter((x): x is T => x !== null),
    );
    const numKnownOuts = knownOuts.length - split.numResiduals;
    const residuals = knownOuts.slice(numKnownOuts).map((r) => trace.pure(r));
    const unknownIns = args.filter((_, i) => knownIns[i] === null);
    const unknownOuts = trace.stage("checkpoint", [...residuals, ...unknownIns], { jaxpr: split.unknown, numConsts: 0, policy, name });
    let k = 0;
    let u = 0;
    return split.outUnknowns.map((isUnknown) => (isUnknown ? unknownOuts[u++] : trace.pure(knownOuts[k++])));
  },

  // The same split on an equation of a jaxpr being split (a checkpoint inside a jitted function).
  partialEvalEqn: (eqn, unknownIns) => {
    const { jaxpr, policy, name } = eqn.params;
    const split = rematSplit(jaxpr, unknownIns, policy);
    const residuals = split.known.outs.slice(split.known.outs.length - split.numResiduals).map((r) => new Var(r.aval));
    const known: Eqn<"checkpoint"> = {
      prim: "checkpoint",
      inputs: eqn.inputs.filter((_, i) => !unknownIns[i]),
      params: { jaxpr: split.known, numConsts: 0, policy, name },
      outBinders: [...eqn.outBinders.filter((_, i) => !split.outUnknowns[i]), ...residuals],
    };
    const unknown: Eqn<"checkpoint"> = {
      prim: "checkpoint",
      inputs: [...residuals, ...eqn.inputs.filter((_, i) => unknownIns[i])],
      params: { jaxpr: split.unknown, numConsts: 0, policy, name },
      outBinders: eqn.outBinders.filter((_, i) => split.outUnknowns[i]),
    };
    return { known, unknown, outUnknowns: split.outUnknowns, residuals };
  },
};
