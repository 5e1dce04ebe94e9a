/**
 * @file The `whileLoop` primitive: applies a body jaxpr to a carry for as long as a cond jaxpr
 * returns true. Operands `[condConsts, bodyConsts, init carry]`; results the final carry. Forward
 * mode and `vmap` go through it; reverse mode does not, as in JAX: the number of steps is known only
 * once the loop has run, so there is nothing to size the saved residuals by (use `scan`, or
 * `foriLoop` with static bounds, which lowers to `scan`).
 */
import type { ShapedArray } from "../core/aval.js";
import { DTypeError } from "../core/errors.js";
import { Jaxpr, Var, evalJaxpr, type Eqn } from "../core/jaxpr.js";
import { makeJaxprFlat } from "../core/make-jaxpr.js";
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import type { BatchDim, EqnSplit, PrimParams, PrimitiveDef } from "../core/primitive.js";
import { bind, instantiate } from "../core/trace.js";
import { SymbolicZero, isZero } from "../core/zero.js";
import { TraceError } from "../core/tensor.js";
import { innerPlanOf } from "../compiler/plan.js";
import { ShapeError } from "../shape/errors.js";
import { moveAxis } from "../transforms/batching.js";
import { partialEvalJaxpr } from "../transforms/partial-eval.js";
import { jvpJaxpr, permuteJaxpr, vmapJaxpr } from "../transforms/jaxpr-rules.js";

type T = AnyTensor;
type Params = PrimParams["whileLoop"];

function split<X>(xs: readonly X[], p: Params): [X[], X[], X[]] {
  const a = p.condConsts;
  const b = a + p.bodyConsts;
  return [xs.slice(0, a), xs.slice(a, b), xs.slice(b)];
}

const iota = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** A jaxpr that also takes `extra` inputs it ignores, after its own. */
function withIgnoredInputs(jaxpr: Jaxpr, extra: readonly Var[]): Jaxpr {
  return new Jaxpr([...jaxpr.inBinders, ...extra.map((v) => new Var(v.aval))], jaxpr.eqns, jaxpr.outs);
}

/** Splits a loop by which operands are unknown: which carries stay known, or null when the condition itself is unknown. */
function knownPart(p: Params, unknownIns: readonly boolean[]): { inUnknowns: boolean[]; carryU: boolean[]; known: Params } | null {
  const [ccU, bcU, initU] = split(unknownIns, p);
  let carryU = initU.slice();
  for (;;) {
    const pe = partialEvalJaxpr(p.body, [...bcU, ...carryU], carryU);
    const next = carryU.map((u, i) => u || pe.outUnknowns[i]);
    if (next.every((u, i) => u === carryU[i])) break;
    carryU = next;
  }
  const condPe = partialEvalJaxpr(p.cond, [...ccU, ...carryU]);
  if (condPe.outUnknowns[0] || carryU.every((u) => u)) return null;
  const bodyPe = partialEvalJaxpr(p.body, [...bcU, ...carryU], carryU);
  const numKnown = carryU.filter((u) => !u).length;
  // The known loop needs no residuals: drop them from the known parts' outputs.
  const cond = new Jaxpr(condPe.known.inBinders, condPe.known.eqns, condPe.known.outs.slice(0, 1));
  const body = new Jaxpr(bodyPe.known.inBinders, bodyPe.known.eqns, bodyPe.known.outs.slice(0, numKnown));
  return {
    inUnknowns: [...ccU, ...bcU, ...carryU],
    carryU,
    known: { cond, body, condConsts: ccU.filter((u) => !u).length, bodyConsts: bcU.filter((u) => !u).length, name: p.name },
  };
}

