/**
 * @file Winograd F(2×2, 3×3) convolutions on WebAssembly (backend/wasm/winograd.ts): conv2d, its
 * input gradient and its filter gradient against float64 on random geometries (paddings from 0 to
 * 2 on each side, odd and even sizes, channel counts that are not multiples of the product's 8
 * columns), the same bits on one thread and shared, and non-finite operands, which must give the
 * direct kernel's result (Winograd returns null and the backend falls back).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ConcreteTensor } from "../../../src/core/concrete.js";
import { conv2dBackpropFilterKernel, conv2dBackpropInputKernel, conv2dKernel, type ConvGeometry } from "../../../src/backend/js/conv.js";
import { wasmBackend } from "../../../src/backend/wasm/backend.js";
import { wasmMatmul } from "../../../src/backend/wasm/matmul.js";
import { setKernelThreads } from "../../../src/backend/wasm/pool.js";
import { setConvAlgorithm } from "../../../src/index.js";
import { setWinogradLimits, winogradBackpropFilter, winogradBackpropInput, winogradConv2d } from "../../../src/backend/wasm/winograd.js";
import { SEED } from "../../helpers/random-shapes.js";

type Pads = readonly [readonly [number, number], readonly [number, number]];

function geometry(n: number, h: number, w: number, c: number, o: number, padding: Pads): ConvGeometry {
  return { n, h, w, c, kh: 3, kw: 3, o, oh: h + padding[0][0] + padding[0][1] - 2, ow: w + padding[1][0] + padding[1][1] - 2, strides: [1, 1], padding };
}

function uniform(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

const f32 = (data: Float32Array, shape: number[]) => ConcreteTensor.wrap(data, shape, "float32");
const f64 = (data: ArrayLike<number>, shape: number[]) => ConcreteTensor.wrap(Float64Array.from(data), shape, "float64");
const abs = (data: Float32Array) => Float64Array.from(data, Math.abs);

/**
 * |got − ref| ≤ 64·ε·max Σ|terms| (`bound`, the largest over the result): Winograd's transforms
 * add and subtract the inputs of a whole tile before the products, so an element's rounding
 * follows its tile's magnitudes, not its own sum's (a filter gradient over a 1×1 output is one
 * term per element, computed through cancelling sums).
 */
function expectWithin(got: ConcreteTensor | null, ref: ConcreteTensor, bound: ConcreteTensor, what: string): void {
  expect(got, `${what}: Winograd applies`).not.toBeNull();
  const g = got!.storage as Float32Array;
  const r = ref.storage as Float64Array;
  const b = bound.storage as Float64Array;
  expect(g.length).toBe(r.length);
  const scale = b.reduce((m, v) => Math.max(m, v), 0);
  let worst = 0;
  for (let i = 0; i < r.length; i++) worst = Math.max(worst, Math.abs(g[i] - r[i]));
  expect(worst, what).toBeLessThanOrEqual(64 * 2 ** -24 * scale);
}

interface Case {
  readonly g: ConvGeometry;
  readonly x: Float32Array;
  readonly w: Float32Array;
  readonly ct: Float32Array;
}

function drawCase(g: ConvGeometry, seed: number): Case {
  return { g, x: uniform(g.n * g.h * g.w * g.c, seed), w: uniform(9 * g.c * g.o, seed + 1), ct: uniform(g.n * g.oh * g.ow * g.o, seed + 2) };
}

function shapes(g: ConvGeometry) {
  return { x: [g.n, g.h, g.w, g.c], w: [3, 3, g.c, g.o], y: [g.n, g.oh, g.ow, g.o] };
}

