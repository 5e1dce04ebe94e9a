/** @file Edge cases of `sqrt`: −0, negatives, ∞, the infinite slope at 0, dtype errors. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { tensor, valuesOf, scalar, grad1 } from "../helpers/tensors.js";

describe("sqrt", () => {
  test("√−0 = −0, √(−1) = NaN, √∞ = ∞", () => {
    const [negZero, neg, inf, nan] = valuesOf(ops.sqrt(tensor([-0, -1, Infinity, NaN], [4])));
    expect(Object.is(negZero, -0)).toBe(true);
    expect([neg, inf, nan]).toEqual([NaN, Infinity, NaN]);
  });

  test("the derivative at 0 is +∞ (forward and reverse)", () => {
    const [, [t]] = jvpFlat((x) => [ops.sqrt(x)], [tensor([0], [1])], [tensor([1], [1])]);
    expect(valuesOf(t)).toEqual([Infinity]);
    const g = grad1((x: ops.AnyTensor) => ops.sqrt(x))(scalar(0));
    expect(valuesOf(g)).toEqual([Infinity]);
  });

  test("int32 input is a DTypeError", () => {
    expect(() => ops.sqrt(tensor([4], [1], "int32"))).toThrow(DTypeError);
  });
});
