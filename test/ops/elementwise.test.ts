import { describe, expect, test } from "vitest";
import "../../src/index.js";
import {
  abs, add, cast, cos, div, equal, exp, greater, greaterEqual, less, lessEqual, log, maximum, minimum, mul, neg, notEqual,
  pow, reciprocal, sign, sin, sqrt, square, stopGradient, sub, tanh, tensor, where, zeros,
} from "../../src/ops/index.js";
import type { Tensor } from "../../src/core/tensor.js";

const close = (t: { toArray(): unknown }, expected: unknown) => {
  const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
  const got = flat(t.toArray());
  const want = flat(expected);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 5));
};

describe("binary ops broadcast and promote", () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  const row = tensor([10, 20, 30]);
  const col = tensor([[1], [2]]);
  test("arithmetic with broadcasting", () => {
    expect(add(x, row).toArray()).toEqual([[11, 22, 33], [14, 25, 36]]);
    expect(sub(x, col).toArray()).toEqual([[0, 1, 2], [2, 3, 4]]);
    expect(mul(col, row).toArray()).toEqual([[10, 20, 30], [20, 40, 60]]);
    expect(div(x, 2).toArray()).toEqual([[0.5, 1, 1.5], [2, 2.5, 3]]);
    expect(pow(x, 2).toArray()).toEqual([[1, 4, 9], [16, 25, 36]]);
    expect(maximum(x, 3).toArray()).toEqual([[3, 3, 3], [4, 5, 6]]);
    expect(minimum(3, x).toArray()).toEqual([[1, 2, 3], [3, 3, 3]]);
  });
  test("numbers on either side take the tensor's dtype", () => {
    expect(add(1, mul(x, x)).toArray()).toEqual([[2, 5, 10], [17, 26, 37]]);
    const i = tensor([1, 2], "int32");
    expect(add(i, 1).dtype).toBe("int32");
    expect(sub(10, i).toArray()).toEqual([9, 8]);
    expect(add(1, 2).toArray()).toBe(3);
  });
  test("dtype promotion and true division", () => {
    const i = tensor([1, 2], "int32");
    const f64 = tensor([0.5, 0.25], "float64");
    expect(add(i, f64).dtype).toBe("float64");
    expect(add(i, tensor([1, 1])).dtype).toBe("float32");
    const q = div(i, 2);
    expect(q.dtype).toBe("float32");
    expect(q.toArray()).toEqual([0.5, 1]);
  });
  test("a broadcast mismatch throws the type checker's message", () => {
    const bad = zeros([3, 10]) as unknown as Tensor<[32, 10]>;
    expect(() => add(zeros([32, 10]), bad as never)).toThrow("add: cannot broadcast 32 with 3 (shapes [32, 10] and [3, 10])");
    expect(() => less(x, tensor([1, 2]) as never)).toThrow("less: cannot broadcast 3 with 2 (shapes [2, 3] and [2])");
  });
});

describe("unary ops", () => {
  const v = tensor([-1, 0, 2]);
  test("values", () => {
    expect(neg(v).toArray()).toEqual([1, -0, -2]);
    close(exp(v), [Math.exp(-1), 1, Math.exp(2)]);
    close(log(tensor([1, Math.E])), [0, 1]);
    close(sqrt(tensor([4, 9])), [2, 3]);
    expect(abs(v).toArray()).toEqual([1, 0, 2]);
    close(sin(v), [Math.sin(-1), 0, Math.sin(2)]);
    close(cos(v), [Math.cos(-1), 1, Math.cos(2)]);
    close(tanh(v), [Math.tanh(-1), 0, Math.tanh(2)]);
    expect(sign(v).toArray()).toEqual([-1, 0, 1]);
    expect(square(v).toArray()).toEqual([1, 0, 4]);
    expect(reciprocal(tensor([2, 4])).toArray()).toEqual([0.5, 0.25]);
    expect(stopGradient(v).toArray()).toEqual([-1, 0, 2]);
  });
  test("float ops compute integers in float32", () => {
    const e = exp(tensor([0, 1], "int32"));
    expect(e.dtype).toBe("float32");
    close(e, [1, Math.E]);
  });
});

describe("comparisons, where, cast", () => {
  const a = tensor([1, 2, 3]);
  test("comparisons give bool with broadcasting", () => {
    expect(less(a, 2).toArray()).toEqual([true, false, false]);
    expect(lessEqual(a, 2).toArray()).toEqual([true, true, false]);
    expect(greater(tensor([[0], [2]]), a).toArray()).toEqual([[false, false, false], [true, false, false]]);
    expect(greaterEqual(a, 2).dtype).toBe("bool");
    expect(equal(a, tensor([1, 0, 3])).toArray()).toEqual([true, false, true]);
    expect(notEqual(a, 2).toArray()).toEqual([true, false, true]);
  });
  test("where broadcasts all three operands", () => {
    expect(where(greater(a, 1), a, 0).toArray()).toEqual([0, 2, 3]);
    expect(where(tensor([[true], [false]]), a, -1).toArray()).toEqual([[1, 2, 3], [-1, -1, -1]]);
    expect(where(tensor([1, 0, 2]), 5, a).toArray()).toEqual([5, 2, 5]);
  });
  test("cast", () => {
    const i = cast(tensor([1.7, -1.2]), "int32");
    expect(i.dtype).toBe("int32");
    expect(i.toArray()).toEqual([1, -1]);
    expect(cast(tensor([0, 2]), "bool").toArray()).toEqual([false, true]);
  });
});