/** All three against the float64 JS kernels. */
function checkAgainstFloat64({ g, x, w, ct }: Case): void {
  const sh = shapes(g);
  const label = JSON.stringify({ n: g.n, h: g.h, w: g.w, c: g.c, o: g.o, padding: g.padding });
  expectWithin(winogradConv2d(f32(x, sh.x), f32(w, sh.w), g), conv2dKernel(f64(x, sh.x), f64(w, sh.w), g, null), conv2dKernel(f64(abs(x), sh.x), f64(abs(w), sh.w), g, null), `conv2d ${label}`);
  expectWithin(
    winogradBackpropInput(f32(ct, sh.y), f32(w, sh.w), g),
    conv2dBackpropInputKernel(f64(ct, sh.y), f64(w, sh.w), g, null),
    conv2dBackpropInputKernel(f64(abs(ct), sh.y), f64(abs(w), sh.w), g, null),
    `conv2dBackpropInput ${label}`,
  );
  expectWithin(
    winogradBackpropFilter(f32(x, sh.x), f32(ct, sh.y), g),
    conv2dBackpropFilterKernel(f64(x, sh.x), f64(ct, sh.y), g, null),
    conv2dBackpropFilterKernel(f64(abs(x), sh.x), f64(abs(ct), sh.y), g, null),
    `conv2dBackpropFilter ${label}`,
  );
}

