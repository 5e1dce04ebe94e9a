/** @file Edge cases of `argmax`: first index on ties, NaN wins (first NaN, as NumPy), −∞, size-0 axes, errors, zero derivative. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { ShapeError } from "../../src/shape/errors.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { vmapFlat } from "../../src/transforms/vmap.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

describe("argmax", () => {
  test("the first of tied maxima; the first NaN; all −∞ gives 0", () => {
    const x = tensor([1, 3, 3, 0, 2, NaN, 5, NaN, -Infinity, -Infinity, -Infinity, -Infinity], [3, 4]);
    const y = ops.argmax(x, 1);
    expect(y.dtype).toBe("int32");
    expect(valuesOf(y)).toEqual([1, 1, 0]);
  });

  test("along a non-last axis", () => {
    expect(valuesOf(ops.argmax(tensor([1, 9, 8, 2, 3, 7], [3, 2]), 0))).toEqual([1, 0]);
  });

  test("int32 and bool operands", () => {
    expect(valuesOf(ops.argmax(tensor([-4, -1, -1], [3], "int32"), 0))).toEqual([1]);
    expect(valuesOf(ops.argmax(tensor([0, 0, 1, 1], [4], "bool"), 0))).toEqual([2]);
  });

  test("size-0 axes: the reduced axis must be non-empty, other axes may be empty", () => {
    expect(() => ops.argmax(tensor([], [3, 0]), 1)).toThrow(/no maximum/);
    expect(() => ops.argmax(tensor([], [3, 0]), 1)).toThrow(ShapeError);
    expect(ops.argmax(tensor([], [0, 3]), 1).shape).toEqual([0]);
  });

  test("axis errors", () => {
    expect(() => ops.argmax(tensor([1], []), 0)).toThrow(ShapeError);
    expect(() => ops.argmax(tensor([1, 2], [2]), -1)).toThrow("argmax: axis -1 out of range for rank-1 tensor [2]");
  });

  test("zero derivative; reverse mode gives zero cotangents", () => {
    const [, [t]] = jvpFlat((a) => [ops.argmax(a, 0)], [tensor([1, 2], [2])], [tensor([1, 1], [2])]);
    expect(valuesOf(t)).toEqual([0]);
    const [, pullback] = vjpFlat((a) => [ops.argmax(a, 0)], [tensor([1, 2], [2])]);
    expect(valuesOf(pullback([tensor([0], [], "int32")])[0])).toEqual([0, 0]);
  });

  test("vmap with the batch along the reduced axis's neighbour", () => {
    const [y] = vmapFlat((a) => [ops.argmax(a, 0)], [1], [tensor([1, 5, 4, 2], [2, 2])]);
    expect(valuesOf(y)).toEqual([1, 0]);
  });
});
