/**
 * @file `customVjp`: values from f, gradients from bwd (not from f), residuals from fwd to bwd,
 * under grad, jit, vmap and their compositions; forward mode and a bwd of the wrong structure,
 * shape or dtype are typed errors naming the function.
 */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { customVjp, DTypeError, grad, jacfwd, jacrev, jit, jvp, makeJaxpr, ShapeError, TraceError, valueAndGrad, vmap } from "../../src/index.js";

type T = AnyTensor;
const f64 = (values: number[], shape: number[]): T => ops.fromValues(values, shape, "float64");
const scalar = (v: number): T => ops.full([], v, "float64");
const values = (x: T): number[] => Array.from(x.data());
const sumAll = (x: T): T => ops.reduceSum(x, x.shape.map((_, i) => i));
const times = (x: T, c: number): T => ops.mul(x, ops.fullLike(x, c));

// f(x, y) = sin(x)·y with a bwd that says ∂/∂x = 2·cos(x)·y·ḡ and ∂/∂y = 5·ḡ: gradients that
// differ from f's own show which rule each transform used. fwd saves cos x (not x) and y.
let fwdRuns = 0;
const f = customVjp(
  (x: T, y: T) => ops.mul(ops.sin(x), y),
  (x, y) => {
    fwdRuns++;
    return [ops.mul(ops.sin(x), y), { cosX: ops.cos(x), y }];
  },
  ({ cosX, y }, g) => [times(ops.mul(ops.mul(cosX, y), g), 2), times(g, 5)],
);
const xs = [0.3, -1.2, 2];
const ys = [1.5, 0.5, -2];
const expectedDx = xs.map((x, i) => 2 * Math.cos(x) * ys[i]);

