import { describe, expect, test } from "vitest";
import * as core from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import { random } from "../../src/index.js";
import * as nn from "../../src/nn/index.js";
import { ShapeError } from "../../src/shape/errors.js";
import { checkGrad, data, expectClose, probe, toF64, vals, type T } from "./helpers.js";

const { dense, relu, leakyRelu, sigmoid, tanh, gelu, softplus, softmax, identity, flatten, input, embedding, layerNorm } = nn;
const f64 = (v: number[], shape: number[]) => core.fromValues(v, shape, "float64");

describe("dense", () => {
  test("y = x·w + b, with named params of the right shapes", () => {
    const layer = dense(3, 2);
    const p = layer.init(random.key(0));
    expect((p.w as unknown as T).shape).toEqual([3, 2]);
    expect(vals(p.b)).toEqual([0, 0]);
    const params = { w: f64([1, 2, 3, 4, 5, 6], [3, 2]), b: f64([0.5, -1], [2]) };
    const y = layer.apply(params as never, f64([1, 0, -1, 2, 1, 1], [2, 3]) as never) as unknown as T;
    expect(y.shape).toEqual([2, 2]);
    expect(vals(y)).toEqual([1 - 5 + 0.5, 2 - 6 - 1, 2 + 3 + 5 + 0.5, 4 + 4 + 6 - 1]);
  });

  test("a wrong input size throws the compile-time message", () => {
    const layer = dense(256, 10);
    expect(() => layer.apply(layer.init(random.key(0)), data([4, 128]) as never)).toThrow(
      new ShapeError("dense(256, 10) expects input [256] but got [128]"),
    );
  });

  test("gradients of params and input vs finite differences", () => {
    const layer = dense(4, 3);
    const params = { ...toF64(layer.init(random.key(1))), b: data([3], 2) };
    const x = data([5, 4], 3);
    checkGrad((p: typeof params) => probe(layer.apply(p, x as never) as unknown as T), params);
    checkGrad((xx: T) => probe(layer.apply(params, xx as never) as unknown as T), x);
  });
});

describe("activations", () => {
  const xs = [-30, -2, -0.5, 0, 0.5, 2, 30];
  const x = f64(xs, [1, 7]);
  const run = (l: nn.AnyLayer) => vals(l.apply({}, x as never));
  const gauss = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));

  test("values", () => {
    expectClose(run(relu), xs.map((v) => Math.max(v, 0)));
    expectClose(run(leakyRelu()), xs.map((v) => (v > 0 ? v : 0.01 * v)));
    expectClose(run(leakyRelu(0.2)), xs.map((v) => (v > 0 ? v : 0.2 * v)));
    expectClose(run(sigmoid), xs.map((v) => 1 / (1 + Math.exp(-v))), 1e-14);
    expectClose(run(tanh), xs.map(Math.tanh));
    expectClose(run(gelu), xs.map(gauss), 1e-14);
    expectClose(run(softplus), xs.map((v) => Math.log1p(Math.exp(v))), 1e-14);
    expectClose(run(identity), xs);
  });

  test("softplus is stable: no overflow, tiny values stay accurate", () => {
    const big = vals(softplus.apply({}, f64([1000, -1000, -40], [1, 3]) as never));
    expect(big[0]).toBe(1000);
    expect(big[1]).toBe(0);
    expect(big[2] / Math.exp(-40)).toBeCloseTo(1, 12);
  });

  test("softmax over the last axis sums to one and survives large logits", () => {
    const y = softmax.apply({}, f64([1, 2, 3, 1000, 1000, 1000], [2, 3]) as never) as unknown as T;
    const v = vals(y);
    const e = [Math.exp(-2), Math.exp(-1), 1];
    const z = e[0] + e[1] + e[2];
    expectClose(v, [...e.map((a) => a / z), 1 / 3, 1 / 3, 1 / 3], 1e-14);
  });

  test("gradients vs finite differences (away from the kinks)", () => {
    const xg = f64([-1.3, -0.4, 0.2, 0.9, 2.1, -2.5], [2, 3]);
    for (const l of [relu, leakyRelu(0.1), sigmoid, tanh, gelu, softplus, softmax, identity]) {
      checkGrad((xx: T) => probe(l.apply({}, xx as never) as unknown as T), xg);
    }
  });

  test("a shape-polymorphic layer keeps any shape", () => {
    expect((relu.apply({}, data([2, 3, 4, 5]) as never) as unknown as T).shape).toEqual([2, 3, 4, 5]);
  });
});

describe("flatten and input", () => {
  test("flatten keeps the batch dim and merges the rest", () => {
    const x = data([2, 3, 4, 5]);
    const y = flatten.apply({}, x as never) as unknown as T;
    expect(y.shape).toEqual([2, 60]);
    expect(vals(y)).toEqual(vals(x));
  });

  test("input(shape) is the identity on that shape and rejects others", () => {
    const l = input([3, 4]);
    const x = data([2, 3, 4]);
    expect(l.apply({}, x as never)).toBe(x);
    expect(() => l.apply({}, data([2, 4, 3]) as never)).toThrow("input([3, 4]) expects input [3, 4] but got [4, 3]");
    expect(input(["time", 4]).apply({}, data([2, 7, 4]) as never)).toBeDefined();
  });
});

