import { describe, expect, test } from "vitest";
import { cummax, cummin, cumprod, cumsum, grad, jit, sum, tensor, vmap, type Tensor } from "../../src/index.js";

describe("running reductions", () => {
  const x = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  test("along an axis, negative axes, reverse", () => {
    expect(cumsum(x, 1).toArray()).toEqual([
      [1, 3, 6],
      [4, 9, 15],
    ]);
    expect(cumsum(x, 0).toArray()).toEqual([
      [1, 2, 3],
      [5, 7, 9],
    ]);
    expect(cumprod(x, -1).toArray()).toEqual([
      [1, 2, 6],
      [4, 20, 120],
    ]);
    expect(cumsum(x, 1, { reverse: true }).toArray()).toEqual([
      [6, 5, 3],
      [15, 11, 6],
    ]);
    expect(cummax(tensor([1, 3, 2, 5]), 0).toArray()).toEqual([1, 3, 3, 5]);
    expect(cummin(tensor([4, 2, 3, 1]), 0, { reverse: true }).toArray()).toEqual([1, 1, 1, 1]);
  });
  test("without an axis the tensor is flattened first (NumPy)", () => {
    const c = cumsum(x);
    expect(c.shape).toEqual([6]);
    expect(c.toArray()).toEqual([1, 3, 6, 10, 15, 21]);
    expect(cumsum(x, undefined, { reverse: true }).toArray()).toEqual([21, 20, 18, 15, 11, 6]);
    expect(cumsum(tensor(5)).toArray()).toEqual([5]);
  });
  test("dtypes: bool counts as int32 in sums and products, extrema of bool stay bool", () => {
    const b = tensor([true, false, true]);
    expect(cumsum(b).dtype).toBe("int32");
    expect(cumsum(b).toArray()).toEqual([1, 1, 2]);
    expect(cumprod(b).toArray()).toEqual([1, 0, 0]);
    expect(cummax(tensor([false, true, false]), 0).toArray()).toEqual([false, true, true]);
    expect(cummin(b, 0).dtype).toBe("bool");
    expect(cumsum(tensor([1, 2], "int32")).dtype).toBe("int32");
  });
  test("bad axes throw the type checker's message", () => {
    expect(() => cumsum(x, 2 as never)).toThrow("cumsum: axis 2 out of range for rank-2 tensor [2, 3]");
    expect(() => cummax(x, -3 as never)).toThrow("cummax: axis -3 out of range for rank-2 tensor [2, 3]");
  });
  test("gradients: cumsum, cumprod through zeros, cummax to the running argmax (ties shared as in JAX)", () => {
    expect(grad((a: typeof x) => sum(cumsum(a, 1)))(x).toArray()).toEqual([
      [3, 2, 1],
      [3, 2, 1],
    ]);
    // d/dx_j Σ_i Π_{k≤i} x_k for x = [2, 0, 3]: [1 + 0 + 0, 2 + 6, 0]
    expect(grad((a: Tensor<[3]>) => sum(cumprod(a, 0)))(tensor([2, 0, 3])).toArray()).toEqual([1, 8, 0]);
    expect(grad((a: Tensor<[4]>) => sum(cummax(a, 0)))(tensor([1, 3, 2, 0])).toArray()).toEqual([1, 3, 0, 0]);
    // Tied running maxima share the gradient as in JAX: y = [1, 3, 3, 3], the last two outputs split.
    expect(grad((a: Tensor<[4]>) => sum(cummax(a, 0)))(tensor([1, 3, 3, 2])).toArray()).toEqual([1, 2, 1, 0]);
  });
  test("under jit and vmap", () => {
    const f = jit((a: typeof x) => cumsum(a, 1));
    expect(f(x).toArray()).toEqual(cumsum(x, 1).toArray());
    expect(vmap((a: Tensor<number[]>) => cummax(a, 0))(x).toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });
});
