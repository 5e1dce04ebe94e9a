import { describe, expect, test } from "vitest";
import { expandDimsShape, squeezeShape } from "../../src/shape/squeeze.js";

describe("expandDimsShape / squeezeShape", () => {
  test("results", () => {
    expect(expandDimsShape("expandDims", [3, 4], 1)).toEqual([3, 1, 4]);
    expect(expandDimsShape("expandDims", [3, 4], -1)).toEqual([3, 4, 1]);
    expect(expandDimsShape("expandDims", [], 0)).toEqual([1]);
    expect(squeezeShape("squeeze", [3, 1, 4], 1)).toEqual([3, 4]);
    expect(squeezeShape("squeeze", [1, 3, 1, 4])).toEqual([3, 4]);
    expect(squeezeShape("squeeze", [1, 3, 1, 4], [0, -2])).toEqual([3, 4]);
  });
  test("errors say what the type checker says", () => {
    expect(() => expandDimsShape("expandDims", [3, 4], 3)).toThrow("expandDims: axis 3 out of range for rank-2 tensor [3, 4]");
    expect(() => squeezeShape("squeeze", [3, 4], 1)).toThrow("squeeze: cannot squeeze axis 1 of size 4 (shape [3, 4])");
    expect(() => squeezeShape("squeeze", [3, 1], 2)).toThrow("squeeze: axis 2 out of range for rank-2 tensor [3, 1]");
    expect(() => squeezeShape("squeeze", [1, 1], [0, -2])).toThrow("squeeze: repeated axis -2 in [0, -2] for rank-2 tensor [1, 1]");
  });
});
