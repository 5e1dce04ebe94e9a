/**
 * @file `debugPrint`: prints concrete values from eager code and from inside jit (every call),
 * vmap (the batched values) and grad (the forward values only); the compiler keeps it though
 * nothing reads it; the sink is replaceable.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { checkpoint, debugPrint, grad, jit, makeJaxpr, setDebugPrintSink, showKernels, vmap, type DebugPrintSink } from "../../src/index.js";

type T = AnyTensor;
const f64 = (values: number[], shape: number[]): T => ops.fromValues(values, shape, "float64");
const sumAll = (x: T): T => ops.reduceSum(x, x.shape.map((_, i) => i));

let printed: { label: string; values: number[][]; shapes: number[][] }[] = [];
let previous: DebugPrintSink;

beforeEach(() => {
  printed = [];
  previous = setDebugPrintSink((label, values) => {
    printed.push({ label, values: values.map((v) => Array.from(v.data() as ArrayLike<number>)), shapes: values.map((v) => v.shape) });
  });
});

afterEach(() => {
  setDebugPrintSink(previous);
});

function f(x: T): T {
  const y = ops.sin(x);
  debugPrint("y", y);
  return sumAll(ops.mul(y, y));
}

describe("debugPrint", () => {
  test("eagerly, at once", () => {
    f(f64([0, 1], [2]));
    expect(printed).toEqual([{ label: "y", values: [[0, Math.sin(1)]], shapes: [[2]] }]);
  });

  test("under jit: at every call, with that call's values; kept by the compiler", () => {
    const g = jit(f);
    g(f64([0, 1], [2]));
    g(f64([2, 3], [2]));
    expect(printed.map((p) => p.values[0])).toEqual([
      [0, Math.sin(1)],
      [Math.sin(2), Math.sin(3)],
    ]);
    expect(String(makeJaxpr(f)(f64([0, 1], [2])))).toContain("debugPrint[label=y]");
    expect(showKernels(f)(f64([0, 1], [2]))).toContain("debugPrint");
  });

  test("under vmap: the batched values, batch axis first", () => {
    vmap(f, { inAxes: 1 })(f64([1, 2, 3, 4, 5, 6], [2, 3]));
    expect(printed).toHaveLength(1);
    expect(printed[0].shapes).toEqual([[3, 2]]);
    expect(printed[0].values[0]).toEqual([1, 4, 2, 5, 3, 6].map(Math.sin));
  });

  test("under grad (eager and jitted): the forward values, once", () => {
    const x = f64([0.5], [1]);
    grad(f as never)(x);
    jit(grad(f as never))(x);
    expect(printed.map((p) => p.values[0])).toEqual([[Math.sin(0.5)], [Math.sin(0.5)]]);
  });

  test("a pytree, and inside a checkpoint", () => {
    const h = checkpoint((a: T) => {
      debugPrint("pair", { a, b: ops.neg(a) });
      return ops.exp(a);
    });
    h(f64([1], [1]));
    expect(printed).toEqual([{ label: "pair", values: [[1], [-1]], shapes: [[1], [1]] }]);
  });

  test("the default sink is console.log of label: values", () => {
    setDebugPrintSink(null);
    const lines: unknown[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => lines.push(args.join(" "));
    try {
      debugPrint("z", f64([1.5], [1]));
    } finally {
      console.log = log;
    }
    expect(lines).toHaveLength(1);
    expect(String(lines[0])).toMatch(/^z: .*1\.5/);
  });

  test("bad arguments are TypeErrors", () => {
    expect(() => debugPrint(3 as never, f64([1], [1]))).toThrow("debugPrint: label must be a string, got 3");
    expect(() => debugPrint("n", 3)).toThrow(/debugPrint\("n"\): x must be a tensor or a tree holding tensors, got 3/);
  });
});
