import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { sliceShape } from "../../src/shape/slice.js";

describe("sliceShape", () => {
  test("results, negative indices, clamping, steps", () => {
    expect(sliceShape("slice", [10, 20], [[2, 5], [null, null, 2]]).shape).toEqual([3, 10]);
    expect(sliceShape("slice", [10], [[-3]])).toEqual({ start: [7], limit: [10], strides: [1], shape: [3] });
    expect(sliceShape("slice", [10, 20], [null, [1, -1]]).shape).toEqual([10, 18]);
    expect(sliceShape("slice", [10, 20], [[5, 2]]).shape).toEqual([0, 20]);
    expect(sliceShape("slice", [10, 20], [[-100, 100]]).shape).toEqual([10, 20]);
    expect(sliceShape("slice", [10, 20], [[1, 10, 3]]).shape).toEqual([3, 20]);
  });
  test("errors say what the type checker says", () => {
    expect(() => sliceShape("slice", [3, 4], [null, null, null])).toThrow("slice: 3 ranges for rank-2 tensor [3, 4]");
    expect(() => sliceShape("slice", [10, 20], [[0, 5, 0]])).toThrow(
      "slice: step must be a positive integer, got 0 (axis 0 of [10, 20])",
    );
    expect(() => sliceShape("slice", [10, 20], [[0.5, 5]])).toThrow("slice: index 0.5 is not an integer (axis 0 of [10, 20])");
  });
  test("agrees with Array.prototype.slice for step 1", () => {
    fc.assert(
      fc.property(fc.nat(12), fc.integer({ min: -15, max: 15 }), fc.integer({ min: -15, max: 15 }), (n, s, e) => {
        const ref = Array.from({ length: n }, (_, i) => i).slice(s, e).length;
        expect(sliceShape("slice", [n], [[s, e]]).shape).toEqual([ref]);
      }),
    );
  });
});
