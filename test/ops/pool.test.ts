// The pooling ops (maxPool2d, avgPool2d, maxPool1d, avgPool1d, globalMaxPool, globalAvgPool,
// reduceWindow): values against nested-loop references with strides and padding (both divisors of
// average pooling), ties in the gradient, derivatives against finite differences, jit and vmap,
// and the runtime twins of the compile-time shape errors.
import { describe, expect, test } from "vitest";
import {
  avgPool1d,
  avgPool2d,
  globalAvgPool,
  globalMaxPool,
  grad,
  jit,
  maxPool1d,
  maxPool2d,
  reduceWindow,
  ShapeError,
  stack,
  tensor,
  vmap,
  type Tensor,
} from "../../src/index.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { checkJvp, checkVjp } from "../helpers/gradcheck.js";
import { forEachIndex, ravel } from "../helpers/reference.js";
import { tensor as f64, valuesOf } from "../helpers/tensors.js";
import { expectThrown } from "../reliability/expect-error.js";

/**
 * Pooling of `[N, ...spatial, C]` by nested loops over explicit indices: windows `k` every `s`
 * with `[lo, hi]` padding per spatial dim; `avg` divides by the window, or (`includePad` false) by
 * the elements inside the input.
 */
function refPool(xs: number[], shape: number[], k: number[], s: number[], pads: [number, number][], kind: "max" | "avg", includePad = true) {
  const sp = shape.slice(1, -1);
  const outSp = sp.map((d, i) => Math.floor((d + pads[i][0] + pads[i][1] - k[i]) / s[i]) + 1);
  const outShape = [shape[0], ...outSp, shape[shape.length - 1]];
  const out: number[] = [];
  forEachIndex(outShape, (o) => {
    let acc = kind === "max" ? -Infinity : 0;
    let inside = 0;
    forEachIndex(k, (w) => {
      const idx = w.map((kk, i) => o[i + 1] * s[i] + kk - pads[i][0]);
      if (idx.some((v, i) => v < 0 || v >= sp[i])) return;
      const v = xs[ravel([o[0], ...idx, o[o.length - 1]], shape)];
      acc = kind === "max" ? Math.max(acc, v) : acc + v;
      inside++;
    });
    out.push(kind === "max" ? acc : acc / (includePad ? k.reduce((a, b) => a * b, 1) : inside));
  });
  return { out, shape: outShape };
}

const seq = (n: number, seed = 1): number[] => Array.from({ length: n }, (_, i) => Math.sin(1.3 * i + seed) * 3 + ((i * seed) % 7) * 1e-3);
const f64Of = (shape: number[], seed = 1) => f64(seq(shape.reduce((a, b) => a * b, 1), seed), shape);

