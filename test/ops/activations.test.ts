import { describe, expect, test } from "vitest";
import { grad, type Tensor } from "../../src/index.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { gelu, leakyRelu, logSoftmax, logSumExp, relu, sigmoid, softmax, softplus, tensor } from "../../src/ops/index.js";
import { checkJvp, checkVjp } from "../helpers/gradcheck.js";
import { erfByQuadrature } from "../helpers/reference.js";
import { tensor as f64, valuesOf } from "../helpers/tensors.js";

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
const close = (t: { toArray(): unknown }, expected: unknown, digits = 5) => {
  const got = flat(t.toArray());
  const want = flat(expected);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i], digits));
};

describe("activations", () => {
  test("relu and sigmoid", () => {
    expect(relu(tensor([-1, 0, 2])).toArray()).toEqual([0, 0, 2]);
    close(sigmoid(tensor([0, 2, -2])), [0.5, 1 / (1 + Math.exp(-2)), 1 / (1 + Math.exp(2))]);
    close(sigmoid(tensor([1e4, -1e4])), [1, 0]);
  });
  test("softmax along the last axis and along axis 0", () => {
    const x = tensor([[1, 2, 3], [1, 1, 1]]);
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const s = e[0] + e[1] + e[2];
    close(softmax(x), [[e[0] / s, e[1] / s, e[2] / s], [1 / 3, 1 / 3, 1 / 3]]);
    close(softmax(x, 0), [[0.5, 1 / (1 + Math.exp(-1)), 1 / (1 + Math.exp(-2))], [0.5, 1 / (1 + Math.exp(1)), 1 / (1 + Math.exp(2))]]);
  });
  test("stable at ±1e4", () => {
    close(softmax(tensor([1e4, 0, -1e4])), [1, 0, 0]);
    close(softmax(tensor([1e4, 1e4])), [0.5, 0.5]);
    close(softmax(tensor([-1e4, -1e4])), [0.5, 0.5]);
    close(logSoftmax(tensor([1e4, 0])), [0, -1e4], 2);
    close(logSoftmax(tensor([-1e4, -1e4])), [-Math.LN2, -Math.LN2]);
    close(logSumExp(tensor([1e4, 1e4])), 1e4 + Math.LN2, 2);
    close(logSumExp(tensor([-1e4, -1e4])), -1e4 + Math.LN2, 2);
    const big = flat(logSumExp(tensor([[1e4, -1e4], [3, 4]]), 1).toArray());
    expect(big.every(Number.isFinite)).toBe(true);
  });
  test("logSumExp axes and keepDims", () => {
    const x = tensor([[0, 0], [1, 1]]);
    const l = logSumExp(x, 1, true);
    expect(l.shape).toEqual([2, 1]);
    close(l, [[Math.LN2], [1 + Math.LN2]]);
    close(logSumExp(x), Math.log(2 + 2 * Math.E));
    expect(logSumExp(x, [0, 1]).shape).toEqual([]);
  });
  test("all -inf rows give -inf, not NaN", () => {
    expect(logSumExp(tensor([-Infinity, -Infinity])).item()).toBe(-Infinity);
  });
  test("an axis out of range throws the type checker's message", () => {
    expect(() => softmax(tensor([[1, 2]]), 2 as never)).toThrow("softmax: axis 2 out of range for rank-2 tensor [1, 2]");
  });
});

describe("gelu, softplus and leakyRelu", () => {
  const xs = [-30, -3, -0.7, -1e-3, 0, 1e-3, 0.4, 2.5, 30];
  const x64 = () => f64(xs, [3, 3]);
  const geluJs = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
  const softplusJs = (v: number) => (v > 30 ? v : Math.log1p(Math.exp(v)));
  const leakyJs = (slope: number) => (v: number) => (v > 0 ? v : slope * v);
  const ops: [string, (x: AnyTensor) => AnyTensor, (v: number) => number][] = [
    ["gelu", (x) => gelu(x), geluJs],
    ["gelu exact", (x) => gelu(x, { approximate: false }), (v) => 0.5 * v * (1 + erfByQuadrature(v / Math.SQRT2))],
    ["softplus", (x) => softplus(x), softplusJs],
    ["leakyRelu", (x) => leakyRelu(x), leakyJs(0.01)],
    ["leakyRelu(0.2)", (x) => leakyRelu(x, 0.2), leakyJs(0.2)],
  ];

  test.each(ops)("%s matches plain JS in float64", (_name, f, js) => {
    const y = f(x64());
    expect(y.dtype).toBe("float64");
    expect(y.shape).toEqual([3, 3]);
    valuesOf(y).forEach((v, i) => expect(Math.abs(v - js(xs[i]))).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(js(xs[i])))));
  });

  test("softplus is stable: no overflow, tiny values stay accurate", () => {
    const [big, small, tiny] = valuesOf(softplus(f64([1000, -1000, -40], [3])));
    expect(big).toBe(1000);
    expect(small).toBe(0);
    expect(tiny / Math.exp(-40)).toBeCloseTo(1, 12);
  });

  test.each(ops)("%s: jvp vs finite differences and the vjp dot-product test", (name, f) => {
    // Finite differences straddle leakyRelu's kink at 0, so it is checked away from it.
    const at = name.startsWith("leaky") ? [-2.1, -0.4, 0.3, 1.7, -0.05, 0.9] : [-2.1, -0.4, 0, 1e-4, 1.7, 5];
    const x = f64(at, [2, 3]);
    const xDot = f64([0.3, -1.2, 0.7, 1, -0.5, 0.25], [2, 3]);
    const yBar = f64([1, -0.4, 0.6, 0.2, -1.1, 0.9], [2, 3]);
    checkJvp((v) => [f(v)], [x], [xDot]);
    checkVjp((v) => [f(v)], [x], [xDot], [yBar]);
  });

  test("derivatives at 0: softplus' is sigmoid(0) = 1/2, leakyRelu's is the slope", () => {
    const at0 = (f: (x: AnyTensor) => AnyTensor) => valuesOf(grad((v: Tensor<[], "float64">) => f(v as AnyTensor) as never)(f64([0], []) as never))[0];
    expect(at0((x) => softplus(x))).toBe(0.5);
    expect(at0((x) => leakyRelu(x, 0.2))).toBeCloseTo(0.2, 15);
    expect(at0((x) => gelu(x))).toBeCloseTo(0.5, 15);
    expect(at0((x) => gelu(x, { approximate: false }))).toBeCloseTo(0.5, 15);
  });

  test("integer inputs compute in float32", () => {
    const i = tensor([-2, 0, 3], "int32");
    for (const f of [gelu, softplus, leakyRelu]) expect(f(i).dtype).toBe("float32");
    expect(leakyRelu(i, 0.5).toArray()).toEqual([-1, 0, 3]);
  });
});
