import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { jit, vmap } from "../../src/index.js";
import * as random from "../../src/random/index.js";
import { erfinv } from "../../src/random/sample.js";

type T = AnyTensor;
const u32 = (x: T) => Array.from(x.data(), (v) => (v >>> 0).toString(16).padStart(8, "0"));
const words = (a: number, b: number) => [ops.fromValues([a | 0], [1], "int32"), ops.fromValues([b | 0], [1], "int32")];

describe("Threefry-2x32, 20 rounds: Random123 known-answer vectors", () => {
  const cases: [number, number, number, number, string, string][] = [
    [0, 0, 0, 0, "6b200159", "99ba4efe"],
    [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, "1cb996fc", "bb002be7"],
    [0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3, "c4923a9c", "483df7a0"],
  ];
  test.each(cases)("key (%i, %i), counter (%i, %i)", (k0, k1, x0, x1, y0, y1) => {
    const [a, b] = words(k0, k1);
    const [c, d] = words(x0, x1);
    const [r0, r1] = ops.threefry2x32(a, b, c, d);
    expect(u32(r0)).toEqual([y0]);
    expect(u32(r1)).toEqual([y1]);
  });
});

describe("keys", () => {
  test("key(seed) holds the seed's high and low words", () => {
    expect(Array.from((random.key(42) as unknown as T).data())).toEqual([0, 42]);
    expect(Array.from((random.key(2 ** 32 + 5) as unknown as T).data())).toEqual([1, 5]);
    expect(() => random.key(-1)).toThrow(RangeError);
  });
  test("the same key gives the same values; split keys give different ones", () => {
    const k = random.key(0);
    const a = (random.uniform(k, [5]) as unknown as T).toArray();
    expect((random.uniform(k, [5]) as unknown as T).toArray()).toEqual(a);
    const [k1, k2] = random.splitList(k);
    const b = (random.uniform(k1, [5]) as unknown as T).toArray();
    const c = (random.uniform(k2, [5]) as unknown as T).toArray();
    expect(b).not.toEqual(a);
    expect(c).not.toEqual(b);
    expect((random.split(k, 3) as unknown as T).shape).toEqual([3, 2]);
    expect(u32(random.foldIn(k, 1) as unknown as T)).not.toEqual(u32(random.foldIn(k, 2) as unknown as T));
  });
  test("samplers trace under jit and map over keys under vmap", () => {
    const k = random.key(7);
    const eager = (random.normal(k, [4]) as unknown as T).toArray();
    const jitted = jit((key: typeof k) => random.normal(key, [4]))(k);
    expect((jitted as unknown as T).toArray()).toEqual(eager);
    const keys = random.split(k, 3);
    const batched = vmap((key: typeof k) => random.uniform(key, [2]))(keys as never) as unknown as T;
    const rows = batched.toArray() as number[][];
    random.splitList(k, 3).forEach((kk, i) => expect(rows[i]).toEqual((random.uniform(kk, [2]) as unknown as T).toArray()));
  });
});

describe("distributions (100,000 draws)", () => {
  const n = 100_000;
  const k = random.key(123);
  const stats = (x: T) => {
    const v = Array.from(x.data());
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
    return { v, mean, variance, min: Math.min(...v), max: Math.max(...v) };
  };
  test("uniform: within [min, max), mean and variance of U(a, b)", () => {
    const s = stats(random.uniform(k, [n], { minval: -2, maxval: 3 }) as unknown as T);
    expect(s.min).toBeGreaterThanOrEqual(-2);
    expect(s.max).toBeLessThan(3);
    expect(s.mean).toBeCloseTo(0.5, 1);
    expect(s.variance).toBeCloseTo(25 / 12, 1);
    const s64 = stats(random.uniform(k, [n], { dtype: "float64" }) as unknown as T);
    expect(s64.mean).toBeCloseTo(0.5, 2);
  });
  test("normal: mean 0, variance 1, tails", () => {
    const s = stats(random.normal(k, [n]) as unknown as T);
    expect(Math.abs(s.mean)).toBeLessThan(0.01);
    expect(s.variance).toBeCloseTo(1, 1);
    const beyond2 = s.v.filter((x) => Math.abs(x) > 2).length / n;
    expect(beyond2).toBeCloseTo(0.0455, 2);
  });
  test("truncatedNormal stays inside its bounds", () => {
    const s = stats(random.truncatedNormal(k, [n], { lower: -1, upper: 2 }) as unknown as T);
    expect(s.min).toBeGreaterThanOrEqual(-1);
    expect(s.max).toBeLessThanOrEqual(2);
    // mean of N(0,1) truncated to (−1, 2): (φ(−1) − φ(2)) / (Φ(2) − Φ(−1)) ≈ 0.2297
    expect(s.mean).toBeCloseTo(0.2297, 2);
  });
  test("bernoulli, randint, categorical frequencies", () => {
    const b = Array.from((random.bernoulli(k, 0.3, [n]) as unknown as T).data());
    expect(b.reduce((a, x) => a + x, 0) / n).toBeCloseTo(0.3, 2);
    const r = Array.from((random.randint(k, [n], 3, 7) as unknown as T).data());
    expect(Math.min(...r)).toBe(3);
    expect(Math.max(...r)).toBe(6);
    const logits = ops.broadcastInDim(ops.log(ops.fromValues([0.1, 0.2, 0.7], [3], "float32")), [n, 3], [1]);
    const c = Array.from((random.categorical(k, logits as never) as unknown as T).data());
    expect(c.filter((x) => x === 2).length / n).toBeCloseTo(0.7, 2);
  });
  test("permutation is a permutation; choice without replacement has no repeats", () => {
    const p = Array.from((random.permutation(k, 1000) as unknown as T).data());
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(p).not.toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const c = Array.from((random.choice(k, 50, [20], { replace: false }) as unknown as T).data());
    expect(new Set(c).size).toBe(20);
  });
});

test("erfinv inverts erf to float32 accuracy", () => {
  // erf by its Maclaurin series / continued fraction is overkill: invert numerically instead.
  const erf = (x: number) => {
    // High-accuracy erf via the series for |x| < 3 (terms until negligible).
    let sum = 0;
    let term = x;
    for (let n = 0; n < 200; n++) {
      sum += term / (2 * n + 1);
      term *= (-x * x) / (n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  };
  const xs = [-2.5, -1.3, -0.4, 0, 0.01, 0.7, 1.9, 2.7];
  const ys = ops.fromValues(xs.map(erf), [xs.length], "float64");
  const back = Array.from(erfinv(ys).data());
  back.forEach((v, i) => expect(Math.abs(v - xs[i])).toBeLessThan(2e-6 * (1 + Math.abs(xs[i]))));
});
