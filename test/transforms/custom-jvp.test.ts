/**
 * @file `customJvp`: values from f, derivatives from the rule (not from f), under jvp, grad,
 * grad∘grad, jit, vmap and their compositions; bad rules are typed errors naming the function.
 */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { customJvp, DTypeError, grad, jit, jvp, makeJaxpr, ShapeError, TraceError, vmap } from "../../src/index.js";

type T = AnyTensor;
const f64 = (values: number[], shape: number[]): T => ops.fromValues(values, shape, "float64");
const scalar = (v: number): T => ops.full([], v, "float64");
const values = (x: T): number[] => Array.from(x.data());
const sumAll = (x: T): T => ops.reduceSum(x, x.shape.map((_, i) => i));

// f(x) = sin x with a rule that says its derivative is 3·cos x: a rule that differs from f's own
// derivative shows which one each transform used.
const f = customJvp(
  (x: T) => ops.sin(x),
  ([x], [dx]) => [ops.sin(x), ops.mul(ops.mul(ops.cos(x), ops.fullLike(x, 3)), dx)],
);
const xs = [0.3, -1.2, 2];

describe("customJvp", () => {
  test("values come from f, eagerly and under jit", () => {
    const x = f64(xs, [3]);
    expect(values(f(x))).toEqual(xs.map(Math.sin));
    expect(values(jit(f)(x))).toEqual(xs.map(Math.sin));
  });

  test("jvp and grad use the rule", () => {
    const x = f64(xs, [3]);
    const [y, dy] = jvp((a: T) => f(a), [x], [f64([1, 1, 1], [3])]);
    expect(values(y)).toEqual(xs.map(Math.sin));
    values(dy).forEach((v, i) => expect(v).toBeCloseTo(3 * Math.cos(xs[i]), 14));
    const g = grad((a: T) => sumAll(f(a)) as never)(x) as T;
    values(g).forEach((v, i) => expect(v).toBeCloseTo(3 * Math.cos(xs[i]), 14));
  });

  test("grad∘grad differentiates the rule", () => {
    const g = grad((a: T) => f(a) as never);
    const gg = grad((a: T) => g(a) as never);
    // d/dx 3 cos x = −3 sin x
    for (const v of xs) expect((gg(scalar(v)) as T).item()).toBeCloseTo(-3 * Math.sin(v), 14);
    expect((jit(gg)(scalar(0.7)) as T).item()).toBeCloseTo(-3 * Math.sin(0.7), 14);
  });

  test("under jit, vmap and their compositions with grad", () => {
    const x = f64(xs, [3]);
    const expected = xs.map((v) => 3 * Math.cos(v));
    const gs = grad((a: T) => f(a) as never);
    const ways: [string, T][] = [
      ["grad(jit)", grad((a: T) => sumAll(jit(f)(a)) as never)(x) as T],
      ["jit(grad)", jit(grad((a: T) => sumAll(f(a)) as never))(x) as T],
      ["vmap(grad)", vmap(gs)(x) as T],
      ["jit(vmap(grad))", jit(vmap(gs))(x) as T],
      ["grad(vmap)", grad((a: T) => sumAll(vmap(f)(a) as T) as never)(x) as T],
      ["vmap(jit(grad))", vmap(jit(gs))(x) as T],
    ];
    for (const [, g] of ways) values(g).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 14));
    expect(values(vmap(f)(f64([1, 2, 3, 4, 5, 6], [2, 3])) as T)).toEqual([1, 2, 3, 4, 5, 6].map(Math.sin));
  });

  test("vmap with a shared (unbatched) argument and a batched one", () => {
    const h = customJvp(
      (a: T, b: T) => ops.mul(a, b),
      ([a, b], [da, db]) => [ops.mul(a, b), ops.add(ops.mul(da, ops.fullLike(a, 10)), ops.mul(db, ops.fullLike(b, 100)))],
    );
    const a = f64([1, 2], [2]);
    const b = f64([3, 4, 5, 6], [2, 2]);
    const y = vmap(h, { inAxes: [null, 0] })(a, b) as T;
    expect(values(y)).toEqual([3, 8, 5, 12]);
    const ga = grad((p: T) => sumAll(vmap(h, { inAxes: [null, 0] })(p, b) as T) as never)(a) as T;
    expect(values(ga)).toEqual([20, 20]); // two examples, each 10 per element
    const gb = vmap(grad((q: T) => sumAll(h(a, q)) as never, {}))(b) as T;
    expect(values(gb)).toEqual([100, 100, 100, 100]);
  });

  test("vmap where only a closed-over constant is batched", () => {
    // Inside vmap over c, h closes over c (batched) while its argument is shared.
    const x = f64([2], [1]);
    const out = vmap((c: T) => {
      const h = customJvp((a: T) => ops.mul(a, c), ([a], [da]) => [ops.mul(a, c), ops.mul(da, ops.fullLike(da, 7))], { name: "h" });
      const [y, dy] = jvp((a: T) => h(a), [x], [f64([1], [1])]);
      return ops.concatenate([y, dy], 0);
    })(f64([1, 2, 3], [3, 1])) as T;
    expect(values(out)).toEqual([2, 7, 4, 7, 6, 7]);
  });

  test("pytrees and static arguments pass through", () => {
    const scale = customJvp(
      (p: { w: T; k: number }) => ({ y: ops.mul(p.w, ops.fullLike(p.w, p.k)) }),
      ([p], [dp]) => [{ y: ops.mul(p.w, ops.fullLike(p.w, p.k)) }, { y: ops.mul(dp.w, ops.fullLike(p.w, 2 * p.k)) }],
    );
    const g = grad((w: T) => sumAll(scale({ w, k: 3 }).y) as never)(f64([1, 2], [2])) as T;
    expect(values(g)).toEqual([6, 6]);
  });

  test("a safe derivative where the composite's is NaN", () => {
    // √(x²) differentiated as a composite is 0/0 at 0; the rule says sign(x).
    const absLike = customJvp(
      (x: T) => ops.sqrt(ops.mul(x, x)),
      ([x], [dx]) => [ops.sqrt(ops.mul(x, x)), ops.mul(ops.sign(x), dx)],
    );
    expect((grad((x: T) => absLike(x) as never)(scalar(0)) as T).item()).toBe(0);
    expect((grad((x: T) => ops.sqrt(ops.mul(x, x)) as never)(scalar(0)) as T).item()).toBeNaN();
  });

  test("the IR shows one customJvpCall holding both jaxprs; jit inlines it", () => {
    const text = String(makeJaxpr((x: T) => f(x))(f64(xs, [3])));
    expect(text).toContain("customJvpCall[fun={ lambda");
    expect(text).toContain("jvp={ lambda");
  });

  test("bad rules are typed errors naming the function", () => {
    const x = f64(xs, [3]);
    const wrongShape = customJvp(
      function cube(a: T) {
        return ops.mul(a, ops.mul(a, a));
      },
      ([a], [da]) => [a, ops.reduceSum(da, [0]) as never],
    );
    expect(() => jvp(wrongShape, [x], [x])).toThrow(ShapeError);
    expect(() => jvp(wrongShape, [x], [x])).toThrow(/customJvp\(cube\): jvpRule's tangent output: leaf 0 has shape \[\], expected \[3\]/);
    const wrongDtype = customJvp((a: T) => a, ([a], [da]) => [a, ops.cast(da, "float32")], { name: "ident" });
    expect(() => wrongDtype(x)).toThrow(DTypeError);
    const wrongArity = customJvp((a: T) => a, (() => [1]) as never, { name: "bad" });
    expect(() => wrongArity(x)).toThrow(/customJvp\(bad\): jvpRule must return \[primalOut, tangentOut\]/);
    expect(() => customJvp(3 as never, (() => 0) as never)).toThrow(TypeError);
    expect(() => customJvp((a: T) => a, 3 as never)).toThrow(/jvpRule must be a function/);
  });

  test("closing over a value being differentiated is a TraceError", () => {
    const g = grad((w: T) => {
      const h = customJvp((a: T) => ops.mul(a, w), ([a], [da]) => [ops.mul(a, w), ops.mul(da, w)], { name: "h" });
      return h(scalar(2)) as never;
    });
    expect(() => g(scalar(3))).toThrow(TraceError);
    expect(() => g(scalar(3))).toThrow(/customJvp\(h\): the function or its JVP rule closes over a value that is being differentiated/);
  });
});
