/** @file Edge cases of `reshape`: 0-d ↔ size-1, size-0 shapes, size mismatch and invalid dims, transposition. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { ShapeError } from "../../src/shape/errors.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { vmapFlat } from "../../src/transforms/vmap.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

describe("reshape", () => {
  test("0-d to [1, 1] and back", () => {
    const y = ops.reshape(tensor([7], []), [1, 1]);
    expect(y.shape).toEqual([1, 1]);
    expect(ops.reshape(y, []).shape).toEqual([]);
  });

  test("size-0 shapes reshape among themselves", () => {
    expect(ops.reshape(tensor([], [0, 3]), [3, 0, 5]).shape).toEqual([3, 0, 5]);
  });

  test("row-major order is kept", () => {
    expect(valuesOf(ops.reshape(tensor([1, 2, 3, 4, 5, 6], [2, 3]), [3, 2]))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test("a size mismatch names both shapes and sizes", () => {
    expect(() => ops.reshape(tensor([1, 2, 3, 4, 5, 6], [2, 3]), [4, 2])).toThrow(ShapeError);
    expect(() => ops.reshape(tensor([1, 2, 3, 4, 5, 6], [2, 3]), [4, 2])).toThrow(
      "reshape: cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)",
    );
  });

  test("negative (no −1 inference) and fractional dims are ShapeErrors", () => {
    expect(() => ops.reshape(tensor([1, 2], [2]), [-1])).toThrow(ShapeError);
    expect(() => ops.reshape(tensor([1, 2], [2]), [-2, -1])).toThrow(ShapeError);
    expect(() => ops.reshape(tensor([1, 2], [2]), [0.5, 4])).toThrow(ShapeError);
  });

  test("the cotangent is reshaped back", () => {
    const [, pullback] = vjpFlat((a) => [ops.reshape(a, [3, 2])], [tensor([1, 2, 3, 4, 5, 6], [2, 3])]);
    const [xBar] = pullback([tensor([1, 2, 3, 4, 5, 6], [3, 2])]);
    expect(xBar.shape).toEqual([2, 3]);
    expect(valuesOf(xBar)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test("vmap of a reshape mapped along a middle axis", () => {
    const x = tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [2, 3, 2]);
    const [y] = vmapFlat((a) => [ops.reshape(a, [4])], [1], [x]);
    expect(y.shape).toEqual([3, 4]);
    expect(valuesOf(y)).toEqual([0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11]);
  });
});
