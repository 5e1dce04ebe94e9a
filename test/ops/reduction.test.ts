import { describe, expect, test } from "vitest";
import "../../src/index.js";
import { argmax, argmin, max, mean, min, sum, tensor } from "../../src/ops/index.js";

describe("reductions", () => {
  const x = tensor([[1, 5, 2], [7, 0, 3]]);
  test("sum over single, negative, tuple and all axes, with keepDims", () => {
    expect(sum(x).toArray()).toBe(18);
    expect(sum(x, 0).toArray()).toEqual([8, 5, 5]);
    expect(sum(x, -1).toArray()).toEqual([8, 10]);
    expect(sum(x, -1, true).toArray()).toEqual([[8], [10]]);
    expect(sum(x, [0, 1]).toArray()).toBe(18);
    expect(sum(x, undefined, true).toArray()).toEqual([[18]]);
    expect(sum(tensor([true, true, false])).dtype).toBe("int32");
    expect(sum(tensor([true, true, false])).toArray()).toBe(2);
  });
  test("mean, max, min", () => {
    expect(mean(x, 0).toArray()).toEqual([4, 2.5, 2.5]);
    expect(mean(tensor([1, 2], "int32")).dtype).toBe("float32");
    expect(mean(tensor([1, 2], "int32")).toArray()).toBe(1.5);
    expect(max(x, 1).toArray()).toEqual([5, 7]);
    expect(max(x).toArray()).toBe(7);
    expect(min(x, 1, true).toArray()).toEqual([[1], [0]]);
    expect(min(x).toArray()).toBe(0);
  });
  test("argmax / argmin", () => {
    expect(argmax(x, 1).toArray()).toEqual([1, 0]);
    expect(argmax(x, 1).dtype).toBe("int32");
    expect(argmax(x).toArray()).toBe(3);
    expect(argmax(x, 0, true).toArray()).toEqual([[1, 0, 1]]);
    expect(argmin(x, 1).toArray()).toEqual([0, 1]);
    expect(argmin(x).toArray()).toBe(4);
    expect(argmax(tensor([2, 5, 5])).toArray()).toBe(1);
  });
  test("bad axes throw the type checker's message", () => {
    expect(() => sum(x, 2 as never)).toThrow("sum: axis 2 out of range for rank-2 tensor [2, 3]");
    expect(() => mean(x, [1, -1] as never)).toThrow("mean: repeated axis -1 in [1, -1] for rank-2 tensor [2, 3]");
    expect(() => argmax(x, -3 as never)).toThrow("argmax: axis -3 out of range for rank-2 tensor [2, 3]");
  });
});
