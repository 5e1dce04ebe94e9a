// The simplifier's rewrite of a sum of max pooling's derivative (sumOfScatter in
// primitives/select-and-scatter-add.ts): reduceSum(selectAndScatterAdd(s, x), axes) becomes
// reduceSum(s, axes) where the unsummed axes have windows of one element, one apart, unpadded, and
// no window lies in padding only. Checked: it applies to the bias gradient of conv → ReLU → max
// pool and to other window geometries (overlapping, padded, elements in no window), the jitted
// result equals eager evaluation to float32's rounding on both backends (ties, NaN and ±∞
// included) and to float64's in float64, and it does not apply where a premise fails.
import { afterEach, describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import type { Eqn } from "../../src/core/jaxpr.js";
import type { WindowParams } from "../../src/core/primitive.js";
import type { DType } from "../../src/dtype.js";
import { jit, makeJaxpr, setBackend } from "../../src/index.js";
import { simplify } from "../../src/compiler/simplify.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { reduceWindowOf, selectAndScatterAddOf } from "../../src/primitives/_window.js";
import { wasmAvailable } from "../../src/backend/wasm/probe.js";
import { Rng } from "../helpers/random-shapes.js";

type T = AnyTensor;

/** Values with exact ties (small integers) and, where `special` is set, some NaN and ±∞. */
function values(shape: readonly number[], seed: number, special: boolean, dtype: DType = "float32"): T {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const pick = (): number => {
    const u = rng.next();
    if (special && u < 0.02) return rng.pick([NaN, Infinity, -Infinity]);
    return u < 0.4 ? rng.int(-2, 2) : rng.uniform(-3, 3);
  };
  return ops.fromValues(Array.from({ length: n }, pick), shape, dtype);
}

/** The sum over `axes` of the cotangent of x through max pooling, for the cotangent `ct` of the pooled values. */
const pooledSum =
  (g: WindowParams, axes: number[]) =>
  (x: T, ct: T): T => {
    const [, pullback] = vjpFlat((a) => [reduceWindowOf(a, "Max", g)], [x]);
    return ops.reduceSum(pullback([ct])[0] as T, axes);
  };

/** Whether a sum in the program reads a scatter's source (the rewrite's shape), and whether one reads a scatter. */
const sums = (eqns: readonly Eqn[]) => {
  const scatters = eqns.filter((e) => e.prim === "selectAndScatterAdd");
  const reduceSums = eqns.filter((e) => e.prim === "reduceSum");
  return {
    ofSource: reduceSums.some((e) => scatters.some((s) => s.inputs[0] === e.inputs[0])) || (scatters.length === 0 && reduceSums.length > 0),
    ofScatter: reduceSums.some((e) => scatters.some((s) => s.outBinders[0] === e.inputs[0])),
  };
};
const simplified = (f: (x: T, ct: T) => T, x: T, ct: T) => simplify(makeJaxpr(f)(x, ct).jaxpr).eqns;

const nhwc = (window: number[], strides: number[], padding: [number, number][]): WindowParams => ({ window, strides, padding });
const cases: [string, number[], WindowParams, number[]][] = [
  ["2×2 pool, stride 2, summed over N, H, W (a bias gradient)", [3, 6, 8, 5], nhwc([1, 2, 2, 1], [1, 2, 2, 1], [[0, 0], [0, 0], [0, 0], [0, 0]]), [0, 1, 2]],
  ["3×3 pool, stride 2, padding 1 (overlapping windows)", [2, 7, 5, 4], nhwc([1, 3, 3, 1], [1, 2, 2, 1], [[0, 0], [1, 1], [1, 1], [0, 0]]), [0, 1, 2]],
  ["2×2 pool over 7×7 (a row and a column in no window)", [2, 7, 7, 4], nhwc([1, 2, 2, 1], [1, 2, 2, 1], [[0, 0], [0, 0], [0, 0], [0, 0]]), [0, 1, 2]],
  ["windows over the batch axis too, summed over everything", [4, 5, 3], nhwc([2, 2, 1], [2, 1, 1], [[0, 0], [0, 0], [0, 0]]), [0, 1, 2]],
  ["summed over H and W only (per image and channel)", [3, 6, 4, 2], nhwc([1, 2, 2, 1], [1, 2, 2, 1], [[0, 0], [0, 0], [0, 0], [0, 0]]), [1, 2]],
];

/** Whether a and b agree to a rounding of `eps` relative to the magnitude of what was summed (NaN and ±∞ where the other has them). */
function agree(a: ArrayLike<number>, b: ArrayLike<number>, scale: number, eps: number): boolean {
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i]) || !Number.isFinite(a[i]) || !Number.isFinite(b[i])) {
      if (!Object.is(a[i], b[i]) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
    } else if (Math.abs(a[i] - b[i]) > eps * scale) return false;
  }
  return true;
}

