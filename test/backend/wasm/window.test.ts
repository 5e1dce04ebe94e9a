/**
 * @file The WebAssembly kernels of the window primitives against the JS kernels, bit for bit:
 * random geometries (windows, strides, padding, channel counts off the vector width, ties, NaN,
 * ±∞, −0) in float32 and float64; the pooling case (2×2 stride 2 over NHWC) large enough to be
 * shared with the worker pool, equal on one thread and on four; overlapping windows (the
 * accumulating scatter); and what stays with the JS kernels (int32, no window at all).
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import fc from "fast-check";
import { ConcreteTensor } from "../../../src/core/concrete.js";
import type { DType } from "../../../src/dtype.js";
import { jsBackend } from "../../../src/backend/js/backend.js";
import { wasmBackend } from "../../../src/backend/wasm/backend.js";
import { windowOutShape, type WindowGeometry } from "../../../src/backend/js/window.js";
import { canonicalWindow, wasmReduceWindow, wasmSelectAndGatherAdd, wasmSelectAndScatterAdd } from "../../../src/backend/wasm/window.js";
import { wasmAvailable } from "../../../src/backend/wasm/probe.js";
import { kernelRuntime } from "../../../src/backend/wasm/runtime.js";
import { setKernelThreads } from "../../../src/backend/wasm/pool.js";
import { product } from "../../../src/shape/arith.js";
import { runs } from "../../helpers/random-shapes.js";

type Float = "float32" | "float64";

const wrap = (values: ArrayLike<number>, shape: number[], dtype: DType): ConcreteTensor => {
  const storage = dtype === "float64" ? Float64Array.from(values) : dtype === "int32" ? Int32Array.from(values) : Float32Array.from(values);
  return ConcreteTensor.wrap(storage, shape, dtype);
};

/** Element i equal in both, as bits go: NaN to NaN, −0 to −0. */
function expectSameBits(actual: ConcreteTensor, expected: ConcreteTensor, what: string): void {
  expect(actual.shape, what).toEqual(expected.shape);
  expect(actual.dtype, what).toBe(expected.dtype);
  for (let i = 0; i < expected.size; i++) {
    const [a, e] = [actual.storage[i], expected.storage[i]];
    if (!(Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)))) throw new Error(`${what}: element ${i}: ${a} vs ${e}`);
  }
}

/** Values drawn from a few levels (many ties), with NaN, ±∞ and −0 mixed in when `special`. */
function values(n: number, seed: number, special: boolean): number[] {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const odd = [NaN, Infinity, -Infinity, -0, 0];
  return Array.from({ length: n }, () => {
    const r = next();
    if (special && r < 0.06) return odd[Math.floor(next() * odd.length)];
    return r < 0.5 ? Math.floor(next() * 4) - 2 : (next() - 0.5) * 10;
  });
}

/** Every window kernel on both backends, compared bit for bit. */
function compareAll(shape: number[], g: WindowGeometry, dtype: Float, seed: number, special = true): void {
  const size = product(shape);
  const x = wrap(values(size, seed, special), shape, dtype);
  const t = wrap(values(size, seed + 1, special), shape, dtype);
  const windows = windowOutShape(shape, g);
  const s = wrap(values(product(windows), seed + 2, special), windows, dtype);
  const what = `${dtype} ${JSON.stringify(shape)} ${JSON.stringify(g)}`;
  // The wasm kernels themselves (the backend would fall back to JS where they return null): they
  // decline only geometries without any window and empty results.
  const declines = canonicalWindow(shape, g).dims.length === 0 || product(windows) === 0;
  const wasm = (r: ConcreteTensor | null, js: ConcreteTensor, name: string) => {
    if (declines) return expect(r, name).toBeNull();
    expect(r, name).not.toBeNull();
    expectSameBits(r!, js, name);
  };
  for (const op of ["Max", "Add"] as const) wasm(wasmReduceWindow(x, op, g), jsBackend.reduceWindow(x, op, g), `reduceWindow ${op} ${what}`);
  wasm(wasmSelectAndGatherAdd(t, x, g), jsBackend.selectAndGatherAdd(t, x, g), `selectAndGatherAdd ${what}`);
  wasm(wasmSelectAndScatterAdd(s, x, g), jsBackend.selectAndScatterAdd(s, x, g), `selectAndScatterAdd ${what}`);
}

