/** @file Edge cases of `sin`: ±∞ and NaN give NaN; −0 stays −0; the tangent at 0. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

describe("sin", () => {
  test("sin ±∞ and sin NaN are NaN; sin −0 = −0", () => {
    const [a, b, c, z] = valuesOf(ops.sin(tensor([Infinity, -Infinity, NaN, -0], [4])));
    expect([a, b, c]).toEqual([NaN, NaN, NaN]);
    expect(Object.is(z, -0)).toBe(true);
  });

  test("d sin at 0 is 1", () => {
    const [, [t]] = jvpFlat((x) => [ops.sin(x)], [tensor([0], [])], [tensor([1], [])]);
    expect(valuesOf(t)).toEqual([1]);
  });

  test("bool input is a DTypeError", () => {
    expect(() => ops.sin(tensor([1], [1], "bool"))).toThrow(DTypeError);
  });
});
