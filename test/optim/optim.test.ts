import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { grad, jit, optim } from "../../src/index.js";

type T = AnyTensor;
const f64 = (v: number[]) => ops.fromValues(v, [v.length], "float64");
const vals = (x: T) => Array.from(x.data());

/** Runs `opt` on params {w} with the given gradient sequence; returns w after each step. */
function run(opt: optim.GradientTransformation<optim.StateFn>, w0: number[], grads: number[][]): number[][] {
  let params = { w: f64(w0) };
  let state = opt.init(params);
  const history: number[][] = [];
  for (const g of grads) {
    const [updates, next] = opt.update({ w: f64(g) }, state, params);
    params = optim.applyUpdates(params, updates);
    state = next;
    history.push(vals(params.w));
  }
  return history;
}

const close = (a: number[][], b: number[][]) =>
  a.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(b[i][j], 12)));

describe("optimizers, step by step against hand-computed values", () => {
  const grads = [[0.5, -1], [0.2, 0.3], [-0.4, 0.1]];

  test("sgd: p ← p − lr·g", () => {
    close(run(optim.sgd(0.1), [1, 2], grads), [[0.95, 2.1], [0.93, 2.07], [0.97, 2.06]]);
  });

  test("sgd with momentum 0.9: v ← 0.9v + g, p ← p − lr·v", () => {
    // v1 = g1; v2 = 0.9·g1 + g2; v3 = 0.9·v2 + g3
    const v1 = [0.5, -1];
    const v2 = [0.9 * 0.5 + 0.2, 0.9 * -1 + 0.3];
    const v3 = [0.9 * v2[0] - 0.4, 0.9 * v2[1] + 0.1];
    const p1 = [1 - 0.1 * v1[0], 2 - 0.1 * v1[1]];
    const p2 = [p1[0] - 0.1 * v2[0], p1[1] - 0.1 * v2[1]];
    const p3 = [p2[0] - 0.1 * v3[0], p2[1] - 0.1 * v3[1]];
    close(run(optim.sgd(0.1, { momentum: 0.9 }), [1, 2], grads), [p1, p2, p3]);
  });

  test("nesterov: update = g + 0.9·v (with v already updated)", () => {
    const w = run(optim.nesterov(0.1, 0.9), [1], [[0.5], [0.2]]);
    close(w, [[1 - 0.1 * (0.5 + 0.9 * 0.5)], [1 - 0.1 * 0.95 - 0.1 * (0.2 + 0.9 * 0.65)]]);
  });

  test("adam: bias-corrected moments", () => {
    const lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
    let m = 0, v = 0, p = 1;
    const expected: number[][] = [];
    [0.5, 0.2, -0.4].forEach((g, i) => {
      const t = i + 1;
      m = b1 * m + (1 - b1) * g;
      v = b2 * v + (1 - b2) * g * g;
      const mHat = m / (1 - b1 ** t);
      const vHat = v / (1 - b2 ** t);
      p -= (lr * mHat) / (Math.sqrt(vHat) + eps);
      expected.push([p]);
    });
    close(run(optim.adam(lr, b1, b2, eps), [1], [[0.5], [0.2], [-0.4]]), expected);
    // First step of Adam moves every parameter by about lr, whatever the gradient's scale.
    expect(expected[0][0]).toBeCloseTo(0.9, 6);
  });

  test("adamw decays weights on top of adam", () => {
    const plain = run(optim.adam(0.1), [1], [[0.5]])[0][0];
    const decayed = run(optim.adamw(0.1, 0.9, 0.999, 1e-8, 0.5), [1], [[0.5]])[0][0];
    expect(decayed).toBeCloseTo(plain - 0.1 * 0.5 * 1, 12);
  });

  test("rmsprop and adagrad", () => {
    const rms = run(optim.rmsprop(0.1, 0.9, 1e-8), [1], [[0.5]])[0][0];
    expect(rms).toBeCloseTo(1 - (0.1 * 0.5) / (Math.sqrt(0.1 * 0.25) + 1e-8), 12);
    const ada = run(optim.adagrad(0.1, 0.1, 1e-7), [1], [[0.5]])[0][0];
    expect(ada).toBeCloseTo(1 - (0.1 * 0.5) / (Math.sqrt(0.1 + 0.25) + 1e-7), 12);
  });

  test("clipByGlobalNorm scales all leaves by one factor", () => {
    const clip = optim.clipByGlobalNorm(1);
    const [u] = clip.update({ a: f64([3]), b: f64([4]) }, clip.init({}));
    expect(vals(u.a)[0]).toBeCloseTo(0.6, 12);
    expect(vals(u.b)[0]).toBeCloseTo(0.8, 12);
    const [small] = clip.update({ a: f64([0.3]) }, clip.init({}));
    expect(vals(small.a)[0]).toBeCloseTo(0.3, 12);
  });
});

describe("schedules", () => {
  const at = (s: optim.Schedule, n: number) => (s(ops.full([], n, "int32") as never) as unknown as T).item() as number;
  test("exponential, step, cosine, warm-up", () => {
    expect(at(optim.exponentialDecay(1, 0.5, 10), 10)).toBeCloseTo(0.5, 6);
    expect(at(optim.exponentialDecay(1, 0.5, 10, true), 15)).toBeCloseTo(0.5, 6);
    expect(at(optim.stepDecay(1, 0.1, [5, 10]), 4)).toBeCloseTo(1, 6);
    expect(at(optim.stepDecay(1, 0.1, [5, 10]), 10)).toBeCloseTo(0.01, 6);
    expect(at(optim.cosineDecay(1, 100), 50)).toBeCloseTo(0.5, 6);
    expect(at(optim.cosineDecay(1, 100, 0.1), 1000)).toBeCloseTo(0.1, 6);
    const warm = optim.linearWarmup(1, 10, optim.cosineDecay(1, 100));
    expect(at(warm, 5)).toBeCloseTo(0.5, 6);
    expect(at(warm, 60)).toBeCloseTo(0.5, 6);
  });
  test("a scheduled learning rate is used step by step", () => {
    const w = run(optim.sgd(optim.stepDecay(1, 0.5, [1])), [0], [[1], [1]]);
    close(w, [[-1], [-1.5]]);
  });
});

test("a jitted training step with adam minimizes a quadratic", () => {
  const target = f64([1, -2, 3]);
  const loss = (p: { w: T }) => {
    const d = ops.sub(p.w, target);
    return ops.reduceSum(ops.mul(d, d), [0]);
  };
  const opt = optim.adam(0.1);
  let params = { w: f64([0, 0, 0]) };
  let state = opt.init(params);
  const step = jit((p: typeof params, s: typeof state) => {
    const g = grad(loss as never)(p as never) as typeof params;
    const [u, s2] = opt.update(g, s, p);
    return [optim.applyUpdates(p, u), s2] as const;
  });
  for (let i = 0; i < 300; i++) [params, state] = step(params, state) as [typeof params, typeof state];
  vals(params.w).forEach((v, i) => expect(v).toBeCloseTo(vals(target)[i], 2));
});
