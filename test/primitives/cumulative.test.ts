/**
 * @file Edge cases of `cumulative` beyond the harness: NaN sticking in extrema, int32 wrapping,
 * size-0 and size-1 axes, errors; and its derivatives on long axes (the harness draws at most 5
 * elements, the associative scan behind the derivatives recurses on every length): against an
 * explicit float64 Jacobian, with zeros in a product; ties in an extremum share the gradient as
 * JAX's do.
 */
import { describe, expect, test } from "vitest";
import { DTypeError } from "../../src/core/errors.js";
import type { PrimParams } from "../../src/core/primitive.js";
import { cumulativeOf } from "../../src/primitives/cumulative.js";
import { ShapeError } from "../../src/shape/errors.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { assertAllclose, F64 } from "../helpers/allclose.js";
import { checkJvp, checkVjp } from "../helpers/gradcheck.js";
import { Rng } from "../helpers/random-shapes.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

type Params = PrimParams["cumulative"];

const along = (op: Params["op"], reverse = false, axis = 0): Params => ({ op, axis, reverse });

/**
 * The Jacobian of a running product or extremum of a vector, by definition: ∂y_i/∂x_j is the
 * product of the other elements of the window (mul), or 1 at the element of the window holding
 * its extremum (max, min; the values must be distinct).
 */
function jacobian(x: readonly number[], op: "mul" | "max" | "min", reverse: boolean): number[][] {
  const n = x.length;
  const window = (i: number) => (reverse ? Array.from({ length: n - i }, (_, k) => n - 1 - k) : Array.from({ length: i + 1 }, (_, k) => k));
  return x.map((_, i) => {
    const row = new Array<number>(n).fill(0);
    const w = window(i);
    if (op === "mul") {
      for (const j of w) row[j] = w.filter((k) => k !== j).reduce((p, k) => p * x[k], 1);
      return row;
    }
    let best = w[0];
    for (const j of w) if (op === "max" ? x[j] > x[best] : x[j] < x[best]) best = j;
    row[best] = 1;
    return row;
  });
}

const times = (jac: number[][], v: readonly number[]) => jac.map((row) => row.reduce((s, a, j) => s + a * v[j], 0));

describe("cumulative values", () => {
  test("running sum, product, maximum, minimum, both directions", () => {
    const x = tensor([3, 1, 4, 1, 5], [5]);
    expect(valuesOf(cumulativeOf(x, along("add")))).toEqual([3, 4, 8, 9, 14]);
    expect(valuesOf(cumulativeOf(x, along("add", true)))).toEqual([14, 11, 10, 6, 5]);
    expect(valuesOf(cumulativeOf(x, along("mul")))).toEqual([3, 3, 12, 12, 60]);
    expect(valuesOf(cumulativeOf(x, along("max")))).toEqual([3, 3, 4, 4, 5]);
    expect(valuesOf(cumulativeOf(x, along("min", true)))).toEqual([1, 1, 1, 1, 5]);
  });

  test("along a middle axis", () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    expect(valuesOf(cumulativeOf(x, along("add", false, 1)))).toEqual([1, 2, 4, 6, 5, 6, 12, 14]);
  });

  test("a NaN sticks in running extrema and spreads through sums", () => {
    const x = tensor([1, NaN, 3, -Infinity], [4]);
    expect(valuesOf(cumulativeOf(x, along("max")))).toEqual([1, NaN, NaN, NaN]);
    expect(valuesOf(cumulativeOf(x, along("min", true)))).toEqual([NaN, NaN, -Infinity, -Infinity]);
    expect(valuesOf(cumulativeOf(x, along("add")))).toEqual([1, NaN, NaN, NaN]);
  });

  test("int32 wraps as int32 arithmetic does", () => {
    const x = tensor([2 ** 30, 2 ** 30, 2], [3], "int32");
    expect(valuesOf(cumulativeOf(x, along("add")))).toEqual([2 ** 30, -(2 ** 31), -(2 ** 31) + 2]);
    expect(valuesOf(cumulativeOf(x, along("mul")))).toEqual([2 ** 30, 0, 0]);
    expect(cumulativeOf(x, along("max")).dtype).toBe("int32");
  });

  test("size-0 and size-1 axes", () => {
    expect(cumulativeOf(tensor([], [0, 3]), along("mul")).shape).toEqual([0, 3]);
    expect(valuesOf(cumulativeOf(tensor([7, 8], [1, 2]), along("max")))).toEqual([7, 8]);
  });

  test("errors name the op and the value", () => {
    expect(() => cumulativeOf(tensor([1, 2], [2]), along("add", false, 1))).toThrow("cumulative: axis 1 out of range for rank-1 tensor [2]");
    expect(() => cumulativeOf(tensor([1], []), along("add"))).toThrow(ShapeError);
    expect(() => cumulativeOf(tensor([1, 0], [2], "bool"), along("add"))).toThrow(DTypeError);
    expect(() => cumulativeOf(tensor([1], [1]), { op: "mean" as never, axis: 0, reverse: false })).toThrow("cumulative: op must be one of add, mul, max, min, got mean");
  });
});

