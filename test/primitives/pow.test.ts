/** @file Edge cases of `pow`: 0⁰, negative bases, and derivatives that stay finite where the formula would give NaN. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import { ShapeError } from "../../src/shape/errors.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { tensor, valuesOf, scalar, grad1 } from "../helpers/tensors.js";

describe("pow", () => {
  test("0⁰ = 1, x⁰ = 1 even for NaN, negative bases with integer and fractional exponents", () => {
    const x = tensor([0, NaN, -2, -8, 0, 4], [6]);
    const y = tensor([0, 0, 3, 1 / 3, -1, 0.5], [6]);
    expect(valuesOf(ops.pow(x, y))).toEqual([1, 1, -8, NaN, Infinity, 2]);
  });

  test("d/dx x^y is finite at x = 0 for y = 0, 1, 2 (no 0 · 0^−1 = NaN)", () => {
    const x = tensor([0, 0, 0], [3]);
    const y = tensor([0, 1, 2], [3]);
    const [, [t]] = jvpFlat((a, b) => [ops.pow(a, b)], [x, y], [tensor([1, 1, 1], [3]), tensor([0, 0, 0], [3])]);
    expect(valuesOf(t)).toEqual([0, 1, 0]);
  });

  test("d/dy x^y at x = 0 is 0 (log 0 replaced by log 1), as in JAX", () => {
    const [, [t]] = jvpFlat((a, b) => [ops.pow(a, b)], [tensor([0], []), tensor([2], [])], [tensor([0], []), tensor([1], [])]);
    expect(valuesOf(t)).toEqual([0]);
  });

  test("grad of x² at a negative base is 2x (the exponent is a constant)", () => {
    const two = scalar(2);
    const g = grad1((x: ops.AnyTensor) => ops.pow(x, two))(scalar(-3));
    expect(valuesOf(g)).toEqual([-6]);
  });

  test("shape and dtype errors", () => {
    expect(() => ops.pow(tensor([1], [1]), tensor([1], []))).toThrow(ShapeError);
    expect(() => ops.pow(tensor([1], [1]), tensor([1], [1], "float32"))).toThrow(DTypeError);
  });
});
