// Accuracy of the WebAssembly SIMD exp/log/tanh (backend/wasm/vmath.ts) against the float64
// functions rounded to float32, over a sweep of float32 bit patterns of both signs (every
// exponent, many mantissas, denormals included), plus special values.
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { jit, showKernels } from "../../src/index.js";
import { erf64 } from "../../src/compiler/alu.js";
import { erfOf } from "../../src/primitives/erf.js";
import { expm1Of } from "../../src/primitives/expm1.js";
import { log1pOf } from "../../src/primitives/log1p.js";
import { wasmAvailable } from "../../src/backend/wasm/probe.js";

type T = AnyTensor;

/** Float32 values from bit patterns 0, step, 2·step, … below +∞, with both signs. */
function sweep(step: number): Float32Array {
  const bits = new Uint32Array(2 * Math.ceil(0x7f800000 / step));
  let k = 0;
  for (let b = 0; b < 0x7f800000; b += step) {
    bits[k++] = b;
    bits[k++] = b | 0x80000000;
  }
  return new Float32Array(bits.buffer, 0, k);
}

const cell = new Float32Array(1);
const cellBits = new Int32Array(cell.buffer);

/** The float32 `x` as an integer that orders like the value (−0 and +0 both 0). */
function ordered(x: number): number {
  cell[0] = x;
  const i = cellBits[0];
  return i < 0 ? -(i & 0x7fffffff) : i;
}

/** Distance in units in the last place between two float32 values (0 when both are NaN). */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  return Math.abs(ordered(a) - ordered(b));
}

function worst(prim: (x: T) => T, reference: (x: number) => number, xs: Float32Array): { ulp: number; at: number } {
  const out = (jit(prim)(ops.fromValues(xs, [xs.length], "float32")) as T).data() as Float32Array;
  let ulp = 0;
  let at = NaN;
  for (let i = 0; i < xs.length; i++) {
    const d = ulps(out[i], Math.fround(reference(xs[i])));
    if (d > ulp) {
      ulp = d;
      at = xs[i];
    }
  }
  return { ulp, at };
}

const SPECIALS = new Float32Array([0, -0, Infinity, -Infinity, NaN, 1, -1, 88.72, 88.73, -87.3, -103, -104, -200, 1e-45, -1e-45, 1e-38, 3e38]);

describe.skipIf(!wasmAvailable())("vectorized exp, log, tanh (float32 SIMD kernels)", () => {
  const xs = sweep(2053);
  test.each([
    ["exp", ops.exp, Math.exp, 2],
    ["log", ops.log, Math.log, 3],
    ["tanh", ops.tanh, Math.tanh, 2],
  ] as const)("%s is within its documented ulp bound of float64 rounded to float32", (name, prim, reference, bound) => {
    const all = new Float32Array([...xs, ...SPECIALS]);
    const { ulp, at } = worst(prim as (x: T) => T, reference, all);
    expect(ulp, `${name}: ${ulp} ulp at ${at}`).toBeLessThanOrEqual(bound);
  });

  test("special values follow IEEE", () => {
    const run = (prim: (x: T) => T) => Array.from((jit(prim)(ops.fromValues(SPECIALS.slice(0, 5), [5], "float32")) as T).data() as Float32Array);
    expect(run(ops.exp as (x: T) => T)).toEqual([1, 1, Infinity, 0, NaN]);
    expect(run(ops.log as (x: T) => T)).toEqual([-Infinity, -Infinity, Infinity, NaN, NaN]);
    const t = run(ops.tanh as (x: T) => T);
    expect(t).toEqual([0, -0, 1, -1, NaN]);
    expect(Object.is(t[1], -0)).toBe(true);
  });
});

describe.skipIf(!wasmAvailable())("float32 approximations of erf, expm1, log1p (backend/wasm/approx.ts)", () => {
  const xs = sweep(2053);
  // bounds as measured over this sweep: erf 3 ulp (near |x| = 0.47), expm1 2, log1p 3
  test.each([
    ["erf", erfOf, erf64, 3],
    ["expm1", expm1Of, Math.expm1, 2],
    ["log1p", log1pOf, Math.log1p, 3],
  ] as const)("%s is within its ulp bound of float64 rounded to float32", (name, prim, reference, bound) => {
    const all = new Float32Array([...xs, ...SPECIALS]);
    const { ulp, at } = worst(prim, reference, all);
    expect(ulp, `${name}: ${ulp} ulp at ${at}`).toBeLessThanOrEqual(bound);
  });

  test("they run fused, as WebAssembly loops", () => {
    for (const prim of [erfOf, expm1Of, log1pOf]) {
      expect(showKernels(prim)(ops.fromValues(new Float32Array(64), [64], "float32"))).toContain("WebAssembly SIMD");
    }
  });
});