describe("the sum of max pooling's derivative sums what it scattered", () => {
  afterEach(() => setBackend("auto"));

  test.each(cases)("the rewrite applies: %s", (_, shape, g, axes) => {
    const f = pooledSum(g, axes);
    const x = values(shape, 1, false);
    const ct = values(reduceWindowOf(x, "Max", g).shape, 2, false);
    expect(sums(makeJaxpr(f)(x, ct).jaxpr.eqns)).toEqual({ ofSource: false, ofScatter: true });
    const after = simplified(f, x, ct);
    expect(sums(after).ofScatter).toBe(false);
    // nothing else reads the scatter: it is gone
    expect(after.some((e) => e.prim === "selectAndScatterAdd")).toBe(false);
    expect(after.filter((e) => e.prim === "reduceSum")).toHaveLength(1);
  });

  for (const backend of ["wasm", "js"] as const) {
    test.each(cases)(`jit agrees with eager to float32's rounding (${backend}): %s`, (_, shape, g, axes) => {
      if (backend === "wasm" && !wasmAvailable()) return;
      setBackend(backend);
      const f = pooledSum(g, axes);
      for (const seed of [1, 2, 3]) {
        const special = seed === 3;
        const x = values(shape, seed, special);
        const ct = values(reduceWindowOf(x, "Max", g).shape, seed + 10, special);
        const scale = (ct.data() as Float32Array).reduce((a, v) => (Number.isFinite(v) ? a + Math.abs(v) : a), 1);
        const eager = f(x, ct).data() as Float32Array;
        const jitted = jit(f)(x, ct).data() as Float32Array;
        expect(agree(jitted, eager, scale, 1e-6)).toBe(true);
        if (special) expect(eager.some((v) => !Number.isFinite(v))).toBe(true);
      }
    });
  }

  test.each(cases)("jit agrees with eager in float64: %s", (_, shape, g, axes) => {
    setBackend("js");
    const f = pooledSum(g, axes);
    const x = values(shape, 4, false, "float64");
    const ct = values(reduceWindowOf(x, "Max", g).shape, 5, false, "float64");
    const scale = (ct.data() as Float64Array).reduce((a, v) => a + Math.abs(v), 1);
    expect(agree(jit(f)(x, ct).data() as Float64Array, f(x, ct).data() as Float64Array, scale, 1e-14)).toBe(true);
  });

  test("the bias gradient of conv → ReLU → max pool sums the pooled cotangent", () => {
    const g = nhwc([1, 2, 2, 1], [1, 2, 2, 1], [[0, 0], [0, 0], [0, 0], [0, 0]]);
    const loss = (bias: T, x: T, ct: T): T => {
      const y = ops.add(x, ops.broadcastInDim(bias, x.shape, [3]));
      const relu = ops.select(ops.compare(y, ops.fullLike(y, 0), "gt"), y, ops.fullLike(y, 0));
      return ops.reduceSum(ops.mul(reduceWindowOf(relu, "Max", g), ct), [0, 1, 2, 3]);
    };
    const x = values([2, 6, 4, 3], 6, false);
    const ct = values([2, 3, 2, 3], 7, false);
    const bias = values([3], 8, false);
    const gradBias = (b: T, xx: T, c: T) => (vjpFlat((bb) => [loss(bb, xx, c)], [b])[1]([ops.fullLike(loss(b, xx, c), 1)])[0] as T);
    const eqns = simplify(makeJaxpr(gradBias)(bias, x, ct).jaxpr).eqns;
    const sum = eqns.find((e) => e.prim === "reduceSum" && e.outBinders[0].aval.size === 3)!;
    expect(sum.inputs[0].aval.shape).toEqual([2, 3, 2, 3]);
    expect(eqns.some((e) => e.prim === "selectAndScatterAdd")).toBe(false);
    const scale = (ct.data() as Float32Array).reduce((a, v) => a + Math.abs(v), 1);
    expect(agree(jit(gradBias)(bias, x, ct).data() as Float32Array, gradBias(bias, x, ct).data() as Float32Array, scale, 1e-6)).toBe(true);
  });

  test("it does not apply where a premise fails", () => {
    const shape = [3, 6, 8, 5];
    const pool = nhwc([1, 2, 2, 1], [1, 2, 2, 1], [[0, 0], [0, 0], [0, 0], [0, 0]]);
    // and whatever it decides, jit agrees with eager
    const applies = (g: WindowParams, axes: number[], s: number[] = shape) => {
      const x = values(s, 1, false);
      const ct = values(reduceWindowOf(x, "Max", g).shape, 2, false);
      const f = pooledSum(g, axes);
      const scale = (ct.data() as Float32Array).reduce((a, v) => a + Math.abs(v), 1);
      expect(agree(jit(f)(x, ct).data() as Float32Array, f(x, ct).data() as Float32Array, scale, 1e-6)).toBe(true);
      return !sums(simplified(f, x, ct)).ofScatter;
    };
    expect(applies(pool, [0, 1, 2])).toBe(true);
    // an unsummed axis with windows of two: a window's value spreads over two of the results
    expect(applies(pool, [0, 1])).toBe(false);
    // an unsummed axis with windows of one, two apart: every other element gets nothing
    expect(applies(nhwc([1, 2, 1, 1], [1, 2, 2, 1], [[0, 0], [0, 0], [0, 0], [0, 0]]), [0, 1])).toBe(false);
    // an unsummed axis with padding: the first window is padding, the results shift
    expect(applies(nhwc([1, 2, 1, 1], [1, 2, 1, 1], [[0, 0], [0, 0], [1, 0], [0, 0]]), [0, 1])).toBe(false);
    // windows of padding only, first and last: their values are scattered nowhere
    expect(applies(nhwc([1, 2, 1], [1, 3, 1], [[0, 0], [2, 3], [0, 0]]), [0, 1, 2], [1, 4, 2])).toBe(false);
    expect(applies(nhwc([1, 2, 1], [1, 1, 1], [[0, 0], [0, 2], [0, 0]]), [0, 1, 2], [1, 4, 2])).toBe(false);
    // padding whose windows all hold an element: applies
    expect(applies(nhwc([1, 2, 1], [1, 1, 1], [[0, 0], [1, 1], [0, 0]]), [0, 1, 2], [1, 4, 2])).toBe(true);
    // a sum of something else than the scatter
    const other = (x: T, ct: T) => ops.reduceSum(ops.mul(selectAndScatterAddOf(ct, x, pool), x), [0, 1, 2]);
    const x = values(shape, 1, false);
    const ct = values(reduceWindowOf(x, "Max", pool).shape, 2, false);
    expect(sums(simplified(other, x, ct)).ofScatter).toBe(false);
    expect(simplified(other, x, ct).some((e) => e.prim === "selectAndScatterAdd")).toBe(true);
  });
});
