/**
 * @file Derivative checks of flat functions (lists of tensors to lists of tensors) in float64:
 * forward mode against central finite differences, reverse mode against forward mode by the
 * dot-product identity ⟨ȳ, J·ẋ⟩ = ⟨Jᵀ·ȳ, ẋ⟩, and `grad` of a scalar against finite differences.
 *
 * Only float inputs are perturbed; the others (bool conditions, int operands) are held fixed and
 * get zero tangents. Outputs that are not float contribute no cotangent.
 */
import { isFloat } from "../../src/dtype.js";
import type { ConcreteTensor } from "../../src/core/concrete.js";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { compareClose, type Tol } from "./allclose.js";
import { tensor, valuesOf } from "./tensors.js";

/** A function on flat lists of tensors: what the transforms' `…Flat` entry points take. */
export type FlatFn = (...args: AnyTensor[]) => AnyTensor[];

/** Step and tolerances of finite-difference checks. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  readonly eps?: number;
  /** Relative tolerance (default 1e-5). */
  readonly rtol?: number;
  /** Absolute tolerance, multiplied by max(1, largest |expected|) (default 1e-6). */
  readonly atol?: number;
}

const defaults = { eps: 1e-6, rtol: 1e-5, atol: 1e-6 };

/** Zeros of `x`'s shape and dtype, as a concrete tensor. */
function zerosLike(x: AnyTensor): ConcreteTensor {
  return tensor(new Array<number>(x.size).fill(0), x.shape, x.dtype);
}

/** `x + s·v` for float `x` (unchanged otherwise), in float64 arithmetic before conversion. */
function shift(x: ConcreteTensor, v: ConcreteTensor | null, s: number): ConcreteTensor {
  if (v === null || !isFloat(x.dtype)) return x;
  const xs = valuesOf(x);
  const vs = valuesOf(v);
  return tensor(
    xs.map((a, i) => a + s * vs[i]),
    x.shape,
    x.dtype,
  );
}

/**
 * Central finite difference of `f` at `primals` along `tangents`:
 * (f(x + ε·v) − f(x − ε·v)) / 2ε per output, as float64 numbers (non-float outputs as 0/1 or ints).
 */
export function finiteDifferenceJvp(
  f: FlatFn,
  primals: readonly ConcreteTensor[],
  tangents: readonly (ConcreteTensor | null)[],
  eps = defaults.eps,
): number[][] {
  const plus = f(...primals.map((x, i) => shift(x, tangents[i], eps)));
  const minus = f(...primals.map((x, i) => shift(x, tangents[i], -eps)));
  return plus.map((p, k) => {
    const a = valuesOf(p);
    const b = valuesOf(minus[k]);
    return a.map((v, i) => (v - b[i]) / (2 * eps));
  });
}

/** Tangents for `jvpFlat`: the given ones for float inputs, zeros of the input's dtype for the rest. */
export function fullTangents(primals: readonly ConcreteTensor[], tangents: readonly (ConcreteTensor | null)[]): ConcreteTensor[] {
  return primals.map((x, i) => (isFloat(x.dtype) && tangents[i] !== null ? tangents[i]! : zerosLike(x)));
}

function scaledTol(expected: readonly number[], opts: GradcheckOptions): Tol {
  const scale = expected.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 1);
  return { rtol: opts.rtol ?? defaults.rtol, atol: (opts.atol ?? defaults.atol) * scale };
}

/**
 * Checks `jvpFlat(f)` at `primals` along `tangents` against central finite differences, and its
 * primal outputs against `f` itself. Throws a readable error on mismatch.
 */
export function checkJvp(
  f: FlatFn,
  primals: readonly ConcreteTensor[],
  tangents: readonly (ConcreteTensor | null)[],
  opts: GradcheckOptions = {},
): void {
  const [primalsOut, tangentsOut] = jvpFlat(f, primals, fullTangents(primals, tangents));
  const direct = f(...primals);
  if (primalsOut.length !== direct.length) throw new Error(`jvp: ${primalsOut.length} primal outputs, expected ${direct.length}`);
  direct.forEach((y, k) => {
    const r = compareClose(primalsOut[k], y, { rtol: 0, atol: 0 });
    if (!r.ok) throw new Error(`jvp primal output ${k}: ${r.message}`);
    const t = tangentsOut[k];
    if (t.shape.join(",") !== y.shape.join(",")) {
      throw new Error(`jvp tangent ${k}: shape [${t.shape.join(", ")}] differs from the output's [${y.shape.join(", ")}]`);
    }
  });
  const fd = finiteDifferenceJvp(f, primals, tangents, opts.eps);
  fd.forEach((expected, k) => {
    const r = compareClose(valuesOf(tangentsOut[k]), expected, scaledTol(expected, opts));
    if (!r.ok) throw new Error(`jvp tangent ${k} vs finite differences: ${r.message}`);
  });
}

/** Checks that `jvpFlat(f)` gives exactly zero tangents (for outputs cut off from derivatives, like stopGradient). */
export function checkZeroJvp(f: FlatFn, primals: readonly ConcreteTensor[], tangents: readonly (ConcreteTensor | null)[]): void {
  const [, tangentsOut] = jvpFlat(f, primals, fullTangents(primals, tangents));
  tangentsOut.forEach((t, k) => {
    const bad = valuesOf(t).findIndex((v) => v !== 0);
    if (bad >= 0) throw new Error(`jvp tangent ${k}: expected zeros, element ${bad} is ${valuesOf(t)[bad]}`);
  });
}

