/**
 * @file `take` and `takeAlongAxis`: values and shapes against hand-written expectations, negative
 * indices, the three modes (eagerly and inside `jit`), gradients (repeated rows add up), `vmap`
 * over the indices, and the shape and dtype errors.
 */
import { describe, expect, test } from "vitest";
import { argmax, grad, jit, sum, take, takeAlongAxis, tensor, vmap, mul, type Tensor } from "../../src/index.js";
import { DTypeError } from "../../src/core/errors.js";
import { ShapeError } from "../../src/shape/errors.js";
import { expectThrown } from "../reliability/expect-error.js";

const x = tensor([
  [0, 1, 2],
  [10, 11, 12],
  [20, 21, 22],
  [30, 31, 32],
]);
const ids = tensor([[2, 0], [3, -1]], "int32");

describe("take", () => {
  test("along axis 0 the index shape replaces the axis; negative indices count from the end", () => {
    const y = take(x, ids, 0);
    expect(y.shape).toEqual([2, 2, 3]);
    expect(y.toArray()).toEqual([[[20, 21, 22], [0, 1, 2]], [[30, 31, 32], [30, 31, 32]]]);
  });

  test("along axis 1 (and −1), and without an axis (the flattened tensor)", () => {
    const cols = tensor([2, 0], "int32");
    expect(take(x, cols, 1).toArray()).toEqual([[2, 0], [12, 10], [22, 20], [32, 30]]);
    expect(take(x, cols, -1).toArray()).toEqual(take(x, cols, 1).toArray());
    expect(take(x, tensor([4, 11], "int32")).toArray()).toEqual([11, 32]);
    expect(take(x, tensor(1, "int32"), 0).toArray()).toEqual([10, 11, 12]);
  });

  test('out of range: a RangeError by default (eager and jit); "clip" clamps; "fill" gives NaN or the fill value', () => {
    const bad = tensor([1, 4], "int32");
    expectThrown(() => take(x, bad, 0), RangeError, /^take: index 4 at position \[1\] is out of range \[-4, 4\)$/);
    const f = jit((i: Tensor<[2], "int32">) => take(x, i, 0));
    expectThrown(() => f(bad), RangeError, /^take: index 4 at position \[1\] is out of range \[-4, 4\)$/);
    expect(f(tensor([1, 3], "int32")).toArray()).toEqual([[10, 11, 12], [30, 31, 32]]);
    expect(take(x, tensor([-9, 9], "int32"), 0, { mode: "clip" }).toArray()).toEqual([[0, 1, 2], [30, 31, 32]]);
    expect(take(x, bad, 0, { mode: "fill" }).toArray()).toEqual([[10, 11, 12], [NaN, NaN, NaN]]);
    expect(take(x, bad, 0, { mode: "fill", fillValue: -1 }).toArray()).toEqual([[10, 11, 12], [-1, -1, -1]]);
    expect(take(tensor([5, 6], "int32"), bad, 0, { mode: "fill" }).toArray()).toEqual([6, -(2 ** 31)]);
  });

  test("gradient: each index's cotangent goes back to its row; repeats add up", () => {
    const w = tensor([[1, 2, 3], [4, 5, 6]]);
    const g = grad((t: Tensor<[4, 3]>) => sum(mul(take(t, tensor([3, 3], "int32"), 0), w)))(x);
    expect(g.toArray()).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0], [5, 7, 9]]);
  });

  test("a bad index is a RangeError under grad and vmap too, never a wrong row", () => {
    const loss = (t: Tensor<[4, 3]>, i: Tensor<[2], "int32">) => sum(take(t, i, 0));
    expectThrown(() => grad(loss)(x, tensor([0, 7], "int32")), RangeError, /^take: index 7 at position \[1\] is out of range \[-4, 4\)$/);
    expectThrown(() => jit(grad(loss))(x, tensor([-5, 0], "int32")), RangeError, /^take: index -5 at position \[0\]/);
    const per = vmap((i: Tensor<[1], "int32">) => take(x, i, 0));
    expectThrown(() => per(tensor([[1], [4]], "int32")), RangeError, /^take: index 4 at position \[1, 0\] is out of range/);
  });

  test("vmap over the indices", () => {
    const per = vmap((i: Tensor<[1], "int32">) => take(x, i, 0));
    expect(per(tensor([[1], [2]], "int32")).toArray()).toEqual([[[10, 11, 12]], [[20, 21, 22]]]);
  });

  test("errors: float indices, an axis out of range", () => {
    expectThrown(() => take(x, tensor([0]) as never, 0), DTypeError, /^take: indices must be int32, got float32$/);
    expectThrown(() => take(x, ids, 2 as never), ShapeError, /^take: axis 2 out of range for rank-2 tensor \[4, 3\]$/);
  });
});

describe("takeAlongAxis", () => {
  test("picks one element per index along the axis; other dims broadcast", () => {
    const scores = tensor([[1, 9, 3], [7, 2, 5]]);
    const best = takeAlongAxis(scores, argmax(scores, 1, true), 1);
    expect(best.shape).toEqual([2, 1]);
    expect(best.toArray()).toEqual([[9], [7]]);
    expect(takeAlongAxis(scores, tensor([[1, 0, 1]], "int32"), 0).toArray()).toEqual([[7, 9, 5]]);
    expect(takeAlongAxis(tensor([[1, 9, 3]]), tensor([[0], [2]], "int32"), 1).toArray()).toEqual([[1], [3]]);
  });

  test("gradient flows to the picked elements only; modes as in take", () => {
    const scores = tensor([[1, 9, 3], [7, 2, 5]]);
    const g = grad((s: Tensor<[2, 3]>) => sum(takeAlongAxis(s, tensor([[1, 1], [0, 2]], "int32"), 1)))(scores);
    expect(g.toArray()).toEqual([[0, 2, 0], [1, 0, 1]]);
    expectThrown(() => takeAlongAxis(scores, tensor([[3], [0]], "int32"), 1), RangeError, /^takeAlongAxis: index 3 at position \[0, 0\] is out of range \[-3, 3\)$/);
    expect(takeAlongAxis(scores, tensor([[3], [0]], "int32"), 1, { mode: "fill", fillValue: 0 }).toArray()).toEqual([[0], [7]]);
  });

  test("errors: a different rank, dims that do not broadcast", () => {
    const scores = tensor([[1, 9, 3], [7, 2, 5]]);
    expectThrown(() => takeAlongAxis(scores, tensor([1], "int32") as never, 1), ShapeError, /^takeAlongAxis: indices \[1\] and x \[2, 3\] differ in rank$/);
    expectThrown(() => takeAlongAxis(scores, tensor([[1], [1], [1]], "int32") as never, 1), ShapeError, /^takeAlongAxis: cannot broadcast 2 with 3/);
  });
});
