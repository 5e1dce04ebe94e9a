/**
 * @file The `cond` primitive: runs one of several branch jaxprs, chosen by an int32 scalar index
 * (clamped into range, as JAX's `switch`), on shared operands. Operands `[index, ...operands]`;
 * every branch maps the operands to results of the same types. Only the taken branch runs, except
 * under `vmap` with a batched index, where every branch runs and a select merges them.
 */
import { ShapedArray } from "../core/aval.js";
import { DTypeError } from "../core/errors.js";
import { ClosedJaxpr, Jaxpr, Var, evalJaxpr, type Eqn } from "../core/jaxpr.js";
import { makeJaxprFlat } from "../core/make-jaxpr.js";
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { UndefPrimal, type BatchDim, type EqnSplit, type PrimitiveDef } from "../core/primitive.js";
import { avalOf, bind, instantiate } from "../core/trace.js";
import { SymbolicZero, isZero } from "../core/zero.js";
import { TraceError } from "../core/tensor.js";
import { innerPlanOf } from "../compiler/plan.js";
import { ShapeError } from "../shape/errors.js";
import { moveAxis } from "../transforms/batching.js";
import { partialEvalJaxpr } from "../transforms/partial-eval.js";
import { backwardPass } from "../transforms/transpose.js";
import { joinConsts, jvpJaxpr, vmapJaxpr, zerosOfAval } from "../transforms/jaxpr-rules.js";

type T = AnyTensor;

/** Binds a cond of closed branches: their constants become leading operands after the index. */
function bindCond(index: T, closeds: readonly ClosedJaxpr[], operands: readonly T[], name: string): T[] {
  const { jaxprs, consts } = joinConsts(closeds);
  return bind("cond", [index, ...consts, ...operands], { branches: jaxprs, name });
}

/** The index as a branch number: JAX clamps it into `[0, n)` rather than failing inside a compiled program. */
function clampIndex(i: number, n: number): number {
  return Math.min(Math.max(i, 0), n - 1);
}

/** Partial evaluation of the branches with a known index: the split of every branch, with one set of unknown outputs. */
function splitBranches(branches: readonly Jaxpr[], unknownOps: readonly boolean[]) {
  const n = branches[0].outs.length;
  let outU = new Array<boolean>(n).fill(false);
  let splits = branches.map((b) => partialEvalJaxpr(b, unknownOps, outU));
  const union = outU.map((_, i) => splits.some((s) => s.outUnknowns[i]));
  if (union.some((u, i) => u !== outU[i])) {
    outU = union;
    splits = branches.map((b) => partialEvalJaxpr(b, unknownOps, outU));
  }
  const resAvals = splits.map((s) => s.known.outs.slice(s.known.outs.length - s.numResiduals).map((r) => r.aval));
  const allRes = resAvals.flat();
  const numKnownOuts = n - outU.filter(Boolean).length;
  // Every known branch outputs every branch's residuals (zeros for the others'), so that the
  // branches keep one output type.
  const known = splits.map((s, b) => {
    const before = resAvals.slice(0, b).flat();
    const after = resAvals.slice(b + 1).flat();
    return makeJaxprFlat((...ins: T[]) => {
      const outs = evalJaxpr(s.known, ins);
      return [...outs.slice(0, numKnownOuts), ...before.map(zerosOfAval), ...outs.slice(numKnownOuts), ...after.map(zerosOfAval)];
    }, s.known.avalsIn);
  });
  // Every unknown branch takes every branch's residuals and reads its own.
  const unknown = splits.map((s, b) => {
    const fresh = (avals: ShapedArray[]) => avals.map((a) => new Var(a));
    const own = s.unknown.inBinders.slice(0, s.numResiduals);
    return new Jaxpr(
      [...fresh(resAvals.slice(0, b).flat()), ...own, ...fresh(resAvals.slice(b + 1).flat()), ...s.unknown.inBinders.slice(s.numResiduals)],
      s.unknown.eqns,
      s.unknown.outs,
    );
  });
  return { outU, known, unknown, allRes };
}

