/**
 * @file Edge cases of the 2-d convolution primitives (`conv2d`, `conv2dBackpropInput`,
 * `conv2dBackpropFilter`) beyond the generic harness: shape-rule errors, values against naive
 * float64 loops on shapes large enough for every kernel path (the WebAssembly matmul, strips with
 * garbage rows, the 1×1 shortcut, the fallback for non-finite inputs), the transposition identities
 * on such shapes, and the jaxpr of a gradient.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { DType } from "../../src/dtype.js";
import { ShapedArray } from "../../src/core/aval.js";
import { DTypeError } from "../../src/core/errors.js";
import { makeJaxprFlat } from "../../src/core/make-jaxpr.js";
import * as ops from "../../src/core/ops.js";
import type { ConvWindow } from "../../src/core/primitive.js";
import { ShapeError } from "../../src/shape/errors.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { vmapFlat } from "../../src/transforms/vmap.js";
import { assertAllclose, type Tol } from "../helpers/allclose.js";
import { Rng, SEED, drawValues } from "../helpers/random-shapes.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

/** Sizes of one convolution: input `[n, h, w, c]`, filter `[kh, kw, c, o]`. */
interface Geo {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly o: number;
  readonly k: readonly [number, number];
  readonly s: readonly [number, number];
  readonly pad: readonly [readonly [number, number], readonly [number, number]];
}

const windowOf = (g: Geo): ConvWindow => ({ strides: g.s, padding: g.pad });

function outSize(g: Geo): [number, number] {
  return [0, 1].map((d) => Math.floor(([g.h, g.w][d] + g.pad[d][0] + g.pad[d][1] - g.k[d]) / g.s[d]) + 1) as [number, number];
}

// ---- naive float64 loops ----

/** Calls `body(xIndex, wIndex, yIndex)` for every tap inside the image (flat row-major indices). */
function forEachTap(g: Geo, body: (xi: number, wi: number, yi: number) => void): void {
  const [oh, ow] = outSize(g);
  for (let b = 0; b < g.n; b++)
    for (let p = 0; p < oh; p++)
      for (let q = 0; q < ow; q++)
        for (let i = 0; i < g.k[0]; i++)
          for (let j = 0; j < g.k[1]; j++) {
            const y = p * g.s[0] + i - g.pad[0][0];
            const x = q * g.s[1] + j - g.pad[1][0];
            if (y < 0 || y >= g.h || x < 0 || x >= g.w) continue;
            for (let c = 0; c < g.c; c++)
              for (let o = 0; o < g.o; o++) {
                body(((b * g.h + y) * g.w + x) * g.c + c, ((i * g.k[1] + j) * g.c + c) * g.o + o, ((b * oh + p) * ow + q) * g.o + o);
              }
          }
}

function naiveConv(g: Geo, x: number[], w: number[]): number[] {
  const [oh, ow] = outSize(g);
  const y = new Array<number>(g.n * oh * ow * g.o).fill(0);
  forEachTap(g, (xi, wi, yi) => (y[yi] += x[xi] * w[wi]));
  return y;
}

function naiveBackpropInput(g: Geo, ct: number[], w: number[]): number[] {
  const dx = new Array<number>(g.n * g.h * g.w * g.c).fill(0);
  forEachTap(g, (xi, wi, yi) => (dx[xi] += ct[yi] * w[wi]));
  return dx;
}

function naiveBackpropFilter(g: Geo, x: number[], ct: number[]): number[] {
  const dw = new Array<number>(g.k[0] * g.k[1] * g.c * g.o).fill(0);
  forEachTap(g, (xi, wi, yi) => (dw[wi] += x[xi] * ct[yi]));
  return dw;
}

// ---- checking ----