function dot(a: readonly number[], b: readonly number[]): [number, number] {
  let s = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i] * b[i];
    m += Math.abs(a[i] * b[i]);
  }
  return [s, m];
}

/**
 * The dot-product test of reverse mode: with ẋ = `tangents` and ȳ = `cotangents` (null for
 * non-float outputs, which then get zero cotangents of their dtype),
 * ⟨ȳ, J·ẋ⟩ (by `jvpFlat`) must equal ⟨Jᵀ·ȳ, ẋ⟩ (by `vjpFlat`) up to rounding. Also checks
 * that the VJP's primal outputs equal `f`'s and that every float input's cotangent has its shape.
 */
export function checkVjp(
  f: FlatFn,
  primals: readonly ConcreteTensor[],
  tangents: readonly (ConcreteTensor | null)[],
  cotangents: readonly (ConcreteTensor | null)[],
  rtol = 1e-10,
): void {
  const [, jv] = jvpFlat(f, primals, fullTangents(primals, tangents));
  const [outs, pullback] = vjpFlat(f, primals);
  const direct = f(...primals);
  direct.forEach((y, k) => {
    const r = compareClose(outs[k], y, { rtol: 0, atol: 0 });
    if (!r.ok) throw new Error(`vjp primal output ${k}: ${r.message}`);
  });
  const cts = outs.map((y, k) => cotangents[k] ?? zerosLike(y));
  const xBars = pullback(cts);
  if (xBars.length !== primals.length) throw new Error(`vjp: ${xBars.length} input cotangents for ${primals.length} inputs`);
  let lhs = 0;
  let lhsMag = 0;
  outs.forEach((y, k) => {
    if (cotangents[k] === null || !isFloat(y.dtype)) return;
    const [s, m] = dot(valuesOf(cotangents[k]!), valuesOf(jv[k]));
    lhs += s;
    lhsMag += m;
  });
  let rhs = 0;
  let rhsMag = 0;
  primals.forEach((x, i) => {
    const xBar = xBars[i];
    if (!isFloat(x.dtype)) return;
    if (xBar.shape.join(",") !== x.shape.join(",")) {
      throw new Error(`vjp: cotangent of input ${i} has shape [${xBar.shape.join(", ")}], the input [${x.shape.join(", ")}]`);
    }
    if (tangents[i] === null) return;
    const [s, m] = dot(valuesOf(xBar), valuesOf(tangents[i]!));
    rhs += s;
    rhsMag += m;
  });
  const scale = Math.max(lhsMag, rhsMag, 1e-300);
  if (!(Math.abs(lhs - rhs) <= rtol * scale) && !(lhs === rhs)) {
    throw new Error(`dot-product test: ⟨ȳ, J·ẋ⟩ = ${lhs} but ⟨Jᵀȳ, ẋ⟩ = ${rhs} (|diff| = ${Math.abs(lhs - rhs)}, scale ${scale})`);
  }
}

/**
 * Checks a gradient against finite differences of a scalar function along `directions`:
 * ⟨∇L, v⟩ ≈ (L(x + εv) − L(x − εv)) / 2ε, where `loss` maps the inputs to a scalar tensor and
 * `grads` are the gradients of the float inputs (null for the others).
 */
export function checkGradAlong(
  loss: (...args: AnyTensor[]) => AnyTensor,
  primals: readonly ConcreteTensor[],
  grads: readonly (AnyTensor | null)[],
  directions: readonly (ConcreteTensor | null)[],
  opts: GradcheckOptions = {},
): void {
  const eps = opts.eps ?? defaults.eps;
  const [fd] = finiteDifferenceJvp((...xs) => [loss(...xs)], primals, directions, eps)[0];
  let along = 0;
  let mag = 0;
  grads.forEach((g, i) => {
    if (g === null || directions[i] === null) return;
    if (g.shape.join(",") !== primals[i].shape.join(",")) {
      throw new Error(`grad of input ${i}: shape [${g.shape.join(", ")}] differs from the input's [${primals[i].shape.join(", ")}]`);
    }
    const [s, m] = dot(valuesOf(g), valuesOf(directions[i]!));
    along += s;
    mag += m;
  });
  const tol = (opts.atol ?? defaults.atol) * Math.max(1, mag) + (opts.rtol ?? defaults.rtol) * Math.abs(fd);
  if (!(Math.abs(along - fd) <= tol)) {
    throw new Error(`grad: ⟨∇L, v⟩ = ${along} but finite differences give ${fd} (|diff| = ${Math.abs(along - fd)}, tol ${tol})`);
  }
}

/** A scalar loss Σ_k Σ w_k ⊙ f_k over the float outputs of `f` (weights fixed), for grad checks. */
export function weightedSumLoss(f: FlatFn, weights: readonly (ConcreteTensor | null)[]): (...args: AnyTensor[]) => AnyTensor {
  return (...args) => {
    const outs = f(...args);
    let total: AnyTensor | null = null;
    outs.forEach((y, k) => {
      const w = weights[k];
      if (w === null || !isFloat(y.dtype)) return;
      const term = ops.reduceSum(
        ops.mul(y, w),
        y.shape.map((_, i) => i),
      );
      total = total === null ? term : ops.add(total, term);
    });
    if (total === null) throw new Error("weightedSumLoss: f has no float output");
    return total;
  };
}
