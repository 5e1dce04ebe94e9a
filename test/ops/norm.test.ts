/** @file `safeNorm`: values, gradient x/‖x‖ and 0 at 0 (where the composite's is NaN), axes, under jit/vmap/grad∘grad. */
import { describe, expect, test } from "vitest";
import { grad, jit, mul, safeNorm, sqrt, sum, tensor, vmap, zeros, type Tensor } from "../../src/index.js";

const values = (x: { data(): ArrayLike<number> }): number[] => Array.from(x.data());

describe("safeNorm", () => {
  test("values over all axes, one axis, keepDims", () => {
    const x = tensor([[3, 4], [6, 8]], "float64");
    expect(safeNorm(x).item()).toBeCloseTo(Math.sqrt(125), 14);
    expect(values(safeNorm(x, 1))).toEqual([5, 10]);
    const kept = safeNorm(x, -1, true);
    expect(kept.shape).toEqual([2, 1]);
    expect(values(kept)).toEqual([5, 10]);
  });

  test("the gradient is x/‖x‖, and 0 at x = 0 where the composite's is NaN", () => {
    const g = grad((x: Tensor<[2], "float64">) => safeNorm(x));
    values(g(tensor([3, 4], "float64"))).forEach((v, i) => expect(v).toBeCloseTo([0.6, 0.8][i], 15));
    expect(values(g(zeros([2], "float64")))).toEqual([0, 0]);
    const composite = grad((x: Tensor<[2], "float64">) => sqrt(sum(mul(x, x))));
    expect(values(composite(zeros([2], "float64"))).every(Number.isNaN)).toBe(true);
  });

  test("per-row gradients under jit and vmap, one row at zero", () => {
    const x = tensor([[0, 0], [3, 4]], "float64");
    const g = jit(grad((a: Tensor<[2, 2], "float64">) => sum(safeNorm(a, 1))));
    const expected = [0, 0, 0.6, 0.8];
    values(g(x)).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 15));
    const rows = vmap(grad((a: Tensor<[2], "float64">) => safeNorm(a)));
    values(rows(x)).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 15));
  });

  test("second derivative: finite at 0, (I − x̂x̂ᵀ)/‖x‖ elsewhere", () => {
    const h = (at: number[]) => grad((a: Tensor<[2], "float64">) => sum(mul(grad((b: Tensor<[2], "float64">) => safeNorm(b))(a), tensor([1, 0], "float64"))))(tensor(at, "float64"));
    expect(values(h([0, 0])).every(Number.isFinite)).toBe(true);
    // d/dx (x₀/‖x‖) at (3, 4): (1 − 0.36)/5 = 0.128, −0.48/5 = −0.096
    const [a, b] = values(h([3, 4]));
    expect(a).toBeCloseTo(0.128, 14);
    expect(b).toBeCloseTo(-0.096, 14);
  });
});