const shapes = (g: Geo) => {
  const [oh, ow] = outSize(g);
  return { x: [g.n, g.h, g.w, g.c], w: [g.k[0], g.k[1], g.c, g.o], y: [g.n, oh, ow, g.o] };
};

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Values rounded to `dtype`, so the float64 loops see exactly what the kernel sees. */
function draw(rng: Rng, shape: readonly number[], dtype: DType): number[] {
  const v = drawValues(rng, size(shape), "real");
  return dtype === "float32" ? v.map(Math.fround) : v;
}

function tolFor(dtype: DType, expected: readonly number[]): Tol {
  if (dtype === "float64") return { rtol: 1e-12, atol: 1e-12 };
  const scale = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
  return { rtol: 1e-4, atol: 1e-4 * scale };
}

/** All three primitives of geometry `g` in `dtype` against the naive loops. */
function checkAll(g: Geo, dtype: DType, seed: number): void {
  const rng = new Rng(seed);
  const sh = shapes(g);
  const x = draw(rng, sh.x, dtype);
  const w = draw(rng, sh.w, dtype);
  const ct = draw(rng, sh.y, dtype);
  const window = windowOf(g);
  const y = ops.conv2d(tensor(x, sh.x, dtype), tensor(w, sh.w, dtype), window);
  expect(y.shape).toEqual(sh.y);
  const yRef = naiveConv(g, x, w);
  assertAllclose(y, yRef, tolFor(dtype, yRef), "conv2d");
  const dx = ops.conv2dBackpropInput(tensor(ct, sh.y, dtype), tensor(w, sh.w, dtype), { ...window, inputSize: [g.h, g.w] });
  expect(dx.shape).toEqual(sh.x);
  const dxRef = naiveBackpropInput(g, ct, w);
  assertAllclose(dx, dxRef, tolFor(dtype, dxRef), "conv2dBackpropInput");
  const dw = ops.conv2dBackpropFilter(tensor(x, sh.x, dtype), tensor(ct, sh.y, dtype), { ...window, kernelSize: g.k });
  expect(dw.shape).toEqual(sh.w);
  const dwRef = naiveBackpropFilter(g, x, ct);
  assertAllclose(dw, dwRef, tolFor(dtype, dwRef), "conv2dBackpropFilter");
}

const geo = (n: number, h: number, w: number, c: number, o: number, k: number | [number, number], s: number | [number, number] = 1, pad = [[0, 0], [0, 0]] as Geo["pad"]): Geo => ({
  n, h, w, c, o,
  k: typeof k === "number" ? [k, k] : k,
  s: typeof s === "number" ? [s, s] : s,
  pad,
});

const NAMED: readonly [string, Geo][] = [
  ["3×3 same, stride 1", geo(2, 7, 6, 3, 4, 3, 1, [[1, 1], [1, 1]])],
  ["3×3 valid, stride 2", geo(2, 9, 8, 2, 3, 3, 2)],
  ["asymmetric padding and stride", geo(1, 6, 7, 2, 3, [2, 3], [2, 1], [[0, 2], [1, 0]])],
  ["1×1 kernel (the input is the patch matrix)", geo(3, 4, 5, 6, 2, 1)],
  ["1×1 kernel with stride 2 and padding", geo(1, 5, 5, 2, 3, 1, 2, [[1, 0], [0, 1]])],
  ["C = 1 (as the first layer of W5)", geo(3, 8, 8, 1, 5, 3, 1, [[1, 1], [1, 1]])],
  ["kernel as large as the padded input: one output position", geo(2, 3, 2, 2, 2, [5, 4], 1, [[1, 1], [1, 1]])],
  ["stride larger than the kernel (skipped pixels)", geo(1, 9, 9, 2, 2, 2, 3)],
  ["1×N and N×1 images", geo(2, 1, 9, 2, 3, [1, 3], 1, [[0, 0], [1, 1]])],
  ["zero batch", geo(0, 4, 4, 2, 3, 3)],
  ["zero input channels (sums are empty: zeros)", geo(2, 4, 4, 0, 3, 3)],
  ["zero output channels", geo(2, 4, 4, 2, 0, 3)],
  ["zero-size image, all padding", geo(1, 0, 3, 2, 2, 2, 1, [[1, 1], [0, 0]])],
  // Large enough for the WebAssembly matmul (float32) and for strips with garbage rows.
  ["W5's second layer, one example", geo(1, 28, 28, 16, 32, 3, 1, [[1, 1], [1, 1]])],
  ["large, stride 2, same padding", geo(3, 17, 15, 5, 9, 3, 2, [[0, 1], [1, 1]])],
  ["large, 5×5 valid", geo(2, 20, 18, 4, 12, 5)],
  // One input channel, large enough for the first layer's own filter-gradient path (tap rows).
  ["C = 1, large, same padding", geo(4, 20, 18, 1, 8, 3, 1, [[1, 1], [1, 1]])],
  ["C = 1, large, strides and asymmetric padding", geo(3, 23, 17, 1, 16, [3, 5], [2, 3], [[2, 0], [1, 3]])],
  ["C = 1, large, 5×5 valid", geo(2, 30, 26, 1, 12, 5)],
  // enough tap rows (9 · 96 · 28 · 28 floats) for their building to be shared with the workers
  ["C = 1, 96 images of 28×28", geo(96, 28, 28, 1, 8, 3, 1, [[1, 1], [1, 1]])],
];

