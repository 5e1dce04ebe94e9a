/**
 * @file Issue 13, item 8: loops that differ only in size share one compiled WebAssembly module
 * (sizes, buffer offsets, periods and reduction lengths are run-time arguments; the cache key is
 * the loop's structure), and so do loops that differ only in a constant (literals are inputs).
 * The generated JS loops of the JS backend take their sizes as arguments too.
 * Results stay exact: checked bit for bit against float32 arithmetic done in JS, with operations
 * that round exactly (+, ×, max, −) and sums of small integers (exact in any order).
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { fromArray, jit, setBackend, type Tensor } from "../../src/index.js";
import { wasmAvailable } from "../../src/backend/wasm/probe.js";
import { compiledModules } from "../../src/backend/wasm/elementwise.js";
import { compiledJsLoops } from "../../src/backend/js/fuse.js";
import * as ops from "../../src/core/ops.js";

const compiled = () => compiledModules().compiled;

function tensorOf<const S extends number[]>(values: number[], shape: S): Tensor<S> {
  const t = fromArray(values, shape);
  if (t._tag !== "Right") throw new Error(t.left.message);
  return t.right as Tensor<S>;
}

/** 50 sizes: small ones, odd ones, ones around the vector width and ones past a task's chunk (65 536). */
const SIZES = [
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 16, 31, 33, 64, 97, 100, 127, 128, 255, 257],
  ...Array.from({ length: 25 }, (_, i) => 300 + 613 * i),
  ...[65_535, 65_536, 65_537, 131_075, 200_003],
];

const f = Math.fround;
/** Small integers from a seed, as floats: every sum of them is exact. */
const ints = (n: number, seed: number) => Array.from({ length: n }, (_, i) => ((i * 7 + seed * 13) % 11) - 5);

/** A new jitted function of an elementwise result and a sum (one fused loop). */
const elementwiseAndSum = () => jit((x: Tensor<[number]>, y: Tensor<[number]>) => [ops.max(x.mul(y).add(x), y), x.sub(y).mul(x).sum()] as const);

/** Runs `g` of `elementwiseAndSum` at every size of `SIZES`: every element and sum exact. */
function overSizes(g: ReturnType<typeof elementwiseAndSum>): void {
  for (const n of SIZES) {
    const [xs, ys] = [ints(n, n), ints(n, n + 1).map((v) => v / 4)];
    const [elementwise, total] = g(tensorOf(xs, [n]), tensorOf(ys, [n]));
    const e = elementwise.data() as Float32Array;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const want = Math.max(f(f(f(xs[i] * ys[i]) + xs[i])), ys[i]);
      if (e[i] !== want) expect(`n = ${n}, element ${i}: ${e[i]}`).toBe(`n = ${n}, element ${i}: ${want}`);
      sum += f(f(xs[i] - ys[i]) * xs[i]);
    }
    expect((total.data() as Float32Array)[0], `sum at n = ${n}`).toBe(f(sum));
  }
}

/**
 * A new jitted bias broadcast with row sums and column sums, run at 48 shapes on the current
 * backend: every sum exact (small integers), checked against plain loops.
 */
function biasSumsOverShapes(): void {
  const g = jit((x: Tensor<[number, number]>, b: Tensor<[number]>) => [x.add(b).mul(x).sum(1), x.mul(b).sum(0)] as const);
  for (const rows of [1, 2, 3, 7, 16, 33, 100, 257]) {
    for (const cols of [4, 8, 12, 32, 100, 256]) {
      const xs = ints(rows * cols, rows + cols);
      const bs = ints(cols, cols);
      const [rowSums, colSums] = g(tensorOf(xs, [rows, cols]), tensorOf(bs, [cols]));
      const r = rowSums.data() as Float32Array;
      const c = colSums.data() as Float32Array;
      for (let i = 0; i < rows; i++) {
        let s = 0;
        for (let j = 0; j < cols; j++) s += (xs[i * cols + j] + bs[j]) * xs[i * cols + j];
        expect(r[i], `row ${i} of [${rows}, ${cols}]`).toBe(s);
      }
      for (let j = 0; j < cols; j++) {
        let s = 0;
        for (let i = 0; i < rows; i++) s += xs[i * cols + j] * bs[j];
        expect(c[j], `column ${j} of [${rows}, ${cols}]`).toBe(s);
      }
    }
  }
}

describe.skipIf(!wasmAvailable())("fused loops at many sizes", () => {
  beforeEach(() => setBackend("wasm"));
  afterEach(() => setBackend("auto"));

  test("one jitted function at 50 sizes compiles one module, and every result is exact", () => {
    expect(SIZES.length).toBe(50);
    const g = elementwiseAndSum();
    const start = compiled();
    g(tensorOf(ints(1000, 0), [1000]), tensorOf(ints(1000, 1), [1000]));
    // the module of this structure, compiled once (a fused loop on WebAssembly, not op by op)
    expect(compiled() - start).toBe(1);
    const before = compiled();
    overSizes(g);
    expect(compiled() - before).toBe(0);
  });

  test("a bias broadcast with row sums and column sums: a few modules for every shape", () => {
    const before = compiled();
    biasSumsOverShapes();
    // a full reduction (one row) and a per-row one are different loops; the shapes share the rest,
    // but for the column sums over 32 columns: a period the loop is unrolled by (task-loop.ts
    // UNROLLED_PERIODS), compiled on its own
    expect(compiled() - before).toBeLessThanOrEqual(4);
  });

  test("functions that differ only in a literal constant share a module, each with its own constant", () => {
    const x = tensorOf(ints(4096, 3), [4096]);
    jit((v: Tensor<[number]>) => v.mul(0.5).add(2))(x);
    const before = compiled();
    // (from 2: a product by 1 simplifies away, another structure)
    for (let k = 2; k <= 21; k++) {
      const out = jit((v: Tensor<[number]>) => v.mul(k).add(k / 4))(x).data() as Float32Array;
      for (const i of [0, 1, 4095]) expect(out[i]).toBe(f(f(ints(4096, 3)[i] * k) + k / 4));
    }
    expect(compiled() - before).toBe(0);
  });
});

describe("generated JS loops at many sizes", () => {
  beforeEach(() => setBackend("js"));
  afterEach(() => setBackend("auto"));

  test("one jitted function at 50 sizes compiles one JS loop, a bias broadcast at 48 shapes a few, with exact results", () => {
    const g = elementwiseAndSum();
    const start = compiledJsLoops();
    g(tensorOf(ints(1000, 0), [1000]), tensorOf(ints(1000, 1), [1000]));
    expect(compiledJsLoops() - start).toBe(1);
    overSizes(g);
    const between = compiledJsLoops();
    biasSumsOverShapes();
    expect(compiledJsLoops() - between).toBeLessThanOrEqual(3);
    expect(compiledJsLoops() - start).toBeLessThanOrEqual(4);
  });
});
