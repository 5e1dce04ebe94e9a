import { describe, expect, test } from "vitest";
import { reshapeNamedShape } from "../../src/shape/reshape-named.js";
import { reshape, withDims, zeros } from "../../src/index.js";

describe("reshapeNamedShape: named dims at the ends of a target keep the source dims there", () => {
  test("leading and trailing names take their places; the middle reshapes as numbers", () => {
    expect(reshapeNamedShape("reshape", [64, 28, 28], ["batch", 784])).toEqual([64, 784]);
    expect(reshapeNamedShape("reshape", [2, 5, 512], ["b", "s", 8, 64])).toEqual([2, 5, 8, 64]);
    expect(reshapeNamedShape("reshape", [2, 5, 8, 64], ["b", "s", -1])).toEqual([2, 5, 512]);
    expect(reshapeNamedShape("reshape", [3, 4, 7], [12, "n"])).toEqual([12, 7]);
    expect(reshapeNamedShape("reshape", [7, 1], ["n"])).toEqual([7]);
    expect(reshapeNamedShape("reshape", [0, 6], ["n", 2, 3])).toEqual([0, 2, 3]);
  });
  test("errors say what the type checker says", () => {
    expect(() => reshapeNamedShape("reshape", [64, 28, 28], ["batch", 780])).toThrow(
      "reshape: cannot reshape [28, 28] (784 elements) to [780] (780 elements)",
    );
    expect(() => reshapeNamedShape("reshape", [4, 6], [2, "n", 2])).toThrow(
      "reshape: named dim n must be at the start or the end of the target [2, n, 2]",
    );
    expect(() => reshapeNamedShape("reshape", [4], ["a", "b"])).toThrow("reshape: target [a, b] names more dims than [4] has");
  });
  test("the reshape op resolves names by place (types only carry them)", () => {
    const x = withDims(zeros([5, 28, 28]), ["batch", 28, 28]);
    const y = reshape(x, ["batch", 784]);
    expect(y.shape).toEqual([5, 784]);
    const heads = reshape(withDims(zeros([2, 3, 12]), ["b", "s", 12]), ["b", "s", 3, 4]);
    expect(heads.shape).toEqual([2, 3, 3, 4]);
    expect(reshape(heads, ["b", "s", -1]).shape).toEqual([2, 3, 12]);
  });
});
