/**
 * @file The checks of the generic primitive harness (`test/primitives/all.test.ts`), one per
 * property, each run by fast-check over a primitive's cases from `test/primitives/cases.ts`:
 *   values   eager `ops` wrapper vs the float64 reference (any dtype the case accepts)
 *   jvp      `jvpFlat` vs central finite differences
 *   vjp      `vjpFlat` vs `jvpFlat` by the dot-product test
 *   vmap     `vmapFlat` (random in/out axes, some inputs unmapped) vs a loop over slices
 *   jit      `jit` vs eager, on a first and a cached second call
 *   grad     `grad` of a weighted sum vs finite differences; the linearized jaxpr type-checks and
 *            every primitive in it has a transpose rule
 *   jvp2     second order: the JVP of the JVP vs finite differences of the JVP
 *   vmapVjp  `vmapFlat` of a pullback over stacked cotangents vs a loop of pullbacks (jacrev)
 * They live here, apart from the test file, so that `harness.test.ts` can check that each one
 * catches a deliberately broken rule.
 */
import fc from "fast-check";
import { isFloat, type DType } from "../../src/dtype.js";
import type { ConcreteTensor } from "../../src/core/concrete.js";
import { Jaxpr, typecheckJaxpr } from "../../src/core/jaxpr.js";
import { TraceError } from "../../src/core/tensor.js";
import type { AnyTensor } from "../../src/core/ops.js";
import type { PrimName, PrimParams } from "../../src/core/primitive.js";
import { primitives } from "../../src/core/registry.js";
import { jit } from "../../src/transforms/jit.js";
import { setBackend, type BackendChoice } from "../../src/backend/config.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { linearizeFlat, valueAndGrad, vjpFlat } from "../../src/transforms/vjp.js";
import { vmapFlat } from "../../src/transforms/vmap.js";
import { argsOf, caseArb, cases, describeStruct, drawCase, type Case, type CaseDef, type Struct } from "../primitives/cases.js";
import { assertAllclose, EXACT, F32, F64, type Tol } from "./allclose.js";
import { checkGradAlong, checkJvp, checkVjp, checkZeroJvp, fullTangents, weightedSumLoss, type FlatFn } from "./gradcheck.js";
import { Rng, SEED, drawValues, seedArb } from "./random-shapes.js";
import { reference, refOf, type RefImpl } from "./reference.js";
import { insertAxis, stackValues, tensor, valuesOf } from "./tensors.js";

/** A case definition of any primitive. */
export type AnyDef = CaseDef<PrimName>;

/** The case definition of `prim`, if the table has one. */
export const defOf = (prim: PrimName): AnyDef | undefined => (cases as Partial<Record<PrimName, AnyDef>>)[prim];

/** The primitive of a case as a flat function of its inputs. */
export function flatFn(def: AnyDef, params: PrimParams[PrimName]): FlatFn {
  return (...xs) => def.apply(xs, params);
}

/** Re-throws an error of a check with the case's types and params in front. */
export function withCase<R>(s: Struct<PrimName>, body: () => R): R {
  try {
    return body();
  } catch (e) {
    const err = e as Error;
    throw new Error(`${describeStruct(s)}: ${err.name === "Error" ? "" : `${err.name}: `}${err.message}`, { cause: e });
  }
}

/** Random tensors like each float tensor of `xs` (null for the others), entries in [−1, 1]. */
function directions(rng: Rng, xs: readonly AnyTensor[]): (ConcreteTensor | null)[] {
  return xs.map((x) =>
    isFloat(x.dtype)
      ? tensor(
          drawValues(rng, x.size, "real").map((v) => v / 3),
          x.shape,
          x.dtype,
        )
      : null,
  );
}

/** Primitives whose nested programs `primsIn` does not enter. */
const OPAQUE_WHEN_LINEAR = new Set<PrimName>(["checkpoint"]);

/** The primitives a jaxpr applies, including inside the jaxprs of calls, loops and branches. */
export function primsIn(jaxpr: Jaxpr, into = new Set<PrimName>()): Set<PrimName> {
  for (const eqn of jaxpr.eqns) {
    into.add(eqn.prim);
    // A checkpoint in a linear jaxpr recomputes its primal values inside: its own transpose rule
    // handles that program, which is not linear and is not transposed equation by equation.
    if (OPAQUE_WHEN_LINEAR.has(eqn.prim)) continue;
    for (const v of Object.values(eqn.params as object)) {
      if (v instanceof Jaxpr) primsIn(v, into);
      else if (Array.isArray(v)) for (const b of v) if (b instanceof Jaxpr) primsIn(b, into);
    }
  }
  return into;
}

function f32Tol(def: AnyDef, expected: readonly number[]): Tol {
  const base = def.f32Tol ?? F32;
  const scale = expected.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 1);
  return { rtol: base.rtol, atol: (base.atol ?? 0) * scale };
}

