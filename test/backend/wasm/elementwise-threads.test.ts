/**
 * @file Fused loops shared out with the worker pool: long loops cut into tasks whose starts fall
 * mid-period of row reads, mid-repeat of column reads and past the tail, with masks and full and
 * trailing-axes reductions, must give bit for bit what the calling thread gives alone, and values
 * within float32 rounding of a float64 evaluation. Loops first compiled after the workers started
 * (so the workers learn their modules late) are checked the same way.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as ops from "../../../src/core/ops.js";
import type { AnyTensor } from "../../../src/core/ops.js";
import { jit, kernelThreadsReady } from "../../../src/index.js";
import { wasmAvailable } from "../../../src/backend/wasm/probe.js";
import { kernelRuntime } from "../../../src/backend/wasm/runtime.js";
import { setKernelThreads } from "../../../src/backend/wasm/pool.js";
import { uniformFloat32 as uniform } from "../../helpers/random-shapes.js";

type T = AnyTensor;
const f32 = (values: ArrayLike<number>, shape: number[]): T => ops.fromValues(values, shape, "float32");
const lit = (x: T, v: number): T => ops.broadcastInDim(ops.fromValues([v], [], "float32"), x.shape, []);


/** Runs `f` jitted on one thread, then on four (expecting the pool to take part); returns both results' values. */
function bothWays(f: (...xs: T[]) => T[], args: T[], shares = true): [Float32Array[], Float32Array[]] {
  const values = (ts: T[]) => ts.map((t) => Float32Array.from(t.data() as ArrayLike<number>));
  setKernelThreads(1);
  const alone = values(jit(f)(...args) as T[]);
  setKernelThreads(4);
  const runtime = kernelRuntime();
  const before = runtime.sharedJobs;
  const shared = values(jit(f)(...args) as T[]);
  if (shares && (runtime.pool?.ready ?? 0) > 0) expect(runtime.sharedJobs).toBeGreaterThan(before);
  if (!shares) expect(runtime.sharedJobs).toBe(before);
  return [alone, shared];
}

function expectNear(actual: Float32Array, expected: ArrayLike<number>, tolerance: (i: number) => number): void {
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i];
    const ok = Number.isNaN(e) ? Number.isNaN(actual[i]) : Math.abs(actual[i] - e) <= tolerance(i);
    if (!ok) throw new Error(`element ${i}: ${actual[i]} vs ${e}`);
  }
}

