import { describe, expect, test } from "vitest";
import { argsort, grad, jit, mul, sort, sum, tensor, topK, vmap, ShapeError, type Tensor } from "../../src/index.js";

describe("sort / argsort / topK", () => {
  const x = tensor([
    [3, 1, 2],
    [NaN, -1, 5],
  ]);
  test("sort: last axis by default, NaN last; descending puts NaN first", () => {
    expect(sort(x).toArray()).toEqual([
      [1, 2, 3],
      [-1, 5, NaN],
    ]);
    expect(sort(x, 0).toArray()).toEqual([
      [3, -1, 2],
      [NaN, 1, 5],
    ]);
    expect(sort(x, -1, { descending: true }).toArray()).toEqual([
      [3, 2, 1],
      [NaN, 5, -1],
    ]);
  });
  test("argsort is stable and int32, in both directions", () => {
    const t = tensor([2, 1, 2, 1]);
    expect(argsort(t).dtype).toBe("int32");
    expect(argsort(t).toArray()).toEqual([1, 3, 0, 2]);
    expect(argsort(t, 0, { descending: true }).toArray()).toEqual([0, 2, 1, 3]);
    expect(argsort(x).toArray()).toEqual([
      [1, 2, 0],
      [1, 2, 0],
    ]);
  });
  test("topK: the largest k along the last axis and their indices, lower index first on ties", () => {
    const [values, indices] = topK(tensor([[1, 5, 3, 5]]), 3);
    expect(values.toArray()).toEqual([[5, 5, 3]]);
    expect(indices.toArray()).toEqual([[1, 3, 2]]);
    expect(indices.dtype).toBe("int32");
    const [all] = topK(tensor([2, NaN, 1]), 3);
    expect(all.toArray()).toEqual([NaN, 2, 1]);
    expect(topK(tensor([2, 1]), 0)[0].shape).toEqual([0]);
  });
  test("k larger than the axis, a bad k, a bad axis: ShapeErrors with the type checker's text", () => {
    expect(() => topK(tensor([[1, 2, 3]]), 4 as never)).toThrow("topK: k = 4 is larger than the last axis (3) of [1, 3]");
    expect(() => topK(tensor([[1, 2, 3]]), 4 as never)).toThrow(ShapeError);
    expect(() => topK(tensor([1, 2]), -1 as never)).toThrow("topK: k must be a non-negative integer, got -1");
    expect(() => topK(tensor(1), 1 as never)).toThrow("topK: needs at least one axis (shape [])");
    expect(() => sort(x, 2 as never)).toThrow("sort: axis 2 out of range for rank-2 tensor [2, 3]");
    expect(() => argsort(tensor(1))).toThrow("argsort: axis -1 out of range for rank-0 tensor []");
  });
  test("gradients flow through the sorted values back to their places", () => {
    const v = tensor([3, 1, 2]);
    const w = tensor([1, 10, 100]);
    expect(grad((a: typeof v) => sum(mul(sort(a), w)))(v).toArray()).toEqual([100, 1, 10]);
    expect(grad((a: typeof v) => sum(mul(topK(a, 2)[0], tensor([1, 10]))))(v).toArray()).toEqual([1, 0, 10]);
  });
  test("under jit and vmap", () => {
    const f = jit((a: typeof x) => topK(a, 2));
    const [values, indices] = f(x);
    expect(values.toArray()).toEqual([
      [3, 2],
      [NaN, 5],
    ]);
    expect(indices.toArray()).toEqual([
      [0, 2],
      [0, 2],
    ]);
    expect(vmap((a: Tensor<number[]>) => argsort(a))(x).toArray()).toEqual([
      [1, 2, 0],
      [1, 2, 0],
    ]);
  });
});
