/**
 * @file Differential fuzzing of the three convolutions (`conv2d` and its two backprops): random
 * geometries (batch, odd spatial sizes, kernels 1–4 with strides and asymmetric padding, channel
 * counts from 1 to past a SIMD vector) from a few multiply-adds to past the thresholds where a
 * convolution goes to the WebAssembly SIMD product (16,384) and to the worker pool (2^22), on the
 * JS backend, the WebAssembly backend (eagerly and jitted) and against a float64 reference written
 * here as plain loops.
 */
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import type { ConvWindow } from "../../src/core/primitive.js";
import { jit, setBackend, setKernelThreads } from "../../src/index.js";
import { wasmAvailable } from "../../src/backend/wasm/probe.js";
import { kernelRuntime } from "../../src/backend/wasm/runtime.js";
import { assertAllclose } from "../helpers/allclose.js";
import { uniformFloat32 } from "../helpers/random-shapes.js";

type T = AnyTensor;

interface Geometry {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly o: number;
  readonly kh: number;
  readonly kw: number;
  readonly oh: number;
  readonly ow: number;
  readonly window: ConvWindow;
}

const geometry: fc.Arbitrary<Geometry> = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }),
    h: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constantFrom(17, 31, 40)),
    w: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constantFrom(15, 33, 40)),
    c: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom(8, 17, 32)),
    o: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom(9, 16, 33)),
    kh: fc.integer({ min: 1, max: 4 }),
    kw: fc.integer({ min: 1, max: 4 }),
    sh: fc.integer({ min: 1, max: 3 }),
    sw: fc.integer({ min: 1, max: 3 }),
    pads: fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)),
  })
  .map(({ n, h, w, c, o, kh, kw, sh, sw, pads: [t, b, l, r] }) => {
    // the padded input must hold one window
    const hh = Math.max(h, kh - t - b);
    const ww = Math.max(w, kw - l - r);
    const oh = Math.floor((hh + t + b - kh) / sh) + 1;
    const ow = Math.floor((ww + l + r - kw) / sw) + 1;
    const window: ConvWindow = { strides: [sh, sw], padding: [[t, b], [l, r]] };
    return { n, h: hh, w: ww, c, o, kh, kw, oh, ow, window };
  });

/** Multiply-adds of the forward convolution (each backprop does as many). */
const workOf = (g: Geometry): number => g.n * g.oh * g.ow * g.o * g.kh * g.kw * g.c;

/**
 * Calls `tap(xAt, wAt, outAt)` for every multiply-add of the convolution: flat offsets into x
 * [n, h, w, c], the filter [kh, kw, c, o] and the output [n, oh, ow, o]; padded taps are skipped.
 */
function forEachTap(g: Geometry, tap: (xAt: number, wAt: number, outAt: number) => void): void {
  const [[top], [left]] = g.window.padding;
  const [sh, sw] = g.window.strides;
  for (let b = 0; b < g.n; b++)
    for (let p = 0; p < g.oh; p++)
      for (let q = 0; q < g.ow; q++)
        for (let i = 0; i < g.kh; i++) {
          const y = p * sh + i - top;
          if (y < 0 || y >= g.h) continue;
          for (let j = 0; j < g.kw; j++) {
            const x = q * sw + j - left;
            if (x < 0 || x >= g.w) continue;
            for (let e = 0; e < g.c; e++) {
              const xAt = ((b * g.h + y) * g.w + x) * g.c + e;
              for (let f = 0; f < g.o; f++) tap(xAt, ((i * g.kw + j) * g.c + e) * g.o + f, ((b * g.oh + p) * g.ow + q) * g.o + f);
            }
          }
        }
}

/** The three convolutions in float64 of float32 operands: out = x ⋆ w, dx from ct and w, dw from x and ct. */
function reference(g: Geometry, x: Float32Array, w: Float32Array, ct: Float32Array): { out: Float64Array; dx: Float64Array; dw: Float64Array } {
  const out = new Float64Array(g.n * g.oh * g.ow * g.o);
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  forEachTap(g, (xAt, wAt, outAt) => {
    out[outAt] += x[xAt] * w[wAt];
    dx[xAt] += ct[outAt] * w[wAt];
    dw[wAt] += x[xAt] * ct[outAt];
  });
  return { out, dx, dw };
}

const f64 = (values: Float64Array, shape: number[]): T => ops.fromValues(values, shape, "float64");

