import { describe, expect, test } from "vitest";
import "../../src/index.js";
import { arange, dot, matmul, ones, reshape, tensor, zeros } from "../../src/ops/index.js";

/** Reference matmul on nested arrays. */
function ref(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}

describe("matmul / dot", () => {
  const a = reshape(arange(6), [2, 3]);
  const b = reshape(arange(12), [3, 4]);
  test("2-D", () => {
    expect(matmul(a, b).toArray()).toEqual(ref(a.toArray() as number[][], b.toArray() as number[][]));
  });
  test("1-D operands", () => {
    const v = tensor([1, 2, 3]);
    expect(matmul(v, b).toArray()).toEqual(ref([[1, 2, 3]], b.toArray() as number[][])[0]);
    expect(matmul(a, v).toArray()).toEqual([8, 26]);
    expect(matmul(v, v).toArray()).toBe(14);
    expect(dot(v, v).toArray()).toBe(14);
  });
  test("batched with broadcast batch dims", () => {
    const x = reshape(arange(12), [2, 1, 2, 3]);
    const w = reshape(arange(36), [3, 3, 4]);
    const r = matmul(x, w);
    expect(r.shape).toEqual([2, 3, 2, 4]);
    const xs = x.toArray() as number[][][][];
    const ws = w.toArray() as number[][][];
    expect(r.toArray()).toEqual(xs.map((xi) => ws.map((wj) => ref(xi[0], wj))));
    expect(matmul(reshape(arange(12), [2, 2, 3]), b).toArray()).toEqual(
      (reshape(arange(12), [2, 2, 3]).toArray() as number[][][]).map((m) => ref(m, b.toArray() as number[][])),
    );
    expect(matmul(tensor([1, 1, 1]), w).shape).toEqual([3, 4]);
  });
  test("dtype promotion", () => {
    expect(matmul(ones([2, 2], "int32"), ones([2, 2], "float64")).dtype).toBe("float64");
  });
  test("mismatches throw the type checker's message", () => {
    expect(() => matmul(zeros([32, 784]), zeros([128, 10]) as never)).toThrow(
      "matmul: inner dimensions differ: 784 vs 128 (a is [32, 784], b is [128, 10])",
    );
    expect(() => dot(tensor([1, 2]), tensor([1, 2, 3]) as never)).toThrow("dot: inner dimensions differ: 2 vs 3 (a is [2], b is [3])");
  });
});
