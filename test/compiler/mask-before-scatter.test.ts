// The simplifier's rewrite of ReLU's derivative after max pooling's (maskBeforeScatter in
// primitives/select-and-scatter-add.ts): select(x > 0, selectAndScatterAdd(s, relu(x)), 0) becomes
// selectAndScatterAdd(select(pooled > 0, s, 0), relu(x)). Checked: it applies to the derivative of
// relu → max pool (with overlapping windows and padding too), the jitted result equals eager
// evaluation bit for bit on both backends (ties, zeros, NaN and ±∞ in x and in the cotangent), and
// it does not apply where its premises fail.
import { afterEach, describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import type { Eqn } from "../../src/core/jaxpr.js";
import type { WindowParams } from "../../src/core/primitive.js";
import { jit, makeJaxpr, setBackend } from "../../src/index.js";
import { simplify } from "../../src/compiler/simplify.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { reduceWindowOf, selectAndScatterAddOf } from "../../src/primitives/_window.js";
import { wasmAvailable } from "../../src/backend/wasm/probe.js";

type T = AnyTensor;

/** A generator of [0, 1) from a seed (the test's data must not change between runs). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

/**
 * Values with many exact ties and zeros (small integers), some NaN and ±∞ where `special` is set:
 * the cases where a mask moved across the scatter could change a bit.
 */
function values(shape: number[], seed: number, special: boolean): T {
  const r = random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const pick = (): number => {
    const u = r();
    if (special && u < 0.03) return [NaN, Infinity, -Infinity][Math.floor(r() * 3)];
    return u < 0.5 ? Math.floor(r() * 5) - 2 : (r() - 0.5) * 6;
  };
  return ops.fromValues(Array.from({ length: n }, pick), shape, "float32");
}

const relu = (x: T): T => {
  const zero = ops.fullLike(x, 0);
  return ops.select(ops.compare(x, zero, "gt"), x, zero);
};

/** The cotangent of x through max pooling of `activation(x)`, for the cotangent `ct` of the pooled values. */
const poolBackward =
  (g: WindowParams, activation: (x: T) => T = relu) =>
  (x: T, ct: T): T => {
    const [, pullback] = vjpFlat((a) => [reduceWindowOf(activation(a), "Max", g)], [x]);
    return pullback([ct])[0] as T;
  };

const simplified = (f: (x: T, ct: T) => T, x: T, ct: T) => simplify(makeJaxpr(f)(x, ct).jaxpr);
const selects = (eqns: readonly Eqn[]) => eqns.filter((e) => e.prim === "select");
/** Whether the program scatters a masked source: the rewrite's shape. */
const rewritten = (eqns: readonly Eqn[]) => {
  const scatter = eqns.find((e) => e.prim === "selectAndScatterAdd");
  return scatter !== undefined && eqns.some((e) => e.prim === "select" && e.outBinders[0] === scatter.inputs[0]);
};

const geometries: [string, number[], WindowParams][] = [
  ["2×2 pool, stride 2 (NHWC)", [3, 6, 8, 5], { window: [1, 2, 2, 1], strides: [1, 2, 2, 1], padding: [[0, 0], [0, 0], [0, 0], [0, 0]] }],
  ["3×3 pool, stride 2, padding 1 (overlapping)", [2, 7, 5, 4], { window: [1, 3, 3, 1], strides: [1, 2, 2, 1], padding: [[0, 0], [1, 1], [1, 1], [0, 0]] }],
  ["windows of stride 1 and an odd size left over", [2, 9, 3], { window: [1, 2, 1], strides: [1, 1, 1], padding: [[0, 0], [0, 0], [0, 0]] }],
  ["2×2 pool over 7×7 (a row and column in no window)", [2, 7, 7, 4], { window: [1, 2, 2, 1], strides: [1, 2, 2, 1], padding: [[0, 0], [0, 0], [0, 0], [0, 0]] }],
  ["windows of padding only", [1, 4, 2], { window: [1, 2, 1], strides: [1, 3, 1], padding: [[0, 0], [2, 3], [0, 0]] }],
];

describe("ReLU's derivative moved before max pooling's", () => {
  afterEach(() => setBackend("auto"));

  test.each(geometries)("the rewrite applies: %s", (_, shape, g) => {
    const f = poolBackward(g);
    const x = values(shape, 1, false);
    const ct = values(reduceWindowOf(x, "Max", g).shape, 2, false);
    const before = makeJaxpr(f)(x, ct).jaxpr.eqns;
    const after = simplified(f, x, ct).eqns;
    expect(rewritten(before)).toBe(false);
    expect(rewritten(after)).toBe(true);
    // The full-size mask select is gone; the mask is applied to the pooled-size cotangent.
    const full = (e: Eqn) => e.outBinders[0].aval.size === x.size;
    expect(selects(before).filter(full)).toHaveLength(2);
    expect(selects(after).filter(full)).toHaveLength(1); // relu itself
  });

  for (const backend of ["wasm", "js"] as const) {
    test.each(geometries)(`jit equals eager bit for bit (${backend}): %s`, (_, shape, g) => {
      if (backend === "wasm" && !wasmAvailable()) return;
      setBackend(backend);
      const f = poolBackward(g);
      for (const seed of [1, 2, 3]) {
        const special = seed !== 1;
        const x = values(shape, seed, special);
        const ct = values(reduceWindowOf(x, "Max", g).shape, seed + 10, special);
        const eager = Array.from(f(x, ct).data() as Float32Array);
        const jitted = Array.from(jit(f)(x, ct).data() as Float32Array);
        expect(jitted.map((v) => (Object.is(v, -0) ? "-0" : v))).toEqual(eager.map((v) => (Object.is(v, -0) ? "-0" : v)));
      }
    });
  }

  test("it does not apply where a premise fails", () => {
    const [, shape, g] = geometries[0];
    const x = values(shape, 1, false);
    const ct = values(reduceWindowOf(x, "Max", g).shape, 2, false);
    // A leaky ReLU: the other branch is not a constant ≤ 0.
    const leaky = (x: T) => ops.select(ops.compare(x, ops.fullLike(x, 0), "gt"), x, ops.mul(x, ops.fullLike(x, 0.01)));
    expect(rewritten(simplified(poolBackward(g, leaky), x, ct).eqns)).toBe(false);
    // A "ReLU" with 1 where x ≤ 0: relu(x) > 0 is no longer x > 0.
    const shifted = (x: T) => ops.select(ops.compare(x, ops.fullLike(x, 0), "gt"), x, ops.fullLike(x, 1));
    expect(rewritten(simplified(poolBackward(g, shifted), x, ct).eqns)).toBe(false);
    // A test other than > 0.
    const ge = (x: T) => ops.select(ops.compare(x, ops.fullLike(x, 0), "ge"), x, ops.fullLike(x, 0));
    expect(rewritten(simplified(poolBackward(g, ge), x, ct).eqns)).toBe(false);
    // No max pool of relu(x) in the program: the mask would need one more pass to compute.
    const noPool = (x: T, s: T) => {
      const mask = ops.compare(x, ops.fullLike(x, 0), "gt");
      return ops.select(mask, selectAndScatterAddOf(s, relu(x), g), ops.fullLike(x, 0));
    };
    expect(rewritten(simplified(noPool, x, ct).eqns)).toBe(false);
    // The scattered values are read elsewhere too: the rewrite would scatter twice.
    const reused = (x: T, s: T) => {
      const y = relu(x);
      const pooled = reduceWindowOf(y, "Max", g);
      const mask = ops.compare(x, ops.fullLike(x, 0), "gt");
      const scattered = selectAndScatterAddOf(ops.mul(s, ops.fullLike(s, 1.5)), y, g);
      return ops.add(ops.select(mask, scattered, ops.fullLike(x, 0)), ops.add(scattered, ops.broadcastInDim(ops.reduceSum(pooled, [0, 1, 2, 3]), x.shape, [])));
    };
    expect(rewritten(simplified(reused, x, ct).eqns)).toBe(false);
  });
});
