/** @file Edge cases of `max`: NaN wins (NumPy's maximum) from either side, ∞, int32, and the derivative at ties. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import { ShapeError } from "../../src/shape/errors.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { tensor, valuesOf, grad1 } from "../helpers/tensors.js";

describe("max", () => {
  test("NaN wins from either side; ∞ and −∞ behave", () => {
    const x = tensor([NaN, 1, NaN, -Infinity, Infinity], [5]);
    const y = tensor([1, NaN, NaN, 3, 2], [5]);
    expect(valuesOf(ops.max(x, y))).toEqual([NaN, NaN, NaN, 3, Infinity]);
  });

  test("int32 and bool", () => {
    expect(valuesOf(ops.max(tensor([-3, 5], [2], "int32"), tensor([2, -9], [2], "int32")))).toEqual([2, 5]);
    expect(valuesOf(ops.max(tensor([0, 1, 0], [3], "bool"), tensor([0, 0, 1], [3], "bool")))).toEqual([0, 1, 1]);
  });

  test("at a tie the tangent is the average (xDot + yDot) / 2", () => {
    const [, [t]] = jvpFlat((x, y) => [ops.max(x, y)], [tensor([2, 2, 1], [3]), tensor([2, 1, 2], [3])], [tensor([1, 1, 1], [3]), tensor([0, 0, 0], [3])]);
    expect(valuesOf(t)).toEqual([0.5, 1, 0]);
  });

  test("max(x, x) has derivative 1, and grad splits ties evenly", () => {
    const g = grad1((x: ops.AnyTensor) => ops.reduceSum(ops.max(x, x), [0]))(tensor([1, -2], [2]));
    expect(valuesOf(g)).toEqual([1, 1]);
    const [, pullback] = vjpFlat((x, y) => [ops.max(x, y)], [tensor([3, 1, 2], [3]), tensor([1, 3, 2], [3])]);
    const [xBar, yBar] = pullback([tensor([1, 1, 1], [3])]);
    expect(valuesOf(xBar)).toEqual([1, 0, 0.5]);
    expect(valuesOf(yBar)).toEqual([0, 1, 0.5]);
  });

  test("shape and dtype errors", () => {
    expect(() => ops.max(tensor([1], [1]), tensor([1, 2], [2]))).toThrow(ShapeError);
    expect(() => ops.max(tensor([1], [1]), tensor([1, 2], [2]))).toThrow("max: shapes differ: [1] vs [2]");
    expect(() => ops.max(tensor([1], [1]), tensor([1], [1], "int32"))).toThrow(DTypeError);
  });
});