describe("values against naive float64 loops", () => {
  for (const dtype of ["float64", "float32"] as const) {
    test.each(NAMED)(`%s (${dtype})`, (_, g) => checkAll(g, dtype, 17));
  }

  test("random geometries, both dtypes, sizes up to what the SIMD kernel takes", () => {
    const dim = (max: number) => fc.integer({ min: 1, max });
    const arb = fc
      .record({
        n: fc.integer({ min: 0, max: 3 }),
        h: dim(14),
        w: dim(14),
        c: fc.constantFrom(1, 2, 3, 8),
        o: fc.constantFrom(1, 4, 9, 16),
        k: fc.tuple(dim(4), dim(4)),
        s: fc.tuple(dim(3), dim(3)),
        pad: fc.tuple(fc.tuple(dim(3), dim(3)), fc.tuple(dim(3), dim(3))).map(([a, b]) => [[a[0] - 1, a[1] - 1], [b[0] - 1, b[1] - 1]] as const),
        dtype: fc.constantFrom<DType>("float64", "float32"),
        seed: fc.integer({ min: 0, max: 1000 }),
      })
      .map((r) => ({ ...r, h: Math.max(r.h, r.k[0] - r.pad[0][0] - r.pad[0][1]), w: Math.max(r.w, r.k[1] - r.pad[1][0] - r.pad[1][1]) }));
    fc.assert(
      fc.property(arb, (r) => checkAll(r, r.dtype, r.seed)),
      { seed: SEED, numRuns: 60 },
    );
  });

  test("non-finite inputs: padded taps of conv2d and its filter gradient count as 0 · value (NaN against ∞), on every kernel path", () => {
    for (const dtype of ["float64", "float32"] as const) {
      for (const g of [geo(1, 14, 14, 8, 16, 3, 1, [[1, 1], [1, 1]]), geo(1, 5, 6, 2, 3, 3, 1, [[1, 1], [1, 1]]), geo(1, 28, 28, 1, 16, 3, 1, [[1, 1], [1, 1]])]) {
        const rng = new Rng(5);
        const sh = shapes(g);
        const x = draw(rng, sh.x, dtype);
        const w = draw(rng, sh.w, dtype);
        const ct = draw(rng, sh.y, dtype);
        x[3] = Infinity;
        x[x.length - 7] = NaN;
        w[2] = -Infinity;
        ct[ct.length - 1] = Infinity;
        const window = windowOf(g);
        const y = ops.conv2d(tensor(x, sh.x, dtype), tensor(w, sh.w, dtype), window);
        const yRef = naiveConvPadded(g, x, w);
        assertAllclose(y, yRef, tolFor(dtype, yRef.filter(Number.isFinite)), `conv2d ${dtype}`);
        // The input gradient sums over real taps only: a window's overhang adds nothing, even against ∞.
        const dx = ops.conv2dBackpropInput(tensor(ct, sh.y, dtype), tensor(w, sh.w, dtype), { ...window, inputSize: [g.h, g.w] });
        const dxRef = naiveBackpropInput(g, ct, w);
        assertAllclose(dx, dxRef, tolFor(dtype, dxRef.filter(Number.isFinite)), `conv2dBackpropInput ${dtype}`);
        const dw = ops.conv2dBackpropFilter(tensor(x, sh.x, dtype), tensor(ct, sh.y, dtype), { ...window, kernelSize: g.k });
        const dwRef = naiveFilterPadded(g, x, ct);
        assertAllclose(dw, dwRef, tolFor(dtype, dwRef.filter(Number.isFinite)), `conv2dBackpropFilter ${dtype}`);
      }
    }
  });
});