/** A geometry written out (for the examples every run includes). */
function geometryOf(n: number, h: number, w: number, c: number, o: number, kh: number, kw: number, window: ConvWindow): Geometry {
  const [[t, b], [l, r]] = window.padding;
  const oh = Math.floor((h + t + b - kh) / window.strides[0]) + 1;
  const ow = Math.floor((w + l + r - kw) / window.strides[1]) + 1;
  return { n, h, w, c, o, kh, kw, oh, ow, window };
}

/** Past the thread threshold whatever the draws: odd sizes, strides and padding (~28M and ~5M multiply-adds). */
const LARGE: [Geometry, number][] = [
  [geometryOf(2, 40, 39, 17, 33, 3, 3, { strides: [1, 1], padding: [[1, 1], [0, 1]] }), 11],
  [geometryOf(3, 33, 31, 32, 16, 4, 2, { strides: [2, 1], padding: [[2, 0], [1, 1]] }), 12],
];

describe("convolutions on both backends agree with float64", () => {
  beforeAll(async () => {
    setKernelThreads(4);
    if (wasmAvailable()) await kernelRuntime().ready();
  });
  afterEach(() => setBackend("auto"));
  afterAll(() => setKernelThreads(undefined));

  test("conv2d, conv2dBackpropInput and conv2dBackpropFilter over random geometries", () => {
    const seen = { simd: 0, parallel: 0 };
    const sharedBefore = wasmAvailable() ? kernelRuntime().sharedJobs : 0;
    fc.assert(
      fc.property(geometry, fc.nat(1000), (g, seed) => {
        const xs = uniformFloat32(g.n * g.h * g.w * g.c, seed);
        const ws = uniformFloat32(g.kh * g.kw * g.c * g.o, seed + 1);
        const cts = uniformFloat32(g.n * g.oh * g.ow * g.o, seed + 2);
        const x = ops.fromValues(xs, [g.n, g.h, g.w, g.c], "float32");
        const w = ops.fromValues(ws, [g.kh, g.kw, g.c, g.o], "float32");
        const ct = ops.fromValues(cts, [g.n, g.oh, g.ow, g.o], "float32");
        const ref = reference(g, Float32Array.from(xs), Float32Array.from(ws), Float32Array.from(cts));
        const expected = {
          out: f64(ref.out, [g.n, g.oh, g.ow, g.o]),
          dx: f64(ref.dx, [g.n, g.h, g.w, g.c]),
          dw: f64(ref.dw, [g.kh, g.kw, g.c, g.o]),
        };
        const work = workOf(g);
        if (work >= 16384) seen.simd++;
        if (work >= 2 ** 22) seen.parallel++;
        const runs = {
          out: (a: T, b: T) => ops.conv2d(a, b, g.window),
          dx: (a: T, b: T) => ops.conv2dBackpropInput(a, b, { ...g.window, inputSize: [g.h, g.w] }),
          dw: (a: T, b: T) => ops.conv2dBackpropFilter(a, b, { ...g.window, kernelSize: [g.kh, g.kw] }),
        };
        const operands = { out: [x, w], dx: [ct, w], dw: [x, ct] } as const;
        // sums of up to kh·kw·c (forward, dx) or n·oh·ow (dw) float32 products
        const terms = { out: g.kh * g.kw * g.c, dx: g.kh * g.kw * g.o, dw: g.n * g.oh * g.ow };
        const shape = `n${g.n} ${g.h}×${g.w}×${g.c} → ${g.oh}×${g.ow}×${g.o}, kernel ${g.kh}×${g.kw}, ${JSON.stringify(g.window)}`;
        for (const which of ["out", "dx", "dw"] as const) {
          const [a, b] = operands[which];
          const tol = { rtol: 1e-4, atol: 2e-6 * terms[which] };
          setBackend("js");
          assertAllclose(runs[which](a, b), expected[which], tol, `JS ${which} (${shape})`);
          if (wasmAvailable()) {
            setBackend("wasm");
            assertAllclose(runs[which](a, b), expected[which], tol, `wasm ${which} (${shape})`);
            assertAllclose(jit(runs[which])(a, b), expected[which], tol, `jitted wasm ${which} (${shape})`);
          }
        }
      }),
      { numRuns: 30, seed: 20261206, examples: LARGE },
    );
    // the draws reach the SIMD product and the thread threshold
    expect(seen.simd).toBeGreaterThan(5);
    expect(seen.parallel).toBeGreaterThan(0);
    if (wasmAvailable() && (kernelRuntime().pool?.ready ?? 0) > 0) expect(kernelRuntime().sharedJobs).toBeGreaterThan(sharedBefore);
  });
});
