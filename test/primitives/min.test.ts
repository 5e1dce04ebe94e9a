/** @file Edge cases of `min`: NaN wins (NumPy's minimum) from either side, ∞, int32, and the derivative at ties. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { ShapeError } from "../../src/shape/errors.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

describe("min", () => {
  test("NaN wins from either side; ∞ and −∞ behave", () => {
    const x = tensor([NaN, 1, NaN, -Infinity, Infinity], [5]);
    const y = tensor([1, NaN, NaN, 3, 2], [5]);
    expect(valuesOf(ops.min(x, y))).toEqual([NaN, NaN, NaN, -Infinity, 2]);
  });

  test("int32", () => {
    expect(valuesOf(ops.min(tensor([-3, 5], [2], "int32"), tensor([2, -9], [2], "int32")))).toEqual([-3, -9]);
  });

  test("at a tie the tangent and the cotangents are averaged", () => {
    const [, [t]] = jvpFlat((x, y) => [ops.min(x, y)], [tensor([2], []), tensor([2], [])], [tensor([1], []), tensor([3], [])]);
    expect(valuesOf(t)).toEqual([2]);
    const [, pullback] = vjpFlat((x, y) => [ops.min(x, y)], [tensor([3, 1, 2], [3]), tensor([1, 3, 2], [3])]);
    const [xBar, yBar] = pullback([tensor([1, 1, 1], [3])]);
    expect(valuesOf(xBar)).toEqual([0, 1, 0.5]);
    expect(valuesOf(yBar)).toEqual([1, 0, 0.5]);
  });

  test("shape errors name the primitive", () => {
    expect(() => ops.min(tensor([1, 2], [1, 2]), tensor([1, 2], [2, 1]))).toThrow(ShapeError);
    expect(() => ops.min(tensor([1, 2], [1, 2]), tensor([1, 2], [2, 1]))).toThrow("min: shapes differ: [1, 2] vs [2, 1]");
  });
});