describe.skipIf(!wasmAvailable() || typeof SharedArrayBuffer === "undefined")("fused loops on the worker pool", () => {
  beforeAll(async () => {
    setKernelThreads(4);
    await kernelRuntime().ready();
  });
  afterAll(() => setKernelThreads(undefined));

  test("the pool starts; kernelThreadsReady counts its workers and the calling thread", async () => {
    expect(kernelRuntime().pool?.ready ?? 0).toBeGreaterThan(0);
    expect(await kernelThreadsReady()).toBe(1 + kernelRuntime().pool!.ready);
  });

  test("value and gradient of sum(tanh(2x+1)·x) over 300 001 elements (a tail past the last vector)", () => {
    const n = 300_001;
    const xs = uniform(n, 1);
    xs[200_003] = NaN; // lands in a later task: the gradient there is NaN, and so is the sum
    const x = f32(xs, [n]);
    const f = (x: T): T[] => {
      const t = ops.tanh(ops.add(ops.mul(x, lit(x, 2)), lit(x, 1)));
      const value = ops.reduceSum(ops.mul(t, x), [0]);
      const grad = ops.add(t, ops.mul(ops.mul(ops.sub(lit(x, 1), ops.mul(t, t)), x), lit(x, 2)));
      const max = ops.reduceMax(grad, [0]);
      return [value, grad, max];
    };
    const [alone, shared] = bothWays(f, [x]);
    shared.forEach((s, i) => expect(s).toEqual(alone[i]));
    const grad = Array.from(xs, (v) => {
      const t = Math.tanh(2 * v + 1);
      return t + (1 - t * t) * v * 2;
    });
    expectNear(shared[1], grad, (i) => 4e-7 * (1 + Math.abs(grad[i])));
    expect(shared[0][0]).toBeNaN();
    expect(shared[2][0]).toBeNaN();
  });

  test("a finite full sum agrees with float64 (partials combined in task order)", () => {
    const n = 1_000_003;
    const xs = uniform(n, 2);
    const [alone, shared] = bothWays((x) => [ops.reduceSum(ops.exp(x), [0]), ops.reduceMax(ops.exp(x), [0])], [f32(xs, [n])]);
    shared.forEach((s, i) => expect(s).toEqual(alone[i]));
    let sum = 0;
    let max = -Infinity;
    for (const v of xs) {
      sum += Math.fround(Math.exp(v));
      max = Math.max(max, Math.fround(Math.exp(v)));
    }
    expect(Math.abs(shared[0][0] - sum)).toBeLessThanOrEqual(1e-6 * sum);
    expect(shared[1][0]).toBe(max);
  });

  test("row and column broadcasts whose periods do not divide the task size; trailing-axes sums", () => {
    const [rows, cols] = [30_011, 12]; // 360 132 elements: tasks of 2¹⁶ start mid-row, mid-repeat
    const xs = uniform(rows * cols, 3);
    const rowVec = uniform(cols, 4);
    const colVec = uniform(rows, 5);
    const args = [f32(xs, [rows, cols]), f32(rowVec, [cols]), f32(colVec, [rows])];
    const y = (x: T, r: T, c: T): T => ops.mul(ops.add(x, ops.broadcastInDim(r, [rows, cols], [1])), ops.broadcastInDim(c, [rows, cols], [0]));
    const relu = (y: T): T => ops.select(ops.compare(y, lit(y, 0), "gt"), y, lit(y, 0));
    const masks = (x: T, r: T, c: T): T[] => [relu(y(x, r, c)), ops.cast(ops.compare(y(x, r, c), lit(x, 0), "gt"), "float32")];
    const sums = (x: T, r: T, c: T): T[] => [ops.reduceSum(ops.exp(relu(y(x, r, c))), [1])];
    const [alone, shared] = bothWays(masks, args);
    shared.forEach((s, i) => expect(s).toEqual(alone[i]));
    const [aloneSums, sharedSums] = bothWays(sums, args);
    expect(sharedSums[0]).toEqual(aloneSums[0]);
    const ys = Array.from(xs, (v, i) => Math.fround(Math.fround(v + rowVec[i % cols]) * colVec[Math.floor(i / cols)]));
    expectNear(shared[0], ys.map((v) => Math.max(v, 0)), () => 0);
    expectNear(shared[1], ys.map((v) => (v > 0 ? 1 : 0)), () => 0);
    const rowSums = Array.from({ length: rows }, (_, r) => ys.slice(r * cols, (r + 1) * cols).reduce((a, v) => a + Math.exp(Math.max(v, 0)), 0));
    expectNear(sharedSums[0], rowSums, (i) => 1e-6 * rowSums[i]);
  });

  test("loops compiled after the workers started (modules sent to them late), many in a row", () => {
    const n = 262_147;
    const x = f32(uniform(n, 6), [n]);
    for (let k = 1; k <= 12; k++) {
      const f = (x: T): T[] => [ops.reduceSum(ops.mul(ops.tanh(ops.mul(x, lit(x, k))), x), [0]), ops.log(ops.add(ops.abs(x), lit(x, k)))];
      const [alone, shared] = bothWays(f, [x]);
      shared.forEach((s, i) => expect(s).toEqual(alone[i]));
    }
  });

  test("once every module slot is taken, new loops run on the calling thread, with the right values", () => {
    const runtime = kernelRuntime();
    const n = 262_151;
    const xs = uniform(n, 7);
    const x = f32(xs, [n]);
    runtime.limitSlots(runtime.nextSlot() ?? 0);
    try {
      for (const k of [3, 5]) {
        const f = (x: T): T[] => [ops.reduceSum(ops.exp(ops.mul(x, lit(x, k))), [0]), ops.sqrt(ops.add(ops.abs(x), lit(x, k)))];
        const [alone, pooled] = bothWays(f, [x], false);
        pooled.forEach((p, q) => expect(p).toEqual(alone[q]));
        let sum = 0;
        for (const v of xs) sum += Math.exp(Math.fround(v * k));
        expect(Math.abs(alone[0][0] - sum)).toBeLessThanOrEqual(1e-6 * sum);
        expectNear(alone[1], Array.from(xs, (v) => Math.sqrt(Math.fround(Math.abs(v) + k))), (i) => 2 ** -23 * Math.sqrt(Math.abs(xs[i]) + k));
      }
    } finally {
      runtime.limitSlots(undefined);
    }
  });
});
