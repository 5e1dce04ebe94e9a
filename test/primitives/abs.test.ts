/** @file Edge cases of `abs`: signed zeros, NaN, int32 minimum, the choice of derivative at 0. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { plainValues, tensor, valuesOf, grad1 } from "../helpers/tensors.js";

describe("abs", () => {
  test("|−0| = +0, |NaN| = NaN, |−∞| = ∞", () => {
    const [z, nan, inf] = valuesOf(ops.abs(tensor([-0, NaN, -Infinity], [3])));
    expect(Object.is(z, 0)).toBe(true);
    expect([nan, inf]).toEqual([NaN, Infinity]);
  });

  test("int32: |−2³¹| is −2³¹ (it has no positive twin), as in NumPy", () => {
    expect(valuesOf(ops.abs(tensor([-(2 ** 31), -7], [2], "int32")))).toEqual([-(2 ** 31), 7]);
  });

  test("the derivative at 0 is 0 (the midpoint of the subgradient), forward and reverse", () => {
    const [, [t]] = jvpFlat((x) => [ops.abs(x)], [tensor([0, -0, -2, 3], [4])], [tensor([1, 1, 1, 1], [4])]);
    expect(plainValues(t)).toEqual([0, 0, -1, 1]);
    const g = grad1((x: ops.AnyTensor) => ops.reduceSum(ops.abs(x), [0]))(tensor([0, -2, 3], [3]));
    expect(valuesOf(g)).toEqual([0, -1, 1]);
  });

  test("bool is a DTypeError", () => {
    expect(() => ops.abs(tensor([1], [1], "bool"))).toThrow(DTypeError);
  });
});
