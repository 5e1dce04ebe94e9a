import { describe, expect, test } from "vitest";
import "../../src/index.js";
import { logSoftmax, logSumExp, relu, sigmoid, softmax, tensor } from "../../src/ops/index.js";

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
