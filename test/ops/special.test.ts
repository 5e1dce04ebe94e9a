// The special functions of the public API: erf, expm1 and log1p (each a primitive on the kernel
// IR), their values against independent references, their accuracy where the naive formulas lose
// every digit, and their derivatives.
import { describe, expect, test } from "vitest";
import { erf, expm1, grad, jit, log1p, tensor, type Tensor } from "../../src/index.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { checkJvp, checkVjp } from "../helpers/gradcheck.js";
import { erfByQuadrature } from "../helpers/reference.js";
import { tensor as f64, valuesOf } from "../helpers/tensors.js";

const fns: [string, (x: AnyTensor) => AnyTensor, (v: number) => number, number[]][] = [
  ["erf", (x) => erf(x), erfByQuadrature, [-7, -2.6, -1, -0.3, 0, 1e-8, 0.49, 2.4, 3.1]],
  ["expm1", (x) => expm1(x), Math.expm1, [-40, -1, -0.3, -1e-12, 0, 1e-9, 0.4, 2, 30]],
  ["log1p", (x) => log1p(x), Math.log1p, [-0.99, -0.5, -1e-12, 0, 1e-15, 0.3, 1, 50, 1e30]],
];

describe("erf, expm1, log1p", () => {
  test.each(fns)("%s matches its reference in float64", (_name, f, ref, xs) => {
    const y = f(f64(xs, [3, 3]));
    expect(y.dtype).toBe("float64");
    valuesOf(y).forEach((v, i) => expect(Math.abs(v - ref(xs[i]))).toBeLessThanOrEqual(2e-15 * Math.max(Math.abs(ref(xs[i])), 1e-300)));
  });

  test("tiny arguments keep every digit (where exp(x) − 1 and log(1 + x) lose them)", () => {
    expect(valuesOf(expm1(f64([1e-12], [1])))[0]).toBe(1e-12 + 5e-25); // x + x²/2, rounded
    expect(valuesOf(log1p(f64([1e-15], [1])))[0]).toBe(1e-15 - 5e-31);
    expect(valuesOf(erf(f64([1e-10], [1])))[0] / ((2 / Math.sqrt(Math.PI)) * 1e-10)).toBe(1);
  });

  test("special values", () => {
    expect(valuesOf(erf(f64([Infinity, -Infinity, NaN, -0], [4])))).toEqual([1, -1, NaN, -0]);
    expect(valuesOf(expm1(f64([Infinity, -Infinity, NaN], [3])))).toEqual([Infinity, -1, NaN]);
    expect(valuesOf(log1p(f64([-1, -2, Infinity], [3])))).toEqual([-Infinity, NaN, Infinity]);
  });

  test.each(fns)("%s: jvp vs finite differences and the vjp dot-product test", (name, f) => {
    const at = name === "log1p" ? [-0.7, -0.1, 0, 0.3, 2, 9] : [-2.1, -0.4, 0, 1e-4, 1.7, 3];
    const x = f64(at, [2, 3]);
    const xDot = f64([0.3, -1.2, 0.7, 1, -0.5, 0.25], [2, 3]);
    const yBar = f64([1, -0.4, 0.6, 0.2, -1.1, 0.9], [2, 3]);
    checkJvp((v) => [f(v)], [x], [xDot]);
    checkVjp((v) => [f(v)], [x], [xDot], [yBar]);
  });

  test("derivatives at 0 are the known slopes: 2/√π, 1, 1", () => {
    const at0 = (f: (x: AnyTensor) => AnyTensor) => valuesOf(grad((v: Tensor<[], "float64">) => f(v as AnyTensor) as never)(f64([0], []) as never))[0];
    expect(at0((x) => erf(x))).toBeCloseTo(2 / Math.sqrt(Math.PI), 15);
    expect(at0((x) => expm1(x))).toBe(1);
    expect(at0((x) => log1p(x))).toBe(1);
  });

  test("integer inputs compute in float32; jit agrees with eager within float32 rounding", () => {
    const i = tensor([-2, 0, 3], "int32");
    for (const f of [erf, expm1, log1p]) {
      expect(f(i).dtype).toBe("float32");
      // jit may run the float32 SIMD approximation (a few ulp), eager the float64 function rounded
      const fused = jit((x: Tensor<[3]>) => f(x))(tensor([0.25, -0.5, 2])).toArray() as number[];
      const eager = f(tensor([0.25, -0.5, 2])).toArray() as number[];
      fused.forEach((v, k) => expect(Math.abs(v - eager[k])).toBeLessThanOrEqual(4e-7 * Math.abs(eager[k])));
    }
  });
});
