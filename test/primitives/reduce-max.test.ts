/** @file Edge cases of `reduceMax`: NaN wins wherever it is (NumPy), −∞, ties in the derivative, zero-size operands, errors. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { ShapeError } from "../../src/shape/errors.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

describe("reduceMax", () => {
  test("NaN wins, first, middle or last", () => {
    const x = tensor([NaN, 1, 2, 1, NaN, 2, 1, 2, NaN, 1, 2, 3], [4, 3]);
    expect(valuesOf(ops.reduceMax(x, [1]))).toEqual([NaN, NaN, NaN, 3]);
  });

  test("all −∞ gives −∞; ∞ wins", () => {
    expect(valuesOf(ops.reduceMax(tensor([-Infinity, -Infinity, 1, Infinity], [2, 2]), [1]))).toEqual([-Infinity, Infinity]);
  });

  test("int32 keeps int32; over all axes gives 0-d", () => {
    const y = ops.reduceMax(tensor([-5, -2, -9, -3], [2, 2], "int32"), [0, 1]);
    expect(y.dtype).toBe("int32");
    expect(y.shape).toEqual([]);
    expect(valuesOf(y)).toEqual([-2]);
  });

  test("ties share the tangent and the cotangent equally", () => {
    const x = tensor([3, 1, 3, 2], [4]);
    const [, [t]] = jvpFlat((a) => [ops.reduceMax(a, [0])], [x], [tensor([1, 10, 3, 10], [4])]);
    expect(valuesOf(t)).toEqual([2]);
    const [, pullback] = vjpFlat((a) => [ops.reduceMax(a, [0])], [x]);
    expect(valuesOf(pullback([tensor([1], [])])[0])).toEqual([0.5, 0, 0.5, 0]);
  });

  test("a reduction over a size-0 axis has no maximum", () => {
    expect(() => ops.reduceMax(tensor([], [2, 0]), [1])).toThrow(/no maximum/);
    expect(() => ops.reduceMax(tensor([], [2, 0]), [1])).toThrow(ShapeError);
  });

  test("BUG: a zero-size operand whose reduced axes are non-empty has a (zero-size) result, as in NumPy", () => {
    // np.max(np.zeros((0, 3)), axis=1).shape == (0,): there are no reductions, not an empty one.
    // The shape rule rejects every operand with x.size === 0 instead of checking the reduced axes.
    expect(ops.reduceMax(tensor([], [0, 3]), [1]).shape).toEqual([0]);
  });

  test("axis errors", () => {
    expect(() => ops.reduceMax(tensor([1, 2], [2]), [1])).toThrow(ShapeError);
    expect(() => ops.reduceMax(tensor([1, 2], [2]), [1])).toThrow("reduceMax: axis 1 out of range for rank-1 tensor [2]");
    expect(() => ops.reduceMax(tensor([1, 2], [1, 2]), [1, 1])).toThrow("reduceMax: repeated axis in [1, 1]");
  });
});
