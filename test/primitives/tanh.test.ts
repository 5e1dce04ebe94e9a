/** @file Edge cases of `tanh`: saturation at ±∞ and its vanishing derivative, NaN. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

describe("tanh", () => {
  test("tanh ±∞ = ±1, NaN stays NaN", () => {
    expect(valuesOf(ops.tanh(tensor([Infinity, -Infinity, NaN], [3])))).toEqual([1, -1, NaN]);
  });

  test("the tangent vanishes (exactly 0) where tanh saturates", () => {
    const [, [t]] = jvpFlat((x) => [ops.tanh(x)], [tensor([Infinity, -Infinity, 40], [3])], [tensor([1, 1, 1], [3])]);
    expect(valuesOf(t)).toEqual([0, 0, 0]);
  });
});
