/** @file Edge cases of `exp` beyond the generic harness: special values, 0-d and size-0, dtype errors. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { vmapFlat } from "../../src/transforms/vmap.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

describe("exp", () => {
  test("±∞, NaN and ±0", () => {
    expect(valuesOf(ops.exp(tensor([-Infinity, Infinity, NaN, 0, -0], [5])))).toEqual([0, Infinity, NaN, 1, 1]);
  });

  test("overflow to ∞ and underflow to 0 in float32", () => {
    expect(valuesOf(ops.exp(tensor([100, -200], [2], "float32")))).toEqual([Infinity, 0]);
  });

  test("0-d and size-0 keep their shapes", () => {
    expect(ops.exp(tensor([0], [])).shape).toEqual([]);
    const empty = ops.exp(tensor([], [2, 0, 3]));
    expect(empty.shape).toEqual([2, 0, 3]);
    expect(empty.dtype).toBe("float64");
  });

  test("the tangent at −∞ is 0, not NaN", () => {
    const [, [t]] = jvpFlat((x) => [ops.exp(x)], [tensor([-Infinity], [1])], [tensor([1], [1])]);
    expect(valuesOf(t)).toEqual([0]);
  });

  test("vmap over a mapped axis of size 0", () => {
    const [y] = vmapFlat((x) => [ops.exp(x)], [1], [tensor([], [3, 0])]);
    expect(y.shape).toEqual([0, 3]);
  });

  test("int32 and bool inputs are DTypeErrors", () => {
    expect(() => ops.exp(tensor([1], [1], "int32"))).toThrow(DTypeError);
    expect(() => ops.exp(tensor([1], [1], "bool"))).toThrow(/exp: expected a float tensor, got bool/);
  });
});
