/** @file Edge cases of `log`: its domain (0, negatives, NaN, ∞), the tangent at the edge of the domain, dtype errors. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

describe("log", () => {
  test("log 0 = −∞ (for both zeros), log of a negative is NaN, log ∞ = ∞", () => {
    expect(valuesOf(ops.log(tensor([0, -0, -1, Infinity, NaN, 1], [6])))).toEqual([-Infinity, -Infinity, NaN, Infinity, NaN, 0]);
  });

  test("the tangent at 0 is xDot/0 = ∞, at ∞ it is 0", () => {
    const [, [t]] = jvpFlat((x) => [ops.log(x)], [tensor([0, Infinity], [2])], [tensor([1, 1], [2])]);
    expect(valuesOf(t)).toEqual([Infinity, 0]);
  });

  test("float32 keeps float32", () => {
    const y = ops.log(tensor([Math.E], [1], "float32"));
    expect(y.dtype).toBe("float32");
    expect(valuesOf(y)[0]).toBeCloseTo(1, 6);
  });

  test("int32 input is a DTypeError", () => {
    expect(() => ops.log(tensor([1], [1], "int32"))).toThrow(DTypeError);
  });
});
