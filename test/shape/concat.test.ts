import { describe, expect, test } from "vitest";
import { concatShape, stackShape } from "../../src/shape/concat.js";

describe("concatShape / stackShape", () => {
  test("results", () => {
    expect(concatShape("concat", [[600, 784], [59400, 784]], 0)).toEqual({ shape: [60000, 784], axis: 0 });
    expect(concatShape("concat", [[32, 28], [32, 4], [32, 1]], -1)).toEqual({ shape: [32, 33], axis: 1 });
    expect(stackShape("stack", [[3, 4], [3, 4]], 0)).toEqual({ shape: [2, 3, 4], axis: 0 });
    expect(stackShape("stack", [[3, 4], [3, 4], [3, 4]], -1)).toEqual({ shape: [3, 4, 3], axis: 2 });
  });
  test("errors say what the type checker says", () => {
    expect(() => concatShape("concat", [[32, 28], [16, 28]], 1)).toThrow(
      "concat: dim 0 differs: 32 vs 16 (shapes [32, 28] and [16, 28])",
    );
    expect(() => concatShape("concat", [[32, 28], [16, 28, 3]], 1)).toThrow(
      "concat: rank differs: 2 vs 3 (shapes [32, 28] and [16, 28, 3])",
    );
    expect(() => concatShape("concat", [[32, 28], [16, 28]], 2)).toThrow("concat: axis 2 out of range for rank-2 tensor [32, 28]");
    expect(() => concatShape("concat", [], 0)).toThrow("concat: needs at least one tensor");
    expect(() => stackShape("stack", [[3, 4], [3, 5]], 0)).toThrow("stack: dim 1 differs: 4 vs 5 (shapes [3, 4] and [3, 5])");
    expect(() => stackShape("stack", [[3, 4], [3, 4]], 3)).toThrow("stack: axis 3 out of range for rank-2 tensor [3, 4]");
  });
});
