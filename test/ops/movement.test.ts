import { describe, expect, test } from "vitest";
import "../../src/index.js";
import {
  arange, broadcastTo, concat, expandDims, flatten, reshape, slice, squeeze, stack, tensor, transpose, zeros,
} from "../../src/ops/index.js";

describe("movement", () => {
  const x = reshape(arange(6), [2, 3]);
  test("reshape with -1, flatten", () => {
    expect(x.toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(reshape(x, [-1]).toArray()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(reshape(x, [3, -1]).shape).toEqual([3, 2]);
    expect(flatten(reshape(arange(8), [2, 2, 2])).toArray()).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(() => reshape(x, [4] as never)).toThrow("reshape: cannot reshape [2, 3] (6 elements) to [4] (4 elements)");
    expect(() => flatten(tensor(1) as never)).toThrow("flatten: cannot flatten a scalar (shape [])");
  });
  test("transpose", () => {
    expect(transpose(x).toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    const y = reshape(arange(24), [2, 3, 4]);
    expect(transpose(y, [0, 2, 1]).shape).toEqual([2, 4, 3]);
    expect(transpose(y, [1, 2, 0]).toArray()).toEqual(
      [0, 1, 2].map((i) => [0, 1, 2, 3].map((j) => [0, 1].map((k) => k * 12 + i * 4 + j))),
    );
    expect(() => transpose(y, [0, 0, 1] as never)).toThrow("transpose: [0, 0, 1] is not a permutation of 3 axes (shape [2, 3, 4])");
  });
  test("expandDims and squeeze", () => {
    expect(expandDims(x, 0).shape).toEqual([1, 2, 3]);
    expect(expandDims(x, -1).shape).toEqual([2, 3, 1]);
    expect(squeeze(zeros([1, 3, 1])).shape).toEqual([3]);
    expect(squeeze(zeros([1, 3, 1]), -1).shape).toEqual([1, 3]);
    expect(() => squeeze(x, 0 as never)).toThrow("squeeze: cannot squeeze axis 0 of size 2 (shape [2, 3])");
  });
  test("concat and stack", () => {
    expect(concat([x, x]).toArray()).toEqual([[0, 1, 2], [3, 4, 5], [0, 1, 2], [3, 4, 5]]);
    expect(concat([x, tensor([[9], [9]])], 1).toArray()).toEqual([[0, 1, 2, 9], [3, 4, 5, 9]]);
    expect(concat([tensor([1], "int32"), tensor([0.5], "float64")]).dtype).toBe("float64");
    expect(stack([tensor([1, 2]), tensor([3, 4])]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], -1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(() => concat([zeros([2, 3]), zeros([1, 4])] as never, 0)).toThrow(
      "concat: dim 1 differs: 3 vs 4 (shapes [2, 3] and [1, 4])",
    );
    expect(() => stack([zeros([3]), zeros([4])] as never)).toThrow("stack: dim 0 differs: 3 vs 4 (shapes [3] and [4])");
  });
  test("slice, NumPy style", () => {
    const y = reshape(arange(20), [4, 5]);
    expect(slice(y, [[1, 3]]).toArray()).toEqual([[5, 6, 7, 8, 9], [10, 11, 12, 13, 14]]);
    expect(slice(y, [null, [-2]]).toArray()).toEqual([[3, 4], [8, 9], [13, 14], [18, 19]]);
    expect(slice(y, [[0, 4, 2], [1, -1, 2]]).toArray()).toEqual([[1, 3], [11, 13]]);
    expect(slice(y, [[3, 1]]).shape).toEqual([0, 5]);
    expect(() => slice(y, [null, null, null] as never)).toThrow("slice: 3 ranges for rank-2 tensor [4, 5]");
  });
  test("broadcastTo", () => {
    expect(broadcastTo(tensor([[1], [2]]), [2, 2, 3]).toArray()).toEqual([
      [[1, 1, 1], [2, 2, 2]],
      [[1, 1, 1], [2, 2, 2]],
    ]);
    expect(() => broadcastTo(zeros([3, 2]), [3, 4] as never)).toThrow("broadcastTo: cannot broadcast 2 to 4 (shape [3, 2] to [3, 4])");
  });
});
