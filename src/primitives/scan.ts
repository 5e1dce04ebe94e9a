/**
 * @file The `scan` primitive: a loop of `length` steps of a body jaxpr over a carry, reading one
 * slice of each `xs` per step and stacking each step's `ys`. Its operands are
 * `[consts..., init carry..., xs...]`, its results `[final carry..., stacked ys...]`, and its body
 * maps `[consts..., carry..., x slices...]` to `[carry..., y slices...]`. The IR of a scan does not
 * grow with its length: every rule transforms the body once. Reverse mode is a reverse scan over
 * residuals the forward scan stacks, as in JAX.
 */
import { ShapedArray } from "../core/aval.js";
import { ConcreteTensor } from "../core/concrete.js";
import { Jaxpr, Var, type Atom, type Eqn } from "../core/jaxpr.js";
import { makeJaxprFlat } from "../core/make-jaxpr.js";
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { UndefPrimal, type BatchDim, type EqnSplit, type PrimParams, type PrimitiveDef } from "../core/primitive.js";
import { bind, instantiate } from "../core/trace.js";
import { SymbolicZero, isZero } from "../core/zero.js";
import { allocate, type Storage } from "../dtype.js";
import { SMALL_ARRAY_BYTES, pinStorage } from "../backend/storage-views.js";
import { innerPlanOf } from "../compiler/plan.js";
import { ShapeError } from "../shape/errors.js";
import { moveAxis } from "../transforms/batching.js";
import { partialEvalJaxpr } from "../transforms/partial-eval.js";
import { backwardPass } from "../transforms/transpose.js";
import { jvpJaxpr, permuteJaxpr, vmapJaxpr, zerosOfAval } from "../transforms/jaxpr-rules.js";

type T = AnyTensor;
type Params = PrimParams["scan"];

/** Operand positions of a scan: `[0, c)` consts, `[c, c + k)` carry, the rest xs. */
function split<X>(xs: readonly X[], p: Params): [X[], X[], X[]] {
  const c = p.numConsts;
  const k = p.numCarry;
  return [xs.slice(0, c), xs.slice(c, c + k), xs.slice(c + k)];
}

/** The slice of a stacked aval that one step sees. */
const unstacked = (a: ShapedArray): ShapedArray => new ShapedArray(a.shape.slice(1), a.dtype);
const stacked = (a: ShapedArray, length: number): ShapedArray => new ShapedArray([length, ...a.shape], a.dtype);

/** `[0, 1, …, n)`. */
const iota = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Binds a scan whose body closes over `captured` values: they become its leading consts. */
function bindScan(captured: readonly T[], body: Jaxpr, args: readonly T[], p: Params, numConsts: number, numCarry: number): T[] {
  return bind("scan", [...captured, ...args], { ...p, jaxpr: body, numConsts: captured.length + numConsts, numCarry });
}

// ---- the loop ----

/**
 * Runs the body's compiled plan `length` times. Each step reads views of the xs; the carry after the
 * first step is the body's own output, so it is donated to the next step: the body reuses its
 * buffers instead of allocating (a carry that is one of the consts never is).
 */
