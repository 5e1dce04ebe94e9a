/**
 * @file The WebAssembly float32 matrix product against a float64 naive product: edge sizes,
 * offsets, transposed and general strides, size 0, non-finite values; and the worker pool, whose
 * results must equal the calling thread's alone bit for bit.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { setMatmulMinParallelWork, wasmMatmul, WasmMatmul } from "../../../src/backend/wasm/matmul.js";
import { KC } from "../../../src/backend/wasm/matmul-kernels.js";
import { setKernelThreads } from "../../../src/backend/wasm/pool.js";
import { uniformFloat32 as uniform } from "../../helpers/random-shapes.js";


/** An operand of `rows × cols` laid out `layout` in a buffer with a leading offset. */
interface Operand {
  readonly data: Float32Array;
  readonly off: number;
  readonly row: number;
  readonly col: number;
}

type Layout = "rowMajor" | "transposed" | "strided";

function operand(rows: number, cols: number, layout: Layout, seed: number): Operand {
  const off = 5;
  // "strided": every other element of every other line, so that neither stride is 1.
  const [row, col, span] =
    layout === "rowMajor" ? [cols, 1, rows * cols] : layout === "transposed" ? [1, rows, rows * cols] : [4 * cols, 2, 4 * rows * cols];
  return { data: uniform(off + span + 3, seed), off, row, col };
}

/** The float64 product and, per element, Σ|a·b| (for the rounding bound). */
function reference(a: Operand, b: Operand, m: number, k: number, n: number): { c: Float64Array; abs: Float64Array } {
  const c = new Float64Array(m * n);
  const abs = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < k; p++) {
        const x = a.data[a.off + i * a.row + p * a.col] * b.data[b.off + p * b.row + j * b.col];
        s += x;
        t += Math.abs(x);
      }
      c[i * n + j] = s;
      abs[i * n + j] = t;
    }
  }
  return { c, abs };
}

function product(mm: WasmMatmul, a: Operand, b: Operand, m: number, k: number, n: number): Float32Array {
  const out = new Float32Array(m * n + 2).fill(-7);
  mm.multiply(a.data, a.off, a.row, a.col, b.data, b.off, b.row, b.col, m, k, n, out, 1);
  expect(out[0]).toBe(-7);
  expect(out[m * n + 1]).toBe(-7);
  return out.subarray(1, 1 + m * n);
}

/** Float32 summation of k terms in order: error ≤ k·2⁻²³·Σ|a·b| (a loose but safe bound). */
function expectClose(actual: Float32Array, ref: { c: Float64Array; abs: Float64Array }, k: number): void {
  for (let i = 0; i < actual.length; i++) {
    const bound = (k + 1) * 2 ** -23 * ref.abs[i] + 1e-30;
    if (!(Math.abs(actual[i] - ref.c[i]) <= bound)) {
      throw new Error(`element ${i}: ${actual[i]} vs ${ref.c[i]} (bound ${bound})`);
    }
  }
}

const SIZES = [1, 3, 7, 8, 9, 31, 64, 129];
const LAYOUTS: [Layout, Layout][] = [
  ["rowMajor", "rowMajor"],
  ["transposed", "rowMajor"],
  ["rowMajor", "transposed"],
  ["transposed", "transposed"],
];

const maybe = wasmMatmul();
const mm = maybe as WasmMatmul;