describe("embedding", () => {
  const layer = embedding(5, 3);
  const table = f64([...Array(15).keys()].map((i) => i / 10), [5, 3]);
  const idx = core.fromValues([4, 0, 2, 2, 1, 3], [2, 3], "int32");

  test("looks up rows of the table: [B, ...S] → [B, ...S, dim]", () => {
    const y = layer.apply({ table } as never, idx as never) as unknown as T;
    expect(y.shape).toEqual([2, 3, 3]);
    const rows = [4, 0, 2, 2, 1, 3].flatMap((i) => [3 * i, 3 * i + 1, 3 * i + 2].map((v) => v / 10));
    expectClose(vals(y), rows, 1e-15);
  });

  test("the table gradient sums the cotangents of each looked-up row", () => {
    checkGrad((p: { table: T }) => probe(layer.apply(p as never, idx as never) as unknown as T), { table });
  });

  test("init draws a [vocab, dim] table; float indices are rejected", () => {
    const p = layer.init(random.key(0));
    expect((p.table as unknown as T).shape).toEqual([5, 3]);
    expect(() => layer.apply(p, data([2, 3]) as never)).toThrow(DTypeError);
  });
});

describe("layerNorm", () => {
  test("normalises each example over the last axis, then scales and shifts", () => {
    const layer = layerNorm(4);
    const x = f64([1, 2, 3, 4, -1, 0, 0, 1], [2, 4]);
    const params = { scale: f64([1, 2, 1, 1], [4]), bias: f64([0, 0, 1, 0], [4]) };
    const y = vals(layer.apply(params as never, x as never));
    const norm = (r: number[]) => {
      const m = r.reduce((a, b) => a + b) / r.length;
      const v = r.reduce((a, b) => a + (b - m) ** 2, 0) / r.length;
      return r.map((a) => (a - m) / Math.sqrt(v + 1e-5));
    };
    const expected = [...norm([1, 2, 3, 4]), ...norm([-1, 0, 0, 1])].map((v, i) => v * [1, 2, 1, 1][i % 4] + [0, 0, 1, 0][i % 4]);
    expectClose(y, expected, 1e-12);
  });

  test("gradients vs finite differences", () => {
    const layer = layerNorm(3);
    const params = { scale: data([3], 1), bias: data([3], 2) };
    const x = data([2, 2, 3], 3);
    checkGrad((p: typeof params) => probe(layer.apply(p as never, x as never) as unknown as T), params);
    checkGrad((xx: T) => probe(layer.apply(params as never, xx as never) as unknown as T), x);
  });
});

describe("initializers", () => {
  const stats = (t: unknown) => {
    const v = vals(t);
    const mean = v.reduce((a, b) => a + b) / v.length;
    return { mean, std: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length), max: Math.max(...v.map(Math.abs)) };
  };
  const key = random.key(42);

  test("fans: dense and HWIO kernels", () => {
    expect(nn.computeFans([784, 128])).toEqual([784, 128]);
    expect(nn.computeFans([5, 5, 1, 6])).toEqual([25, 150]);
  });

  test("variances match their definitions", () => {
    const s = [200, 100] as number[];
    const gu = stats(nn.glorotUniform(key, s));
    expect(gu.max).toBeLessThanOrEqual(Math.sqrt(6 / 300));
    expect(gu.std).toBeCloseTo(Math.sqrt(2 / 300), 2);
    expect(stats(nn.glorotNormal(key, s)).std).toBeCloseTo(Math.sqrt(2 / 300), 2);
    expect(stats(nn.heNormal(key, s)).std).toBeCloseTo(Math.sqrt(2 / 200), 2);
    expect(stats(nn.heUniform(key, s)).max).toBeLessThanOrEqual(Math.sqrt(6 / 200));
    expect(stats(nn.heUniform(key, s)).std).toBeCloseTo(Math.sqrt(2 / 200), 2);
    expect(stats(nn.lecunNormal(key, s)).std).toBeCloseTo(Math.sqrt(1 / 200), 2);
    expect(vals(nn.zeros(key, [3]))).toEqual([0, 0, 0]);
    expect(vals(nn.ones(key, [2]))).toEqual([1, 1]);
  });

  test("dense and conv2d take custom initializers", () => {
    const p = dense(3, 2, { init: nn.ones, biasInit: nn.ones }).init(key);
    expect(vals(p.w)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(vals(p.b)).toEqual([1, 1]);
  });
});

describe("the test helpers", () => {
  test("checkGrad rejects a wrong gradient", () => {
    const x = data([2, 3]);
    expect(() => checkGrad((xx: T) => probe(core.stopGradient(xx)), x)).toThrow(/leaf 0/);
  });
});