function runScan(args: readonly ConcreteTensor[], p: Params): ConcreteTensor[] {
  const plan = innerPlanOf(p.jaxpr);
  const [consts, init, xs] = split(args, p);
  const { length, reverse } = p;
  const yAvals = p.jaxpr.avalsOut.slice(p.numCarry);
  const ys: Storage[] = yAvals.map((a) => allocate(a.dtype, length * a.size));
  const xSizes = xs.map((x) => (length === 0 ? 0 : x.storage.length / length));
  const constStorage = new Set(consts.map((c) => c.storage));
  // A carry the body took straight from an x slice is a view of xs: never donated either.
  const xsBuffers = new Set(xs.map((x) => x.storage.buffer));
  // The slices below read xs's buffers without holding xs's storage (a carry may return one).
  for (const x of xs) pinStorage(x.storage);
  let carry: ConcreteTensor[] = init;
  for (let step = 0; step < length; step++) {
    const i = reverse ? length - 1 - step : step;
    // Views of xs, not copies: never donated, so no kernel writes into them. Slices of
    // SMALL_ARRAY_BYTES or less are copied (as cheap as a view; backend/storage-views.ts).
    const slices = xs.map((x, j) => {
      const [from, to] = [i * xSizes[j], (i + 1) * xSizes[j]];
      const slice = (to - from) * x.storage.BYTES_PER_ELEMENT <= SMALL_ARRAY_BYTES ? x.storage.slice(from, to) : x.storage.subarray(from, to);
      return ConcreteTensor.wrap(slice, x.shape.slice(1), x.dtype);
    });
    const donated = [
      ...consts.map(() => false),
      ...carry.map((c) => step > 0 && !constStorage.has(c.storage) && !xsBuffers.has(c.storage.buffer)),
      ...slices.map(() => false),
    ];
    const outs = plan([...consts, ...carry, ...slices], donated);
    carry = outs.slice(0, p.numCarry);
    for (let j = 0; j < ys.length; j++) ys[j].set(outs[p.numCarry + j].storage, i * yAvals[j].size);
  }
  return [...carry, ...ys.map((s, j) => ConcreteTensor.wrap(s, [length, ...yAvals[j].shape], yAvals[j].dtype))];
}

// ---- partial evaluation ----

/** How a scan splits into a known scan that runs now and an unknown one that is staged. */
interface ScanSplit {
  /** Per operand: unknown. Per result: unknown. */
  readonly inUnknowns: boolean[];
  readonly outUnknowns: boolean[];
  readonly known: Params;
  readonly unknown: Params;
  /** Known consts and known xs the unknown body reads as they are (loop-invariant or per-step inputs). */
  readonly constResiduals: number[];
  readonly xsResiduals: number[];
  /** Residuals the known scan stacks as extra ys. */
  readonly numStacked: number;
  readonly stackedAvals: ShapedArray[];
}

/**
 * Splits a scan by which operands are unknown. The carry is unknown on both sides of the body once
 * it is unknown on either (a fixpoint). Residuals that are the body's own known consts or x slices
 * are passed to the unknown scan as they are; the others are stacked by the known scan, one per step.
 */
function splitScan(p: Params, unknownIns: readonly boolean[]): ScanSplit {
  const [cU, initU, xU] = split(unknownIns, p);
  let carryU = initU.slice();
  let pe = partialEvalJaxpr(p.jaxpr, [...cU, ...carryU, ...xU], carryU);
  for (;;) {
    const outCarryU = pe.outUnknowns.slice(0, p.numCarry);
    if (outCarryU.every((u, i) => u === carryU[i] || !u)) break;
    carryU = carryU.map((u, i) => u || outCarryU[i]);
    pe = partialEvalJaxpr(p.jaxpr, [...cU, ...carryU, ...xU], carryU);
  }
  const body = p.jaxpr.inBinders;
  const [constVars, , xVars] = split(body, p);
  const residuals = pe.known.outs.slice(pe.known.outs.length - pe.numResiduals) as Var[];
  const constResiduals: number[] = [];
  const xsResiduals: number[] = [];
  const stackedRes: Var[] = [];
  for (const r of residuals) {
    const c = constVars.indexOf(r);
    const x = xVars.indexOf(r);
    if (c >= 0 && !cU[c]) constResiduals.push(c);
    else if (x >= 0 && !xU[x]) xsResiduals.push(x);
    else stackedRes.push(r);
  }
  const numKnownOuts = pe.known.outs.length - pe.numResiduals;
  const known = new Jaxpr(pe.known.inBinders, pe.known.eqns, [...pe.known.outs.slice(0, numKnownOuts), ...stackedRes]);
  // The unknown body takes [residuals..., unknown operands...]: reorder to consts, carry, xs.
  const uIns = pe.unknown.inBinders;
  const resIndex = (v: Var) => residuals.indexOf(v);
  const unknownOps = uIns.slice(residuals.length);
  const [cUVars, carryUVars, xUVars] = [
    unknownOps.slice(0, cU.filter(Boolean).length),
    unknownOps.slice(cU.filter(Boolean).length, cU.filter(Boolean).length + carryU.filter(Boolean).length),
    unknownOps.slice(cU.filter(Boolean).length + carryU.filter(Boolean).length),
  ];
  const unknownBody = new Jaxpr(
    [
      ...cUVars,
      ...constResiduals.map((c) => uIns[resIndex(constVars[c])]),
      ...carryUVars,
      ...xUVars,
      ...xsResiduals.map((x) => uIns[resIndex(xVars[x])]),
      ...stackedRes.map((r) => uIns[resIndex(r)]),
    ],
    pe.unknown.eqns,
    pe.unknown.outs,
  );
  const numKnownCarry = carryU.filter((u) => !u).length;
  const numUnknownCarry = p.numCarry - numKnownCarry;
  return {
    inUnknowns: [...cU, ...carryU, ...xU],
    outUnknowns: pe.outUnknowns,
    known: { ...p, jaxpr: known, numConsts: cU.filter((u) => !u).length, numCarry: numKnownCarry },
    unknown: { ...p, jaxpr: unknownBody, numConsts: cUVars.length + constResiduals.length, numCarry: numUnknownCarry },
    constResiduals,
    xsResiduals,
    numStacked: stackedRes.length,
    stackedAvals: stackedRes.map((r) => stacked(r.aval, p.length)),
  };
}

