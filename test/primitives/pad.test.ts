/** @file Edge cases of `pad`: negative low/high (cropping, also into the operand), interior padding, errors, transposition. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { ShapeError } from "../../src/shape/errors.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { expectValidBoolOrDTypeError } from "../helpers/bool.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

const x = tensor([1, 2, 3], [3]);

describe("pad", () => {
  test("low, high and interior padding", () => {
    expect(valuesOf(ops.pad(x, 0, [[1, 2, 1]]))).toEqual([0, 1, 0, 2, 0, 3, 0, 0]);
  });

  test("negative low/high crop, also into the operand and across interior padding", () => {
    expect(valuesOf(ops.pad(x, 0, [[-1, 0, 0]]))).toEqual([2, 3]);
    expect(valuesOf(ops.pad(x, 0, [[-2, -1, 1]]))).toEqual([2, 0]);
    expect(valuesOf(ops.pad(x, 9, [[-5, 4, 0]]))).toEqual([9, 9]);
    expect(ops.pad(x, 0, [[-2, -1, 0]]).shape).toEqual([0]);
  });

  test("interior padding of size-1 and size-0 dims adds nothing", () => {
    expect(valuesOf(ops.pad(tensor([5], [1]), 0, [[0, 0, 3]]))).toEqual([5]);
    expect(valuesOf(ops.pad(tensor([], [0]), 7, [[1, 1, 3]]))).toEqual([7, 7]);
  });

  test("NaN as the padding value; 0-d operand with an empty config", () => {
    expect(valuesOf(ops.pad(x, NaN, [[1, 0, 0]]))).toEqual([NaN, 1, 2, 3]);
    expect(valuesOf(ops.pad(tensor([4], []), 1, []))).toEqual([4]);
  });

  test("invalid configs are ShapeErrors", () => {
    expect(() => ops.pad(x, 0, [[-2, -2, 0]])).toThrow(ShapeError);
    expect(() => ops.pad(x, 0, [[-2, -2, 0]])).toThrow('pad: config [[-2,-2,0]] does not fit [3]');
    expect(() => ops.pad(x, 0, [[0, 0, -1]])).toThrow(ShapeError);
    expect(() => ops.pad(x, 0, [])).toThrow(ShapeError);
  });

  test("BUG (validation): a fractional config is not a ShapeError", () => {
    expect(() => ops.pad(x, 0, [[0.5, 0, 0]])).toThrow(ShapeError);
  });

  test("BUG: a bool operand padded with 2 stores 2 in a bool tensor", () => {
    expectValidBoolOrDTypeError(() => ops.pad(tensor([1], [1], "bool"), 2, [[1, 0, 0]]));
  });

  test("the cotangent of a cropping, interior-padded pad", () => {
    const [, pullback] = vjpFlat((a) => [ops.pad(a, 5, [[-1, 2, 1]])], [x]);
    // padded canvas: [1, _, 2, _, 3, _, _] then crop 1: [_, 2, _, 3, _, _]
    const [xBar] = pullback([tensor([10, 20, 30, 40, 50, 60], [6])]);
    expect(valuesOf(xBar)).toEqual([0, 20, 40]);
  });
});
