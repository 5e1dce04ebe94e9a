// A fused WebAssembly loop called again on the same large input skips copying it into kernel
// memory when nothing can have changed it (backend/wasm/resident.ts); whenever something may have
// (another kernel laid out its operands there, or a released buffer got new values), it copies.
import { afterEach, describe, expect, test } from "vitest";
import * as ops from "../../../src/core/ops.js";
import type { AnyTensor } from "../../../src/core/ops.js";
import { add, concat, exp, jit, matmul, mul, setBackend, tanh, transpose } from "../../../src/index.js";
import { wasmAvailable } from "../../../src/backend/wasm/probe.js";
import { RESIDENT_MIN_BYTES, residentStats } from "../../../src/backend/wasm/resident.js";

type T = AnyTensor;
const N = RESIDENT_MIN_BYTES / 4 + 64;
const vec = (n: number, seed: number) => ops.fromValues(Array.from({ length: n }, (_, i) => Math.sin(i * seed + 1)), [n], "float32");
const data = (t: T) => Array.from(t.data() as ArrayLike<number>);
const f = (x: T) => mul(tanh(add(mul(x, 2), 1)), x) as T;
/** The values of `fn` jitted afresh (a new plan: its loop copies every input). */
const fresh = (fn: (x: T) => T, x: T) => data(jit(fn)(x));

afterEach(() => setBackend("auto"));

describe.runIf(wasmAvailable())("inputs still in kernel memory", () => {
  test("the same input again: the copy is skipped, the values are those of a first call", () => {
    setBackend("wasm");
    const x = vec(N, 0.3);
    const jf = jit(f);
    const expected = fresh(f, x);
    expect(data(jf(x))).toEqual(expected);
    const skipped = residentStats.skipped;
    expect(data(jf(x))).toEqual(expected);
    expect(data(jf(x))).toEqual(expected);
    expect(residentStats.skipped).toBe(skipped + 2);
  });

  test("another input, or another loop over the same memory in between: copied again", () => {
    setBackend("wasm");
    const x = vec(N, 0.3);
    const y = vec(N, 0.7);
    const e = (a: T) => add(exp(a), 1) as T;
    const [fx, fy, ey] = [fresh(f, x), fresh(f, y), fresh(e, y)];
    const jf = jit(f);
    const other = jit(e);
    const skipped = residentStats.skipped;
    // no other call between these (references above), so only the layouts counted here matter
    const got = [jf(x), jf(y), jf(x), other(y), jf(x)].map(data);
    expect(got).toEqual([fx, fy, fx, ey, fx]);
    expect(residentStats.skipped).toBe(skipped);
  });

  test("a matrix product in between (it lays out its operands over the loop's): copied again", () => {
    setBackend("wasm");
    const x = vec(N, 0.3);
    const a = ops.reshape(vec(256 * 256, 0.5), [256, 256]);
    const fx = fresh(f, x);
    const jf = jit(f);
    const mm = jit((p: T, q: T) => matmul(p, q) as T);
    const skipped = residentStats.skipped;
    const got = [jf(x), mm(a, a), jf(x)].map(data);
    expect([got[0], got[2]]).toEqual([fx, fx]);
    expect(residentStats.skipped).toBe(skipped);
  });

  test("a released buffer that got new values between two calls is copied again", () => {
    setBackend("wasm");
    // b = aᵀ is made by a JS kernel and dies at another one after the loop (a concatenation with
    // the loop's result), so it goes back to the
    // plan's pool: on the second call the first transpose takes it again (same array, new values)
    // and no kernel lays out memory before the loop reads it
    const h = (a: T): [T, T] => {
      const b = transpose(a) as T;
      const c = tanh(mul(b, 3)) as T;
      return [c, concat([b, c], 0) as T];
    };
    const rows = 128;
    const cols = Math.ceil(N / rows);
    const a = ops.reshape(vec(rows * cols, 0.3), [rows, cols]);
    const b = ops.reshape(vec(rows * cols, 0.9), [rows, cols]);
    const first = (m: T) => (jit(h)(m) as T[]).map(data);
    const [ha, hb] = [first(a), first(b)];
    const g = jit(h);
    expect([g(a), g(b), g(a)].map((o) => (o as T[]).map(data))).toEqual([ha, hb, ha]);
  });
});
