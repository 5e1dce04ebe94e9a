/** @file Edge cases of `mul`: 0·∞, signed zeros, int32 overflow, bool operands, transposition. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { ShapeError } from "../../src/shape/errors.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { tensor, valuesOf } from "../helpers/tensors.js";
import { expectValidBoolOrDTypeError } from "../helpers/bool.js";

describe("mul", () => {
  test("shape and dtype errors", () => {
    expect(() => ops.mul(tensor([1, 2, 3], [3]), tensor([1, 2], [2]))).toThrow(ShapeError);
    expect(() => ops.mul(tensor([1], [1], "float32"), tensor([1], [1], "float64"))).toThrow("mul: dtypes differ: float32 vs float64");
  });

  test("0 · ∞ = NaN; −1 · 0 = −0", () => {
    const [nan, nz] = valuesOf(ops.mul(tensor([0, -1], [2]), tensor([Infinity, 0], [2])));
    expect(nan).toBeNaN();
    expect(Object.is(nz, -0)).toBe(true);
  });

  test("int32 products that fit in 53 bits wrap modulo 2³²", () => {
    expect(valuesOf(ops.mul(tensor([65537, -65536], [2], "int32"), tensor([65537, 65536], [2], "int32")))).toEqual([131073, 0]);
  });

  test("BUG: int32 products beyond 2⁵³ lose their low bits instead of wrapping ((2³¹−1)² ≡ 1 mod 2³²)", () => {
    // The kernel multiplies in float64 (rounding away the low bits) before the int32 store; Math.imul wraps exactly.
    const m = 2 ** 31 - 1;
    expect(valuesOf(ops.mul(tensor([m, -m], [2], "int32"), tensor([m, m], [2], "int32")))).toEqual([Math.imul(m, m), Math.imul(-m, m)]);
  });

  test("transposes to the known factor times the cotangent, on either side", () => {
    const c = tensor([3, -2], [2]);
    const [, left] = vjpFlat((x) => [ops.mul(x, c)], [tensor([1, 1], [2])]);
    const [, right] = vjpFlat((x) => [ops.mul(c, x)], [tensor([1, 1], [2])]);
    const ct = [tensor([2, 5], [2])];
    expect(valuesOf(left(ct)[0])).toEqual([6, -10]);
    expect(valuesOf(right(ct)[0])).toEqual([6, -10]);
  });

  test("d(x · x) = 2x", () => {
    const [, pullback] = vjpFlat((x) => [ops.mul(x, x)], [tensor([3], [])]);
    expect(valuesOf(pullback([tensor([1], [])])[0])).toEqual([6]);
  });

  test("bool · bool holds only 0 and 1 (logical and)", () => {
    expectValidBoolOrDTypeError(() => ops.mul(tensor([1, 1, 0], [3], "bool"), tensor([1, 0, 0], [3], "bool")));
  });

  test("dtype is kept; float32 rounds", () => {
    const y = ops.mul(tensor([0.1], [1], "float32"), tensor([3], [1], "float32"));
    expect(y.dtype).toBe("float32");
    expect(valuesOf(y)).toEqual([Math.fround(Math.fround(0.1) * 3)]);
  });
});
