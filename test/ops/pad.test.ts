import { describe, expect, test } from "vitest";
import { ShapeError, grad, pad, sum, tensor, mul } from "../../src/index.js";

describe("pad", () => {
  test("adds constant borders per axis", () => {
    expect(pad(tensor([[1, 2], [3, 4]]), [[1, 0], [0, 2]], 9).toArray()).toEqual([
      [9, 9, 9, 9],
      [1, 2, 9, 9],
      [3, 4, 9, 9],
    ]);
  });
  test("its gradient takes the inner block", () => {
    const g = grad((x: ReturnType<typeof tensor<[[1, 2], [3, 4]]>>) => sum(mul(pad(x, [[1, 1], [1, 1]]), 2)))(tensor([[1, 2], [3, 4]]));
    expect(g.toArray()).toEqual([[2, 2], [2, 2]]);
  });
  test("wrong widths are a ShapeError", () => {
    expect(() => pad(tensor([1, 2]), [[-1, 0]] as never)).toThrow(ShapeError);
    expect(() => pad(tensor([1, 2]), [[0, 0], [0, 0]] as never)).toThrow("pad: 2 [low, high] pairs for a rank-1 tensor [2]");
  });
});
