import { describe, expect, test } from "vitest";
import { convOutSize, convSpatialShape, samePadding } from "../../src/shape/conv.js";

describe("conv / pool sizes", () => {
  test("floor((in + padLo + padHi - k) / s) + 1", () => {
    expect(convOutSize("conv", 28, 5)).toBe(24);
    expect(convOutSize("conv", 32, 3, 1, 1, 1)).toBe(32);
    expect(convOutSize("conv", 224, 7, 2, 3, 3)).toBe(112);
    expect(convOutSize("conv", 32, 3, 1, 0, 0, 2)).toBe(28);
    expect(convOutSize("pool", 24, 2, 2)).toBe(12);
  });
  test("same / valid helpers", () => {
    expect(samePadding(28, 5)).toEqual([2, 2]);
    expect(samePadding(224, 7, 2)).toEqual([2, 3]);
    expect(samePadding(5, 1, 3)).toEqual([0, 0]);
    expect(convSpatialShape("conv", [28, 28], [5, 5]).shape).toEqual([24, 24]);
    expect(convSpatialShape("conv", [32, 32], [3, 3], 2, "same")).toEqual({ shape: [16, 16], padding: [[0, 1], [0, 1]] });
    expect(convSpatialShape("conv", [32, 32], [3, 3], [1, 2], [[1, 1], [0, 0]]).shape).toEqual([32, 15]);
  });
  test("errors say what the type checker says", () => {
    expect(() => convOutSize("conv", 3, 5)).toThrow("conv: kernel 5 is larger than padded input 3 (input 3, padding 0+0)");
    expect(() => convOutSize("pool", 2, 3, 3)).toThrow("pool: kernel 3 is larger than padded input 2 (input 2, padding 0+0)");
    expect(() => convOutSize("conv", 5, 3, 0)).toThrow("conv: stride must be positive, got 0");
    expect(() => convSpatialShape("conv", [32, 32], [3, 3, 3])).toThrow(
      "conv: kernel [3, 3, 3] has 3 spatial dims but the input has 2",
    );
  });
});