/** `naiveConv` with padded taps taking part as `0 · w` (what differs from skipping them only for ±∞ and NaN). */
function naiveConvPadded(g: Geo, x: number[], w: number[]): number[] {
  const y = naiveConv(g, x, w);
  forEachPaddedTap(g, (wi, yi) => (y[yi] += 0 * w[wi]));
  return y;
}

function naiveFilterPadded(g: Geo, x: number[], ct: number[]): number[] {
  const dw = naiveBackpropFilter(g, x, ct);
  forEachPaddedTap(g, (wi, yi) => (dw[wi] += 0 * ct[yi]));
  return dw;
}

/** Calls `body(wIndex, yIndex)` for every tap that falls in the padding. */
function forEachPaddedTap(g: Geo, body: (wi: number, yi: number) => void): void {
  const [oh, ow] = outSize(g);
  for (let b = 0; b < g.n; b++)
    for (let p = 0; p < oh; p++)
      for (let q = 0; q < ow; q++)
        for (let i = 0; i < g.k[0]; i++)
          for (let j = 0; j < g.k[1]; j++) {
            const y = p * g.s[0] + i - g.pad[0][0];
            const x = q * g.s[1] + j - g.pad[1][0];
            if (!(y < 0 || y >= g.h || x < 0 || x >= g.w)) continue;
            for (let c = 0; c < g.c; c++) for (let o = 0; o < g.o; o++) body(((i * g.k[1] + j) * g.c + c) * g.o + o, ((b * oh + p) * ow + q) * g.o + o);
          }
}

describe("transposition on large shapes (the SIMD path)", () => {
  test("⟨ct, conv2d(x, w)⟩ = ⟨x̄, x⟩ = ⟨w̄, w⟩ with the cotangents from vjp", () => {
    const g = geo(2, 13, 11, 6, 10, 3, 2, [[1, 1], [0, 1]]);
    const rng = new Rng(9);
    const sh = shapes(g);
    const x = tensor(draw(rng, sh.x, "float32"), sh.x, "float32");
    const w = tensor(draw(rng, sh.w, "float32"), sh.w, "float32");
    const ct = tensor(draw(rng, sh.y, "float32"), sh.y, "float32");
    const [[y], pullback] = vjpFlat((a, b) => [ops.conv2d(a, b, windowOf(g))], [x, w]);
    const [xBar, wBar] = pullback([ct]);
    const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
    const lhs = dot(valuesOf(ct), valuesOf(y));
    expect(dot(valuesOf(xBar!), valuesOf(x))).toBeCloseTo(lhs, 1);
    expect(dot(valuesOf(wBar!), valuesOf(w))).toBeCloseTo(lhs, 1);
  });
});

