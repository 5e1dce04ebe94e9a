/** @file Edge cases of `add`: shape and dtype errors, ∞ − ∞, int32 wrap-around, bool operands, transposition. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import { ShapeError } from "../../src/shape/errors.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { expectValidBoolOrDTypeError } from "../helpers/bool.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

describe("add", () => {
  test("operands of different shapes: ShapeError naming both", () => {
    expect(() => ops.add(tensor([1, 2], [2]), tensor([1, 2, 3], [3]))).toThrow(ShapeError);
    expect(() => ops.add(tensor([1, 2], [2]), tensor([1, 2, 3], [3]))).toThrow("add: shapes differ: [2] vs [3]");
    expect(() => ops.add(tensor([1], []), tensor([1], [1]))).toThrow("add: shapes differ: [] vs [1]");
  });

  test("operands of different dtypes: DTypeError (no implicit promotion in the core)", () => {
    expect(() => ops.add(tensor([1], [1], "float64"), tensor([1], [1], "float32"))).toThrow(DTypeError);
    expect(() => ops.add(tensor([1], [1], "float64"), tensor([1], [1], "int32"))).toThrow("add: dtypes differ: float64 vs int32");
  });

  test("∞ + (−∞) is NaN; NaN propagates", () => {
    expect(valuesOf(ops.add(tensor([Infinity, NaN, Infinity], [3]), tensor([-Infinity, 1, 1], [3])))).toEqual([NaN, NaN, Infinity]);
  });

  test("int32 wraps around", () => {
    expect(valuesOf(ops.add(tensor([2 ** 31 - 1], [1], "int32"), tensor([1], [1], "int32")))).toEqual([-(2 ** 31)]);
  });

  test("size-0 and 0-d", () => {
    expect(ops.add(tensor([], [0, 4]), tensor([], [0, 4])).shape).toEqual([0, 4]);
    expect(valuesOf(ops.add(tensor([1.5], []), tensor([2], [])))).toEqual([3.5]);
  });

  test("the same tracer on both sides: d(x + x) = 2", () => {
    const [, pullback] = vjpFlat((x) => [ops.add(x, x)], [tensor([1, 2], [2])]);
    expect(valuesOf(pullback([tensor([1, 1], [2])])[0])).toEqual([2, 2]);
  });

  test("BUG: bool + bool stores 2 in a bool tensor (true + true), which then compares unequal to true", () => {
    expectValidBoolOrDTypeError(() => ops.add(tensor([1, 1], [2], "bool"), tensor([1, 0], [2], "bool")));
  });
});