// ---- values ----

function checkValues(def: AnyDef, c: Case, staged = false): void {
  const { params } = c.struct;
  const args = argsOf(c.struct, c.values);
  const f = flatFn(def, params);
  const outs = staged ? jit((...xs: AnyTensor[]) => f(...xs))(...args) : def.apply(args, params);
  const expected = (reference[def.prim] as RefImpl<PrimName>)(args.map(refOf), params);
  if (outs.length !== expected.length) throw new Error(`${outs.length} outputs, expected ${expected.length}`);
  outs.forEach((y, k) => {
    const e = expected[k];
    if (y.dtype !== e.dtype) throw new Error(`output ${k} has dtype ${y.dtype}, expected ${e.dtype}`);
    const tol = !isFloat(e.dtype) ? EXACT : e.dtype === "float32" ? f32Tol(def, e.data) : F64;
    assertAllclose(y, tensor(e.data as number[], e.shape, e.dtype), tol, `output ${k}`);
  });
}

// ---- jvp, vjp, grad, jvp2 ----

/**
 * Derivative checks of one case. About a third of the time an input is held constant (closed
 * over instead of passed), so that symbolic-zero tangents, and transpose rules with known
 * operands (e.g. concatenate with a constant piece), are exercised as well.
 */
function checkDerivatives(def: AnyDef, c: Case, seed: number, which: "jvp" | "vjp" | "grad" | "jvp2"): void {
  const allArgs = argsOf(c.struct, c.values);
  const rng = new Rng(seed);
  const held = allArgs.map(() => rng.next() < 0.3);
  if (held.every((h) => h)) held[rng.int(0, held.length - 1)] = false;
  const whole = flatFn(def, c.struct.params);
  const f: FlatFn = (...xs) => {
    let k = 0;
    return whole(...allArgs.map((a, i) => (held[i] ? a : xs[k++])));
  };
  const args = allArgs.filter((_, i) => !held[i]);
  const heldList = held.flatMap((h, i) => (h ? [i] : []));
  try {
    derivativeCheck(def, f, args, rng, which);
  } catch (e) {
    if (heldList.length === 0) throw e;
    throw new Error(`(inputs ${heldList.join(", ")} held constant) ${(e as Error).message}`, { cause: e });
  }
}

function derivativeCheck(def: AnyDef, f: FlatFn, args: ConcreteTensor[], rng: Rng, which: "jvp" | "vjp" | "grad" | "jvp2"): void {
  const dirs = directions(rng, args);
  if (which === "jvp") {
    if (def.zeroDerivative) checkZeroJvp(f, args, dirs);
    else checkJvp(f, args, dirs, def.fd);
    return;
  }
  if (which === "jvp2") {
    // x ↦ J(x)·v is itself differentiated forward (what hessian and jvp-of-jvp need).
    const tangentMap: FlatFn = (...xs) => jvpFlat(f, xs, fullTangents(args, dirs))[1];
    checkJvp(tangentMap, args, directions(rng, args), def.fd);
    return;
  }
  const outs = f(...args);
  const weights = directions(rng, outs);
  if (which === "vjp") {
    checkVjp(f, args, dirs, weights, def.fd?.dotRtol);
    return;
  }
  // grad of Σ w ⊙ f(x) against finite differences, and the linear part must transpose.
  const { jaxpr } = linearizeFlat(f, args);
  typecheckJaxpr(jaxpr);
  for (const p of primsIn(jaxpr)) {
    if (primitives[p].transpose === undefined) throw new Error(`${p} appears in the linearized jaxpr but has no transpose rule`);
  }
  if (!outs.some((y) => isFloat(y.dtype))) return; // nothing to take a gradient of (compare, argmax, casts to int)
  const floatArgs = args.map((x, i) => (isFloat(x.dtype) ? i : -1)).filter((i) => i >= 0);
  if (floatArgs.length === 0) return;
  const loss = weightedSumLoss(f, weights);
  const [, grads] = (valueAndGrad as (f: unknown, o: unknown) => (...a: AnyTensor[]) => [AnyTensor, AnyTensor[]])(loss, {
    argnums: floatArgs,
  })(...args);
  const full = args.map((_, i) => (floatArgs.includes(i) ? grads[floatArgs.indexOf(i)] : null));
  if (def.zeroDerivative) {
    full.forEach((g, i) => g && assertAllclose(g, valuesOf(args[i]).map(() => 0), EXACT, `grad of input ${i}`));
    return;
  }
  checkGradAlong(loss, args, full, dirs, def.fd);
}

// ---- vmap ----

interface VmapCase {
  readonly struct: Struct<PrimName>;
  readonly batch: number;
  readonly inAxes: (number | null)[];
  readonly outFractions: number[];
  readonly seed: number;
}

