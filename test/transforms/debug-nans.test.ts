/**
 * @file NaN/Inf checks: `jit(f, { debugNans })`, `setDebugNans`, `setDebugInfs`. The first bad
 * value raises a NaNError naming the primitive, its equation as makeJaxpr prints it and the
 * functions it ran in; programs without one run unchanged.
 */
import { afterEach, describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { checkpoint, customJvp, grad, jit, makeJaxpr, NaNError, setDebugInfs, setDebugNans, vmap } from "../../src/index.js";

type T = AnyTensor;
const f64 = (values: number[], shape: number[]): T => ops.fromValues(values, shape, "float64");
const sumAll = (x: T): T => ops.reduceSum(x, x.shape.map((_, i) => i));

/** The NaNError `f` throws (fails the test if it throws nothing or something else). */
function nanError(f: () => unknown): NaNError {
  try {
    f();
  } catch (e) {
    if (e instanceof NaNError) return e;
    throw e;
  }
  throw new Error("expected a NaNError, nothing was thrown");
}

afterEach(() => {
  setDebugNans(false);
  setDebugInfs(false);
});

// log of a negative number, in the middle of a program whose output is NaN.
function loss(x: T): T {
  const y = ops.mul(x, x);
  const z = ops.log(ops.sub(y, ops.fullLike(y, 2)));
  return sumAll(ops.exp(z));
}

describe("debugNans", () => {
  test("jit(f, { debugNans: true }) names the primitive, the equation as makeJaxpr prints it, and the function", () => {
    const x = f64([1, 3], [2]);
    const e = nanError(() => jit(loss, { debugNans: true })(x));
    expect(e.primitive).toBe("log");
    expect(e.functions).toEqual(["loss"]);
    // the same line as in makeJaxpr's printout
    expect(String(makeJaxpr(loss)(x))).toContain(e.equation);
    expect(e.equation).toMatch(/^[a-z]+:f64\[2\] = log [a-z]+$/);
    expect(e.message).toBe(`log produced NaN in loss: ${e.equation}\n(found by re-running loss equation by equation)`);
  });

  test("without the option the same call returns NaN quietly; finite programs are unaffected", () => {
    const x = f64([1, 3], [2]);
    expect(jit(loss)(x).item()).toBeNaN();
    expect(jit(loss, { debugNans: true })(f64([2, 3], [2])).item()).toBeCloseTo(2 + 7, 12);
  });

  test("setDebugNans(true): eager primitives and every jitted function", () => {
    setDebugNans(true);
    const eager = nanError(() => loss(f64([1, 3], [2])));
    expect(eager.primitive).toBe("log");
    expect(eager.functions).toEqual([]);
    expect(eager.message).toMatch(/^log produced NaN \(run eagerly\): [a-z]+:f64\[2\] = log [a-z]+$/);
    expect(nanError(() => jit(loss)(f64([1, 3], [2]))).functions).toEqual(["loss"]);
    setDebugNans(false);
    expect(loss(f64([1, 3], [2])).item()).toBeNaN();
  });

  test("inside grad, vmap, a checkpoint and a nested jit: the path of functions", () => {
    const inner = checkpoint(function layer(a: T) {
      return ops.sqrt(ops.sub(a, ops.fullLike(a, 1)));
    });
    const outer = jit(function model(a: T) {
      return sumAll(inner(ops.mul(a, a)));
    });
    setDebugNans(true);
    const e = nanError(() => outer(f64([0.5, 2], [2])));
    expect(e.primitive).toBe("sqrt");
    expect(e.functions).toEqual(["model", "checkpoint(layer)"]);
    // In the gradient, the first NaN is the forward sqrt's (its derivative is NaN too).
    const g = nanError(() => jit(grad((a: T) => outer(a) as never), { name: "dmodel" })(f64([0.5, 2], [2])));
    expect(g.primitive).toBe("sqrt");
    expect(g.functions[0]).toBe("dmodel");
    const v = nanError(() => jit(vmap((a: T) => ops.log(a)), { name: "vlog" })(f64([1, -1], [2])));
    expect(v.functions).toEqual(["vlog"]);
  });

  test("a custom derivative's NaN is found inside its function", () => {
    const f = customJvp(function logOf(a: T) {
      return ops.log(a);
    }, ([a], [da]) => [ops.log(a), ops.div(da, a)]);
    const e = nanError(() => jit((a: T) => f(a), { debugNans: true, name: "g" })(f64([-1], [1])));
    expect(e.functions).toEqual(["g", "customJvp(logOf)"]);
  });

  test("an input that already holds NaN: the first equation that passes it on, and the note says so", () => {
    const e = nanError(() => jit((a: T) => ops.neg(a), { debugNans: true, name: "neg" })(f64([NaN], [1])));
    expect(e.message).toContain("(an input already held NaN)");
  });

  test("infinities only with debugInfs (a −∞ mask is legitimate otherwise)", () => {
    const f = (a: T) => ops.div(ops.fullLike(a, 1), a);
    expect(jit(f, { debugNans: true })(f64([0], [1])).item()).toBe(Infinity);
    const e = nanError(() => jit(f, { debugInfs: true, name: "recip" })(f64([0], [1])));
    expect(e.primitive).toBe("div");
    expect(e.message).toMatch(/^div produced Inf in recip/);
    setDebugInfs(true);
    expect(nanError(() => f(f64([-0], [1]))).message).toMatch(/^div produced -Inf \(run eagerly\)/);
  });

  test("bad options are TypeErrors", () => {
    expect(() => jit(loss, { debugNans: 1 as never })).toThrow("jit: debugNans must be true or false, got number 1");
    expect(() => setDebugNans("yes" as never)).toThrow(TypeError);
  });
});