describe("2-d pooling", () => {
  const cases: { x: number[]; k: [number, number]; s: [number, number]; p: "valid" | "same" | [[number, number], [number, number]] }[] = [
    { x: [2, 5, 6, 3], k: [2, 2], s: [2, 2], p: "valid" },
    { x: [1, 7, 5, 2], k: [3, 3], s: [2, 2], p: "same" },
    { x: [2, 4, 6, 1], k: [2, 3], s: [1, 2], p: [[1, 0], [2, 1]] },
    { x: [1, 6, 6, 2], k: [3, 2], s: [3, 1], p: "same" },
  ];
  test.each(cases)("max and avg of $x, window $k, strides $s, padding $p", ({ x, k, s, p }) => {
    const input = f64Of(x, 3);
    const pads: [number, number][] =
      p === "valid" ? [[0, 0], [0, 0]] : p === "same" ? x.slice(1, 3).map((d, i) => samePads(d, k[i], s[i])) : [p[0], p[1]];
    for (const kind of ["max", "avg"] as const) {
      const op = kind === "max" ? maxPool2d : avgPool2d;
      const y = (op as (a: AnyTensor, w: unknown, o: unknown) => AnyTensor)(input, k, { strides: s, padding: p });
      const ref = refPool(valuesOf(input), x, k, s, pads, kind);
      expect(y.shape).toEqual(ref.shape);
      valuesOf(y).forEach((v, i) => expect(v).toBeCloseTo(ref.out[i], 12));
    }
    const excl = (avgPool2d as (a: AnyTensor, w: unknown, o: unknown) => AnyTensor)(input, k, { strides: s, padding: p, countIncludePad: false });
    const ref = refPool(valuesOf(input), x, k, s, pads, "avg", false);
    valuesOf(excl).forEach((v, i) => expect(v).toBeCloseTo(ref.out[i], 12));
  });

  test("average pooling divides by the whole window by default, by the elements inside with countIncludePad: false", () => {
    const x = tensor([[[[1], [2]], [[3], [4]]]]); // [1, 2, 2, 1]
    expect(avgPool2d(x, 2, { strides: 1, padding: [[0, 1], [0, 1]] }).toArray()).toEqual([[[[2.5], [1.5]], [[1.75], [1]]]]);
    expect(avgPool2d(x, 2, { strides: 1, padding: [[0, 1], [0, 1]], countIncludePad: false }).toArray()).toEqual([[[[2.5], [3]], [[3.5], [4]]]]);
  });

  test("int32 max pooling stays int32; average pooling computes in float32", () => {
    const x = tensor([[[[1], [5]], [[3], [2]]]], "int32");
    expect(maxPool2d(x, 2).dtype).toBe("int32");
    expect(maxPool2d(x, 2).toArray()).toEqual([[[[5]]]]);
    expect(avgPool2d(x, 2).dtype).toBe("float32");
    expect(avgPool2d(x, 2).toArray()).toEqual([[[[2.75]]]]);
  });

  test("the max-pool gradient splits a window's gradient evenly among tied maxima", () => {
    const x = tensor([[[[1], [1]], [[0], [1]]]]);
    const g = grad((a: Tensor<[1, 2, 2, 1]>) => maxPool2d(a, 2).sum())(x);
    const third = Math.fround(1 / 3);
    expect(g.toArray()).toEqual([[[[third], [third]], [[0], [third]]]]);
  });

  test("derivatives against finite differences (distinct values, overlapping and padded windows)", () => {
    const x = f64Of([2, 5, 4, 2], 7);
    for (const f of [
      (a: AnyTensor) => maxPool2d(a as Tensor<[2, 5, 4, 2], "float64">, 3, { strides: [2, 1], padding: "same" }) as AnyTensor,
      (a: AnyTensor) => avgPool2d(a as Tensor<[2, 5, 4, 2], "float64">, [2, 3], { strides: 1, padding: [[1, 1], [0, 2]] }) as AnyTensor,
      (a: AnyTensor) => avgPool2d(a as Tensor<[2, 5, 4, 2], "float64">, 2, { padding: "same", countIncludePad: false }) as AnyTensor,
    ]) {
      const y = f(x);
      checkJvp((a) => [f(a)], [x], [f64Of(x.shape, 11)]);
      checkVjp((a) => [f(a)], [x], [f64Of(x.shape, 11)], [f64Of(y.shape, 12)]);
    }
  });

  test("jit and vmap agree with eager", () => {
    const examples = [1, 2].map((seed) => tensor(seq(3 * 6 * 6 * 2, seed)).reshape([3, 6, 6, 2]));
    const x = stack(examples);
    const f = (a: Tensor<[3, 6, 6, 2]>) => maxPool2d(a, 3, { strides: 2, padding: "same" });
    const eager = examples.map((e) => f(e).toArray());
    expect(vmap(f)(x).toArray()).toEqual(eager);
    expect(jit(vmap(f))(x).toArray()).toEqual(eager);
    const g = grad((a: Tensor<[3, 6, 6, 2]>) => avgPool2d(maxPool2d(a, 2, { strides: 1 }), 2).sum());
    expect(jit(g)(examples[0]).toArray()).toEqual(g(examples[0]).toArray());
  });

  test("shape errors say what the compile-time errors say", () => {
    const u = <R>(f: (...a: never[]) => R) => f as unknown as (...a: unknown[]) => R;
    expectThrown(() => u(maxPool2d)(tensor([0, 0, 0]).reshape([1, 3, 1, 1]), 5), ShapeError, /^maxPool2d: kernel 5 is larger than padded input 3 \(input 3, padding 0\+0\) \(x is \[1, 3, 1, 1\]\)$/);
    expectThrown(() => u(avgPool2d)(tensor([[0]]), 2), ShapeError, /^avgPool2d: x must be \[N, H, W, C\], got \[1, 1\]$/);
    expectThrown(() => u(maxPool2d)(tensor([0]).reshape([1, 1, 1, 1]), 1, { strides: 0 }), ShapeError, /^maxPool2d: stride must be positive, got 0/);
    expectThrown(() => u(maxPool2d)(tensor([0]).reshape([1, 1, 1, 1]), 1, { padding: [[0, 0]] }), ShapeError, /^maxPool2d: padding must be 2 pairs/);
  });
});