describe("shape rules", () => {
  const av = (shape: number[], dtype: DType = "float64") => tensor(new Array<number>(size(shape)).fill(0), shape, dtype);
  const same: ConvWindow = { strides: [1, 1], padding: [[1, 1], [1, 1]] };
  const valid: ConvWindow = { strides: [1, 1], padding: [[0, 0], [0, 0]] };

  test("output shapes, including stride 2 with asymmetric padding and a zero batch", () => {
    expect(ops.conv2d(av([2, 28, 28, 1]), av([3, 3, 1, 16]), same).shape).toEqual([2, 28, 28, 16]);
    expect(ops.conv2d(av([1, 7, 8, 2]), av([3, 2, 2, 5]), { strides: [2, 3], padding: [[0, 1], [2, 0]] }).shape).toEqual([1, 3, 3, 5]);
    expect(ops.conv2d(av([0, 5, 5, 2]), av([5, 5, 2, 1]), valid).shape).toEqual([0, 1, 1, 1]);
    expect(ops.conv2dBackpropInput(av([1, 3, 3, 5]), av([3, 2, 2, 5]), { strides: [2, 3], padding: [[0, 1], [2, 0]], inputSize: [7, 8] }).shape).toEqual([1, 7, 8, 2]);
    // With strides 2 and 3, inputs of 6 or 7 rows and of 7 or 8 columns give 3 × 3 outputs: the input size is a param, not inferred.
    expect(ops.conv2dBackpropInput(av([1, 3, 3, 5]), av([3, 2, 2, 5]), { strides: [2, 3], padding: [[0, 1], [2, 0]], inputSize: [6, 7] }).shape).toEqual([1, 6, 7, 2]);
    expect(ops.conv2dBackpropFilter(av([1, 7, 8, 2]), av([1, 3, 3, 5]), { strides: [2, 3], padding: [[0, 1], [2, 0]], kernelSize: [3, 2] }).shape).toEqual([3, 2, 2, 5]);
  });

  test("conv2d errors name both operands", () => {
    const conv = (x: number[], w: number[], window = valid) => () => ops.conv2d(av(x), av(w), window);
    expect(conv([5, 5, 3], [3, 3, 3, 4])).toThrow(new ShapeError("conv2d: x must have rank 4 [N, H, W, C], got rank 3 (x is [5, 5, 3], w is [3, 3, 3, 4])"));
    expect(conv([1, 5, 5, 3], [3, 3, 3])).toThrow(new ShapeError("conv2d: w must have rank 4 [kh, kw, C, O], got rank 3 (x is [1, 5, 5, 3], w is [3, 3, 3])"));
    expect(conv([1, 5, 5, 3], [3, 3, 2, 4])).toThrow(new ShapeError("conv2d: input channels differ: 3 vs 2 (x is [1, 5, 5, 3], w is [3, 3, 2, 4])"));
    expect(conv([1, 4, 4, 3], [5, 5, 3, 8])).toThrow(
      new ShapeError("conv2d: kernel 5 is larger than padded input 4 (input 4, padding 0+0) (x is [1, 4, 4, 3], w is [5, 5, 3, 8])"),
    );
    expect(conv([1, 4, 4, 3], [0, 1, 3, 8])).toThrow(new ShapeError("conv2d: kernel size must be integers ≥ 1, got [0, 1] (x is [1, 4, 4, 3], w is [0, 1, 3, 8])"));
    expect(conv([1, 5, 5, 3], [3, 3, 3, 4], { strides: [0, 1], padding: [[0, 0], [0, 0]] })).toThrow(
      new ShapeError("conv2d: strides must be 2 integers ≥ 1, got [0,1] (x is [1, 5, 5, 3], w is [3, 3, 3, 4])"),
    );
    expect(conv([1, 5, 5, 3], [3, 3, 3, 4], { strides: [1, 1], padding: [[-1, 0], [0, 0]] })).toThrow(
      new ShapeError("conv2d: padding must be [[lo, hi], [lo, hi]] of integers ≥ 0, got [[-1,0],[0,0]] (x is [1, 5, 5, 3], w is [3, 3, 3, 4])"),
    );
    expect(conv([1, 5, 5, 3], [3, 3, 3, 4], { strides: [1.5, 1], padding: [[0, 0], [0, 0]] })).toThrow(/strides must be 2 integers ≥ 1/);
    expect(() => ops.conv2d(av([1, 5, 5, 3], "float32"), av([3, 3, 3, 4]), valid)).toThrow(new DTypeError("conv2d: dtypes differ: float32 vs float64"));
    expect(() => ops.conv2d(av([1, 5, 5, 3], "int32"), av([3, 3, 3, 4], "int32"), valid)).toThrow(new DTypeError("conv2d: expected float operands, got int32"));
  });

  test("conv2dBackpropInput errors", () => {
    const bpi = (ct: number[], w: number[], inputSize: readonly [number, number], window = valid) => () =>
      ops.conv2dBackpropInput(av(ct), av(w), { ...window, inputSize });
    expect(bpi([1, 3, 3, 4], [3, 3, 2, 5], [5, 5])).toThrow(new ShapeError("conv2dBackpropInput: output channels differ: 4 vs 5 (ct is [1, 3, 3, 4], w is [3, 3, 2, 5])"));
    expect(bpi([1, 3, 4, 4], [3, 3, 2, 4], [5, 5])).toThrow(
      new ShapeError("conv2dBackpropInput: ct's spatial dims [3, 4] are not conv2d's output [3, 3] for input [5, 5] (ct is [1, 3, 4, 4], w is [3, 3, 2, 4])"),
    );
    expect(bpi([1, 3, 3, 4], [3, 3, 2, 4], [-5, 5])).toThrow(/conv2dBackpropInput: inputSize must be 2 integers ≥ 0, got \[-5,5\]/);
    expect(bpi([1, 3, 3, 4], [3, 3, 2, 4], [2, 2])).toThrow(/conv2dBackpropInput: kernel 3 is larger than padded input 2/);
  });

  test("conv2dBackpropFilter errors", () => {
    const bpf = (x: number[], ct: number[], kernelSize: readonly [number, number], window = valid) => () =>
      ops.conv2dBackpropFilter(av(x), av(ct), { ...window, kernelSize });
    expect(bpf([2, 5, 5, 2], [1, 3, 3, 4], [3, 3])).toThrow(new ShapeError("conv2dBackpropFilter: batch sizes differ: 2 vs 1 (x is [2, 5, 5, 2], ct is [1, 3, 3, 4])"));
    expect(bpf([1, 5, 5, 2], [1, 3, 3, 4], [2, 3])).toThrow(
      new ShapeError("conv2dBackpropFilter: ct's spatial dims [3, 3] are not conv2d's output [4, 3] for kernel [2, 3] (x is [1, 5, 5, 2], ct is [1, 3, 3, 4])"),
    );
    expect(bpf([1, 5, 5, 2], [1, 3, 3, 4], [0, 3])).toThrow(/conv2dBackpropFilter: kernel size must be integers ≥ 1, got \[0, 3\]/);
    expect(bpf([1, 5, 5, 2], [1, 3, 3], [3, 3])).toThrow(/ct must have rank 4 \[N, H', W', O\], got rank 3/);
  });

  test("an error under vmap names the per-example shapes", () => {
    const f = () => vmapFlat((a) => [ops.conv2d(a, av([3, 3, 2, 4]), valid)], [0], [av([2, 1, 5, 5, 3])]);
    expect(f).toThrow(new ShapeError("conv2d: input channels differ: 3 vs 2 (x is [1, 5, 5, 3], w is [3, 3, 2, 4])"));
  });
});