describe("customVjp", () => {
  test("values come from f, eagerly and under jit", () => {
    const x = f64(xs, [3]);
    const y = f64(ys, [3]);
    const expected = xs.map((v, i) => Math.sin(v) * ys[i]);
    values(f(x, y)).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 15));
    values(jit(f)(x, y)).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 15));
  });

  test("grad uses bwd with fwd's residuals; fwd runs once per gradient", () => {
    const x = f64(xs, [3]);
    const y = f64(ys, [3]);
    fwdRuns = 0;
    const [gx, gy] = grad((a: T, b: T) => sumAll(f(a, b)) as never, { argnums: [0, 1] })(x, y) as T[];
    expect(fwdRuns).toBe(1);
    values(gx).forEach((v, i) => expect(v).toBeCloseTo(expectedDx[i], 14));
    expect(values(gy)).toEqual([5, 5, 5]);
    const [value] = valueAndGrad((a: T) => sumAll(f(a, y)) as never)(x);
    expect((value as T).item()).toBeCloseTo(xs.reduce((s, v, i) => s + Math.sin(v) * ys[i], 0), 14);
  });

  test("under jit, vmap and their compositions with grad", () => {
    const x = f64(xs, [3]);
    const y = f64(ys, [3]);
    const gx = (a: T, b: T) => grad((p: T) => sumAll(f(p, b)) as never)(a) as T;
    const gScalar = (a: T, b: T) => grad((p: T) => f(p, b) as never)(a) as T;
    const ways: [string, T][] = [
      ["grad", gx(x, y)],
      ["grad(jit)", grad((p: T) => sumAll(jit(f)(p, y)) as never)(x) as T],
      ["jit(grad)", jit(gx)(x, y)],
      ["vmap(grad)", vmap(gScalar)(x, y) as T],
      ["jit(vmap(grad))", jit(vmap(gScalar))(x, y) as T],
      ["grad(vmap)", grad((p: T) => sumAll(vmap(f)(p, y) as T) as never)(x) as T],
      ["grad(jit(vmap))", grad((p: T) => sumAll(jit(vmap(f))(p, y) as T) as never)(x) as T],
      ["vmap(grad(jit))", vmap((a: T, b: T) => grad((p: T) => jit(f)(p, b) as never)(a) as T)(x, y) as T],
      ["jacrev", jacrev((p: T) => f(p, y))(x) as T],
    ];
    for (const [way, g] of ways) {
      const v = way === "jacrev" ? values(g).filter((_, k) => k % 4 === 0) : values(g);
      v.forEach((value, i) => expect(value, way).toBeCloseTo(expectedDx[i], 14));
    }
  });

  test("grad through vmap with a shared argument sums its per-example cotangents", () => {
    const y = scalar(1.5);
    const x = f64(xs, [3]);
    // ∂/∂y of Σ_b f(x_b, y) under the custom rule is Σ_b 5 = 15.
    const gy = grad((b: T) => sumAll(vmap(f, { inAxes: [0, null] })(x, b) as T) as never)(y) as T;
    expect(gy.item()).toBe(15);
  });

  test("forward mode is a TraceError naming the function", () => {
    const x = f64(xs, [3]);
    const y = f64(ys, [3]);
    const g = (a: T) => f(a, y);
    expect(() => jvp(g, [x], [x])).toThrow(TraceError);
    expect(() => jvp(g, [x], [x])).toThrow(/customVjp\(f\): forward-mode differentiation .* is not supported; use customJvp/);
    expect(() => jacfwd(g)(x)).toThrow(TraceError);
  });

  test("bwd returning the wrong structure, shape or dtype is a typed error naming the function", () => {
    const x = f64(xs, [3]);
    const make = (bwd: (res: T, g: T) => unknown) =>
      customVjp(
        function square(a: T) {
          return ops.mul(a, a);
        },
        (a) => [ops.mul(a, a), a],
        bwd as never,
      );
    const run = (h: (a: T) => T) => () => grad((a: T) => sumAll(h(a)) as never)(x);
    expect(run(make((_r, g) => g))).toThrow(TypeError);
    expect(run(make((_r, g) => g))).toThrow(/customVjp\(square\): bwd must return an array of 1 cotangent \(one per argument\)/);
    expect(run(make((_r, g) => [g, g]))).toThrow(/got an array of length 2/);
    expect(run(make((_r, g) => [sumAll(g)]))).toThrow(ShapeError);
    expect(run(make((_r, g) => [sumAll(g)]))).toThrow("customVjp(square): bwd's cotangent of argument 0: leaf 0 has shape [], expected [3]");
    expect(run(make((_r, g) => [ops.cast(g, "float32")]))).toThrow(DTypeError);
    expect(run(make((_r, g) => [{ g }]))).toThrow(/bwd's cotangent of argument 0 has structure/);
  });

  test("fwd whose output differs from f's is a typed error", () => {
    const h = customVjp(
      (a: T) => ops.mul(a, a),
      (a) => [sumAll(a), a] as never,
      (_r, g) => [g],
      { name: "h" },
    );
    expect(() => grad((a: T) => sumAll(h(a)) as never)(f64(xs, [3]))).toThrow("customVjp(h): fwd's output: leaf 0 has shape [], expected [3]");
  });

  test("pytree arguments and residuals, static arguments", () => {
    const scale = customVjp(
      (p: { w: T; b: T }, k: number) => ops.add(times(p.w, k), p.b),
      (p, k) => [ops.add(times(p.w, k), p.b), [k]],
      ([k], g) => [{ w: times(g, 10 * k), b: g }, null as never],
    );
    const [gp] = grad((p: { w: T; b: T }) => sumAll(scale(p, 3)) as never, { argnums: [0] })({ w: f64([1, 2], [2]), b: f64([0, 0], [2]) }) as [{ w: T; b: T }];
    expect(values(gp.w)).toEqual([30, 30]);
    expect(values(gp.b)).toEqual([1, 1]);
  });

  test("a closure over a value being differentiated is a TraceError", () => {
    const g = grad((w: T) => {
      const h = customVjp((a: T) => ops.mul(a, w), (a) => [ops.mul(a, w), a], (_r, ct) => [ct], { name: "h" });
      return h(scalar(2)) as never;
    });
    expect(() => g(scalar(3))).toThrow(/customVjp\(h\): the function closes over a value that is being differentiated/);
  });

  test("the IR shows customVjpCall; a gradient's IR holds fwd's and bwd's operations instead", () => {
    const y = f64(ys, [3]);
    const text = String(makeJaxpr((a: T) => f(a, y))(f64(xs, [3])));
    expect(text).toContain("customVjpCall[fun={ lambda");
    expect(text).toContain("fwd=fwd(f), bwd=bwd(f), name=f");
    const gradText = String(makeJaxpr((a: T) => grad((p: T) => sumAll(f(p, y)) as never)(a))(f64(xs, [3])));
    // Tracing the gradient ran fwd and transposed customLin by calling bwd: neither call remains.
    expect(gradText).not.toContain("customVjpCall");
    expect(gradText).not.toContain("customLin");
    expect(gradText).toContain("cos");
  });
});
