import { describe, expect, test } from "vitest";
import * as core from "../../src/core/ops.js";
import { random } from "../../src/index.js";
import { batchNorm, dense, dropout, relu, serial } from "../../src/nn/index.js";
import { checkGrad, data, expectClose, probe, toF64, vals, type T } from "./helpers.js";

const f64 = (v: number[], shape: number[]) => core.fromValues(v, shape, "float64");

describe("batchNorm", () => {
  const layer = batchNorm(2);
  // Feature 0: values 1, 3, 5, 7 (mean 4, biased var 5); feature 1: 0, 0, 2, 2 (mean 1, var 1).
  const x = f64([1, 0, 3, 0, 5, 2, 7, 2], [4, 2]);
  const params = { scale: f64([2, 1], [2]), bias: f64([0, 1], [2]) };
  const state = toF64(layer.initState());

  test("training normalises by batch statistics and updates the running averages (momentum 0.9)", () => {
    const [y, s1] = layer.applyStateful(params as never, state, x as never, { training: true });
    const n0 = [1, 3, 5, 7].map((v) => (2 * (v - 4)) / Math.sqrt(5 + 1e-5));
    const n1 = [0, 0, 2, 2].map((v) => (v - 1) / Math.sqrt(1 + 1e-5) + 1);
    expectClose(vals(y), [n0[0], n1[0], n0[1], n1[1], n0[2], n1[2], n0[3], n1[3]], 1e-12);
    expectClose(vals(s1.mean), [0.1 * 4, 0.1 * 1], 1e-15);
    expectClose(vals(s1.var), [0.9 + 0.1 * 5, 0.9 + 0.1 * 1], 1e-15);
    const [, s2] = layer.applyStateful(params as never, s1, x as never, { training: true });
    expectClose(vals(s2.mean), [0.9 * 0.4 + 0.4, 0.9 * 0.1 + 0.1], 1e-15);
  });

  test("evaluation uses the running averages and leaves the state alone", () => {
    const running = { mean: f64([4, 1], [2]), var: f64([5, 1], [2]) };
    const [y, s] = layer.applyStateful(params as never, running as never, x as never);
    expect(s).toBe(running);
    const [yTrain] = layer.applyStateful(params as never, state, x as never, { training: true });
    expectClose(vals(y), vals(yTrain), 1e-12); // the running stats equal this batch's statistics
    const [yOther] = layer.applyStateful(params as never, state, x as never);
    expectClose(vals(yOther), [2, 1, 6, 1, 10, 3, 14, 3].map((v, i) => (i % 2 === 0 ? v / Math.sqrt(1 + 1e-5) : (v - 1) / Math.sqrt(1 + 1e-5) + 1)), 1e-12);
  });

  test("stateless apply: batch statistics in training, an explanatory error in evaluation", () => {
    const [yStateful] = layer.applyStateful(params as never, state, x as never, { training: true });
    expectClose(vals(layer.apply(params as never, x as never, { training: true })), vals(yStateful));
    expect(() => layer.apply(params as never, x as never)).toThrow(/running statistics.*applyStateful/);
  });

  test("NHWC input: statistics over batch and spatial dims, per channel", () => {
    const bn = batchNorm(3);
    const xs = data([2, 4, 4, 3], 5);
    const y = bn.apply(toF64(bn.init(random.key(0))), xs as never, { training: true }) as unknown as T;
    const v = vals(y);
    for (let c = 0; c < 3; c++) {
      const col = v.filter((_, i) => i % 3 === c);
      expect(Math.abs(col.reduce((a, b) => a + b) / col.length)).toBeLessThan(1e-12);
    }
  });

  test("training gradients vs finite differences (params and input)", () => {
    const p = { scale: data([2], 1), bias: data([2], 2) };
    const xs = data([5, 2], 3);
    checkGrad((pp: typeof p) => probe(layer.apply(pp as never, xs as never, { training: true }) as unknown as T), p);
    checkGrad((xx: T) => probe(layer.apply(p as never, xx as never, { training: true }) as unknown as T), xs);
  });

  test("serial threads state through each layer", () => {
    const model = serial(dense(2, 3), batchNorm(3), relu, dense(3, 1));
    const ps = toF64(model.init(random.key(1)));
    const s0 = toF64(model.initState());
    expect(s0.length).toBe(4);
    const [, s1] = model.applyStateful(ps, s0, x as never, { training: true });
    expect(vals(s1[1].mean)).not.toEqual([0, 0, 0]);
    expect(s1[0]).toEqual({});
    const [yEval, s2] = model.applyStateful(ps, s1, x as never);
    s2.forEach((s, i) => expect(s).toBe(s1[i])); // evaluation keeps every layer's state
    expect((yEval as unknown as T).shape).toEqual([4, 1]);
  });
});

describe("dropout", () => {
  const x = core.broadcastInDim(core.full([], 1, "float64"), [200, 50], []);

  test("identity when not training (with or without a key)", () => {
    expect(dropout(0.5).apply({}, x as never)).toBe(x);
    expect(dropout(0.5).apply({}, x as never, { key: random.key(0) })).toBe(x);
  });

  test("training zeroes about `rate` of the elements and keeps the expectation", () => {
    const y = vals(dropout(0.3).apply({}, x as never, { training: true, key: random.key(7) }));
    const zeros = y.filter((v) => v === 0).length / y.length;
    expect(zeros).toBeGreaterThan(0.27);
    expect(zeros).toBeLessThan(0.33);
    y.filter((v) => v !== 0).forEach((v) => expect(v).toBeCloseTo(1 / 0.7, 12));
    expect(y.reduce((a, b) => a + b) / y.length).toBeCloseTo(1, 1);
  });

  test("the same key gives the same mask; training without a key throws", () => {
    const a = vals(dropout(0.5).apply({}, x as never, { training: true, key: random.key(3) }));
    const b = vals(dropout(0.5).apply({}, x as never, { training: true, key: random.key(3) }));
    expect(a).toEqual(b);
    expect(() => dropout(0.5).apply({}, x as never, { training: true })).toThrow(/needs a random key/);
    expect(() => dropout(1)).toThrow(RangeError);
  });

  test("inside serial, the key is split per layer", () => {
    const model = serial(dropout(0.5), dropout(0.5));
    const y = vals(model.apply([{}, {}], x as never, { training: true, key: random.key(1) }));
    const kept = y.filter((v) => v !== 0);
    expect(kept.length / y.length).toBeGreaterThan(0.2);
    expect(kept.length / y.length).toBeLessThan(0.3);
    kept.forEach((v) => expect(v).toBeCloseTo(4, 12));
  });
});