describe("derivatives", () => {
  test("the gradient of a conv loss uses the two companion primitives, and they transpose back to conv2d", () => {
    const window: ConvWindow = { strides: [2, 1], padding: [[1, 0], [0, 1]] };
    const f = (x: ops.AnyTensor, w: ops.AnyTensor) => {
      const y = ops.conv2d(x, w, window);
      return [ops.reduceSum(ops.mul(y, y), [0, 1, 2, 3])];
    };
    const x = tensor(drawValues(new Rng(1), 2 * 5 * 4 * 3, "real"), [2, 5, 4, 3]);
    const w = tensor(drawValues(new Rng(2), 2 * 2 * 3 * 2, "real"), [2, 2, 3, 2]);
    const closed = makeJaxprFlat(
      (a, b) => {
        const [, pullback] = vjpFlat(f, [a, b]);
        return pullback([tensor([1], [])]) as ops.AnyTensor[];
      },
      [new ShapedArray(x.shape, "float64"), new ShapedArray(w.shape, "float64")],
    );
    const prims = closed.jaxpr.eqns.map((e) => e.prim);
    expect(prims).toContain("conv2dBackpropInput");
    expect(prims).toContain("conv2dBackpropFilter");
    expect(String(closed.jaxpr)).toContain("conv2dBackpropInput[strides=[2,1], padding=[[1,0],[0,1]], inputSize=[5,4]]");
    // Second order: the transposes of the companions bring conv2d back.
    const [, pull2] = vjpFlat((a, b) => vjpFlat(f, [a, b])[1]([tensor([1], [])]) as ops.AnyTensor[], [x, w]);
    const bars = pull2([x, w]);
    expect(bars.every((b) => b !== null && b.shape.length === 4)).toBe(true);
  });
});

