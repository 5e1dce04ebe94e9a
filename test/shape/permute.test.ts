import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { normalizePerm, permuteShape } from "../../src/shape/permute.js";

describe("permuteShape", () => {
  test("results", () => {
    expect(permuteShape("transpose", [2, 3, 4, 5], [0, 2, 3, 1])).toEqual([2, 4, 5, 3]);
    expect(permuteShape("transpose", [2, 3])).toEqual([3, 2]);
    expect(permuteShape("transpose", [2, 3, 4], [-1, 0, 1])).toEqual([4, 2, 3]);
    expect(normalizePerm("transpose", [2, 3, 4])).toEqual([2, 1, 0]);
  });
  test("errors say what the type checker says", () => {
    expect(() => permuteShape("transpose", [2, 3, 4, 5], [0, 2, 2, 1])).toThrow(
      "transpose: [0, 2, 2, 1] is not a permutation of 4 axes (shape [2, 3, 4, 5])",
    );
    expect(() => permuteShape("transpose", [2, 3, 4], [0, 1])).toThrow(
      "transpose: [0, 1] is not a permutation of 3 axes (shape [2, 3, 4])",
    );
    expect(() => permuteShape("transpose", [2, 3], [0, 3])).toThrow("transpose: [0, 3] is not a permutation of 2 axes (shape [2, 3])");
  });
  test("a permutation keeps the element count and its inverse undoes it", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 }), fc.nat(), (shape, seed) => {
        const perm = shape.map((_, i) => i).sort((a, b) => ((a * 7 + seed) % 5) - ((b * 7 + seed) % 5));
        const out = permuteShape("transpose", shape, perm);
        const inv = perm.map((_, i) => perm.indexOf(i));
        expect(permuteShape("transpose", out, inv)).toEqual(shape);
      }),
    );
  });
});
