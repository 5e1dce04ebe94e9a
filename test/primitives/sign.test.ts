/** @file Edge cases of `sign`: signed zeros and NaN pass through, int32, a zero derivative everywhere. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { tensor, valuesOf, grad1 } from "../helpers/tensors.js";

describe("sign", () => {
  test("sign of ±0 is that zero, of NaN is NaN, of ±∞ is ±1", () => {
    const [pz, nz, nan, pinf, ninf] = valuesOf(ops.sign(tensor([0, -0, NaN, Infinity, -Infinity], [5])));
    expect(Object.is(pz, 0) && Object.is(nz, -0)).toBe(true);
    expect([nan, pinf, ninf]).toEqual([NaN, 1, -1]);
  });

  test("int32 stays int32", () => {
    const y = ops.sign(tensor([-5, 0, 7], [3], "int32"));
    expect(y.dtype).toBe("int32");
    expect(valuesOf(y)).toEqual([-1, 0, 1]);
  });

  test("the derivative is 0, also at 0", () => {
    const [, [t]] = jvpFlat((x) => [ops.sign(x)], [tensor([0, -3, 2], [3])], [tensor([1, 1, 1], [3])]);
    expect(valuesOf(t)).toEqual([0, 0, 0]);
    const g = grad1((x: ops.AnyTensor) => ops.reduceSum(ops.mul(ops.sign(x), x), [0]))(tensor([-2, 3], [2]));
    expect(valuesOf(g)).toEqual([-1, 1]);
  });

  test("bool is a DTypeError", () => {
    expect(() => ops.sign(tensor([1], [1], "bool"))).toThrow(DTypeError);
  });
});
