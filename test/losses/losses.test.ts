import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { grad, losses, metrics } from "../../src/index.js";

type T = AnyTensor;
const f64 = (v: number[], shape: number[] = [v.length]) => ops.fromValues(v, shape, "float64");
const i32 = (v: number[]) => ops.fromValues(v, [v.length], "int32");
const num = (x: unknown) => (x as T).item() as number;

describe("regression losses", () => {
  const p = f64([1, 2, 5]);
  const t = f64([0, 2, 2]);
  test("mse, mae, huber with mean, sum and none", () => {
    expect(num(losses.mse(p as never, t as never))).toBeCloseTo(10 / 3, 12);
    expect(num(losses.mse(p as never, t as never, "sum"))).toBeCloseTo(10, 12);
    expect((losses.mse(p as never, t as never, "none") as unknown as T).toArray()).toEqual([1, 0, 9]);
    expect(num(losses.mae(p as never, t as never))).toBeCloseTo(4 / 3, 12);
    // huber δ=1: e = 1 → 0.5; e = 0 → 0; e = 3 → 1·(3 − 0.5) = 2.5
    expect((losses.huber(p as never, t as never, 1, "none") as unknown as T).toArray()).toEqual([0.5, 0, 2.5]);
  });
  test("shape mismatch is a ShapeError naming both shapes", () => {
    expect(() => losses.mse(p as never, f64([1, 2]) as never)).toThrow("mse: predictions and targets differ in shape: [3] vs [2]");
  });
});

describe("cross-entropy", () => {
  test("softmaxCrossEntropy with integer labels equals the one-hot form and −log softmax", () => {
    const logits = f64([1, 2, 3, 0, 0, 0], [2, 3]);
    const labels = i32([2, 0]);
    const expected = (-Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3))) + Math.log(3)) / 2;
    expect(num(losses.softmaxCrossEntropy(logits as never, labels as never))).toBeCloseTo(expected, 12);
    const oneHot = f64([0, 0, 1, 1, 0, 0], [2, 3]);
    expect(num(losses.softmaxCrossEntropy(logits as never, oneHot as never))).toBeCloseTo(expected, 12);
  });
  test("stable for logits of ±1e4", () => {
    const logits = ops.fromValues([1e4, -1e4, 0, -1e4, 1e4, 0], [2, 3], "float32");
    const v = num(losses.softmaxCrossEntropy(logits as never, i32([1, 1]) as never));
    expect(v).toBeCloseTo(1e4, 0);
    expect(Number.isFinite(v)).toBe(true);
    const bce = num(losses.binaryCrossEntropy(ops.fromValues([1e4, -1e4], [2], "float32") as never, ops.fromValues([0, 1], [2], "float32") as never));
    expect(bce).toBeCloseTo(1e4, 0);
  });
  test("gradient of softmaxCrossEntropy is (softmax − onehot) / B", () => {
    const logits = f64([0.5, -1, 2, 0.1, 0.2, 0.3], [2, 3]);
    const g = grad(((x: T) => losses.softmaxCrossEntropy(x as never, i32([2, 1]) as never)) as never)(logits as never) as T;
    const rows = [[0.5, -1, 2], [0.1, 0.2, 0.3]];
    const expected = rows.flatMap((r, b) => {
      const z = r.reduce((a, v) => a + Math.exp(v), 0);
      return r.map((v, c) => (Math.exp(v) / z - (c === [2, 1][b] ? 1 : 0)) / 2);
    });
    Array.from(g.data()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
  });
  test("binaryCrossEntropy equals −z log σ(x) − (1−z) log(1−σ(x))", () => {
    const x = [-2, 0.3, 4];
    const z = [0, 1, 0.25];
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const expected = x.reduce((a, v, i) => a - z[i] * Math.log(sig(v)) - (1 - z[i]) * Math.log(1 - sig(v)), 0) / 3;
    expect(num(losses.binaryCrossEntropy(f64(x) as never, f64(z) as never))).toBeCloseTo(expected, 12);
  });
});

describe("metrics", () => {
  const scores = f64([0.1, 0.9, 0.8, 0.2, 0.3, 0.7, 0.6, 0.4], [4, 2]);
  const labels = i32([1, 0, 0, 0]);
  test("accuracy from scores and from predicted classes", () => {
    expect(num(metrics.accuracy(scores as never, labels as never))).toBeCloseTo(0.75, 6);
    expect(num(metrics.accuracy(i32([1, 0, 1, 0]) as never, labels as never))).toBeCloseTo(0.75, 6);
  });
  test("confusion matrix counts (true, predicted) pairs", () => {
    expect((metrics.confusionMatrix(scores as never, labels as never, 2) as unknown as T).toArray()).toEqual([
      [2, 1],
      [0, 1],
    ]);
  });
});