/** TensorFlow's "same" padding of one dim. */
function samePads(d: number, k: number, s: number): [number, number] {
  const total = Math.max((Math.ceil(d / s) - 1) * s + k - d, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

describe("1-d pooling", () => {
  test.each([
    { x: [2, 9, 3], k: 3, s: 2, p: "valid" as const },
    { x: [1, 10, 2], k: 4, s: 3, p: "same" as const },
    { x: [2, 5, 1], k: 2, s: 1, p: [1, 2] as [number, number] },
  ])("max and avg of $x, window $k, stride $s, padding $p", ({ x, k, s, p }) => {
    const input = f64Of(x, 5);
    const pads: [number, number][] = [p === "valid" ? [0, 0] : p === "same" ? samePads(x[1], k, s) : p];
    for (const kind of ["max", "avg"] as const) {
      const op = (kind === "max" ? maxPool1d : avgPool1d) as (a: AnyTensor, w: number, o: unknown) => AnyTensor;
      const y = op(input, k, { strides: s, padding: p });
      const ref = refPool(valuesOf(input), x, [k], [s], pads, kind);
      expect(y.shape).toEqual(ref.shape);
      valuesOf(y).forEach((v, i) => expect(v).toBeCloseTo(ref.out[i], 12));
    }
  });

  test("gradients against finite differences", () => {
    const x = f64Of([2, 7, 3], 9);
    const f = (a: AnyTensor) => maxPool1d(a as Tensor<[2, 7, 3], "float64">, 3, { strides: 2, padding: "same" }) as AnyTensor;
    checkVjp((a) => [f(a)], [x], [f64Of(x.shape, 2)], [f64Of(f(x).shape, 3)]);
    checkJvp((a) => [f(a)], [x], [f64Of(x.shape, 2)]);
  });

  test("shape errors", () => {
    const u = <R>(f: (...a: never[]) => R) => f as unknown as (...a: unknown[]) => R;
    expectThrown(() => u(maxPool1d)(tensor([[1, 2]]), 2), ShapeError, /^maxPool1d: x must be \[N, L, C\], got \[1, 2\]$/);
    expectThrown(() => u(avgPool1d)(tensor([0, 0, 0]).reshape([1, 3, 1]), 4), ShapeError, /^avgPool1d: kernel 4 is larger than padded input 3/);
  });
});

describe("global pooling", () => {
  test("the maximum and mean over every spatial dim", () => {
    const x = f64Of([2, 3, 4, 5], 4);
    const vs = valuesOf(x);
    const at = (n: number, c: number) => Array.from({ length: 12 }, (_, p) => vs[(n * 12 + p) * 5 + c]);
    const maxRef = [0, 1].flatMap((n) => [0, 1, 2, 3, 4].map((c) => Math.max(...at(n, c))));
    const avgRef = [0, 1].flatMap((n) => [0, 1, 2, 3, 4].map((c) => at(n, c).reduce((a, b) => a + b) / 12));
    expect(globalMaxPool(x as Tensor<[2, 3, 4, 5], "float64">).shape).toEqual([2, 5]);
    expect(valuesOf(globalMaxPool(x as Tensor<[2, 3, 4, 5], "float64">) as AnyTensor)).toEqual(maxRef);
    valuesOf(globalAvgPool(x as Tensor<[2, 3, 4, 5], "float64">) as AnyTensor).forEach((v, i) => expect(v).toBeCloseTo(avgRef[i], 13));
    expect(globalAvgPool(tensor([[[1, 2], [3, 5]]], "int32")).toArray()).toEqual([[2, 3.5]]);
  });

  test("gradients: ties share evenly; the mean spreads 1/size", () => {
    const x = tensor([[[2], [7], [7]]]); // [1, 3, 1]
    expect(grad((a: Tensor<[1, 3, 1]>) => globalMaxPool(a).sum())(x).toArray()).toEqual([[[0], [0.5], [0.5]]]);
    const third = Math.fround(1 / 3);
    expect(grad((a: Tensor<[1, 3, 1]>) => globalAvgPool(a).sum())(x).toArray()).toEqual([[[third], [third], [third]]]);
  });

  test("x without a spatial dim is a ShapeError", () => {
    const u = <R>(f: (...a: never[]) => R) => f as unknown as (...a: unknown[]) => R;
    expectThrown(() => u(globalMaxPool)(tensor([[1, 2]])), ShapeError, /^globalMaxPool: x must be \[N, \.\.\.spatial, C\] with at least one spatial dim, got \[1, 2\]$/);
  });
});

describe("reduceWindow", () => {
  test("sum and max over every dim, with strides and padding", () => {
    const x = f64Of([2, 5, 3], 6);
    const y = reduceWindow(x as Tensor<[2, 5, 3], "float64">, "max", [2, 2, 1], { strides: [1, 2, 1], padding: [[0, 0], [1, 0], [0, 0]] });
    expect(y.shape).toEqual([1, 3, 3]);
    const vs = valuesOf(x);
    const get = (a: number, b: number, c: number) => (b < 0 ? -Infinity : vs[(a * 5 + b) * 3 + c]);
    const ref: number[] = [];
    for (let b = 0; b < 3; b++) for (let c = 0; c < 3; c++) ref.push(Math.max(get(0, 2 * b - 1, c), get(0, 2 * b, c), get(1, 2 * b - 1, c), get(1, 2 * b, c)));
    expect(valuesOf(y as AnyTensor)).toEqual(ref);
    const s = reduceWindow(tensor([1, 2, 3, 4, 5]), "sum", [3], { padding: "same" });
    expect(s.toArray()).toEqual([3, 6, 9, 12, 9]);
  });

  test("bad arguments", () => {
    const u = <R>(f: (...a: never[]) => R) => f as unknown as (...a: unknown[]) => R;
    expectThrown(() => u(reduceWindow)(tensor([1, 2]), "min", [1]), TypeError, /^reduceWindow: op must be "sum" or "max", got "min"$/);
    expectThrown(() => u(reduceWindow)(tensor([1, 2]), "max", [3]), ShapeError, /^reduceWindow: kernel 3 is larger than padded input 2/);
    expectThrown(() => u(reduceWindow)(tensor([1, 2]), "max", [1, 1]), ShapeError, /^reduceWindow: kernel \[1, 1\] has 2 spatial dims but the input has 1$/);
  });
});
