/** @file Edge cases of `shiftRightLogical`: zero fill of negative words, shift amounts 0, 31 and out of range, errors. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import { ShapeError } from "../../src/shape/errors.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { vmapFlat } from "../../src/transforms/vmap.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

const i32 = (v: number[]) => tensor(v, [v.length], "int32");

describe("shiftRightLogical", () => {
  test("zero fill: negative words become non-negative", () => {
    expect(valuesOf(ops.shiftRightLogical(i32([-1, -1, -(2 ** 31), 12]), i32([28, 1, 31, 2])))).toEqual([15, 2 ** 31 - 1, 1, 3]);
  });

  test("shift by 0 keeps the bits (−1 stays −1 as int32)", () => {
    expect(valuesOf(ops.shiftRightLogical(i32([-1, 5]), i32([0, 0])))).toEqual([-1, 5]);
  });

  test("shift amounts outside [0, 31] give 0 (XLA), not the amount mod 32 (JS)", () => {
    expect(valuesOf(ops.shiftRightLogical(i32([-1, -1, 7, 7]), i32([32, 33, -1, 100])))).toEqual([0, 0, 0, 0]);
  });

  test("only int32; one shape", () => {
    expect(() => ops.shiftRightLogical(tensor([1], [1]), tensor([1], [1]))).toThrow(DTypeError);
    expect(() => ops.shiftRightLogical(i32([1]), tensor([1], [1]))).toThrow(DTypeError);
    expect(() => ops.shiftRightLogical(i32([1, 2]), i32([1]))).toThrow(ShapeError);
  });

  test("zero tangent; vmap with the shift shared", () => {
    const [, [t]] = jvpFlat((x, y) => [ops.shiftRightLogical(x, y)], [i32([8]), i32([1])], [i32([0]), i32([0])]);
    expect(valuesOf(t)).toEqual([0]);
    const [y] = vmapFlat((x, s) => [ops.shiftRightLogical(x, s)], [0, null], [tensor([8, 16, 32, 64], [2, 2], "int32"), i32([1, 2])]);
    expect(valuesOf(y)).toEqual([4, 4, 16, 16]);
  });
});
