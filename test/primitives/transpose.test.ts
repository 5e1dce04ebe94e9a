/** @file Edge cases of `transpose`: 0-d, size-0, invalid permutations, the inverse permutation as its transpose. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { ShapeError } from "../../src/shape/errors.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

describe("transpose", () => {
  test("0-d with the empty permutation; size-0 dims move", () => {
    expect(valuesOf(ops.transpose(tensor([4], []), []))).toEqual([4]);
    expect(ops.transpose(tensor([], [2, 0, 3]), [2, 0, 1]).shape).toEqual([3, 2, 0]);
  });

  test("result axis i is input axis perm[i]", () => {
    const x = tensor([0, 1, 2, 3, 4, 5], [1, 2, 3]);
    const y = ops.transpose(x, [2, 0, 1]);
    expect(y.shape).toEqual([3, 1, 2]);
    expect(valuesOf(y)).toEqual([0, 3, 1, 4, 2, 5]);
  });

  test("invalid permutations are ShapeErrors", () => {
    const x = tensor([1, 2, 3, 4], [2, 2]);
    expect(() => ops.transpose(x, [0])).toThrow("transpose: [0] is not a permutation of the axes of [2, 2]");
    expect(() => ops.transpose(x, [0, 0])).toThrow(ShapeError);
    expect(() => ops.transpose(x, [1, 2])).toThrow(ShapeError);
    expect(() => ops.transpose(x, [-1, 0])).toThrow(ShapeError);
  });

  test("BUG (validation): a fractional axis passes the shape rule and gives garbage", () => {
    // [0.5] has one distinct entry within [0, 1), so the rule accepts it; the result is wrong silently.
    expect(() => ops.transpose(tensor([1, 2, 3], [3]), [0.5])).toThrow(ShapeError);
  });

  test("the cotangent goes through the inverse permutation", () => {
    const x = tensor([0, 1, 2, 3, 4, 5], [1, 2, 3]);
    const [, pullback] = vjpFlat((a) => [ops.transpose(a, [2, 0, 1])], [x]);
    const [xBar] = pullback([ops.transpose(x, [2, 0, 1])]);
    expect(xBar.shape).toEqual([1, 2, 3]);
    expect(valuesOf(xBar)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
