import { describe, expect, test } from "vitest";
import { dotShape, matmulShape } from "../../src/shape/matmul.js";

describe("matmulShape", () => {
  test("NumPy matmul rules", () => {
    expect(matmulShape("matmul", [32, 784], [784, 128])).toEqual([32, 128]);
    expect(matmulShape("matmul", [784], [784, 128])).toEqual([128]);
    expect(matmulShape("matmul", [32, 784], [784])).toEqual([32]);
    expect(matmulShape("matmul", [784], [784])).toEqual([]);
    expect(matmulShape("matmul", [7, 1, 32, 784], [3, 784, 10])).toEqual([7, 3, 32, 10]);
    expect(matmulShape("matmul", [4, 3], [2, 3, 5])).toEqual([2, 4, 5]);
    expect(matmulShape("matmul", [3], [2, 3, 5])).toEqual([2, 5]);
  });
  test("errors say what the type checker says", () => {
    expect(() => matmulShape("matmul", [32, 784], [128, 10])).toThrow(
      "matmul: inner dimensions differ: 784 vs 128 (a is [32, 784], b is [128, 10])",
    );
    expect(() => matmulShape("matmul", [7, 2, 32, 784], [3, 784, 10])).toThrow(
      "matmul: batch dims do not broadcast: 2 with 3 (a is [7, 2, 32, 784], b is [3, 784, 10])",
    );
    expect(() => matmulShape("matmul", [], [3])).toThrow("matmul: operands must have at least 1 dim (a is [], b is [3])");
    expect(() => dotShape([2, 3], [3])).toThrow("dot: expects two 1-D tensors (a is [2, 3], b is [3])");
    expect(() => dotShape([3], [4])).toThrow("dot: inner dimensions differ: 3 vs 4 (a is [3], b is [4])");
    expect(dotShape([3], [3])).toEqual([]);
  });
});