/** The unknown scan's operands: unknown consts, residual consts, unknown carry, unknown xs, residual xs, stacked residuals. */
function unknownOperands<X>(s: ScanSplit, p: Params, operands: readonly X[], stackedRes: readonly X[]): X[] {
  const [c, carry, xs] = split(operands, p);
  const [cU, carryU, xU] = split(s.inUnknowns, p);
  return [
    ...c.filter((_, i) => cU[i]),
    ...s.constResiduals.map((i) => c[i]),
    ...carry.filter((_, i) => carryU[i]),
    ...xs.filter((_, i) => xU[i]),
    ...s.xsResiduals.map((i) => xs[i]),
    ...stackedRes,
  ];
}

// ---- the primitive ----

export const scan: PrimitiveDef<"scan"> = {
  name: "scan",

  higherOrder: true,

  // ---- shape ----
  shape: (avalsIn, p) => {
    const { jaxpr, length, name } = p;
    const body = jaxpr.avalsIn;
    if (avalsIn.length !== body.length) {
      throw new ShapeError(`scan(${name}): ${avalsIn.length} operands for a body of ${body.length} inputs`);
    }
    const [, , xs] = split(avalsIn, p);
    xs.forEach((x, i) => {
      if (x.ndim === 0 || x.shape[0] !== length) {
        throw new ShapeError(`scan(${name}): xs leaf ${i} has shape [${x.shape.join(", ")}], expected a leading dim of the scan length ${length}`);
      }
    });
    const [c, carry] = split(avalsIn, p);
    const expected = [...c, ...carry, ...xs.map(unstacked)];
    expected.forEach((a, i) => {
      if (!a.equals(body[i])) throw new ShapeError(`scan(${name}): operand ${i} is ${a}, but the body was traced for ${body[i]}`);
    });
    const outs = jaxpr.avalsOut;
    carry.forEach((a, i) => {
      if (!a.equals(outs[i])) throw new ShapeError(`scan(${name}): the body returns carry ${i} as ${outs[i]}, but it comes in as ${a}`);
    });
    return [...carry, ...outs.slice(p.numCarry).map((a) => stacked(a, length))];
  },

  // ---- kernel ----
  impl: runScan,

  // ---- jvp ----
  // The JVP of a scan is a scan of the body's JVP, carrying tangents beside the primals. A carry
  // tangent is materialized when it is nonzero on entry or when the body makes it nonzero (fixpoint).
  jvp: (primals, tangents, p) => {
    const nonzero = tangents.map((t) => !isZero(t));
    const [cNz, initNz, xNz] = split(nonzero, p);
    let carryNz = initNz.slice();
    let jv = jvpJaxpr(p.jaxpr, [...cNz, ...carryNz, ...xNz], [...carryNz, ...p.jaxpr.outs.slice(p.numCarry).map(() => false)]);
    for (;;) {
      const outNz = jv.outNonzeros.slice(0, p.numCarry);
      if (outNz.every((z, i) => !z || carryNz[i])) break;
      carryNz = carryNz.map((z, i) => z || outNz[i]);
      jv = jvpJaxpr(p.jaxpr, [...cNz, ...carryNz, ...xNz], [...carryNz, ...p.jaxpr.outs.slice(p.numCarry).map(() => false)]);
    }
    const nzIn = [...cNz, ...carryNz, ...xNz];
    const n = nonzero.length;
    const numCaptured = jv.closed.consts.length;
    // The JVP body takes [captured, primals, tangents of nz inputs]; a scan needs consts, carry, xs.
    const tangentIndex: number[] = [];
    nzIn.forEach((z, i) => z && tangentIndex.push(i));
    const tPos = (i: number) => numCaptured + n + tangentIndex.indexOf(i);
    const group = (lo: number, hi: number) => {
      const ids = iota(hi - lo).map((k) => lo + k);
      return [...ids.map((i) => numCaptured + i), ...ids.filter((i) => nzIn[i]).map(tPos)];
    };
    const c = p.numConsts;
    const k = p.numCarry;
    const inOrder = [...iota(numCaptured), ...group(0, c), ...group(c, c + k), ...group(c + k, n)];
    const m = p.jaxpr.outs.length;
    const outNz = jv.outNonzeros;
    const tOut: number[] = [];
    outNz.forEach((z, i) => z && tOut.push(i));
    const outGroup = (lo: number, hi: number) => {
      const ids = iota(hi - lo).map((j) => lo + j);
      return [...ids, ...ids.filter((i) => outNz[i]).map((i) => m + tOut.indexOf(i))];
    };
    const body = permuteJaxpr(jv.closed.jaxpr, inOrder, [...outGroup(0, k), ...outGroup(k, m)]);
    const tan = (i: number) => (isZero(tangents[i]) ? instantiate(tangents[i]) : tangents[i]);
    const [pc, pcarry, pxs] = split(primals, p);
    const withTangents = (ps: readonly T[], lo: number) => [...ps, ...ps.flatMap((_, j) => (nzIn[lo + j] ? [tan(lo + j)] : []))];
    const numCarryT = carryNz.filter(Boolean).length;
    const outs = bindScan(
      jv.closed.consts as T[],
      body,
      [...withTangents(pc, 0), ...withTangents(pcarry, c), ...withTangents(pxs, c + k)],
      p,
      c + cNz.filter(Boolean).length,
      k + numCarryT,
    );
    const carryP = outs.slice(0, k);
    const carryT = outs.slice(k, k + numCarryT);
    const ysP = outs.slice(k + numCarryT, k + numCarryT + (m - k));
    const ysT = outs.slice(k + numCarryT + (m - k));
    let ct = 0;
    let yt = 0;
    const tangentsOut = [
      ...carryP.map((x, i) => (carryNz[i] ? carryT[ct++] : SymbolicZero.like(x))),
      ...ysP.map((y, i) => (outNz[k + i] ? ysT[yt++] : SymbolicZero.like(y))),
    ];
    return [[...carryP, ...ysP], tangentsOut];
  },

  // ---- transpose ----
  // A linear scan runs backwards: the carry cotangent flows from the last step to the first, the
  // cotangents of linear consts accumulate in the carry, and each step's x cotangent is stacked.
  // Known (non-linear) consts and xs are residuals the transposed body reads.
  transpose: (cts, args, p) => {
    // Every carry is transposed as linear: a known one is an instantiated zero tangent (partial
    // evaluation made the carry unknown inside the loop), whose cotangent is dropped.
    const [c, carry, xs] = split(args, p);
    const linC = c.map((x) => x instanceof UndefPrimal);
    const linX = xs.map((x) => x instanceof UndefPrimal);
    const resC = c.filter((x): x is T => !(x instanceof UndefPrimal));
    const resX = xs.filter((x): x is T => !(x instanceof UndefPrimal));
    const cAvals = p.jaxpr.avalsIn.slice(0, p.numConsts);
    const carryAvals = p.jaxpr.avalsIn.slice(p.numConsts, p.numConsts + p.numCarry);
    const xAvals = p.jaxpr.avalsIn.slice(p.numConsts + p.numCarry);
    const yAvals = p.jaxpr.avalsOut.slice(p.numCarry);
    const linCAvals = cAvals.filter((_, i) => linC[i]);
    const resCAvals = cAvals.filter((_, i) => !linC[i]);
    const resXAvals = xAvals.filter((_, i) => !linX[i]);
    // Transposed body: [resC, ctC accumulators, ct carry, ct y, resX] → [ctC accumulators, ct carry, ct x].
    const closed = makeJaxprFlat(
      (...a: T[]) => {
        let k = 0;
        const take = (n: number) => a.slice(k, (k += n));
        const rc = take(resCAvals.length);
        const acc = take(linCAvals.length);
        const ctCarry = take(carryAvals.length);
        const ctY = take(yAvals.length);
        const rx = take(resXAvals.length);
        let ri = 0;
        let xi = 0;
        const bodyArgs: (T | UndefPrimal)[] = [
          ...cAvals.map((av, i) => (linC[i] ? new UndefPrimal(av) : rc[ri++])),
          ...carryAvals.map((av) => new UndefPrimal(av)),
          ...xAvals.map((av, i) => (linX[i] ? new UndefPrimal(av) : rx[xi++])),
        ];
        const ctIn = backwardPass(p.jaxpr, bodyArgs, [...ctCarry, ...ctY]);
        const [ctC, ctCarryIn, ctX] = split(ctIn, p);
        let ai = 0;
        return [
          ...ctC.flatMap((ct, i) => (linC[i] ? [ops.add(acc[ai++], ct!)] : [])),
          ...(ctCarryIn as T[]),
          ...ctX.filter((_, i) => linX[i]).map((ct) => ct!),
        ];
      },
      [...resCAvals, ...linCAvals, ...carryAvals, ...yAvals, ...resXAvals],
    );
    const [ctCarry, ctYs] = [cts.slice(0, p.numCarry), cts.slice(p.numCarry)];
    const outs = bindScan(
      closed.consts as T[],
      closed.jaxpr,
      [...resC, ...linCAvals.map(zerosOfAval), ...ctCarry.map(instantiate), ...ctYs.map(instantiate), ...resX],
      { ...p, reverse: !p.reverse, name: `transpose(${p.name})` },
      resC.length,
      linCAvals.length + carryAvals.length,
    );
    const ctC = outs.slice(0, linCAvals.length);
    const ctInit = outs.slice(linCAvals.length, linCAvals.length + carryAvals.length);
    const ctXs = outs.slice(linCAvals.length + carryAvals.length);
    let ci = 0;
    let xi = 0;
    return [
      ...linC.map((l) => (l ? ctC[ci++] : null)),
      ...ctInit.map((ct, i) => (carry[i] instanceof UndefPrimal ? ct : null)),
      ...linX.map((l) => (l ? ctXs[xi++] : null)),
    ];
  },

  // ---- vmap ----
  // The batched body runs once per step on every example; consts and carry are batched along 0,
  // xs along 1 (axis 0 is the scan axis), so each step's slice is batched along 0. A carry is
  // batched when its init is or when the body makes it so (fixpoint).
  vmap: (args, dims, p, axisSize) => {
    const isB = dims.map((d) => d !== null);
    const [cB, initB, xB] = split(isB, p);
    const ysFalse = p.jaxpr.outs.slice(p.numCarry).map(() => false);
    let carryB = initB.slice();
    let vm = vmapJaxpr(p.jaxpr, axisSize, [...cB, ...carryB, ...xB], [...carryB, ...ysFalse]);
    for (;;) {
      const outB = vm.outBatched.slice(0, p.numCarry);
      if (outB.every((b, i) => !b || carryB[i])) break;
      carryB = carryB.map((b, i) => b || outB[i]);
      vm = vmapJaxpr(p.jaxpr, axisSize, [...cB, ...carryB, ...xB], [...carryB, ...ysFalse]);
    }
    const [c, init, xs] = split(args, p);
    const [cd, initD, xd] = split(dims, p);
    const moved = [
      ...c.map((x, i) => (cd[i] === null ? x : moveAxis(x, cd[i]!, 0))),
      ...init.map((x, i) => (carryB[i] ? batchAt0(x, initD[i], axisSize) : x)),
      ...xs.map((x, i) => (xd[i] === null ? x : moveAxis(x, xd[i]!, 1))),
    ];
    const outs = bindScan(vm.closed.consts as T[], vm.closed.jaxpr, moved, p, p.numConsts, p.numCarry);
    const outDims: BatchDim[] = vm.outBatched.map((b, i) => (!b ? null : i < p.numCarry ? 0 : 1));
    return [outs, outDims];
  },

  // ---- partial eval ----
  // Run the known part of the loop now (stacking the residuals the unknown part needs) and stage
  // the unknown part as a scan over them.
  partialEval: (trace, args, p) => {
    const known = args.map((x) => trace.knownValue(x));
    const s = splitScan(p, known.map((x) => x === null));
    const knownOperands = known.filter((x, i): x is T => !s.inUnknowns[i] && x !== null);
    const kOuts = bind("scan", knownOperands, s.known);
    const numKnownOuts = kOuts.length - s.numStacked;
    const stackedRes = kOuts.slice(numKnownOuts).map((r) => trace.pure(r));
    const operands = args.map((x, i) => (s.inUnknowns[i] ? x : trace.pure(known[i]!)));
    const uOuts = trace.stage("scan", unknownOperands(s, p, operands, stackedRes), s.unknown);
    let k = 0;
    let u = 0;
    return s.outUnknowns.map((isU) => (isU ? uOuts[u++] : trace.pure(kOuts[k++])));
  },

  partialEvalEqn: (eqn, unknownIns) => {
    const p = eqn.params;
    const s = splitScan(p, unknownIns);
    const stackedVars = s.stackedAvals.map((a) => new Var(a));
    const known: Eqn<"scan"> = {
      prim: "scan",
      inputs: eqn.inputs.filter((_, i) => !s.inUnknowns[i]),
      params: s.known,
      outBinders: [...eqn.outBinders.filter((_, i) => !s.outUnknowns[i]), ...stackedVars],
    };
    const unknown: Eqn<"scan"> = {
      prim: "scan",
      inputs: unknownOperands<Atom>(s, p, eqn.inputs, stackedVars),
      params: s.unknown,
      outBinders: eqn.outBinders.filter((_, i) => s.outUnknowns[i]),
    };
    // Residuals the unknown side reads from the known side: the stacked ones and the known
    // operands it takes as they are (an operand of the known side, so also defined there).
    const [c, , xs] = split(eqn.inputs, p);
    const passed = [...s.constResiduals.map((i) => c[i]), ...s.xsResiduals.map((i) => xs[i])].filter((x): x is Var => x instanceof Var);
    const split_: EqnSplit = { known, unknown, outUnknowns: s.outUnknowns, residuals: [...stackedVars, ...passed] };
    return split_;
  },
};

/** `x` batched along axis 0, broadcasting it when it was not batched. */
function batchAt0(x: T, dim: BatchDim, axisSize: number): T {
  if (dim === null) return ops.broadcastInDim(x, [axisSize, ...x.shape], x.shape.map((_, i) => i + 1));
  return moveAxis(x, dim, 0);
}

