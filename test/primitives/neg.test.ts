/** @file Edge cases of `neg`: signed zeros, int32 wrap-around, dtype errors, transposition. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

describe("neg", () => {
  test("−(+0) = −0 and −(−0) = +0; NaN and ∞", () => {
    const [a, b, c, d] = valuesOf(ops.neg(tensor([0, -0, NaN, Infinity], [4])));
    expect(Object.is(a, -0) && Object.is(b, 0)).toBe(true);
    expect([c, d]).toEqual([NaN, -Infinity]);
  });

  test("int32: −(−2³¹) wraps to −2³¹, as in two's complement", () => {
    expect(valuesOf(ops.neg(tensor([-(2 ** 31), 5], [2], "int32")))).toEqual([-(2 ** 31), -5]);
  });

  test("bool is a DTypeError", () => {
    expect(() => ops.neg(tensor([1], [1], "bool"))).toThrow(/neg: expected a numeric tensor, got bool/);
    expect(() => ops.neg(tensor([1], [1], "bool"))).toThrow(DTypeError);
  });

  test("its transpose negates the cotangent", () => {
    const [, pullback] = vjpFlat((x) => [ops.neg(x)], [tensor([1, 2], [2])]);
    expect(valuesOf(pullback([tensor([3, -4], [2])])[0])).toEqual([-3, 4]);
  });
});
