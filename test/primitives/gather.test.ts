/**
 * @file Edge cases of `gather`: rows of a table (the embedding case, one contiguous run), windows
 * of several axes, both out-of-range modes, empty batches and windows, bool and int32, and every
 * shape/dtype error with its text. The harness covers random geometries.
 */
import { describe, expect, test } from "vitest";
import type { IndexDims } from "../../src/core/primitive.js";
import { DTypeError } from "../../src/core/errors.js";
import { ShapeError } from "../../src/shape/errors.js";
import { gatherOf, type GatherParams } from "../../src/primitives/_indexing.js";
import { setBackend } from "../../src/index.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

const ints = (values: number[], shape: number[]) => tensor(values, shape, "int32");
const rows = (mode: IndexDims["mode"], fillValue = 0): GatherParams => ({ axes: [0], collapsed: [0], sliceSizes: [1, 3], mode, fillValue });
const table = tensor([0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32], [4, 3]);

describe("gather", () => {
  test("rows of a table, in index order, repeated", () => {
    const y = gatherOf(table, ints([2, 0, 2, 3], [2, 2, 1]), rows("clip"));
    expect(y.shape).toEqual([2, 2, 3]);
    expect(valuesOf(y)).toEqual([20, 21, 22, 0, 1, 2, 20, 21, 22, 30, 31, 32]);
  });

  test('"clip" clamps a start into range; "fill" fills the whole window', () => {
    const idx = ints([-1, 5, 1], [3, 1]);
    expect(valuesOf(gatherOf(table, idx, rows("clip")))).toEqual([0, 1, 2, 30, 31, 32, 10, 11, 12]);
    expect(valuesOf(gatherOf(table, idx, rows("fill", NaN)))).toEqual([NaN, NaN, NaN, NaN, NaN, NaN, 10, 11, 12]);
  });

  test("a window of size 2 × 2 starting where each index vector says (a dynamic slice); clamped to fit", () => {
    const params: GatherParams = { axes: [1, 0], collapsed: [], sliceSizes: [2, 2], mode: "clip", fillValue: 0 };
    // starts [col, row]: [1, 2] is rows 2–3, cols 1–2; [2, 3] clamps to rows 2–3, cols 1–2 as well.
    expect(valuesOf(gatherOf(table, ints([1, 2, 2, 3], [2, 2]), params))).toEqual([21, 22, 31, 32, 21, 22, 31, 32]);
    expect(valuesOf(gatherOf(table, ints([2, 3], [2]), { ...params, mode: "fill", fillValue: -1 }))).toEqual([-1, -1, -1, -1]);
  });

  test("no index vectors, empty windows, a rank-0 operand; both backends agree", () => {
    expect(gatherOf(table, ints([], [0, 1]), rows("clip")).shape).toEqual([0, 3]);
    expect(gatherOf(table, ints([1], [1]), { axes: [0], collapsed: [], sliceSizes: [0, 3], mode: "fill", fillValue: 1 }).shape).toEqual([0, 3]);
    expect(valuesOf(gatherOf(tensor([7], []), ints([], [0]), { axes: [], collapsed: [], sliceSizes: [], mode: "clip", fillValue: 0 }))).toEqual([7]);
    setBackend("wasm");
    try {
      expect(valuesOf(gatherOf(table, ints([3, -4], [2, 1]), rows("fill", 5)))).toEqual([30, 31, 32, 5, 5, 5]);
    } finally {
      setBackend("auto");
    }
  });

  test("int32 and bool operands, with fills they can hold", () => {
    expect(valuesOf(gatherOf(ints([4, 5, 6], [3]), ints([2, 9], [2, 1]), { axes: [0], collapsed: [0], sliceSizes: [1], mode: "fill", fillValue: -7 }))).toEqual([6, -7]);
    const flags = tensor([1, 0, 1], [3], "bool");
    expect(valuesOf(gatherOf(flags, ints([1, 3], [2, 1]), { axes: [0], collapsed: [0], sliceSizes: [1], mode: "fill", fillValue: 1 }))).toEqual([0, 1]);
  });

  test("errors name the op and what did not fit", () => {
    const idx = ints([0], [1, 1]);
    expect(() => gatherOf(table, tensor([0], [1, 1]), rows("clip"))).toThrow(new DTypeError("gather: expected int32 indices, got float64"));
    expect(() => gatherOf(table, ints([0], []), rows("clip"))).toThrow(new ShapeError("gather: indices need a last axis holding the starts, got a scalar"));
    expect(() => gatherOf(table, ints([0, 0], [1, 2]), rows("clip"))).toThrow(
      new ShapeError("gather: the last axis of indices [1, 2] holds 2 starts, but 1 axes are indexed"),
    );
    expect(() => gatherOf(table, idx, { ...rows("clip"), sliceSizes: [1, 4] })).toThrow(
      new ShapeError("gather: slice sizes [1, 4] do not fit the operand [4, 3]"),
    );
    expect(() => gatherOf(table, idx, { ...rows("clip"), sliceSizes: [2, 3] })).toThrow(
      new ShapeError("gather: collapsed axis 0 has slice size 2, not 1"),
    );
    expect(() => gatherOf(table, idx, { ...rows("clip"), axes: [2] })).toThrow(
      new ShapeError("gather: indexed axes [2] must be distinct axes of the rank-2 operand [4, 3]"),
    );
    expect(() => gatherOf(table, idx, { ...rows("clip"), mode: "wrap" as never })).toThrow(/^gather: mode must be "clip" or "fill", got wrap$/);
    expect(() => gatherOf(ints([1], [1]), idx, { ...rows("fill", 0.5), sliceSizes: [1] })).toThrow(
      new DTypeError("gather: fill value 0.5 cannot be stored as int32"),
    );
  });
});
