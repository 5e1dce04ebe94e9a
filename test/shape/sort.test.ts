import { describe, expect, test } from "vitest";
import { sortAxis, topKShape } from "../../src/shape/sort.js";

describe("sortAxis / topKShape", () => {
  test("axes and the top-k shape", () => {
    expect(sortAxis("sort", [4, 5], -1)).toBe(1);
    expect(topKShape([8, 10], 3)).toEqual([8, 3]);
    expect(topKShape([4], 0)).toEqual([0]);
    expect(topKShape([4], 4)).toEqual([4]);
  });
  test("errors say what the type checker says", () => {
    expect(() => sortAxis("argsort", [4, 5], 2)).toThrow("argsort: axis 2 out of range for rank-2 tensor [4, 5]");
    expect(() => topKShape([8, 10], 11)).toThrow("topK: k = 11 is larger than the last axis (10) of [8, 10]");
    expect(() => topKShape([8, 10], -2)).toThrow("topK: k must be a non-negative integer, got -2");
    expect(() => topKShape([], 1)).toThrow("topK: needs at least one axis (shape [])");
  });
});
