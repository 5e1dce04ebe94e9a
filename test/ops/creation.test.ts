import { describe, expect, test } from "vitest";
import { isLeft, isRight } from "fp-ts/lib/Either.js";
import "../../src/index.js";
import { arange, eye, fromArray, full, linspace, ones, tensor, zeros } from "../../src/ops/index.js";
import { ShapeError } from "../../src/shape/errors.js";

/** The Left message of an Either, or the value of a Right as nested arrays. */
function outcome(e: ReturnType<typeof fromArray>): { left: string } | { right: unknown; shape: readonly number[]; dtype: string } {
  return isLeft(e) ? { left: e.left.message } : { right: e.right.toArray(), shape: e.right.shape, dtype: e.right.dtype };
}

describe("creation", () => {
  test("tensor reads nested literals", () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(x.shape).toEqual([2, 2]);
    expect(x.dtype).toBe("float32");
    expect(x.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(tensor(3).shape).toEqual([]);
    expect(tensor([true, false]).dtype).toBe("bool");
    expect(tensor([1, 2], "int32").dtype).toBe("int32");
    expect(tensor([]).shape).toEqual([0]);
  });
  test("ragged literals throw the type checker's message", () => {
    const ragged = [[1, 2], [3]] as unknown as number[][];
    expect(() => tensor(ragged as never)).toThrow(
      new ShapeError("tensor: ragged nested array: element [1] has shape [1], expected [2]"),
    );
    const deep = [[[1], [2]], [[3], [4, 5]]] as unknown as number[][][];
    expect(() => tensor(deep as never)).toThrow("tensor: ragged nested array: element [1][1] has shape [2], expected [1]");
  });
  test("filled tensors", () => {
    expect(zeros([2, 3]).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(ones([2], "int32").toArray()).toEqual([1, 1]);
    expect(full([2], 7).toArray()).toEqual([7, 7]);
    expect(() => zeros([2.5, 3] as never)).toThrow("zeros: invalid dim 2.5 in shape [2.5, 3] (dims are non-negative integers)");
    expect(() => ones([-1] as never)).toThrow("ones: invalid dim -1 in shape [-1] (dims are non-negative integers)");
  });
  test("ranges", () => {
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(2, 10, 3).toArray()).toEqual([2, 5, 8]);
    expect(arange(10, 2, -3).toArray()).toEqual([10, 7, 4]);
    expect(arange(3, 1).shape).toEqual([0]);
    expect(() => arange(1, 5, 0 as never)).toThrow("arange: step must not be zero");
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(2, 3, 1).toArray()).toEqual([2]);
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
  });
});

describe("fromArray", () => {
  test("Right: typed arrays pick their dtype; names are inferred from the count", () => {
    expect(outcome(fromArray(new Float64Array([1, 2, 3, 4, 5, 6]), ["batch", 3]))).toEqual({
      right: [[1, 2, 3], [4, 5, 6]],
      shape: [2, 3],
      dtype: "float64",
    });
    expect(outcome(fromArray(new Int32Array([1, 2]), [2]))).toMatchObject({ dtype: "int32", shape: [2] });
    expect(outcome(fromArray([1, 2, 3, 4], ["n", "n"]))).toMatchObject({ shape: [2, 2], dtype: "float32" });
    expect(outcome(fromArray([[1, 2, 3], [4, 5, 6]], [2, "cols"]))).toMatchObject({ shape: [2, 3] });
    expect(outcome(fromArray([[1, 2], [3, 4]], ["n", "n"]))).toMatchObject({ shape: [2, 2] });
    expect(outcome(fromArray([1, NaN], [2]))).toMatchObject({ shape: [2] });
    expect(isRight(fromArray(new Float32Array(6), [2, 3]))).toBe(true);
  });
  test("Left: wrong count, invalid dims, conflicting names, ragged data, bad values", () => {
    expect(outcome(fromArray([1, 2, 3], [2, 2]))).toEqual({ left: "fromArray: 3 elements do not fit shape [2, 2] (4 elements)" });
    expect(outcome(fromArray([1, 2, 3], ["batch", 2]))).toEqual({ left: "fromArray: 3 elements do not fit shape [batch, 2]" });
    expect(outcome(fromArray([1, 2, 3, 4], [2.5, 2]))).toEqual({
      left: "fromArray: invalid dim 2.5 in shape [2.5, 2] (dims are non-negative integers)",
    });
    expect(outcome(fromArray([[1, 2, 3], [4, 5, 6]], ["n", "n"]))).toEqual({ left: "fromArray: dim 1 is 3, but n is 2 (dim 0)" });
    expect(outcome(fromArray([[1, 2, 3], [4, 5, 6]], [2, 4]))).toEqual({ left: "fromArray: dim 1 is 3, expected 4 (shape [2, 4])" });
    expect(outcome(fromArray([[1, 2], [3]] as number[][], [2, 2]))).toEqual({
      left: "fromArray: ragged nested array: element [1] has shape [1], expected [2]",
    });
    expect(outcome(fromArray([[1, 2]], [2]))).toEqual({ left: "fromArray: data of shape [1, 2] does not have rank 1 (shape [2])" });
    expect(outcome(fromArray([1, 2, 3, 4], ["a", "b"]))).toEqual({
      left: "fromArray: cannot infer 2 named dims (a, b) from 4 flat elements; pass nested arrays",
    });
    expect(outcome(fromArray([1.5], [1], "int32"))).toEqual({ left: "fromArray: element 0 (1.5) is not a valid int32 value" });
    expect(outcome(fromArray(["x"] as unknown as number[], [1]))).toEqual({ left: "fromArray: element [0] is not a number (string \"x\")" });
    const e = fromArray([1], [2]);
    expect(isLeft(e) && e.left instanceof ShapeError).toBe(true);
  });
});
