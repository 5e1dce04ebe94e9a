/**
 * @file Edge cases of `scatterAdd`: repeated indices add up, "fill" drops out-of-range windows and
 * "clip" clamps them, int32 wraps, the transpose pair with `gather`, and its errors.
 */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import { ShapeError } from "../../src/shape/errors.js";
import { gatherOf, scatterAddOf } from "../../src/primitives/_indexing.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

const ints = (values: number[], shape: number[]) => tensor(values, shape, "int32");
const rowDims = { axes: [0], collapsed: [0], mode: "fill" } as const;

describe("scatterAdd", () => {
  test("rows added at their indices; repeats add up; out of range dropped in fill mode, clamped in clip mode", () => {
    const x = tensor([0, 0, 0, 0, 0, 0], [3, 2]);
    const u = tensor([1, 2, 10, 20, 100, 200, 5, 5], [4, 2]);
    const idx = ints([2, 0, 2, 3], [4, 1]);
    expect(valuesOf(scatterAddOf(x, idx, u, rowDims))).toEqual([10, 20, 0, 0, 101, 202]);
    expect(valuesOf(scatterAddOf(x, idx, u, { ...rowDims, mode: "clip" }))).toEqual([10, 20, 0, 0, 106, 207]);
  });

  test("int32 sums wrap modulo 2^32", () => {
    const y = scatterAddOf(ints([2 ** 31 - 1], [1]), ints([0], [1, 1]), ints([1], [1]), rowDims);
    expect(valuesOf(y)).toEqual([-(2 ** 31)]);
  });

  test("its pullback is the gather of the cotangent (and the operand's is the cotangent itself)", () => {
    const idx = ints([1, 1, 5], [3, 1]);
    const [, pullback] = vjpFlat((x, u) => [scatterAddOf(x, idx, u, rowDims)], [tensor([0, 0, 0], [3]), tensor([1, 2, 3], [3])]);
    const [xBar, uBar] = pullback([tensor([7, 8, 9], [3])]);
    expect(valuesOf(xBar)).toEqual([7, 8, 9]);
    expect(valuesOf(uBar)).toEqual([8, 8, 0]);
    // and gather's pullback scatters: repeated rows collect every cotangent, a filled one nothing.
    const [, back] = vjpFlat((x) => [gatherOf(x, idx, { ...rowDims, sliceSizes: [1], fillValue: 0 })], [tensor([1, 2, 3], [3])]);
    expect(valuesOf(back([tensor([1, 10, 100], [3])])[0])).toEqual([0, 11, 0]);
  });

  test("errors: dtype, updates that do not fit, bool", () => {
    const x = tensor([0, 0, 0], [3]);
    expect(() => scatterAddOf(x, ints([0], [1, 1]), tensor([1], [1], "float32"), rowDims)).toThrow(
      new DTypeError("scatterAdd: dtypes differ: operand float64 vs updates float32"),
    );
    expect(() => scatterAddOf(x, ints([0, 1], [2, 1]), tensor([1, 2, 3], [3]), rowDims)).toThrow(ShapeError);
    expect(() => scatterAddOf(x, ints([0, 1], [2, 1]), tensor([1, 2, 3], [3]), rowDims)).toThrow(
      "scatterAdd: updates [3] do not fit: expected the index batch [2] followed by a window of 0 dims within the operand [3] (collapsed axes [0])",
    );
    expect(() => ops.bind1("scatterAdd", [tensor([1], [1], "bool"), ints([0], [1, 1]), tensor([1], [1], "bool")], rowDims)).toThrow(DTypeError);
  });
});
