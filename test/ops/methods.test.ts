import { describe, expect, test } from "vitest";
import "../../src/index.js";
import { tensor, zeros } from "../../src/ops/index.js";

describe("tensor methods", () => {
  test("chain like the free functions", () => {
    const x = tensor([[1, -2], [3, 4]]);
    expect(x.matmul(tensor([[1], [1]])).add(1).relu().toArray()).toEqual([[0], [8]]);
    expect(x.sum(1).toArray()).toEqual([-1, 7]);
    expect(x.mean().toArray()).toBe(1.5);
    expect(x.max(0).toArray()).toEqual([3, 4]);
    expect(x.argmax(1).toArray()).toEqual([0, 1]);
    expect(x.reshape([-1]).toArray()).toEqual([1, -2, 3, 4]);
    expect(x.transpose().toArray()).toEqual([[1, 3], [-2, 4]]);
    expect(x.neg().abs().toArray()).toEqual([[1, 2], [3, 4]]);
    expect(x.expandDims(0).squeeze(0).shape).toEqual([2, 2]);
    expect(zeros([2, 2, 2]).flatten().shape).toEqual([2, 4]);
    expect(x.cast("int32").dtype).toBe("int32");
    expect(x.mul(2).sub(1).div(2).pow(2).toArray()).toEqual([[0.25, 6.25], [6.25, 12.25]]);
    expect(x.exp().log().tanh().shape).toEqual([2, 2]);
  });
  test("methods are not enumerable", () => {
    expect(Object.keys(tensor([1]))).not.toContain("add");
  });
});
