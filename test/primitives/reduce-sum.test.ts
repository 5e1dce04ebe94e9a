/** @file Edge cases of `reduceSum`: empty and full axis sets, size-0 reductions, bool counts, NaN/∞, axis errors. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { ShapeError } from "../../src/shape/errors.js";
import { vmapFlat } from "../../src/transforms/vmap.js";
import { tensor, valuesOf, grad1 } from "../helpers/tensors.js";

const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);

describe("reduceSum", () => {
  test("over all axes gives a 0-d tensor; over none, the operand", () => {
    const all = ops.reduceSum(x, [1, 0]);
    expect(all.shape).toEqual([]);
    expect(valuesOf(all)).toEqual([21]);
    expect(valuesOf(ops.reduceSum(x, []))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test("a reduction over a size-0 axis is 0; a size-0 kept axis gives an empty result", () => {
    const zeros = ops.reduceSum(tensor([], [0, 3]), [0]);
    expect(zeros.shape).toEqual([3]);
    expect(valuesOf(zeros)).toEqual([0, 0, 0]);
    expect(ops.reduceSum(tensor([], [0, 3]), [1]).shape).toEqual([0]);
  });

  test("bool sums count as int32", () => {
    const y = ops.reduceSum(tensor([1, 0, 1, 1], [2, 2], "bool"), [0, 1]);
    expect(y.dtype).toBe("int32");
    expect(valuesOf(y)).toEqual([3]);
  });

  test("BUG: bool over no axes stays bool, though the primitive's own rule says int32", () => {
    // ops.reduceSum returns x itself when axes is empty, skipping the bool → int32 promotion.
    expect(ops.reduceSum(tensor([1, 0], [2], "bool"), []).dtype).toBe(ops.bind("reduceSum", [tensor([1, 0], [2], "bool")], { axes: [] })[0].dtype);
  });

  test("NaN propagates; ∞ + (−∞) is NaN", () => {
    expect(valuesOf(ops.reduceSum(tensor([1, NaN, Infinity, -Infinity, Infinity, 1], [3, 2]), [1]))).toEqual([NaN, NaN, Infinity]);
  });

  test("axis errors", () => {
    expect(() => ops.reduceSum(x, [2])).toThrow(ShapeError);
    expect(() => ops.reduceSum(x, [2])).toThrow("reduceSum: axis 2 out of range for rank-2 tensor [2, 3]");
    expect(() => ops.reduceSum(x, [-1])).toThrow(ShapeError);
    expect(() => ops.reduceSum(x, [0, 0])).toThrow("reduceSum: repeated axis in [0, 0]");
    expect(() => ops.reduceSum(x, [0.5])).toThrow(ShapeError);
  });

  test("the cotangent is broadcast back over the summed axes (also size-0 ones)", () => {
    const g = grad1((a: ops.AnyTensor) => ops.reduceSum(ops.mul(ops.reduceSum(a, [1]), tensor([1, 2], [2])), [0]))(x);
    expect(valuesOf(g)).toEqual([1, 1, 1, 2, 2, 2]);
    const g0 = grad1((a: ops.AnyTensor) => ops.reduceSum(a, [0, 1]))(tensor([], [0, 3]));
    expect(g0.shape).toEqual([0, 3]);
  });

  test("vmap over a non-leading axis", () => {
    const [y] = vmapFlat((a) => [ops.reduceSum(a, [0])], [1], [x]);
    expect(valuesOf(y)).toEqual([5, 7, 9]);
  });
});
