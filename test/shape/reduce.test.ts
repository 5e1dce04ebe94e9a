import { describe, expect, test } from "vitest";
import { normalizeAxis } from "../../src/shape/axis.js";
import { normalizeAxes, reduceShape } from "../../src/shape/reduce.js";

describe("reduceShape / normalizeAxes", () => {
  test("single, negative, tuple, keepDims, all", () => {
    expect(reduceShape("sum", [32, 10, 5], 1)).toEqual([32, 5]);
    expect(reduceShape("sum", [32, 10, 5], -1)).toEqual([32, 10]);
    expect(reduceShape("sum", [32, 10, 5], -1, true)).toEqual([32, 10, 1]);
    expect(reduceShape("sum", [32, 10, 5], [0, -1])).toEqual([10]);
    expect(reduceShape("sum", [32, 10, 5], [0, 2], true)).toEqual([1, 10, 1]);
    expect(reduceShape("sum", [32, 10, 5], undefined)).toEqual([]);
    expect(reduceShape("sum", [32, 10, 5], undefined, true)).toEqual([1, 1, 1]);
    expect(normalizeAxes("sum", [2, -3], [4, 5, 6])).toEqual([0, 2]);
    expect(normalizeAxis("expandDims", -1, [3, 4], 3)).toBe(2);
  });
  test("errors say what the type checker says", () => {
    expect(() => reduceShape("sum", [32, 10], 2)).toThrow("sum: axis 2 out of range for rank-2 tensor [32, 10]");
    expect(() => reduceShape("sum", [32, 10], -3)).toThrow("sum: axis -3 out of range for rank-2 tensor [32, 10]");
    expect(() => reduceShape("sum", [32, 10], 1.5)).toThrow("sum: axis 1.5 out of range for rank-2 tensor [32, 10]");
    expect(() => reduceShape("sum", [32, 10, 5], [1, -2])).toThrow(
      "sum: repeated axis -2 in [1, -2] for rank-3 tensor [32, 10, 5]",
    );
  });
});
