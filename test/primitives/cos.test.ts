/** @file Edge cases of `cos`: ±∞ and NaN give NaN; the tangent at 0 is −0·xDot. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

describe("cos", () => {
  test("cos ±∞ and cos NaN are NaN; cos −0 = 1", () => {
    expect(valuesOf(ops.cos(tensor([Infinity, -Infinity, NaN, -0], [4])))).toEqual([NaN, NaN, NaN, 1]);
  });

  test("d cos at π/2 is −1", () => {
    const [, [t]] = jvpFlat((x) => [ops.cos(x)], [tensor([Math.PI / 2], [])], [tensor([1], [])]);
    expect(valuesOf(t)[0]).toBeCloseTo(-1, 15);
  });

  test("int32 input is a DTypeError", () => {
    expect(() => ops.cos(tensor([1], [1], "int32"))).toThrow(DTypeError);
  });
});
