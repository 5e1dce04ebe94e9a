/** @file Edge cases of `div`: int32 truncation toward zero, division by zero, errors, linearity in the numerator only. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import { UndefPrimal } from "../../src/core/primitive.js";
import { ShapedArray } from "../../src/core/aval.js";
import { primitives } from "../../src/core/registry.js";
import { ShapeError } from "../../src/shape/errors.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { expectValidBoolOrDTypeError } from "../helpers/bool.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

describe("div", () => {
  test("int32 division truncates toward zero (as C and XLA), not toward −∞ (as Python's //)", () => {
    const x = tensor([7, -7, 7, -7, 6, -1, 0], [7], "int32");
    const y = tensor([2, 2, -2, -2, 3, 2, 5], [7], "int32");
    const q = ops.div(x, y);
    expect(q.dtype).toBe("int32");
    expect(valuesOf(q).map((v) => v + 0)).toEqual([3, -3, -3, 3, 2, 0, 0]);
  });

  test("int32: −2³¹ / −1 wraps to −2³¹", () => {
    expect(valuesOf(ops.div(tensor([-(2 ** 31)], [1], "int32"), tensor([-1], [1], "int32")))).toEqual([-(2 ** 31)]);
  });

  test("float division by ±0 gives ±∞ or NaN", () => {
    const y = ops.div(tensor([1, -1, 1, 0], [4]), tensor([0, 0, -0, 0], [4]));
    expect(valuesOf(y)).toEqual([Infinity, -Infinity, -Infinity, NaN]);
  });

  test("shape and dtype errors", () => {
    expect(() => ops.div(tensor([1, 2], [2]), tensor([1], [1]))).toThrow(ShapeError);
    expect(() => ops.div(tensor([1, 2], [2]), tensor([1], [1]))).toThrow("div: shapes differ: [2] vs [1]");
    expect(() => ops.div(tensor([1], [1], "int32"), tensor([1], [1]))).toThrow(DTypeError);
  });

  test("derivatives in numerator and denominator", () => {
    const [[z], [t]] = jvpFlat((x, y) => [ops.div(x, y)], [tensor([3], []), tensor([2], [])], [tensor([1], []), tensor([1], [])]);
    expect(valuesOf(z)).toEqual([1.5]);
    expect(valuesOf(t)[0]).toBeCloseTo(1 / 2 - 3 / 4, 15);
    const [, pullback] = vjpFlat((x, y) => [ops.div(x, y)], [tensor([3], []), tensor([2], [])]);
    const [xBar, yBar] = pullback([tensor([1], [])]);
    expect(valuesOf(xBar)).toEqual([0.5]);
    expect(valuesOf(yBar)).toEqual([-0.75]);
  });

  test("the transpose rule refuses a linear denominator", () => {
    const ct = tensor([1], [1]);
    expect(() => primitives.div.transpose!([ct], [tensor([1], [1]), new UndefPrimal(new ShapedArray([1], "float64"))], {})).toThrow(
      /numerator only/,
    );
  });

  test("bool / bool holds only 0 and 1 (or is refused)", () => {
    expectValidBoolOrDTypeError(() => ops.div(tensor([1, 0], [2], "bool"), tensor([1, 0], [2], "bool")));
  });
});
