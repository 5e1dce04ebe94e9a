/**
 * @file Transforms of whole jaxprs, for the rules of primitives whose params hold jaxprs (`scan`,
 * `cond`, `whileLoop`): the JVP, the batched form and the permuted form of a jaxpr, each a new
 * jaxpr. Unlike `jvpFlat`/`vmapFlat` they report which outputs came out symbolically zero or
 * unbatched, since a loop's rule must find the fixpoint of that over its carry.
 */
import { ShapedArray } from "../core/aval.js";
import { ClosedJaxpr, Jaxpr, Var, evalJaxpr } from "../core/jaxpr.js";
import { makeJaxprFlat } from "../core/make-jaxpr.js";
import type { AnyTensor } from "../core/ops.js";
import { fullRaise, instantiate, newMain, type MainTrace } from "../core/trace.js";
import { SymbolicZero, isZero } from "../core/zero.js";
import { JVPTrace, JVPTracer } from "./jvp.js";
import { BatchTrace, BatchTracer } from "./vmap.js";
import { batchFirst } from "./batching.js";

type T = AnyTensor;

/**
 * The JVP of `jaxpr` as a closed jaxpr from `[primals..., tangents of the nonzero inputs...]` to
 * `[primal outputs..., tangents of the nonzero outputs...]`. An output tangent is nonzero when it
 * depends on a nonzero input tangent or when `instantiate` flags it (then it is materialized).
 */
export function jvpJaxpr(
  jaxpr: Jaxpr,
  nonzeros: readonly boolean[],
  instantiateOut: readonly boolean[],
): { closed: ClosedJaxpr; outNonzeros: boolean[] } {
  const avals = jaxpr.avalsIn;
  const tangentAvals = avals.filter((_, i) => nonzeros[i]);
  let outNonzeros: boolean[] = [];
  const closed = makeJaxprFlat((...args: T[]) => {
    const primals = args.slice(0, avals.length);
    let k = avals.length;
    const tangents = avals.map((a, i) => (nonzeros[i] ? args[k++] : new SymbolicZero(a.shape.slice(), a.dtype)));
    return newMain(JVPTrace, null, (main: MainTrace) => {
      const trace = new JVPTrace(main);
      const tracersIn = primals.map((p, i) => new JVPTracer(trace, p, tangents[i]));
      const outs = evalJaxpr(jaxpr, tracersIn).map((x) => fullRaise(trace, x) as JVPTracer);
      outNonzeros = outs.map((t, i) => instantiateOut[i] || !isZero(t.tangent));
      const tangentsOut = outs.flatMap((t, i) => (outNonzeros[i] ? [instantiate(t.tangent)] : []));
      return [...outs.map((t) => t.primal), ...tangentsOut];
    });
  }, [...avals, ...tangentAvals]);
  return { closed, outNonzeros };
}

/**
 * `jaxpr` mapped over a new leading axis of size `axisSize` on the inputs flagged in `batched`
 * (the others are shared), as a closed jaxpr. Outputs flagged in `instantiateOut`, or that vary
 * along the axis, are batched along axis 0; the rest come out unbatched.
 */
export function vmapJaxpr(
  jaxpr: Jaxpr,
  axisSize: number,
  batched: readonly boolean[],
  instantiateOut: readonly boolean[],
): { closed: ClosedJaxpr; outBatched: boolean[] } {
  const avalsIn = jaxpr.avalsIn.map((a, i) => (batched[i] ? new ShapedArray([axisSize, ...a.shape], a.dtype) : a));
  let outBatched: boolean[] = [];
  const closed = makeJaxprFlat(
    (...args: T[]) =>
      newMain(BatchTrace, axisSize, (main: MainTrace) => {
        const trace = new BatchTrace(main);
        const tracersIn = args.map((x, i) => new BatchTracer(trace, x, batched[i] ? 0 : null));
        const outs = evalJaxpr(jaxpr, tracersIn).map((x) => fullRaise(trace, x) as BatchTracer);
        outBatched = outs.map((t, i) => instantiateOut[i] || t.batchDim !== null);
        return outs.map((t, i) => (outBatched[i] ? batchFirst(t.val, t.batchDim, axisSize) : t.val));
      }),
    avalsIn,
  );
  return { closed, outBatched };
}

/** The same program with its inputs and outputs reordered: input `i` of the result is input `inOrder[i]` of `jaxpr`. */
export function permuteJaxpr(jaxpr: Jaxpr, inOrder: readonly number[], outOrder: readonly number[]): Jaxpr {
  return new Jaxpr(
    inOrder.map((i) => jaxpr.inBinders[i]),
    jaxpr.eqns,
    outOrder.map((i) => jaxpr.outs[i]),
  );
}

/**
 * Closed jaxprs with the same inputs and outputs but different constants, as plain jaxprs that all
 * take every constant first (each ignores the others'): how the branches of a `cond` share one
 * list of operands.
 */
export function joinConsts(closeds: readonly ClosedJaxpr[]): { jaxprs: Jaxpr[]; consts: T[] } {
  const consts = closeds.flatMap((c) => c.consts as T[]);
  const jaxprs = closeds.map((c, i) => {
    const k = c.consts.length;
    const before = closeds.slice(0, i).flatMap((o) => o.jaxpr.inBinders.slice(0, o.consts.length));
    const after = closeds.slice(i + 1).flatMap((o) => o.jaxpr.inBinders.slice(0, o.consts.length));
    // Fresh variables for the other branches' constants: a Var is bound once per jaxpr.
    const fresh = (vs: readonly Var[]) => vs.map((v) => new Var(v.aval));
    return new Jaxpr([...fresh(before), ...c.jaxpr.inBinders.slice(0, k), ...fresh(after), ...c.jaxpr.inBinders.slice(k)], c.jaxpr.eqns, c.jaxpr.outs);
  });
  return { jaxprs, consts };
}

/** Zeros of `aval` as a real tensor. */
export function zerosOfAval(aval: ShapedArray): T {
  return instantiate(new SymbolicZero(aval.shape.slice(), aval.dtype));
}
