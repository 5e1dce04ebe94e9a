import { describe, expect, test } from "vitest";
import { mapTuple, stack, tupleOf, zeros } from "../../src/index.js";

describe("tupleOf / mapTuple", () => {
  test("build and map like Array.from and Array.prototype.map", () => {
    expect(tupleOf(4, (i) => i * i)).toEqual([0, 1, 4, 9]);
    expect(tupleOf(0, () => 1)).toEqual([]);
    expect(mapTuple([1, 2, 3], (x, i) => x * 10 + i)).toEqual([10, 21, 32]);
    expect(stack(tupleOf(3, () => zeros([2]))).shape).toEqual([3, 2]);
  });
  test("a length that is not a non-negative integer is a RangeError", () => {
    expect(() => tupleOf(-1, () => 0)).toThrow(new RangeError("tupleOf: length must be a non-negative integer, got -1"));
    expect(() => tupleOf(2.5, () => 0)).toThrow(RangeError);
    expect(() => tupleOf(NaN, () => 0)).toThrow(RangeError);
  });
});
