/** @file Edge cases of `stopGradient`: the identity on values, a zero derivative in every mode, any dtype. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { vmapFlat } from "../../src/transforms/vmap.js";
import { tensor, valuesOf, scalar, grad1 } from "../helpers/tensors.js";

describe("stopGradient", () => {
  test("passes values (NaN, ints, bools) through unchanged", () => {
    expect(valuesOf(ops.stopGradient(tensor([NaN, -0, 3], [3])))).toEqual([NaN, -0, 3]);
    expect(ops.stopGradient(tensor([1], [1], "bool")).dtype).toBe("bool");
    expect(valuesOf(ops.stopGradient(tensor([-4], [1], "int32")))).toEqual([-4]);
  });

  test("d[sg(x) · x] = sg(x): only the unstopped factor is differentiated", () => {
    const f = (x: ops.AnyTensor) => ops.mul(ops.stopGradient(x), x);
    const [, [t]] = jvpFlat((x) => [f(x)], [scalar(3)], [scalar(1)]);
    expect(valuesOf(t)).toEqual([3]);
    expect(valuesOf(grad1(f)(scalar(3)))).toEqual([3]);
  });

  test("second derivatives are cut too", () => {
    const d = grad1(grad1((x) => ops.mul(ops.stopGradient(ops.mul(x, x)), x)));
    expect(valuesOf(d(scalar(2)))).toEqual([0]);
  });

  test("under vmap", () => {
    const [y] = vmapFlat((x) => [ops.stopGradient(x)], [1], [tensor([1, 2, 3, 4], [2, 2])]);
    expect(valuesOf(y)).toEqual([1, 3, 2, 4]);
  });
});
