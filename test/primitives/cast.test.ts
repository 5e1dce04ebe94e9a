/** @file Edge cases of `cast`: conversions between every pair of dtypes, and exact derivatives of float casts. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { tensor, valuesOf, plainValues, grad1 } from "../helpers/tensors.js";

describe("cast", () => {
  test("float → int32 truncates toward zero", () => {
    const y = ops.cast(tensor([2.7, -2.7, 0.5, -0.5, 3], [5]), "int32");
    expect(y.dtype).toBe("int32");
    expect(plainValues(y)).toEqual([2, -2, 0, 0, 3]);
  });

  test("float → bool: nonzero (NaN included) is true, ±0 is false", () => {
    expect(valuesOf(ops.cast(tensor([0, -0, NaN, 0.1, -Infinity], [5]), "bool"))).toEqual([0, 0, 1, 1, 1]);
  });

  test("bool and int32 → float, int32 → bool", () => {
    expect(valuesOf(ops.cast(tensor([1, 0], [2], "bool"), "float32"))).toEqual([1, 0]);
    expect(valuesOf(ops.cast(tensor([-3, 0, 7], [3], "int32"), "float64"))).toEqual([-3, 0, 7]);
    expect(valuesOf(ops.cast(tensor([-3, 0, 7], [3], "int32"), "bool"))).toEqual([1, 0, 1]);
  });

  test("float64 → float32 rounds to nearest; ±∞ and NaN survive", () => {
    expect(valuesOf(ops.cast(tensor([0.1, 1e40, NaN, -Infinity], [4]), "float32"))).toEqual([Math.fround(0.1), Infinity, NaN, -Infinity]);
  });

  test("a cast to the same dtype is the identity and stages nothing", () => {
    const x = tensor([1, 2], [2]);
    expect(ops.cast(x, "float64")).toBe(x);
  });

  test("float → float tangents are cast exactly, both ways", () => {
    const [[y], [t]] = jvpFlat((a) => [ops.cast(a, "float32")], [tensor([1.1, 2], [2])], [tensor([0.1, -3], [2])]);
    expect(y.dtype).toBe("float32");
    expect(t.dtype).toBe("float32");
    expect(valuesOf(t)).toEqual([Math.fround(0.1), -3]);
    const [, pullback] = vjpFlat((a) => [ops.cast(a, "float64")], [tensor([1, 2], [2], "float32")]);
    const [xBar] = pullback([tensor([0.1, 5], [2])]);
    expect(xBar.dtype).toBe("float32");
    expect(valuesOf(xBar)).toEqual([Math.fround(0.1), 5]);
  });

  test("casts to int32 and bool have zero derivative", () => {
    const [, [t]] = jvpFlat((a) => [ops.cast(a, "int32")], [tensor([1.5], [1])], [tensor([1], [1])]);
    expect(t.dtype).toBe("int32");
    expect(valuesOf(t)).toEqual([0]);
    const g = grad1((a) => ops.reduceSum(ops.mul(ops.cast(ops.cast(a, "int32"), "float64"), a), [0]))(tensor([1.5, -2.5], [2]));
    expect(valuesOf(g)).toEqual([1, -2]);
  });

  test("size-0 and 0-d", () => {
    expect(ops.cast(tensor([], [0, 2]), "int32").shape).toEqual([0, 2]);
    expect(valuesOf(ops.cast(tensor([-1.5], []), "int32"))).toEqual([-1]);
  });
});