function vmapArb(def: AnyDef): fc.Arbitrary<VmapCase> {
  return def.struct(def.dtypes[0], "value").chain((struct) =>
    fc
      .record({
        struct: fc.constant(struct),
        batch: fc.integer({ min: 1, max: 3 }),
        inAxes: fc.tuple(...struct.inputs.map((spec) => fc.option(fc.integer({ min: 0, max: spec.shape.length }), { nil: null, freq: 3 }))),
        outFractions: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 4, maxLength: 4 }),
        seed: seedArb,
      })
      .map((v) =>
        Object.assign(v, {
          [fc.toStringMethod]: () => `${def.prim}${describeStruct(v.struct)} batch ${v.batch} inAxes [${v.inAxes.join(", ")}] seed ${v.seed}`,
        }),
      ),
  );
}

function checkVmap(def: AnyDef, v: VmapCase): void {
  const { struct, batch } = v;
  const inAxes = v.inAxes.every((a) => a === null) ? [0, ...v.inAxes.slice(1)] : v.inAxes;
  const rng = new Rng(v.seed);
  const examples = Array.from({ length: batch }, () => drawCase(def, rng, struct, "value"));
  const batchedArgs = struct.inputs.map((spec, i) => {
    const axis = inAxes[i];
    if (axis === null) return tensor(examples[0][i], spec.shape, spec.dtype);
    return tensor(
      stackValues(
        examples.map((e) => e[i]),
        spec.shape,
        axis,
      ),
      insertAxis(spec.shape, axis, batch),
      spec.dtype,
    );
  });
  // The loop: example b takes slice b of mapped inputs and the whole of unmapped ones.
  const perExample = examples.map((e) =>
    def.apply(
      struct.inputs.map((spec, i) => tensor(inAxes[i] === null ? examples[0][i] : e[i], spec.shape, spec.dtype)),
      struct.params,
    ),
  );
  const outAxes = perExample[0].map((y, k) => Math.floor(v.outFractions[k % 4] * (y.ndim + 1)));
  const actual = vmapFlat(flatFn(def, struct.params), inAxes, batchedArgs, (k) => outAxes[k]);
  if (actual.length !== perExample[0].length) throw new Error(`${actual.length} outputs, expected ${perExample[0].length}`);
  perExample[0].forEach((y0, k) => {
    const expected = tensor(
      stackValues(
        perExample.map((outs) => valuesOf(outs[k])),
        y0.shape,
        outAxes[k],
      ),
      insertAxis(y0.shape, outAxes[k], batch),
      y0.dtype,
    );
    if (actual[k].dtype !== y0.dtype) throw new Error(`output ${k} has dtype ${actual[k].dtype}, expected ${y0.dtype}`);
    assertAllclose(actual[k], expected, isFloat(y0.dtype) ? F64 : EXACT, `output ${k} (out axis ${outAxes[k]})`);
  });
}

// ---- vmap of vjp ----

/**
 * Pullbacks of a batch of cotangents at once (what `jacrev` does): `vmapFlat` of the pullback,
 * with the cotangents stacked along axis 0, against a loop of pullbacks. Transpose rules then
 * run on batched cotangents next to unbatched residuals.
 */
function checkVmapOfVjp(def: AnyDef, c: Case, seed: number): void {
  const f = flatFn(def, c.struct.params);
  const args = argsOf(c.struct, c.values);
  const rng = new Rng(seed);
  const [outs, pullback] = vjpFlat(f, args);
  if (outs.length === 0) return; // nothing to pull back (debugPrint)
  const batch = rng.int(1, 3);
  const ctValues = Array.from({ length: batch }, () =>
    outs.map((y) => (isFloat(y.dtype) ? drawValues(rng, y.size, "real") : new Array<number>(y.size).fill(0))),
  );
  const stacked = outs.map((y, k) =>
    tensor(
      stackValues(
        ctValues.map((cts) => cts[k]),
        y.shape,
        0,
      ),
      insertAxis(y.shape, 0, batch),
      y.dtype,
    ),
  );
  const batched = vmapFlat((...cts) => pullback(cts), outs.map(() => 0), stacked);
  const looped = ctValues.map((cts) => pullback(outs.map((y, k) => tensor(cts[k], y.shape, y.dtype))));
  args.forEach((x, i) => {
    if (!isFloat(x.dtype)) return;
    const expected = tensor(
      stackValues(
        looped.map((bars) => valuesOf(bars[i])),
        x.shape,
        0,
      ),
      insertAxis(x.shape, 0, batch),
      x.dtype,
    );
    assertAllclose(batched[i], expected, F64, `cotangent of input ${i}`);
  });
}

// ---- jit ----

