import { describe, expect, test } from "vitest";
import { cumulativeShape } from "../../src/shape/cumulative.js";

describe("cumulativeShape", () => {
  test("the shape along an axis; flattened without one", () => {
    expect(cumulativeShape("cumsum", [2, 3], 1)).toEqual({ shape: [2, 3], axis: 1 });
    expect(cumulativeShape("cumsum", [2, 3], -2)).toEqual({ shape: [2, 3], axis: 0 });
    expect(cumulativeShape("cumsum", [2, 3], undefined)).toEqual({ shape: [6], axis: 0 });
    expect(cumulativeShape("cumsum", [], undefined)).toEqual({ shape: [1], axis: 0 });
  });
  test("errors say what the type checker says", () => {
    expect(() => cumulativeShape("cumsum", [2, 3], 2)).toThrow("cumsum: axis 2 out of range for rank-2 tensor [2, 3]");
    expect(() => cumulativeShape("cummax", [], 0)).toThrow("cummax: axis 0 out of range for rank-0 tensor []");
  });
});
