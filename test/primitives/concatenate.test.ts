/** @file Edge cases of `concatenate`: one operand, size-0 operands, errors, and cotangents with some operands constant. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import { ShapeError } from "../../src/shape/errors.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { vmapFlat } from "../../src/transforms/vmap.js";
import { tensor, valuesOf, grad1 } from "../helpers/tensors.js";

describe("concatenate", () => {
  test("one operand; size-0 operands contribute nothing", () => {
    expect(valuesOf(ops.concatenate([tensor([1, 2], [2])], 0))).toEqual([1, 2]);
    const y = ops.concatenate([tensor([], [0, 2]), tensor([1, 2, 3, 4], [2, 2]), tensor([], [0, 2])], 0);
    expect(y.shape).toEqual([2, 2]);
    expect(valuesOf(y)).toEqual([1, 2, 3, 4]);
  });

  test("along an inner axis", () => {
    const y = ops.concatenate([tensor([1, 2], [2, 1]), tensor([3, 4, 5, 6], [2, 2])], 1);
    expect(valuesOf(y)).toEqual([1, 3, 4, 2, 5, 6]);
  });

  test("errors", () => {
    expect(() => ops.concatenate([], 0)).toThrow("concat: needs at least one tensor");
    expect(() => ops.concatenate([tensor([1], [])], 0)).toThrow(ShapeError);
    expect(() => ops.concatenate([tensor([1, 2], [2])], 1)).toThrow("concat: axis 1 out of range for rank-1 tensor [2]");
    expect(() => ops.concatenate([tensor([1, 2], [2]), tensor([1, 2], [1, 2])], 0)).toThrow(ShapeError);
    expect(() => ops.concatenate([tensor([1, 2], [1, 2]), tensor([1, 2, 3], [1, 3])], 0)).toThrow(
      "concat: dim 1 differs: 2 vs 3 (shapes [1, 2] and [1, 3])",
    );
    expect(() => ops.concatenate([tensor([1], [1]), tensor([1], [1], "float32")], 0)).toThrow(DTypeError);
  });

  test("BUG (validation): a fractional axis passes the shape rule and gives a wrong result", () => {
    // axis 0.5 is in [0, rank), so the rule accepts it, but no axis is the concatenated one.
    expect(() => ops.concatenate([tensor([1, 2], [2]), tensor([3, 4], [2])], 0.5)).toThrow(ShapeError);
  });

  test("the cotangent splits into each operand's stretch", () => {
    const [, pullback] = vjpFlat((a, b) => [ops.concatenate([a, b, a], 0)], [tensor([1], [1]), tensor([2, 3], [2])]);
    const [aBar, bBar] = pullback([tensor([10, 20, 30, 40], [4])]);
    expect(valuesOf(aBar)).toEqual([10 + 40]);
    expect(valuesOf(bBar)).toEqual([20, 30]);
  });

  test("grad with respect to one operand while the others are constants", () => {
    const c = tensor([5, 6], [2]);
    const g = grad1((a) => ops.reduceSum(ops.mul(ops.concatenate([c, a], 0), tensor([1, 2, 3], [3])), [0]))(tensor([1], [1]));
    expect(valuesOf(g)).toEqual([3]);
  });

  test("vmap with one operand shared and one mapped along axis 1", () => {
    const [y] = vmapFlat((a, b) => [ops.concatenate([a, b], 0)], [null, 1], [tensor([0], [1]), tensor([1, 2, 3, 4], [2, 2])]);
    expect(y.shape).toEqual([2, 3]);
    expect(valuesOf(y)).toEqual([0, 1, 3, 0, 2, 4]);
  });
});
