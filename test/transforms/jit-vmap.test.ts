import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { ShapeError, grad, jit, makeJaxpr, vmap } from "../../src/index.js";
import { dce } from "../../src/compiler/dce.js";

type T = AnyTensor;
const f64 = (values: number[], shape: number[]): T => ops.fromValues(values, shape, "float64");
const arange = (n: number, shape: number[]) => f64(Array.from({ length: n }, (_, i) => i), shape);

describe("jit", () => {
  test("traces once per input signature and caches", () => {
    let traces = 0;
    const f = jit((x: T) => {
      traces++;
      return ops.mul(x, x);
    });
    f(f64([1, 2], [2]));
    f(f64([3, 4], [2]));
    expect(traces).toBe(1);
    f(f64([1, 2, 3], [3]));
    expect(traces).toBe(2);
    f(ops.fromValues([1, 2], [2], "float32"));
    expect(traces).toBe(3);
  });

  test("non-tensor leaves are static: each value traces anew", () => {
    let traces = 0;
    const scale = jit((x: T, k: number, training: boolean) => {
      traces++;
      return training ? ops.mul(x, ops.full([2], k, "float64")) : x;
    });
    expect(scale(f64([1, 2], [2]), 3, true).toArray()).toEqual([3, 6]);
    expect(scale(f64([1, 2], [2]), 3, true).toArray()).toEqual([3, 6]);
    expect(scale(f64([1, 2], [2]), 3, false).toArray()).toEqual([1, 2]);
    expect(traces).toBe(2);
  });

  test("pytrees in and out", () => {
    const f = jit((p: { a: T; b: T[] }) => ({ sum: ops.add(p.a, p.b[0]), n: p.b.length }));
    const out = f({ a: f64([1], [1]), b: [f64([2], [1])] });
    expect(out.sum.toArray()).toEqual([3]);
    expect(out.n).toBe(1);
  });

  test("closures over concrete tensors become constants of the jaxpr", () => {
    const w = f64([1, 2, 3], [3]);
    const f = (x: T) => ops.mul(x, w);
    expect(String(makeJaxpr(f)(w))).toContain("lambda [a:f64[3]] ; b:f64[3]");
    expect(jit(f)(w).toArray()).toEqual([1, 4, 9]);
  });

  test("jit inside grad closing over an outer tracer", () => {
    const outer = (x: T) => {
      const inner = jit((y: T) => ops.mul(y, x));
      return ops.reduceSum(inner(x), [0]);
    };
    expect((grad(outer as never)(f64([1, 2], [2]) as never) as T).toArray()).toEqual([2, 4]);
  });

  test("dead code is removed from the executed jaxpr", () => {
    const f = (x: T) => {
      ops.exp(x); // unused
      return ops.neg(x);
    };
    const traced = makeJaxpr(f)(f64([1], [1])).jaxpr;
    expect(traced.eqns.map((e) => e.prim)).toEqual(["exp", "neg"]);
    expect(dce(traced).eqns.map((e) => e.prim)).toEqual(["neg"]);
    expect(jit(f)(f64([1], [1])).toArray()).toEqual([-1]);
  });
});

describe("vmap", () => {
  const x = arange(6, [2, 3]);
  const rowSum = (v: T) => ops.reduceSum(v, [0]);

  test("maps over axis 0 by default and over other axes by inAxes", () => {
    expect(vmap(rowSum)(x as never).toArray()).toEqual([3, 12]);
    expect(vmap(rowSum, { inAxes: 1 })(x as never).toArray()).toEqual([3, 5, 7]);
    expect(vmap(rowSum, { inAxes: -1 })(x as never).toArray()).toEqual([3, 5, 7]);
  });

  test("unmapped arguments are shared; outAxes places the mapped axis", () => {
    const w = f64([1, 10, 100], [3]);
    const scaled = vmap((v: T, s: T) => ops.mul(v, s), { inAxes: [0, null], outAxes: 1 });
    expect(scaled(x as never, w as never).toArray()).toEqual([
      [0, 3],
      [10, 40],
      [200, 500],
    ]);
  });

  test("vmap of vmap, of jit, and jit of vmap agree with a loop", () => {
    const f = (v: T) => ops.tanh(ops.mul(v, v));
    const expected = x.toArray();
    const loop = (expected as number[][]).map((row) => row.map((v) => Math.tanh(v * v)));
    expect(vmap(vmap(f))(x as never).toArray()).toEqual(loop);
    expect(vmap(jit(f))(x as never).toArray()).toEqual(loop);
    expect(jit(vmap(f))(x as never).toArray()).toEqual(loop);
  });

  test("mapped axes of different sizes are an error naming both", () => {
    const add = vmap((a: T, b: T) => ops.add(a, b));
    expect(() => add(arange(2, [2]) as never, arange(3, [3]) as never)).toThrow(/different sizes: 2 vs 3/);
  });

  test("shape errors inside a mapped function report per-example shapes", () => {
    const bad = vmap((a: T) => ops.add(a, f64([1, 2], [2])));
    expect(() => bad(arange(6, [2, 3]) as never)).toThrow(ShapeError);
    expect(() => bad(arange(6, [2, 3]) as never)).toThrow("add: shapes differ: [3] vs [2]");
  });
});