describe("batching", () => {
  const window: ConvWindow = { strides: [1, 2], padding: [[1, 1], [0, 1]] };
  const rng = new Rng(3);
  const rand = (shape: number[]) => tensor(drawValues(rng, size(shape), "real"), shape);

  test("per-example filter gradients (vmap of grad: both operands of the filter gradient batched) match a loop", () => {
    const w = rand([3, 2, 2, 3]);
    const xs = rand([3, 1, 5, 4, 2]);
    const gradW = (x: ops.AnyTensor): ops.AnyTensor => {
      const [, pullback] = vjpFlat((k) => {
        const y = ops.conv2d(x, k, window);
        return [ops.reduceSum(ops.mul(y, y), [0, 1, 2, 3])];
      }, [w]);
      return pullback([tensor([1], [])])[0]!;
    };
    const [batched] = vmapFlat((x) => [gradW(x)], [0], [xs]);
    expect(batched.shape).toEqual([3, 3, 2, 2, 3]);
    const looped = [0, 1, 2].flatMap((b) => valuesOf(gradW(ops.reshape(ops.slice(xs, [b, 0, 0, 0, 0], [b + 1, 1, 5, 4, 2]), [1, 5, 4, 2]))));
    assertAllclose(batched, looped, { rtol: 1e-12, atol: 1e-12 });
  });

  test("a batch of filters folds into the output channels; an empty batch of both gives an empty result", () => {
    const x = rand([2, 5, 4, 2]);
    const ws = rand([3, 3, 2, 2, 4]);
    const [y] = vmapFlat((k) => [ops.conv2d(x, k, window)], [0], [ws]);
    const looped = [0, 1, 2].flatMap((b) => valuesOf(ops.conv2d(x, ops.reshape(ops.slice(ws, [b, 0, 0, 0, 0], [b + 1, 3, 2, 2, 4]), [3, 2, 2, 4]), window)));
    assertAllclose(y, looped, { rtol: 1e-12, atol: 1e-12 });
    const [empty] = vmapFlat((a, k) => [ops.conv2d(a, k, window)], [0, 0], [rand([0, 2, 5, 4, 2]), rand([0, 3, 2, 2, 4])]);
    expect(empty.shape).toEqual([0, 2, 5, 2, 4]);
  });
});
