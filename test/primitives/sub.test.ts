/** @file Edge cases of `sub`: errors, ∞ − ∞, signed zeros, int32 wrap-around, bool operands, transposition. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import { ShapeError } from "../../src/shape/errors.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { tensor, valuesOf } from "../helpers/tensors.js";
import { expectValidBoolOrDTypeError } from "../helpers/bool.js";

describe("sub", () => {
  test("shape and dtype errors", () => {
    expect(() => ops.sub(tensor([1, 2], [2, 1]), tensor([1, 2], [1, 2]))).toThrow(ShapeError);
    expect(() => ops.sub(tensor([1, 2], [2, 1]), tensor([1, 2], [1, 2]))).toThrow("sub: shapes differ: [2, 1] vs [1, 2]");
    expect(() => ops.sub(tensor([1], [1], "int32"), tensor([1], [1], "float32"))).toThrow(DTypeError);
  });

  test("∞ − ∞ = NaN; 0 − 0 = +0 and −0 − 0 = −0", () => {
    const [nan, pz, nz] = valuesOf(ops.sub(tensor([Infinity, 0, -0], [3]), tensor([Infinity, 0, 0], [3])));
    expect(nan).toBeNaN();
    expect(Object.is(pz, 0) && Object.is(nz, -0)).toBe(true);
  });

  test("int32 wraps around", () => {
    expect(valuesOf(ops.sub(tensor([-(2 ** 31)], [1], "int32"), tensor([1], [1], "int32")))).toEqual([2 ** 31 - 1]);
  });

  test("its transpose negates the cotangent of the subtrahend", () => {
    const [, pullback] = vjpFlat((x, y) => [ops.sub(x, y)], [tensor([1], [1]), tensor([2], [1])]);
    const [xBar, yBar] = pullback([tensor([3], [1])]);
    expect([valuesOf(xBar), valuesOf(yBar)]).toEqual([[3], [-3]]);
  });

  test("BUG: bool − bool stores 255 in a bool tensor (false − true)", () => {
    expectValidBoolOrDTypeError(() => ops.sub(tensor([0, 1], [2], "bool"), tensor([1, 0], [2], "bool")));
  });
});