describe.skipIf(maybe === null)("wasm matmul", () => {
  afterAll(() => {
    setKernelThreads(undefined);
    setMatmulMinParallelWork(undefined);
  });

  describe("on the calling thread", () => {
    beforeAll(() => setKernelThreads(1));

    test.each(LAYOUTS)("A %s, B %s: every edge size against float64", (la, lb) => {
      let seed = 1;
      for (const m of SIZES) {
        for (const k of [0, ...SIZES]) {
          for (const n of SIZES) {
            const a = operand(m, k, la, seed++);
            const b = operand(k, n, lb, seed++);
            expectClose(product(mm, a, b, m, k, n), reference(a, b, m, k, n), k);
          }
        }
      }
    });

    test("general strides (neither is 1) are packed in JS", () => {
      for (const [m, k, n] of [[1, 1, 1], [9, 31, 7], [64, 129, 33], [5, 0, 3]]) {
        for (const [la, lb] of [["strided", "rowMajor"], ["rowMajor", "strided"], ["strided", "strided"]] as [Layout, Layout][]) {
          const a = operand(m, k, la, m + 1);
          const b = operand(k, n, lb, n + 2);
          expectClose(product(mm, a, b, m, k, n), reference(a, b, m, k, n), k);
        }
      }
    });

    test("A read in place (row-major, overlapping rows as conv strips, a repeated row) equals packed A bit for bit", () => {
      for (const [m, k, n, aRow] of [[9, 13, 11, 13], [37, 9, 16, 3], [64, 144, 32, 48], [5, 7, 9, 0], [130, 31, 8, 31]]) {
        const src = uniform(5 + (m - 1) * aRow + k + 3, m + k);
        const inPlace: Operand = { data: src, off: 5, row: aRow, col: 1 };
        // the same matrix, materialized column-major (packed by the kernel's packer)
        const colMajor = new Float32Array(m * k);
        for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) colMajor[p * m + i] = src[5 + i * aRow + p];
        const packed: Operand = { data: colMajor, off: 0, row: 1, col: m };
        const b = operand(k, n, "rowMajor", n);
        const direct = product(mm, inPlace, b, m, k, n).slice();
        expect(direct).toEqual(product(mm, packed, b, m, k, n));
        expectClose(direct, reference(inPlace, b, m, k, n), k);
      }
    });

    test("long products (k over several passes of KC) sum each element in order, as one float32 chain", () => {
      // Without fused multiply-add, each element is exactly fround(fround(acc + fround(a·b))) over p ascending.
      for (const k of [KC - 1, KC, KC + 1, 2 * KC + 37]) {
        for (const [la, lb] of [["rowMajor", "rowMajor"], ["transposed", "strided"]] as [Layout, Layout][]) {
          const [m, n] = [9, 13];
          const a = operand(m, k, la, k);
          const b = operand(k, n, lb, k + 1);
          const got = product(mm, a, b, m, k, n);
          if (mm.relaxed) {
            expectClose(got, reference(a, b, m, k, n), k);
            continue;
          }
          const chain = new Float32Array(m * n);
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              let acc = 0;
              for (let p = 0; p < k; p++) acc = Math.fround(acc + Math.fround(a.data[a.off + i * a.row + p * a.col] * b.data[b.off + p * b.row + j * b.col]));
              chain[i * n + j] = acc;
            }
          }
          expect(got).toEqual(chain);
        }
      }
    });

    test("m = 0 or n = 0 writes nothing; k = 0 gives zeros", () => {
      const a = operand(3, 4, "rowMajor", 1);
      const out = new Float32Array(4).fill(9);
      mm.multiply(a.data, 0, 4, 1, a.data, 0, 3, 1, 0, 4, 3, out, 0);
      mm.multiply(a.data, 0, 4, 1, a.data, 0, 3, 1, 3, 4, 0, out, 0);
      expect(Array.from(out)).toEqual([9, 9, 9, 9]);
      mm.multiply(a.data, 0, 0, 1, a.data, 0, 2, 1, 2, 0, 2, out, 0);
      expect(Array.from(out)).toEqual([0, 0, 0, 0]);
    });

    test("a float64 output receives the float32 values", () => {
      const a = operand(9, 13, "rowMajor", 3);
      const b = operand(13, 11, "transposed", 4);
      const out = new Float64Array(9 * 11 + 1);
      mm.multiply(a.data, a.off, a.row, a.col, b.data, b.off, b.row, b.col, 9, 13, 11, out, 1);
      expect(Array.from(out.subarray(1))).toEqual(Array.from(product(mm, a, b, 9, 13, 11)));
    });

    test("NaN and ∞ reach exactly the elements they belong to", () => {
      const a = new Float32Array(5 * 6).fill(1);
      const b = new Float32Array(6 * 10).fill(1);
      a[2 * 6 + 3] = NaN; // row 2 of C
      b[4 * 10 + 7] = Infinity; // column 7 of C
      const out = new Float32Array(50);
      mm.multiply(a, 0, 6, 1, b, 0, 10, 1, 5, 6, 10, out, 0);
      for (let i = 0; i < 5; i++) {
        for (let j = 0; j < 10; j++) {
          const v = out[i * 10 + j];
          if (i === 2) expect(v).toBeNaN();
          else expect(v).toBe(j === 7 ? Infinity : 6);
        }
      }
    });
  });

  describe("with the worker pool", () => {
    let workers = 0;
    beforeAll(async () => {
      setKernelThreads(4);
      workers = await mm.ready();
    });

    test("the pool starts (where memory can be shared)", () => {
      if (typeof SharedArrayBuffer !== "undefined") {
        expect(mm.pool).not.toBeNull();
        expect(workers).toBeGreaterThan(0);
      }
    });

    /** The product on the calling thread alone, then shared out; both must agree bit for bit. */
    function bothWays(a: Operand, b: Operand, m: number, k: number, n: number): [Float32Array, Float32Array] {
      setKernelThreads(1);
      const alone = product(mm, a, b, m, k, n).slice();
      setKernelThreads(4);
      return [alone, product(mm, a, b, m, k, n).slice()];
    }

    test.each(LAYOUTS)("A %s, B %s: edge sizes, every product shared out, equal to the calling thread's", (la, lb) => {
      setMatmulMinParallelWork(0);
      let seed = 100;
      for (const m of SIZES) {
        for (const k of [0, 1, 8, 31, 129]) {
          for (const n of SIZES) {
            const a = operand(m, k, la, seed++);
            const b = operand(k, n, lb, seed++);
            const [alone, pooled] = bothWays(a, b, m, k, n);
            expect(pooled).toEqual(alone);
            if (m * n * k <= 129 * 129 * 31) expectClose(pooled, reference(a, b, m, k, n), k);
          }
        }
      }
    });

    test("sizes across the default threshold agree with float64 and with the calling thread", () => {
      setMatmulMinParallelWork(undefined);
      for (const [m, k, n, la, lb] of [
        [100, 200, 100, "rowMajor", "rowMajor"],
        [160, 160, 170, "rowMajor", "rowMajor"],
        [300, 256, 280, "transposed", "rowMajor"],
        [131, 129, 127, "transposed", "rowMajor"],
        [257, 67, 130, "rowMajor", "transposed"],
        [64, 784, 100, "transposed", "transposed"],
        [9, 2000, 300, "strided", "rowMajor"],
      ] as [number, number, number, Layout, Layout][]) {
        const a = operand(m, k, la, m);
        const b = operand(k, n, lb, n);
        const [alone, pooled] = bothWays(a, b, m, k, n);
        expect(pooled).toEqual(alone);
        expectClose(pooled, reference(a, b, m, k, n), k);
      }
    });

    test("a small C over a long k (cut along k into ranges): float64's values, the same bits on one thread and shared", () => {
      setMatmulMinParallelWork(undefined);
      // filter-gradient shapes: few rows (taps or filters), k = every output position
      for (const [m, k, n, la, lb] of [
        [9, 4096, 32, "transposed", "rowMajor"],
        [9, 6000, 32, "strided", "rowMajor"],
        [64, 2 * 2048 + 777, 288, "transposed", "rowMajor"],
        [12, 20000, 40, "rowMajor", "transposed"],
        [3, 140000, 8, "transposed", "rowMajor"],
      ] as [number, number, number, Layout, Layout][]) {
        const a = operand(m, k, la, m + k);
        const b = operand(k, n, lb, n + k);
        const [alone, pooled] = bothWays(a, b, m, k, n);
        expect(pooled).toEqual(alone);
        expectClose(pooled, reference(a, b, m, k, n), k);
      }
    });

    test("rows kept in periods (conv strips' valid rows): the full product's kept rows, bit for bit, on one thread and shared", () => {
      setMatmulMinParallelWork(0);
      for (const [periods, period, kept, k, n] of [[5, 30, 28, 9, 32], [7, 16, 14, 288, 64], [3, 10, 7, 13, 9], [4, 6, 6, 5, 8], [33, 3, 1, 40, 17]]) {
        const m = periods * period;
        const a = operand(m, k, "rowMajor", m + k);
        const b = operand(k, n, "rowMajor", n);
        const full = product(mm, a, b, m, k, n).slice();
        const wanted = new Float32Array(periods * kept * n);
        for (let s = 0; s < periods; s++) wanted.set(full.subarray(s * period * n, (s * period + kept) * n), s * kept * n);
        for (const threads of [1, 4]) {
          setKernelThreads(threads);
          const out = new Float32Array(periods * kept * n + 2).fill(-7);
          mm.multiply(a.data, a.off, a.row, a.col, b.data, b.off, b.row, b.col, m, k, n, out, 1, { period, kept });
          expect([out[0], out[out.length - 1]]).toEqual([-7, -7]);
          expect(out.subarray(1, out.length - 1)).toEqual(wanted);
        }
      }
    });

    test("many small products in a row (workers waking late find no stale task)", () => {
      setMatmulMinParallelWork(0);
      const a = operand(12, 20, "rowMajor", 7);
      const b = operand(20, 17, "rowMajor", 8);
      const ref = reference(a, b, 12, 20, 17);
      const first = product(mm, a, b, 12, 20, 17).slice();
      expectClose(first, ref, 20);
      for (let r = 0; r < 500; r++) expect(product(mm, a, b, 12, 20, 17)).toEqual(first);
    });
  });

  test("over an unshared memory (no SharedArrayBuffer): the same values, on the calling thread", () => {
    const alone = WasmMatmul.create({ shared: false });
    expect(alone).not.toBeNull();
    expect(alone?.pool).toBeNull();
    let seed = 500;
    for (const [m, k, n] of [[1, 1, 1], [7, 9, 31], [129, 64, 65], [200, 150, 160]]) {
      for (const [la, lb] of LAYOUTS) {
        const a = operand(m, k, la, seed++);
        const b = operand(k, n, lb, seed++);
        const got = product(alone as WasmMatmul, a, b, m, k, n);
        expect(got).toEqual(product(mm, a, b, m, k, n));
        expectClose(got, reference(a, b, m, k, n), k);
      }
    }
  });

  test("a process that used the pool exits by itself (workers never keep it alive)", () => {
    const source = fileURLToPath(new URL("../../../src/backend/wasm/matmul.ts", import.meta.url));
    const script = [
      `import { wasmMatmul, setMatmulMinParallelWork } from ${JSON.stringify(pathToFileURL(source).href)};`,
      `const mm = wasmMatmul();`,
      `const workers = await mm.ready();`,
      `setMatmulMinParallelWork(0);`,
      `const a = new Float32Array(64 * 64).fill(1);`,
      `const out = new Float32Array(64 * 64);`,
      `mm.multiply(a, 0, 64, 1, a, 0, 64, 1, 64, 64, 64, out, 0);`,
      `console.log(workers, out[0]);`,
    ].join("\n");
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 30_000,
      env: { ...process.env, TYPEGRAD_THREADS: "2" },
    });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("1 64");
  });

  test("setKernelThreads rejects what is not a positive integer", () => {
    expect(() => setKernelThreads(0)).toThrow(RangeError);
    expect(() => setKernelThreads(1.5)).toThrow(RangeError);
  });
});