export const whileLoop: PrimitiveDef<"whileLoop"> = {
  name: "whileLoop",

  higherOrder: true,

  // ---- shape ----
  shape: (avalsIn, p) => {
    const { cond, body, name } = p;
    const [cc, bc, carry] = split(avalsIn, p);
    const check = (what: string, traced: readonly ShapedArray[], given: readonly ShapedArray[]) => {
      if (traced.length !== given.length || traced.some((a, i) => !a.equals(given[i]))) {
        throw new ShapeError(`whileLoop(${name}): ${what} was traced for (${traced.join(", ")}) but gets (${given.join(", ")})`);
      }
    };
    check("the condition", cond.avalsIn, [...cc, ...carry]);
    check("the body", body.avalsIn, [...bc, ...carry]);
    const [pred, ...more] = cond.avalsOut;
    if (pred === undefined || more.length > 0 || pred.dtype !== "bool" || pred.ndim !== 0) {
      throw new DTypeError(`whileLoop(${name}): the condition must return one bool scalar, got (${cond.avalsOut.join(", ")})`);
    }
    check("the carry the body returns", body.avalsOut, carry);
    return carry;
  },

  // ---- kernel ----
  impl: (args, p) => {
    const condPlan = innerPlanOf(p.cond);
    const bodyPlan = innerPlanOf(p.body);
    const [cc, bc, init] = split(args, p);
    const constStorage = new Set([...cc, ...bc].map((c) => c.storage));
    let carry = init;
    let first = true;
    while (condPlan([...cc, ...carry])[0].storage[0]) {
      // The carry after the first step is the body's own: donate it to the next step.
      const donated = [...bc.map(() => false), ...carry.map((c) => !first && !constStorage.has(c.storage))];
      carry = bodyPlan([...bc, ...carry], donated);
      first = false;
    }
    return carry;
  },

  // ---- jvp ----
  // A loop of the body's JVP over (primal, tangent) carries; the condition reads the primals only.
  jvp: (primals, tangents, p) => {
    const nonzero = tangents.map((t) => !isZero(t));
    const [, bcNz, initNz] = split(nonzero, p);
    let carryNz = initNz.slice();
    let jv = jvpJaxpr(p.body, [...bcNz, ...carryNz], carryNz);
    for (;;) {
      const next = carryNz.map((z, i) => z || jv.outNonzeros[i]);
      if (next.every((z, i) => z === carryNz[i])) break;
      carryNz = next;
      jv = jvpJaxpr(p.body, [...bcNz, ...carryNz], carryNz);
    }
    const numCaptured = jv.closed.consts.length;
    const nb = p.bodyConsts;
    const k = carryNz.length;
    const numBcT = bcNz.filter(Boolean).length;
    const numCarryT = carryNz.filter(Boolean).length;
    // JVP body inputs: [captured, bc, carry, bc tangents, carry tangents] → [captured, bc, bc tangents, carry, carry tangents].
    const base = numCaptured;
    const inOrder = [
      ...iota(numCaptured),
      ...iota(nb).map((i) => base + i),
      ...iota(numBcT).map((i) => base + nb + k + i),
      ...iota(k).map((i) => base + nb + i),
      ...iota(numCarryT).map((i) => base + nb + k + numBcT + i),
    ];
    const body = permuteJaxpr(jv.closed.jaxpr, inOrder, iota(k + numCarryT));
    const carryTVars = jv.closed.jaxpr.inBinders.slice(base + nb + k + numBcT);
    const cond = withIgnoredInputs(p.cond, carryTVars);
    const [cc, bc, init] = split(primals, p);
    const [, bcT, initT] = split(tangents, p);
    const outs = bind("whileLoop", [...cc, ...(jv.closed.consts as T[]), ...bc, ...bcT.filter((_, i) => bcNz[i]), ...init, ...initT.filter((_, i) => carryNz[i]).map(instantiate)], {
      cond,
      body,
      condConsts: p.condConsts,
      bodyConsts: numCaptured + nb + numBcT,
      name: `jvp(${p.name})`,
    });
    const carry = outs.slice(0, k);
    let t = k;
    return [carry, carry.map((c, i) => (carryNz[i] ? outs[t++] : SymbolicZero.like(c)))];
  },

  // ---- transpose ----
  transpose: (_cts, _args, { name }) => {
    throw new TraceError(
      `whileLoop(${name}): reverse-mode differentiation (grad, vjp) does not go through whileLoop, whose number of ` +
        "steps is known only once it has run (as in JAX). Use scan, or foriLoop with static bounds, which lowers to scan; " +
        "forward mode (jvp, linearize) works",
    );
  },

  // ---- vmap ----
  // A shared predicate: the batched loop runs as one. A batched predicate: the loop runs while any
  // example's predicate holds, and an example whose predicate is false keeps its carry (a select).
  vmap: (args, dims, p, axisSize) => {
    const batched = dims.map((d) => d !== null);
    const [ccB, bcB, initB] = split(batched, p);
    let carryB = initB.slice();
    let predB = false;
    let bodyV = vmapJaxpr(p.body, axisSize, [...bcB, ...carryB], carryB);
    for (;;) {
      predB = vmapJaxpr(p.cond, axisSize, [...ccB, ...carryB], [false]).outBatched[0];
      const next = carryB.map((b, i) => b || bodyV.outBatched[i] || predB);
      if (next.every((b, i) => b === carryB[i])) break;
      carryB = next;
      bodyV = vmapJaxpr(p.body, axisSize, [...bcB, ...carryB], carryB);
    }
    const condV = vmapJaxpr(p.cond, axisSize, [...ccB, ...carryB], [false]);
    const moved = args.map((x, i) => {
      const k = i - p.condConsts - p.bodyConsts;
      if (k >= 0 && carryB[k] && dims[i] === null) return ops.broadcastInDim(x, [axisSize, ...x.shape], x.shape.map((_, j) => j + 1));
      return dims[i] === null ? x : moveAxis(x, dims[i]!, 0);
    });
    const [cc, bc, init] = split(moved, p);
    const outDims = carryB.map((b): BatchDim => (b ? 0 : null));
    if (!predB) {
      const outs = bind("whileLoop", [...(condV.closed.consts as T[]), ...cc, ...(bodyV.closed.consts as T[]), ...bc, ...init], {
        cond: condV.closed.jaxpr,
        body: bodyV.closed.jaxpr,
        condConsts: condV.closed.consts.length + cc.length,
        bodyConsts: bodyV.closed.consts.length + bc.length,
        name: `vmap(${p.name})`,
      });
      return [outs, outDims];
    }
    const condConsts = [...(condV.closed.consts as T[]), ...cc];
    const bodyConsts = [...(bodyV.closed.consts as T[]), ...bc];
    const anyCond = makeJaxprFlat((...xs: T[]) => {
      const pred = evalJaxpr(condV.closed.jaxpr, xs)[0];
      return [ops.compare(ops.reduceMax(ops.cast(pred, "int32"), [0]), ops.full([], 0, "int32"), "gt")];
    }, condV.closed.jaxpr.avalsIn);
    const maskedBody = makeJaxprFlat(
      (...xs: T[]) => {
        const c = xs.slice(0, condConsts.length);
        const b = xs.slice(condConsts.length, condConsts.length + bodyConsts.length);
        const carry = xs.slice(condConsts.length + bodyConsts.length);
        const pred = evalJaxpr(condV.closed.jaxpr, [...c, ...carry])[0];
        const next = evalJaxpr(bodyV.closed.jaxpr, [...b, ...carry]);
        return next.map((n, i) => ops.select(ops.broadcastInDim(pred, n.shape, [0]), n, carry[i]));
      },
      [...condV.closed.jaxpr.avalsIn.slice(0, condConsts.length), ...bodyV.closed.jaxpr.avalsIn],
    );
    const outs = bind("whileLoop", [...(anyCond.consts as T[]), ...condConsts, ...(maskedBody.consts as T[]), ...condConsts, ...bodyConsts, ...init], {
      cond: anyCond.jaxpr,
      body: maskedBody.jaxpr,
      condConsts: anyCond.consts.length + condConsts.length,
      bodyConsts: maskedBody.consts.length + condConsts.length + bodyConsts.length,
      name: `vmap(${p.name})`,
    });
    return [outs, outDims];
  },

  // ---- partial eval ----
  // The carries that depend only on known values are computed now by a loop over them alone; the
  // unknown ones need the whole loop, which is staged (it recomputes the known carries: a loop of
  // unknown length keeps no per-step residuals).
  partialEval: (trace, args, p) => {
    const known = args.map((x) => trace.knownValue(x));
    const split_ = knownPart(p, known.map((x) => x === null));
    const all = trace.stage("whileLoop", args, p);
    if (split_ === null) return all;
    // A carry made unknown by the fixpoint may have a known init (a zero tangent): it is not an operand of the known loop.
    const kOuts = bind("whileLoop", known.filter((x, i): x is T => x !== null && !split_.inUnknowns[i]), split_.known);
    let k = 0;
    return split_.carryU.map((u, i) => (u ? all[i] : trace.pure(kOuts[k++])));
  },

  partialEvalEqn: (eqn, unknownIns) => {
    const p = eqn.params;
    const s = knownPart(p, unknownIns);
    if (s === null) return null;
    const known: Eqn<"whileLoop"> = {
      prim: "whileLoop",
      inputs: eqn.inputs.filter((_, i) => !s.inUnknowns[i]),
      params: s.known,
      outBinders: eqn.outBinders.filter((_, i) => !s.carryU[i]),
    };
    const unknown: Eqn<"whileLoop"> = {
      prim: "whileLoop",
      inputs: eqn.inputs,
      params: p,
      outBinders: eqn.outBinders.map((v, i) => (s.carryU[i] ? v : new Var(v.aval))),
    };
    const residuals = eqn.inputs.filter((x, i): x is Var => !unknownIns[i] && x instanceof Var);
    const result: EqnSplit = { known, unknown, outUnknowns: s.carryU, residuals };
    return result;
  },
};