describe("cumulative derivatives on long axes", () => {
  const lengths = [...Array.from({ length: 34 }, (_, i) => i + 1), 63, 64, 65, 100];
  for (const op of ["mul", "max", "min"] as const) {
    for (const reverse of [false, true]) {
      test(`${op}${reverse ? ", reverse" : ""}: the JVP is the explicit Jacobian times the tangent, every length`, () => {
        const rng = new Rng(lengths.length + (reverse ? 1 : 0));
        for (const n of lengths) {
          // Products: factors near 1 with some exact zeros. Extrema: distinct values (ties below).
          const x = Array.from({ length: n }, () => (op === "mul" ? (rng.next() < 0.15 ? 0 : rng.uniform(0.6, 1.4)) : rng.uniform(-3, 3)));
          const v = Array.from({ length: n }, () => rng.uniform(-1, 1));
          const [, [yDot]] = jvpFlat((a) => [cumulativeOf(a, along(op, reverse))], [tensor(x, [n])], [tensor(v, [n])]);
          assertAllclose(yDot, times(jacobian(x, op, reverse), v), { rtol: 1e-12, atol: 1e-12 }, `n = ${n}`);
          const ct = Array.from({ length: n }, () => rng.uniform(-1, 1));
          checkVjp((a) => [cumulativeOf(a, along(op, reverse))], [tensor(x, [n])], [tensor(v, [n])], [tensor(ct, [n])]);
        }
      });
    }
  }

  test("cumprod: the gradient with one and with two zeros matches finite differences and the closed form", () => {
    for (const x of [
      [2, 0, 3, 0.5],
      [0, 1.5, 0, 2],
      [1.5, 2, 3, 0],
    ]) {
      const n = x.length;
      for (let j = 0; j < n; j++) {
        const e = x.map((_, k) => (k === j ? 1 : 0));
        checkJvp((a) => [cumulativeOf(a, along("mul"))], [tensor(x, [n])], [tensor(e, [n])]);
      }
      const [, pullback] = vjpFlat((a) => [cumulativeOf(a, along("mul"))], [tensor(x, [n])]);
      const [xBar] = pullback([tensor(new Array<number>(n).fill(1), [n])]);
      // d(Σ_i y_i)/dx_j = Σ_{i≥j} Π_{k≤i, k≠j} x_k
      const expected = x.map((_, j) => x.reduce((s, _v, i) => (i < j ? s : s + x.slice(0, i + 1).reduce((p, a, k) => (k === j ? p : p * a), 1)), 0));
      assertAllclose(xBar, expected, F64);
    }
  });

  test("cummax and cummin: tied extrema share the gradient with JAX's weights (its scan splits each tie evenly)", () => {
    const rows = (x: number[], op: "max" | "min", reverse: boolean) =>
      x.map((_, j) => {
        const e = x.map((__, k) => (k === j ? 1 : 0));
        return valuesOf(jvpFlat((a) => [cumulativeOf(a, along(op, reverse))], [tensor(x, [x.length])], [tensor(e, [x.length])])[1][0]);
      });
    // Columns of the Jacobian (∂y/∂x_j), worked out by hand from the pairing of JAX's associative_scan.
    expect(rows([3, 3, 3, 3], "max", false)).toEqual([
      [1, 0.5, 0.25, 0.25],
      [0, 0.5, 0.25, 0.25],
      [0, 0, 0.5, 0.25],
      [0, 0, 0, 0.25],
    ]);
    expect(rows([3, 3, 3], "min", true)).toEqual([
      [0.5, 0, 0],
      [0.25, 0.5, 0],
      [0.25, 0.5, 1],
    ]);
    expect(rows([1, 3, 3], "max", false)).toEqual([
      [1, 0, 0],
      [0, 1, 0.5],
      [0, 0, 0.5],
    ]);
  });

  test("with many ties on long axes, each output's gradient sums to 1 over the window's extrema", () => {
    const rng = new Rng(11);
    for (const n of [7, 40, 129]) {
      for (const op of ["max", "min"] as const) {
        for (const reverse of [false, true]) {
          const x = Array.from({ length: n }, () => rng.int(0, 3));
          const y = valuesOf(cumulativeOf(tensor(x, [n]), along(op, reverse)));
          const [, pullback] = vjpFlat((a) => [cumulativeOf(a, along(op, reverse))], [tensor(x, [n])]);
          for (const i of [0, Math.floor(n / 2), n - 1]) {
            const ct = x.map((_, k) => (k === i ? 1 : 0));
            const row = valuesOf(pullback([tensor(ct, [n])])[0]);
            const inWindow = (j: number) => (reverse ? j >= i : j <= i);
            expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
            row.forEach((w, j) => {
              if (w !== 0) expect(inWindow(j) && x[j] === y[i], `n ${n} ${op} reverse ${reverse} row ${i} col ${j}`).toBe(true);
            });
          }
        }
      }
    }
  });
});
