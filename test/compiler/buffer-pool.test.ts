// Buffer reuse in jit plans: released intermediates are recycled, but never a buffer that is still
// reachable (outputs of earlier runs, arguments, literals, or intermediates aliased by a reshape).
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { jit } from "../../src/index.js";
import { BufferPool, POOLED_MIN } from "../../src/backend/buffer-pool.js";
import { allocate, setStorageSource } from "../../src/dtype.js";

type T = AnyTensor;
const data = (t: T) => Array.from(t.data() as ArrayLike<number>);
const N = 4 * POOLED_MIN;

function ramp(n: number, start: number): T {
  return ops.fromValues(Array.from({ length: n }, (_, i) => start + (i % 97) / 7), [n], "float64");
}

describe("buffer reuse in jit plans", () => {
  test("outputs of earlier runs, arguments and aliased intermediates stay intact", () => {
    const f = (x: T, y: T) => {
      const a = ops.sin(x); // intermediate, released after b
      const b = ops.mul(a, y);
      const kept = ops.reshape(ops.cos(b), [N / 4, 4]); // aliases the cos buffer, returned
      const c = ops.exp(ops.neg(ops.abs(b))); // may reuse a's buffer
      const d = ops.reduceSum(ops.mul(c, ops.sin(ops.mul(c, y))), [0]);
      return [kept, d, ops.add(c, x)];
    };
    const g = jit(f);
    const x1 = ramp(N, 0.5);
    const y1 = ramp(N, -1);
    const x1Before = data(x1);
    const first = (g(x1, y1) as T[]).map(data);
    const firstTensors = g(x1, y1) as T[];
    // more runs on other data: they take recycled buffers
    for (let k = 0; k < 3; k++) g(ramp(N, k), ramp(N, 2 * k));
    expect(firstTensors.map(data)).toEqual(first);
    expect(data(x1)).toEqual(x1Before);
    expect(first).toEqual((f(x1, y1) as T[]).map(data));
  });

  test("a pool hands back a released buffer of the same dtype and length, zeroed by allocate", () => {
    const pool = new BufferPool();
    const buffer = new Float32Array(POOLED_MIN).fill(3);
    pool.give("float32", buffer);
    expect(pool.take("float64", POOLED_MIN)).toBeUndefined();
    expect(pool.take("float32", POOLED_MIN + 1)).toBeUndefined();
    const previous = setStorageSource(pool);
    try {
      const reused = allocate("float32", POOLED_MIN);
      expect(reused).toBe(buffer);
      expect(reused.every((v) => v === 0)).toBe(true);
      expect(allocate("float32", POOLED_MIN)).not.toBe(buffer);
    } finally {
      setStorageSource(previous);
    }
  });
});
