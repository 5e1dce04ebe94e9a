/**
 * @file The `jitCall` primitive: calls a staged jaxpr as one operation. It is what `jit` binds,
 * and its rules recurse into the jaxpr, so every transform composes with `jit` in either order.
 */
import { makeJaxprFlat } from "../core/make-jaxpr.js";
import { evalJaxpr, Var, type Eqn, type Jaxpr } from "../core/jaxpr.js";
import { planOf } from "../compiler/plan.js";
import type { AnyTensor } from "../core/ops.js";
import { UndefPrimal, type BatchDim, type PrimParams, type PrimitiveDef } from "../core/primitive.js";
import { avalOf, bind } from "../core/trace.js";

import { ShapeError } from "../shape/errors.js";
import { jvpFlat } from "../transforms/jvp.js";
import { partialEvalJaxpr } from "../transforms/partial-eval.js";
import { vmapFlat } from "../transforms/vmap.js";
import { backwardPass } from "../transforms/transpose.js";

type T = AnyTensor;

/** Binds a jitCall of a closed jaxpr-building result: constants first, then the arguments. */
function call(jaxpr: Jaxpr, consts: readonly T[], args: readonly T[], name: string): T[] {
  return bind("jitCall", [...consts, ...args], { jaxpr, numConsts: consts.length, name });
}

/** Applies `params.jaxpr` to `args` (its constants first) as one `jitCall`: how `jit` stages and runs a program. */
export function callJaxpr(args: readonly AnyTensor[], params: PrimParams["jitCall"]): AnyTensor[] {
  return bind("jitCall", args, params);
}

export const jitCall: PrimitiveDef<"jitCall"> = {
  name: "jitCall",

  higherOrder: true,

  // ---- shape ----
  shape: (avalsIn, { jaxpr, name }) => {
    const expected = jaxpr.avalsIn;
    if (avalsIn.length !== expected.length || avalsIn.some((a, i) => !a.equals(expected[i]))) {
      throw new ShapeError(
        `jit(${name}): called with (${avalsIn.join(", ")}) but traced for (${expected.join(", ")})`,
      );
    }
    return jaxpr.avalsOut;
  },

  // ---- kernel ----
  // Runs the jaxpr's compiled plan: kernels called back to back, no tracing per equation.
  impl: (args, { jaxpr, donated }) => planOf(jaxpr)(args, donated),

  callee: (inputs, { jaxpr }) => ({ jaxpr, inputs: inputs.slice() }),

  // ---- jvp ----
  // Stage the JVP of the jaxpr as a new jaxpr from (primals, tangents) to (primals, tangents).
  jvp: (primals, tangents, { jaxpr, name }) => {
    const n = primals.length;
    const closed = makeJaxprFlat(
      (...pt: T[]) => {
        const [po, to] = jvpFlat((...xs: T[]) => evalJaxpr(jaxpr, xs), pt.slice(0, n), pt.slice(n));
        return [...po, ...to];
      },
      [...primals, ...tangents].map(avalOf),
    );
    const outs = call(closed.jaxpr, closed.consts, [...primals, ...tangents], `jvp(${name})`);
    const m = jaxpr.outs.length;
    return [outs.slice(0, m), outs.slice(m)];
  },

  // ---- transpose ----
  // Stage the backward pass of the (linear) jaxpr, from (known inputs, output cotangents) to the
  // cotangents of the linear inputs.
  transpose: (cts, args, { jaxpr, name }) => {
    const known = args.filter((a): a is T => !(a instanceof UndefPrimal));
    const closed = makeJaxprFlat(
      (...kc: T[]) => {
        let k = 0;
        const full = args.map((a) => (a instanceof UndefPrimal ? a : kc[k++]));
        return backwardPass(jaxpr, full, kc.slice(known.length)).filter((ct): ct is T => ct !== null);
      },
      [...known.map(avalOf), ...cts.map(avalOf)],
    );
    const outs = call(closed.jaxpr, closed.consts, [...known, ...cts], `transpose(${name})`);
    let u = 0;
    return args.map((a) => (a instanceof UndefPrimal ? outs[u++] : null));
  },

  // ---- vmap ----
  // Stage the batched jaxpr; every output comes out batched along axis 0.
  vmap: (args, dims, { jaxpr, name }) => {
    const closed = makeJaxprFlat(
      (...xs: T[]) =>
        vmapFlat(
          (...ys: T[]) => evalJaxpr(jaxpr, ys),
          dims,
          xs,
        ),
      args.map(avalOf),
    );
    const outs = call(closed.jaxpr, closed.consts, args, `vmap(${name})`);
    return [outs, outs.map((): BatchDim => 0)];
  },

  // ---- partial eval ----
  // Split the jaxpr by which inputs are known: call the known part now, and stage a call of the
  // unknown part, which takes the residuals the known part outputs after its own outputs. Neither
  // call donates: `donated` is indexed by the inputs of the whole call.
  partialEval: (trace, args, { jaxpr, name }) => {
    const knownIns = args.map((x) => trace.knownValue(x));
    const { known, unknown, outUnknowns, numResiduals } = partialEvalJaxpr(
      jaxpr,
      knownIns.map((x) => x === null),
    );
    const knownOuts = bind(
      "jitCall",
      knownIns.filter((x): x is T => x !== null),
      { jaxpr: known, numConsts: 0, name },
    );
    const numKnownOuts = knownOuts.length - numResiduals;
    const residuals = knownOuts.slice(numKnownOuts).map((r) => trace.pure(r));
    const unknownIns = args.filter((_, i) => knownIns[i] === null);
    const unknownOuts = trace.stage("jitCall", [...residuals, ...unknownIns], { jaxpr: unknown, numConsts: 0, name });
    let k = 0;
    let u = 0;
    return outUnknowns.map((isUnknown) => (isUnknown ? unknownOuts[u++] : trace.pure(knownOuts[k++])));
  },

  // The same split on an equation of a jaxpr being split, so a nested call's known outputs stay known.
  partialEvalEqn: (eqn, unknownIns) => {
    const { jaxpr, name } = eqn.params;
    const inner = partialEvalJaxpr(jaxpr, unknownIns);
    const residuals = inner.known.outs.slice(inner.known.outs.length - inner.numResiduals).map((r) => new Var(r.aval));
    const known: Eqn<"jitCall"> = {
      prim: "jitCall",
      inputs: eqn.inputs.filter((_, i) => !unknownIns[i]),
      params: { jaxpr: inner.known, numConsts: 0, name },
      outBinders: [...eqn.outBinders.filter((_, i) => !inner.outUnknowns[i]), ...residuals],
    };
    const unknown: Eqn<"jitCall"> = {
      prim: "jitCall",
      inputs: [...residuals, ...eqn.inputs.filter((_, i) => unknownIns[i])],
      params: { jaxpr: inner.unknown, numConsts: 0, name },
      outBinders: eqn.outBinders.filter((_, i) => inner.outUnknowns[i]),
    };
    return { known, unknown, outUnknowns: inner.outUnknowns, residuals };
  },
};