describe("Winograd F(2×2, 3×3) on WebAssembly", () => {
  beforeAll(async () => {
    await wasmMatmul()?.ready();
  });
  afterAll(() => {
    setWinogradLimits(undefined);
    setKernelThreads(undefined);
  });

  test("random geometries: conv2d, its input and filter gradients within float32 rounding of float64", () => {
    setWinogradLimits({ minWork: 0 });
    const pad = fc.integer({ min: 0, max: 2 });
    const arb = fc.record({
      n: fc.integer({ min: 1, max: 3 }),
      h: fc.integer({ min: 1, max: 13 }),
      w: fc.integer({ min: 1, max: 13 }),
      c: fc.constantFrom(8, 12, 20, 32),
      o: fc.constantFrom(8, 16, 28, 36),
      padding: fc.tuple(fc.tuple(pad, pad), fc.tuple(pad, pad)),
      seed: fc.integer({ min: 1, max: 10_000 }),
    });
    fc.assert(
      fc.property(arb, ({ n, h, w, c, o, padding, seed }) => {
        // at least one output position
        const g = geometry(n, Math.max(h, 3 - padding[0][0] - padding[0][1]), Math.max(w, 3 - padding[1][0] - padding[1][1]), c, o, padding);
        checkAgainstFloat64(drawCase(g, seed));
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  test("a CNN layer's shapes (batch 12, 14×14, 32 → 64, same padding), shared out: float64's values, and the bits of the calling thread alone", () => {
    setWinogradLimits({ minParallelWork: 0 });
    const c = drawCase(geometry(12, 14, 14, 32, 64, [[1, 1], [1, 1]]), 77);
    checkAgainstFloat64(c);
    const sh = shapes(c.g);
    const all = () => [
      winogradConv2d(f32(c.x, sh.x), f32(c.w, sh.w), c.g)!.storage,
      winogradBackpropInput(f32(c.ct, sh.y), f32(c.w, sh.w), c.g)!.storage,
      winogradBackpropFilter(f32(c.x, sh.x), f32(c.ct, sh.y), c.g)!.storage,
    ];
    setKernelThreads(1);
    const alone = all();
    setKernelThreads(4);
    expect(all()).toEqual(alone);
    // one area for all threads: tasks take turns with it
    setWinogradLimits({ minParallelWork: 0, maxAreas: 1 });
    expect(all()).toEqual(alone);
  });

  test("non-finite input, cotangent or filter: Winograd declines, and the backend gives the direct kernel's bits", () => {
    setWinogradLimits({ minWork: 0 });
    const g = geometry(2, 9, 10, 16, 20, [[1, 1], [1, 1]]);
    const sh = shapes(g);
    const mm = wasmMatmul();
    for (const spoil of ["x", "w", "ct"] as const) {
      for (const bad of [Infinity, -Infinity, NaN]) {
        const c = drawCase(g, 5);
        c[spoil][spoil === "w" ? 37 : 501] = bad;
        const [x, w, ct] = [f32(c.x, sh.x), f32(c.w, sh.w), f32(c.ct, sh.y)];
        if (spoil !== "ct") {
          expect(winogradConv2d(x, w, g)).toBeNull();
          expect(wasmBackend.conv2d(x, w, g).storage).toEqual(conv2dKernel(x, w, g, mm).storage);
        }
        if (spoil !== "x") {
          expect(winogradBackpropInput(ct, w, g)).toBeNull();
          expect(wasmBackend.conv2dBackpropInput(ct, w, g).storage).toEqual(conv2dBackpropInputKernel(ct, w, g, mm).storage);
        }
        if (spoil !== "w") {
          expect(winogradBackpropFilter(x, ct, g)).toBeNull();
          expect(wasmBackend.conv2dBackpropFilter(x, ct, g).storage).toEqual(conv2dBackpropFilterKernel(x, ct, g, mm).storage);
        }
      }
    }
  });

  test("where it does not apply (strides, other filter sizes, channel counts, float64, little work) it returns null", () => {
    setWinogradLimits(undefined);
    const g = geometry(1, 8, 8, 16, 16, [[1, 1], [1, 1]]);
    const sh = shapes(g);
    const c = drawCase(g, 3);
    const x = f32(c.x, sh.x);
    const w = f32(c.w, sh.w);
    expect(winogradConv2d(x, w, g)).toBeNull(); // 147 456 multiply-adds: too little work
    setWinogradLimits({ minWork: 0 });
    expect(winogradConv2d(x, w, g)).not.toBeNull();
    expect(winogradConv2d(x, w, { ...g, strides: [2, 1], oh: 4 })).toBeNull();
    expect(winogradConv2d(f32(c.x, sh.x), f32(uniform(25 * 16 * 16, 1), [5, 5, 16, 16]), { ...g, kh: 5, kw: 5, oh: 6, ow: 6, padding: [[1, 1], [1, 1]] })).toBeNull();
    // channel counts: multiples of 4, 8 and up
    for (const [ci, co] of [[6, 16], [16, 6], [4, 16], [16, 4]]) {
      const gc = geometry(1, 8, 8, ci, co, [[1, 1], [1, 1]]);
      expect(winogradConv2d(f32(uniform(8 * 8 * ci, 1), [1, 8, 8, ci]), f32(uniform(9 * ci * co, 2), [3, 3, ci, co]), gc)).toBeNull();
    }
    const g8 = geometry(1, 8, 8, 8, 8, [[1, 1], [1, 1]]);
    expect(winogradConv2d(f32(uniform(8 * 8 * 8, 1), [1, 8, 8, 8]), f32(uniform(9 * 8 * 8, 2), [3, 3, 8, 8]), g8)).not.toBeNull();
    expect(winogradConv2d(f64(c.x, sh.x), f64(c.w, sh.w), g)).toBeNull();
  });

  test('setConvAlgorithm("direct"): the backend gives the direct kernels\' bits; "auto" brings Winograd back', () => {
    setWinogradLimits({ minWork: 0 });
    const g = geometry(2, 9, 10, 16, 20, [[1, 1], [0, 2]]);
    const sh = shapes(g);
    const c = drawCase(g, 9);
    const [x, w, ct] = [f32(c.x, sh.x), f32(c.w, sh.w), f32(c.ct, sh.y)];
    const mm = wasmMatmul();
    const direct = [conv2dKernel(x, w, g, mm), conv2dBackpropInputKernel(ct, w, g, mm), conv2dBackpropFilterKernel(x, ct, g, mm)].map((t) => t.storage);
    const viaBackend = () => [wasmBackend.conv2d(x, w, g), wasmBackend.conv2dBackpropInput(ct, w, g), wasmBackend.conv2dBackpropFilter(x, ct, g)].map((t) => t.storage);
    try {
      setConvAlgorithm("direct");
      expect(winogradConv2d(x, w, g)).toBeNull();
      expect(viaBackend()).toEqual(direct);
    } finally {
      setConvAlgorithm("auto");
    }
    // Winograd's rounding differs from the direct sums'
    expect(viaBackend()).not.toEqual(direct);
    expect(() => setConvAlgorithm("fast" as never)).toThrow(RangeError);
  });
});
