/** @file Edge cases of `broadcastInDim`: stretching size-1 dims (also to 0), new axes anywhere, every kind of invalid request. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { ShapeError } from "../../src/shape/errors.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

const row = tensor([1, 2, 3], [1, 3]);

describe("broadcastInDim", () => {
  test("0-d to any shape, including 0-d and size-0", () => {
    expect(valuesOf(ops.broadcastInDim(tensor([5], []), [2, 2], []))).toEqual([5, 5, 5, 5]);
    expect(ops.broadcastInDim(tensor([5], []), [], []).shape).toEqual([]);
    expect(ops.broadcastInDim(tensor([5], []), [3, 0], []).shape).toEqual([3, 0]);
  });

  test("a size-1 dim stretches (to 0 as well); the others stay; new axes go anywhere", () => {
    expect(valuesOf(ops.broadcastInDim(row, [2, 3], [0, 1]))).toEqual([1, 2, 3, 1, 2, 3]);
    expect(ops.broadcastInDim(row, [0, 3], [0, 1]).shape).toEqual([0, 3]);
    expect(valuesOf(ops.broadcastInDim(tensor([1, 2], [2]), [2, 3], [0]))).toEqual([1, 1, 1, 2, 2, 2]);
  });

  test("invalid requests are ShapeErrors naming both shapes and the dims", () => {
    const x = tensor([1, 2], [2]);
    expect(() => ops.broadcastInDim(x, [3], [0])).toThrow("broadcast: cannot broadcast [2] to [3] along dims [0]");
    expect(() => ops.broadcastInDim(x, [2, 2], [])).toThrow(ShapeError); // too few broadcast dims
    expect(() => ops.broadcastInDim(x, [2, 2], [0, 1])).toThrow(ShapeError); // too many
    expect(() => ops.broadcastInDim(x, [2], [1])).toThrow(ShapeError); // out of range
    expect(() => ops.broadcastInDim(x, [2], [-1])).toThrow(ShapeError);
    expect(() => ops.broadcastInDim(row, [3, 1], [1, 0])).toThrow(ShapeError); // dims not increasing
  });

  test("BUG (validation): a negative or fractional target dim is not a ShapeError", () => {
    // The shape rule checks the operand's dims against the target but not the target itself;
    // the kernel then fails allocating storage (RangeError: Invalid typed array length).
    expect(() => ops.broadcastInDim(tensor([1], []), [-1], [])).toThrow(ShapeError);
    expect(() => ops.broadcastInDim(tensor([1], []), [1.5], [])).toThrow(ShapeError);
  });

  test("the cotangent sums over new and stretched axes", () => {
    const [, pullback] = vjpFlat((a) => [ops.broadcastInDim(a, [2, 2, 3], [1, 2])], [row]);
    const [xBar] = pullback([tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 2, 3])]);
    expect(xBar.shape).toEqual([1, 3]);
    expect(valuesOf(xBar)).toEqual([1 + 4 + 7 + 10, 2 + 5 + 8 + 11, 3 + 6 + 9 + 12]);
  });

  test("the cotangent of a size-1 dim stretched to 0 is 0", () => {
    const [, pullback] = vjpFlat((a) => [ops.broadcastInDim(a, [0, 3], [0, 1])], [row]);
    expect(valuesOf(pullback([tensor([], [0, 3])])[0])).toEqual([0, 0, 0]);
  });
});
