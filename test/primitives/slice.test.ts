/** @file Edge cases of `slice`: empty slices, strides beyond the dim, every invalid request, strided transposition. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { ShapeError } from "../../src/shape/errors.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

const x = tensor([0, 1, 2, 3, 4, 5, 6], [7]);

describe("slice", () => {
  test("strided, empty, and stride larger than the dim", () => {
    expect(valuesOf(ops.slice(x, [1], [7], [2]))).toEqual([1, 3, 5]);
    expect(valuesOf(ops.slice(x, [1], [6], [2]))).toEqual([1, 3, 5]);
    expect(ops.slice(x, [3], [3], [1]).shape).toEqual([0]);
    expect(ops.slice(x, [7], [7], [1]).shape).toEqual([0]);
    expect(valuesOf(ops.slice(x, [2], [7], [10]))).toEqual([2]);
  });

  test("0-d and size-0 operands", () => {
    expect(valuesOf(ops.slice(tensor([3], []), [], [], []))).toEqual([3]);
    expect(ops.slice(tensor([], [0, 2]), [0, 1], [0, 2], [1, 1]).shape).toEqual([0, 1]);
  });

  test("invalid requests are ShapeErrors", () => {
    expect(() => ops.slice(x, [4], [3])).toThrow("slice: start [4], limit [3], strides [1] do not fit [7]");
    expect(() => ops.slice(x, [0], [8])).toThrow(ShapeError);
    expect(() => ops.slice(x, [-1], [3])).toThrow(ShapeError);
    expect(() => ops.slice(x, [0], [3], [0])).toThrow(ShapeError);
    expect(() => ops.slice(x, [0, 0], [1, 1])).toThrow(ShapeError);
  });

  test("BUG (validation): fractional start/limit/stride pass the shape rule and read NaN", () => {
    expect(() => ops.slice(x, [0.5], [2])).toThrow(ShapeError);
    expect(() => ops.slice(x, [0], [3], [1.5])).toThrow(ShapeError);
  });

  test("the cotangent lands at the taken places, zeros elsewhere", () => {
    const [, pullback] = vjpFlat((a) => [ops.slice(a, [1], [6], [2])], [x]);
    expect(valuesOf(pullback([tensor([10, 20, 30], [3])])[0])).toEqual([0, 10, 0, 20, 0, 30, 0]);
    const [, empty] = vjpFlat((a) => [ops.slice(a, [2], [2])], [x]);
    expect(valuesOf(empty([tensor([], [0])])[0])).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});
