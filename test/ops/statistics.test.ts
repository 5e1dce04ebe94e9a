// variance (also `var`), std and norm: values against float64 formulas written here, axes, keepDims
// and ddof, numerics (large means, overflow-prone norms), derivatives against finite differences,
// the zero gradients at their non-differentiable points, and errors.
import { describe, expect, test } from "vitest";
import * as tg from "../../src/index.js";
import { grad, norm, ShapeError, std, tensor, variance, type Tensor } from "../../src/index.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { checkJvp, checkVjp } from "../helpers/gradcheck.js";
import { tensor as f64, valuesOf } from "../helpers/tensors.js";
import { expectThrown } from "../reliability/expect-error.js";

const vals = (t: unknown): number[] => valuesOf(t as AnyTensor);
const rows = [
  [1, 2, 3.5, -1],
  [0.25, 4, -2, 8],
  [3, 3, 3, 3],
];
const x = f64(rows.flat(), [3, 4]);
const refVar = (r: number[], ddof = 0) => {
  const m = r.reduce((a, b) => a + b) / r.length;
  return r.reduce((a, v) => a + (v - m) ** 2, 0) / (r.length - ddof);
};

describe("variance and std", () => {
  test("over an axis, over all axes, with ddof and keepDims", () => {
    vals(variance(x as never, 1)).forEach((v, i) => expect(v).toBeCloseTo(refVar(rows[i]), 14));
    vals(variance(x as never, -1, { ddof: 1 })).forEach((v, i) => expect(v).toBeCloseTo(refVar(rows[i], 1), 14));
    expect(vals(variance(x as never))[0]).toBeCloseTo(refVar(rows.flat()), 14);
    vals(std(x as never, 1, { ddof: 1 })).forEach((v, i) => expect(v).toBeCloseTo(Math.sqrt(refVar(rows[i], 1)), 14));
    expect(std(x as never, 1, { keepDims: true }).shape).toEqual([3, 1]);
    expect(variance(x as never, [0, 1], { keepDims: true }).shape).toEqual([1, 1]);
    expect(tg.var).toBe(variance);
  });

  test("two passes: a large mean does not cancel the spread", () => {
    expect(vals(variance(f64([1e9 + 1, 1e9 + 2, 1e9 + 3], [3]) as never))[0]).toBeCloseTo(2 / 3, 9);
    expect(variance(tensor([1e4 + 1, 1e4 + 2, 1e4 + 3])).item()).toBeCloseTo(2 / 3, 5);
  });

  test("derivatives against finite differences; std of equal values has gradient 0", () => {
    const dir = f64(rows.flat().map((_, i) => ((i * 5) % 7) / 7 - 0.5), [3, 4]);
    const w = f64([0.3, -1, 2], [3]);
    for (const f of [(a: AnyTensor) => variance(a as never, 1, { ddof: 1 }) as AnyTensor, (a: AnyTensor) => std(a.reshape([3, 4]) as never, 1) as AnyTensor]) {
      const y = f64(rows.slice(0, 2).flat().concat([3, 3.5, 2, 1]), [3, 4]); // no constant row: std is smooth there
      checkJvp((a) => [f(a)], [y], [dir]);
      checkVjp((a) => [f(a)], [y], [dir], [w]);
    }
    expect(vals(grad((a: Tensor<[4], "float64">) => std(a))(f64([3, 3, 3, 3], [4]) as never))).toEqual([0, 0, 0, 0]);
  });

  test("errors: ddof out of range, bad axes", () => {
    expectThrown(() => variance(x as never, 1, { ddof: 4 }), RangeError, /^var: ddof 4 leaves no degrees of freedom for 4 elements per result$/);
    expectThrown(() => std(x as never, 1, { ddof: -1 }), RangeError, /^std: ddof must be an integer ≥ 0, got -1$/);
    expectThrown(() => variance(x as never, 2 as never), ShapeError, /^var: axis 2 out of range/);
  });
});

describe("norm", () => {
  test("ord 2, 1, ∞ and −∞ over axes", () => {
    const abs = rows.map((r) => r.map(Math.abs));
    vals(norm(x as never, 2, 1)).forEach((v, i) => expect(v).toBeCloseTo(Math.hypot(...rows[i]), 14));
    vals(norm(x as never, 1, 1)).forEach((v, i) => expect(v).toBeCloseTo(abs[i].reduce((a, b) => a + b), 14));
    expect(vals(norm(x as never, Infinity, 1))).toEqual(abs.map((r) => Math.max(...r)));
    expect(vals(norm(x as never, -Infinity, 1))).toEqual(abs.map((r) => Math.min(...r)));
    expect(vals(norm(x as never))[0]).toBeCloseTo(Math.hypot(...rows.flat()), 14);
    expect(norm(x as never, 2, 0, true).shape).toEqual([1, 4]);
    expect(norm(tensor([3, 4])).item()).toBe(5);
  });

  test("no overflow or underflow: the sum of squares is scaled by the largest element", () => {
    expect(vals(norm(f64([3e200, 4e200], [2]) as never))[0]).toBeCloseTo(5e200, -186);
    expect(norm(tensor([3e30, 4e30])).item()).toBeCloseTo(5e30, -24);
    expect(norm(tensor([3e-30, 4e-30])).item()).toBeCloseTo(5e-30, 36);
    expect(vals(norm(f64([1, Infinity, 0, NaN], [2, 2]) as never, 2, 1))).toEqual([Infinity, NaN]);
  });

  test("derivatives: x / ‖x‖ for ord 2, sign(x) for ord 1; 0 at the zero vector", () => {
    const y = f64([0.3, -1.2, 2, 0.7], [2, 2]);
    for (const ord of [1, 2, Infinity]) {
      const f = (a: AnyTensor) => norm(a as never, ord, 1) as AnyTensor;
      checkJvp((a) => [f(a)], [y], [f64([1, 0.5, -0.2, 0.3], [2, 2])]);
      checkVjp((a) => [f(a)], [y], [f64([1, 0.5, -0.2, 0.3], [2, 2])], [f64([1, -2], [2])]);
    }
    expect(vals(grad((a: Tensor<[3], "float64">) => norm(a))(f64([0, 0, 0], [3]) as never))).toEqual([0, 0, 0]);
    vals(grad((a: Tensor<[2], "float64">) => norm(a))(f64([3e200, 4e200], [2]) as never)).forEach((g, i) => expect(g).toBeCloseTo([0.6, 0.8][i], 14));
  });

  test("an order it does not take is a RangeError", () => {
    expectThrown(() => norm(x as never, 3), RangeError, /^norm: ord must be 1, 2, Infinity or -Infinity, got 3$/);
  });
});