const geometryArb = fc.integer({ min: 1, max: 4 }).chain((rank) =>
  fc.record({
    shape: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: rank, maxLength: rank }),
    window: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: rank, maxLength: rank }),
    strides: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: rank, maxLength: rank }),
    padding: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), { minLength: rank, maxLength: rank }),
    // trailing dims that no window spans become the vectorized channels
    channels: fc.array(fc.integer({ min: 1, max: 11 }), { minLength: 0, maxLength: 2 }),
    dtype: fc.constantFrom<Float>("float32", "float64"),
    seed: fc.integer({ min: 0, max: 1 << 30 }),
  }),
);

describe.skipIf(!wasmAvailable())("window kernels on WebAssembly", () => {
  test("random geometries: every kernel equals the JS kernel bit for bit (float32, float64)", () => {
    fc.assert(
      fc.property(geometryArb, ({ shape, window, strides, padding, channels, dtype, seed }) => {
        const g: WindowGeometry = {
          window: [...window, ...channels.map(() => 1)],
          strides: [...strides, ...channels.map(() => 1)],
          padding: [...padding, ...channels.map(() => [0, 0] as const)],
        };
        compareAll([...shape, ...channels], g, dtype, seed);
      }),
      runs(300),
    );
  });

  test("the geometry's trivial dims merge, and the trailing run becomes the channels", () => {
    const g = (w: number[], s: number[], p: [number, number][]): WindowGeometry => ({ window: w, strides: s, padding: p });
    const pool = canonicalWindow([8, 28, 28, 32], g([1, 2, 2, 1], [1, 2, 2, 1], [[0, 0], [0, 0], [0, 0], [0, 0]]));
    expect(pool.channels).toBe(32);
    expect(pool.dims.map((d) => [d.size, d.window, d.windows])).toEqual([[8, 1, 8], [28, 2, 14], [28, 2, 14]]);
    const mixed = canonicalWindow([2, 3, 5, 4, 6], g([1, 1, 3, 1, 1], [1, 1, 1, 1, 1], [[0, 0], [0, 0], [1, 1], [0, 0], [0, 0]]));
    expect(mixed.channels).toBe(24);
    expect(mixed.dims.map((d) => [d.size, d.window])).toEqual([[6, 1], [5, 3]]);
    expect(canonicalWindow([4], g([3], [1], [[0, 0]])).channels).toBe(1);
  });

  test("windows of padding only, windows larger than the input, strides past the windows (elements no window reaches)", () => {
    for (const dtype of ["float32", "float64"] as const) {
      compareAll([3, 5], { window: [1, 2], strides: [1, 1], padding: [[0, 0], [3, 3]] }, dtype, 7);
      compareAll([2, 4, 3], { window: [1, 2, 1], strides: [1, 3, 1], padding: [[0, 0], [0, 0], [0, 0]] }, dtype, 8);
      compareAll([5, 6], { window: [5, 6], strides: [1, 1], padding: [[2, 2], [0, 1]] }, dtype, 9);
      compareAll([9], { window: [2], strides: [4], padding: [[1, 0]] }, dtype, 10);
    }
  });

  test("a 3×3 max pool with stride 2 (overlapping windows: the scatter accumulates in float64, on one thread)", () => {
    const g: WindowGeometry = { window: [1, 3, 3, 1], strides: [1, 2, 2, 1], padding: [[0, 0], [1, 1], [1, 1], [0, 0]] };
    compareAll([3, 9, 9, 6], g, "float32", 11);
    compareAll([3, 9, 9, 6], g, "float64", 12);
  });

  test("a window's value is split evenly among tied maxima, exactly as the JS kernel splits it", () => {
    const x = wrap([1, 1, 1, 0], [1, 2, 2, 1], "float32");
    const s = wrap([1], [1, 1, 1, 1], "float32");
    const g: WindowGeometry = { window: [1, 2, 2, 1], strides: [1, 2, 2, 1], padding: [[0, 0], [0, 0], [0, 0], [0, 0]] };
    expect(Array.from(wasmSelectAndScatterAdd(s, x, g)!.storage)).toEqual([Math.fround(1 / 3), Math.fround(1 / 3), Math.fround(1 / 3), 0]);
    expect(Array.from(wasmSelectAndGatherAdd(wrap([3, 6, 9, 100], [1, 2, 2, 1], "float32"), x, g)!.storage)).toEqual([6]);
  });

  test("int32 operands and geometries without any window stay with the JS kernels", () => {
    const g: WindowGeometry = { window: [2], strides: [1], padding: [[0, 0]] };
    expect(wasmReduceWindow(wrap([1, 2, 3], [3], "int32"), "Max", g)).toBeNull();
    expect(Array.from(wasmBackend.reduceWindow(wrap([1, 5, 3], [3], "int32"), "Max", g).storage)).toEqual([5, 5]);
    const identity: WindowGeometry = { window: [1, 1], strides: [1, 1], padding: [[0, 0], [0, 0]] };
    expect(wasmSelectAndScatterAdd(wrap([1, 2], [1, 2], "float32"), wrap([3, 4], [1, 2], "float32"), identity)).toBeNull();
  });
});

