import { describe, expect, test } from "vitest";
import "../../src/index.js";
import { oneHot, tensor } from "../../src/ops/index.js";

describe("oneHot", () => {
  test("int32 labels to float32 rows; unchecked, out-of-range labels give zero rows", () => {
    expect(() => oneHot(tensor([0, 2, 5], "int32"), 3)).toThrow(RangeError);
    const y = oneHot(tensor([0, 2, 5], "int32"), 3, { checked: false });
    expect(y.dtype).toBe("float32");
    expect(y.toArray()).toEqual([[1, 0, 0], [0, 0, 1], [0, 0, 0]]);
    expect(oneHot(tensor([[1], [0]], "int32"), 2).toArray()).toEqual([[[0, 1]], [[1, 0]]]);
  });
});