function checkJit(def: AnyDef, c: Case, seed: number): void {
  const f = flatFn(def, c.struct.params);
  const jitted = jit((...xs: AnyTensor[]) => f(...xs));
  const second = drawCase(def, new Rng(seed), c.struct, "value");
  for (const values of [c.values, second]) {
    const args = argsOf(c.struct, values);
    const eager = f(...args);
    const staged = jitted(...args);
    if (staged.length !== eager.length) throw new Error(`${staged.length} outputs, expected ${eager.length}`);
    eager.forEach((y, k) => {
      if (staged[k].dtype !== y.dtype) throw new Error(`output ${k} has dtype ${staged[k].dtype}, expected ${y.dtype}`);
      assertAllclose(staged[k], y, EXACT, `output ${k}${values === second ? " (cached call)" : ""}`);
    });
  }
}


// ---- running ----

/** The checks, by name. */
export type CheckName = "values" | "jitValues" | "jvp" | "vjp" | "vmap" | "jit" | "grad" | "jvp2" | "vmapVjp";

/** Options of `runCheck`. */
export interface RunOptions {
  /** Cases to run. */
  readonly numRuns: number;
  /** The dtype of a values check (default: the case's first dtype). */
  readonly dtype?: DType;
  /** fast-check seed (default: the suite's). */
  readonly seed?: number;
  /** The backend the check runs on (default: the automatic choice). */
  readonly backend?: BackendChoice;
}

/**
 * Runs one check of `def` on `numRuns` random cases; throws fast-check's report (the shrunk
 * counterexample, with the case's types and params in the error) if any fails.
 */
export function runCheck(def: AnyDef, check: CheckName, opts: RunOptions): void {
  const params = { seed: opts.seed ?? SEED, numRuns: opts.numRuns };
  const main = def.dtypes[0];
  const withSeed = (mode: "value" | "smooth") => fc.tuple(caseArb(def, mode === "value" ? (opts.dtype ?? main) : main, mode), seedArb);
  setBackend(opts.backend ?? "auto");
  try {
    runOn(def, check, opts, params, withSeed, main);
  } finally {
    setBackend("auto");
  }
}

function runOn(
  def: AnyDef,
  check: CheckName,
  opts: RunOptions,
  params: { seed: number; numRuns: number },
  withSeed: (mode: "value" | "smooth") => fc.Arbitrary<[Case, number]>,
  main: DType,
): void {
  if (def.forwardOnly && (check === "vjp" || check === "grad" || check === "vmapVjp")) {
    fc.assert(
      fc.property(withSeed("smooth"), ([c]) => withCase(c.struct, () => checkRefusesReverse(def, c))),
      params,
    );
    return;
  }
  switch (check) {
    case "values":
    case "jitValues":
      fc.assert(
        fc.property(caseArb(def, opts.dtype ?? main, "value"), (c) => withCase(c.struct, () => checkValues(def, c, check === "jitValues"))),
        params,
      );
      return;
    case "vmap":
      fc.assert(
        fc.property(vmapArb(def), (v) => withCase(v.struct, () => checkVmap(def, v))),
        params,
      );
      return;
    case "vmapVjp":
      fc.assert(
        fc.property(withSeed("smooth"), ([c, seed]) => withCase(c.struct, () => checkVmapOfVjp(def, c, seed))),
        params,
      );
      return;
    case "jit":
      fc.assert(
        fc.property(withSeed("value"), ([c, seed]) => withCase(c.struct, () => checkJit(def, c, seed))),
        params,
      );
      return;
    default:
      fc.assert(
        fc.property(withSeed("smooth"), ([c, seed]) => withCase(c.struct, () => checkDerivatives(def, c, seed, check))),
        params,
      );
  }
}

/** Reverse mode through the primitive fails with a `TraceError` naming reverse mode (its float inputs differentiated). */
function checkRefusesReverse(def: AnyDef, c: Case): void {
  const all = argsOf(c.struct, c.values);
  const whole = flatFn(def, c.struct.params);
  const floats = all.flatMap((x, i) => (isFloat(x.dtype) ? [i] : []));
  const f: FlatFn = (...xs) => whole(...all.map((a, i) => (floats.includes(i) ? xs[floats.indexOf(i)] : a)));
  const [outs, pullback] = vjpFlat(f, floats.map((i) => all[i]));
  const cts = outs.map((y) => tensor(valuesOf(y as ConcreteTensor).map(() => 1), y.shape, y.dtype));
  let error: unknown = null;
  try {
    pullback(cts);
  } catch (e) {
    error = e;
  }
  if (!(error instanceof TraceError) || !/reverse-mode differentiation/.test(error.message)) {
    throw new Error(`${def.prim}: reverse mode should be refused with a TraceError, got ${String(error)}`);
  }
}
