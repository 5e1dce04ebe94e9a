/**
 * @file A trap in the matrix product's own functions that the calling thread runs outside any job
 * (the packers of A and B, the builder of staged conv strips, the compaction of C) surfaces as a
 * `KernelError` naming the kernel and the function, with the engine's error as its cause, never as
 * a bare `WebAssembly.RuntimeError`; and the runtime, with its pool, computes the next products
 * right. The trap is made the way a code-generation bug would make it: a staged operand whose
 * writer copies from an address past the memory, and each packer given such an address.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { setMatmulMinParallelWork, wasmMatmul, WasmMatmul, type StagedOperand } from "../../src/backend/wasm/matmul.js";
import { kernelRuntime } from "../../src/backend/wasm/runtime.js";
import { setKernelThreads } from "../../src/backend/wasm/pool.js";
import { wasmAvailable } from "../../src/backend/wasm/probe.js";
import { KernelError } from "../../src/index.js";
import { expectThrown } from "./expect-error.js";

/** A float offset whose byte address lies past any memory the runtime has grown to. */
const PAST_MEMORY = 0x3ffffff0;
const NAME = /^matrix product \(WebAssembly SIMD\): failed in strips on the calling thread \(RuntimeError: [^)]+\); its results were dropped$/;

/**
 * The strips builder's arguments that copy the m×k row-major matrix at `src` to `dst` as it is:
 * one image of m rows of one pixel of k channels, a 1×1 window, no padding.
 */
const asRows = (m: number, k: number) => [1, m, m, 1, k, 1, 1, 0, 0, 1, 1] as const;

/** An A of m×k, rows contiguous, whose writer copies its rows from past the memory. */
function trappingA(m: number, k: number): StagedOperand {
  return {
    extent: m * k,
    scratch: 0,
    write: (kernel, at) => kernel.strips(PAST_MEMORY, at, ...asRows(m, k)),
  };
}

/** A staged A that writes `values` (m×k, row-major) through the strips builder, as conv strips are written. */
function stagedA(values: Float32Array, m: number, k: number): StagedOperand {
  return {
    extent: m * k,
    scratch: m * k,
    write: (kernel, at, scratchAt) => {
      kernel.mem.set(values, scratchAt);
      kernel.strips(scratchAt, at, ...asRows(m, k));
    },
  };
}

const matrix = (rows: number, cols: number, f: (i: number, j: number) => number) => Float32Array.from({ length: rows * cols }, (_, x) => f(Math.floor(x / cols), x % cols));

/** Checks C = A·B exactly (small integers: every sum is exact in float32). */
function expectProduct(c: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number): void {
  for (const [i, j] of [[0, 0], [m - 1, n - 1], [Math.floor(m / 2), Math.floor(n / 3)], [1, n - 1]]) {
    let s = 0;
    for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
    expect(c[i * n + j]).toBe(s);
  }
}

/** Multiplies with `a` staged (or the trapping writer) and B copied: C[m×n]. */
function multiply(mm: WasmMatmul, a: StagedOperand, b: Float32Array, m: number, k: number, n: number): Float32Array {
  const c = new Float32Array(m * n);
  mm.multiply(a, 0, k, 1, b, 0, n, 1, m, k, n, c, 0);
  return c;
}

describe.skipIf(!wasmAvailable())("a trap in the matrix product's calling-thread functions", () => {
  test("over an unshared memory: a KernelError naming the kernel and strips; the next product is right", () => {
    const mm = WasmMatmul.create({ shared: false })!;
    const [m, k, n] = [37, 29, 41];
    const a = matrix(m, k, (i, j) => ((i + 2 * j) % 7) - 3);
    const b = matrix(k, n, (i, j) => ((3 * i + j) % 5) - 2);
    const error = expectThrown(() => multiply(mm, trappingA(m, k), b, m, k, n), KernelError, NAME);
    expect(error.cause).toBeInstanceOf(WebAssembly.RuntimeError);
    expectProduct(multiply(mm, stagedA(a, m, k), b, m, k, n), a, b, m, k, n);
  });

  test("each packer and the compaction, given an address past the memory: a KernelError naming it", () => {
    const mm = WasmMatmul.create({ shared: false })!;
    const exports = (mm as unknown as { exports: Record<string, (...args: number[]) => void> }).exports;
    const bad = PAST_MEMORY * 4;
    const calls: [string, () => void][] = [
      ["packA", () => exports.packA(bad, 64, 0, 4, 8, 8, 1)],
      ["packB", () => exports.packB(bad, 64, 0, 4, 8, 1, 32)],
      ["compact", () => exports.compact(bad, 8, 7, 8)],
    ];
    for (const [fn, call] of calls) {
      const error = expectThrown(call, KernelError, new RegExp(`^matrix product \\(WebAssembly SIMD\\): failed in ${fn} on the calling thread \\(RuntimeError: `));
      expect(error.cause).toBeInstanceOf(WebAssembly.RuntimeError);
    }
    const [m, k, n] = [12, 16, 9];
    const a = matrix(m, k, (i, j) => (i * j) % 5);
    const b = matrix(k, n, (i, j) => (i + j) % 3);
    expectProduct(multiply(mm, stagedA(a, m, k), b, m, k, n), a, b, m, k, n);
  });
});

describe.skipIf(!wasmAvailable() || typeof SharedArrayBuffer === "undefined")("with the worker pool", () => {
  let workers = 0;
  beforeAll(async () => {
    setKernelThreads(4);
    setMatmulMinParallelWork(0);
    workers = await kernelRuntime().ready();
  });
  afterAll(() => {
    setMatmulMinParallelWork(undefined);
    setKernelThreads(undefined);
  });

  test("a trap while the workers are woken for the product: a KernelError, then products shared with them are right", () => {
    const mm = wasmMatmul()!;
    const [m, k, n] = [128, 96, 160];
    const a = matrix(m, k, (i, j) => ((i + 2 * j) % 7) - 3);
    const b = matrix(k, n, (i, j) => ((3 * i + j) % 5) - 2);
    for (let round = 0; round < 5; round++) {
      expectThrown(() => multiply(mm, trappingA(m, k), b, m, k, n), KernelError, NAME);
      const before = kernelRuntime().sharedJobs;
      expectProduct(multiply(mm, stagedA(a, m, k), b, m, k, n), a, b, m, k, n);
      if (workers > 0) expect(kernelRuntime().sharedJobs).toBe(before + 1);
    }
  });
});