export const cond: PrimitiveDef<"cond"> = {
  name: "cond",

  higherOrder: true,

  // ---- shape ----
  shape: ([index, ...operands], { branches, name }) => {
    if (index.dtype !== "int32" || index.ndim !== 0) {
      throw new DTypeError(`${name}: the branch index must be an int32 scalar, got ${index}`);
    }
    if (branches.length === 0) throw new ShapeError(`${name}: no branches`);
    const first = branches[0].avalsOut;
    branches.forEach((b, k) => {
      const ins = b.avalsIn;
      if (ins.length !== operands.length || ins.some((a, i) => !a.equals(operands[i]))) {
        throw new ShapeError(`${name}: branch ${k} was traced for (${ins.join(", ")}) but called with (${operands.join(", ")})`);
      }
      const outs = b.avalsOut;
      if (outs.length !== first.length || outs.some((a, i) => !a.equals(first[i]))) {
        throw new ShapeError(`${name}: branch ${k} returns (${outs.join(", ")}) but branch 0 returns (${first.join(", ")})`);
      }
    });
    return first;
  },

  // ---- kernel ----
  // Only the taken branch runs.
  impl: ([index, ...operands], { branches }) => {
    const k = clampIndex(index.storage[0], branches.length);
    return innerPlanOf(branches[k])(operands);
  },

  // ---- jvp ----
  // The JVP of a cond is a cond of the branches' JVPs; a result's tangent is materialized in every
  // branch when any branch gives it a nonzero one.
  jvp: ([index, ...primals], [, ...tangents], { branches, name }) => {
    const nonzero = tangents.map((t) => !isZero(t));
    const none = branches[0].outs.map(() => false);
    const outNz = none.map((_, i) => branches.some((b) => jvpJaxpr(b, nonzero, none).outNonzeros[i]));
    const closeds = branches.map((b) => jvpJaxpr(b, nonzero, outNz).closed);
    const outs = bindCond(index, closeds, [...primals, ...tangents.filter((_, i) => nonzero[i])], `jvp(${name})`);
    const m = outNz.length;
    let t = m;
    return [outs.slice(0, m), outs.slice(0, m).map((y, i) => (outNz[i] ? outs[t++] : SymbolicZero.like(y)))];
  },

  // ---- transpose ----
  // The index and the non-linear operands are known: transpose the taken branch.
  transpose: (cts, [index, ...args], { branches, name }) => {
    if (index instanceof UndefPrimal) throw new TraceError(`transpose of ${name}: the index cannot be linear`);
    const lin = args.map((a) => a instanceof UndefPrimal);
    const res = args.filter((a): a is T => !(a instanceof UndefPrimal));
    const ctsIn = cts.map(instantiate);
    const closeds = branches.map((b) =>
      makeJaxprFlat(
        (...rc: T[]) => {
          let r = 0;
          const full = b.avalsIn.map((a, i) => (lin[i] ? new UndefPrimal(a) : rc[r++]));
          const ct = backwardPass(b, full, rc.slice(res.length));
          return ct.filter((_, i) => lin[i]) as T[];
        },
        [...res.map(avalOf), ...ctsIn.map(avalOf)],
      ),
    );
    const outs = bindCond(index as T, closeds, [...res, ...ctsIn], `transpose(${name})`);
    let u = 0;
    return [null, ...lin.map((l) => (l ? outs[u++] : null))];
  },

  // ---- vmap ----
  // With a shared index, the batched branches run under one cond. With a batched index every
  // branch runs on every example and a select picks each example's result.
  vmap: ([index, ...args], [indexDim, ...dims], { branches, name }, axisSize) => {
    const operands = args.map((x, i) => (dims[i] === null ? x : moveAxis(x, dims[i]!, 0)));
    const batched = dims.map((d) => d !== null);
    const n = branches[0].outs.length;
    if (indexDim === null) {
      const none = new Array<boolean>(n).fill(false);
      const outB = none.map((_, i) => branches.some((b) => vmapJaxpr(b, axisSize, batched, none).outBatched[i]));
      const closeds = branches.map((b) => vmapJaxpr(b, axisSize, batched, outB).closed);
      const outs = bindCond(index, closeds, operands, `vmap(${name})`);
      return [outs, outB.map((b): BatchDim => (b ? 0 : null))];
    }
    const all = new Array<boolean>(n).fill(true);
    const results = branches.map((b) => {
      const { closed } = vmapJaxpr(b, axisSize, batched, all);
      return evalJaxpr(closed.jaxpr, [...(closed.consts as T[]), ...operands]);
    });
    const idx = moveAxis(index, indexDim, 0);
    const outs = results[0].map((first, j) => {
      let out = first;
      for (let k = 1; k < branches.length; k++) {
        // Clamped: an index past the last branch takes the last one, below 0 the first.
        const limit = k === branches.length - 1 ? "ge" : "eq";
        const take = ops.compare(idx, ops.filled([axisSize], k, "int32"), limit);
        const mask = ops.broadcastInDim(take, out.shape, [0]);
        out = ops.select(mask, results[k][j], out);
      }
      return out;
    });
    return [outs, outs.map((): BatchDim => 0)];
  },

  // ---- partial eval ----
  // With a known index, each branch splits into a known part run now (under a cond on the same
  // index) and an unknown part staged under a cond that also takes the residuals. With an unknown
  // index nothing can run now: the whole cond is staged.
  partialEval: (trace, [index, ...args], params) => {
    const idx = trace.knownValue(index);
    if (idx === null) return trace.stage("cond", [index, ...args], params);
    const known = args.map((x) => trace.knownValue(x));
    const unknownOps = known.map((x) => x === null);
    const s = splitBranches(params.branches, unknownOps);
    const kOuts = bindCond(idx, s.known, known.filter((x): x is T => x !== null), params.name);
    const numKnownOuts = kOuts.length - s.allRes.length;
    const residuals = kOuts.slice(numKnownOuts).map((r) => trace.pure(r));
    const uOuts = trace.stage("cond", [index, ...residuals, ...args.filter((_, i) => unknownOps[i])], { branches: s.unknown, name: params.name });
    let k = 0;
    let u = 0;
    return s.outU.map((isU) => (isU ? uOuts[u++] : trace.pure(kOuts[k++])));
  },

  partialEvalEqn: (eqn, unknownIns) => {
    const [indexU, ...unknownOps] = unknownIns;
    if (indexU) return null;
    const { branches, name } = eqn.params;
    const s = splitBranches(branches, unknownOps);
    const { jaxprs, consts } = joinConsts(s.known);
    // Branches that captured constants cannot be written as one equation: stage the cond whole.
    if (consts.length > 0) return null;
    const resVars = s.allRes.map((a) => new Var(a));
    const [index, ...inputs] = eqn.inputs;
    const known: Eqn<"cond"> = {
      prim: "cond",
      inputs: [index, ...inputs.filter((_, i) => !unknownOps[i])],
      params: { branches: jaxprs, name },
      outBinders: [...eqn.outBinders.filter((_, i) => !s.outU[i]), ...resVars],
    };
    const unknown: Eqn<"cond"> = {
      prim: "cond",
      inputs: [index, ...resVars, ...inputs.filter((_, i) => unknownOps[i])],
      params: { branches: s.unknown, name },
      outBinders: eqn.outBinders.filter((_, i) => s.outU[i]),
    };
    const split: EqnSplit = { known, unknown, outUnknowns: s.outU, residuals: index instanceof Var ? [...resVars, index] : resVars };
    return split;
  },
};
