/** @file Edge cases of `select`: errors, NaN in the branch not taken, cotangents routed to the chosen branch, vmap with a shared condition. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import { UndefPrimal } from "../../src/core/primitive.js";
import { primitives } from "../../src/core/registry.js";
import { TraceError } from "../../src/core/tensor.js";
import { ShapeError } from "../../src/shape/errors.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { vmapFlat } from "../../src/transforms/vmap.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

const cond = tensor([1, 0, 1], [3], "bool");

describe("select", () => {
  test("takes each element from the branch its condition picks; NaN in the other branch does not leak", () => {
    expect(valuesOf(ops.select(cond, tensor([1, NaN, 3], [3]), tensor([NaN, 5, NaN], [3])))).toEqual([1, 5, 3]);
  });

  test("the condition must be bool; the branches must share dtype; all three one shape", () => {
    expect(() => ops.select(tensor([1, 0, 1], [3]), tensor([1, 2, 3], [3]), tensor([1, 2, 3], [3]))).toThrow(DTypeError);
    expect(() => ops.select(tensor([1, 0, 1], [3], "int32"), tensor([1, 2, 3], [3]), tensor([1, 2, 3], [3]))).toThrow(
      "select: condition must be bool, got int32",
    );
    expect(() => ops.select(cond, tensor([1, 2, 3], [3]), tensor([1, 2, 3], [3], "float32"))).toThrow(DTypeError);
    expect(() => ops.select(cond, tensor([1, 2], [2]), tensor([1, 2], [2]))).toThrow(ShapeError);
    expect(() => ops.select(cond, tensor([1, 2, 3], [3]), tensor([1, 2, 3], [1, 3]))).toThrow("select: shapes differ: [3] vs [1, 3]");
  });

  test("cotangents go to the chosen branch only", () => {
    const [, pullback] = vjpFlat((a, b) => [ops.select(cond, a, b)], [tensor([1, 2, 3], [3]), tensor([4, 5, 6], [3])]);
    const [aBar, bBar] = pullback([tensor([10, 20, 30], [3])]);
    expect(valuesOf(aBar)).toEqual([10, 0, 30]);
    expect(valuesOf(bBar)).toEqual([0, 20, 0]);
  });

  test("transposing with a linear condition is a TraceError (the condition carries no derivative)", () => {
    const x = tensor([1, 2, 3], [3]);
    const linearCond = new UndefPrimal(cond.aval);
    expect(() => primitives.select.transpose!([x], [linearCond, x, new UndefPrimal(x.aval)], {})).toThrow(TraceError);
    expect(() => primitives.select.transpose!([x], [linearCond, x, new UndefPrimal(x.aval)], {})).toThrow("select: the condition cannot be linear");
  });

  test("vmap with the condition shared and the branches mapped along different axes", () => {
    const a = tensor([1, 2, 3, 4, 5, 6], [2, 3]); // mapped along axis 0
    const b = tensor([10, 40, 20, 50, 30, 60], [3, 2]); // mapped along axis 1
    const [y] = vmapFlat((c, p, q) => [ops.select(c, p, q)], [null, 0, 1], [cond, a, b]);
    expect(y.shape).toEqual([2, 3]);
    expect(valuesOf(y)).toEqual([1, 20, 3, 4, 50, 6]);
  });

  test("0-d and int32 branches", () => {
    expect(valuesOf(ops.select(tensor([0], [], "bool"), tensor([1], [], "int32"), tensor([2], [], "int32")))).toEqual([2]);
  });
});