describe.skipIf(!wasmAvailable() || typeof SharedArrayBuffer === "undefined")("window kernels on the worker pool", () => {
  beforeAll(async () => {
    setKernelThreads(4);
    await kernelRuntime().ready();
  });
  afterAll(() => setKernelThreads(undefined));

  /** Runs `f` on one thread, then on four (expecting the pool to take part). */
  function bothWays(f: () => ConcreteTensor): [ConcreteTensor, ConcreteTensor] {
    setKernelThreads(1);
    const alone = f();
    setKernelThreads(4);
    const runtime = kernelRuntime();
    const before = runtime.sharedJobs;
    const shared = f();
    if ((runtime.pool?.ready ?? 0) > 0) expect(runtime.sharedJobs).toBeGreaterThan(before);
    return [alone, shared];
  }

  test("max pooling 2×2 stride 2 over NHWC [32, 28, 28, 32] and its derivatives: same bits on one thread and on four, and as the JS kernels", () => {
    const shape = [32, 28, 28, 32];
    const g: WindowGeometry = { window: [1, 2, 2, 1], strides: [1, 2, 2, 1], padding: [[0, 0], [0, 0], [0, 0], [0, 0]] };
    for (const dtype of ["float32", "float64"] as const) {
      const x = wrap(values(product(shape), 21, true), shape, dtype);
      const t = wrap(values(product(shape), 22, true), shape, dtype);
      const windows = windowOutShape(shape, g);
      const s = wrap(values(product(windows), 23, true), windows, dtype);
      const cases: [string, () => ConcreteTensor, () => ConcreteTensor][] = [
        ["max", () => wasmReduceWindow(x, "Max", g)!, () => jsBackend.reduceWindow(x, "Max", g)],
        ["sum", () => wasmReduceWindow(x, "Add", g)!, () => jsBackend.reduceWindow(x, "Add", g)],
        ["gather", () => wasmSelectAndGatherAdd(t, x, g)!, () => jsBackend.selectAndGatherAdd(t, x, g)],
        ["scatter", () => wasmSelectAndScatterAdd(s, x, g)!, () => jsBackend.selectAndScatterAdd(s, x, g)],
      ];
      for (const [name, wasm, js] of cases) {
        const [alone, shared] = bothWays(wasm);
        expectSameBits(shared, alone, `${name} ${dtype}: four threads vs one`);
        expectSameBits(shared, js(), `${name} ${dtype}: wasm vs JS`);
      }
    }
  });
});
