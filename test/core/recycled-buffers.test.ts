// Storage that escapes to the user is recycled once collected (src/backend/recycled-buffers.ts),
// and never while a live tensor can still read it: views that share a storage (a reshape of a
// dropped tensor, a scan carry that is a slice of a dropped xs, a storage array held alone) keep
// their values while buffers of the same size are reused around them. The garbage collector is
// forced (gc exposed at run time), and the registry reports in a later task of the event loop.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { allocate } from "../../src/dtype.js";
import { jit, scan, sum } from "../../src/index.js";
import {
  RECYCLED_IDLE_MS,
  RECYCLED_MAX_UNTURNED,
  RECYCLED_MIN_BYTES,
  clearRecycled,
  recycleStats,
  recycledBytes,
} from "../../src/backend/recycled-buffers.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

type T = AnyTensor;
/** Elements of a float32 storage big enough to be tracked. */
const N = (RECYCLED_MIN_BYTES / 4) * 2;

const ramp = (n: number, offset = 0) => ops.fromValues(Array.from({ length: n }, (_, i) => offset + (i % 1000) / 7), [n], "float32");
const values = (t: T) => Array.from(t.data());

/** Collects garbage and lets the registry report, until `done` or a few rounds have passed. */
async function collect(done: () => boolean = () => false): Promise<void> {
  for (let round = 0; round < 20 && !(round > 1 && done()); round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Allocates tensors of `n` float32 elements full of `value` until the pool has none of that size left. */
function churn(n: number, value: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < 256; i++) {
    const reused = recycleStats.reused;
    out.push(ops.filled([n], value, "float32"));
    if (recycleStats.reused === reused) break;
  }
  return out;
}

afterEach(() => clearRecycled());

describe("recycled result buffers", () => {
  test("a dropped result's buffer returns and is reused, zeroed where asked", async () => {
    let a: T | null = ops.add(ramp(N), ramp(N, 1));
    const returned = recycleStats.returned;
    a = null;
    void a;
    await collect(() => recycleStats.returned > returned);
    expect(recycleStats.returned).toBeGreaterThan(returned);
    expect(recycledBytes()).toBeGreaterThanOrEqual(N * 4);
    const reused = recycleStats.reused;
    const z = ops.filled([N], 0, "float32");
    const raw = allocate("float32", N, true);
    expect(recycleStats.reused).toBeGreaterThan(reused);
    expect(values(z).every((v) => v === 0)).toBe(true);
    expect(raw.every((v) => v === 0)).toBe(true);
  });

  test("a reshape of a dropped jit result keeps its values while buffers are reused", async () => {
    const f = jit((x: T) => ops.mul(ops.add(x, x), x));
    let out: T | null = f(ramp(N));
    const view = ops.reshape(out, [2, N / 2]);
    const expected = values(view);
    // Other results of the same size die, so the pool has buffers to hand out meanwhile.
    for (let i = 0; i < 4; i++) f(ramp(N, i));
    out = null;
    void out;
    await collect();
    const reused = recycleStats.reused;
    const others = churn(N, 7);
    expect(recycleStats.reused).toBeGreaterThan(reused);
    expect(values(view)).toEqual(expected);
    const viewBuffer = view.concrete()!.storage.buffer;
    expect(others.some((t) => t.concrete()!.storage.buffer === viewBuffer)).toBe(false);
  });

  test("a storage array held alone keeps its buffer", async () => {
    let t: T | null = ops.add(ramp(N), ramp(N));
    const storage = t.concrete()!.storage;
    const expected = Array.from(storage);
    t = null;
    void t;
    for (let i = 0; i < 4; i++) ops.add(ramp(N), ramp(N, 3));
    await collect();
    const others = churn(N, -1);
    expect(Array.from(storage)).toEqual(expected);
    expect(others.some((o) => o.concrete()!.storage.buffer === storage.buffer)).toBe(false);
  });

  test("a scan carry that is a slice of a dropped xs keeps its values (eager and jit)", async () => {
    const rows = 3;
    const body = (_c: T, x: T): [T, T] => [x, sum(x) as T];
    const run = (xs: T) => scan(body, ops.filled([N], 0, "float32"), xs)[0];
    for (const how of [run, jit(run)]) {
      let xs: T | null = ops.reshape(ramp(rows * N), [rows, N]);
      const last = values(xs).slice((rows - 1) * N);
      const carry = how(xs);
      xs = null;
      void xs;
      for (let i = 0; i < 4; i++) ops.add(ramp(rows * N), ramp(rows * N, i));
      await collect();
      churn(rows * N, 5);
      churn(N, 5);
      expect(values(carry)).toEqual(last);
    }
  });

  test("a loop that never yields registers at most RECYCLED_MAX_UNTURNED bytes (the registry keeps them until it reports)", () => {
    const untracked = recycleStats.untracked;
    const big = (RECYCLED_MAX_UNTURNED / 4 / 8) | 0;
    for (let i = 0; i < 12; i++) ops.filled([big], i, "float32");
    expect(recycleStats.untracked).toBeGreaterThan(untracked);
  });

  test("small storage is not tracked", () => {
    const registered = recycleStats.registered;
    ops.add(ramp(16), ramp(16));
    expect(recycleStats.registered).toBe(registered);
  });

  test("the pool lets its buffers go when idle", async () => {
    let a: T | null = ops.add(ramp(N), ramp(N));
    a = null;
    void a;
    await collect(() => recycledBytes() > 0);
    expect(recycledBytes()).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 2 * RECYCLED_IDLE_MS + 200));
    expect(recycledBytes()).toBe(0);
  });
});
