// A jit run on the WebAssembly backend keeps its large float32 and bool intermediates in the kernel
// memory, where the kernels read and write them in place (backend/buffer-pool.ts, wasm/kernel-heap.ts).
// What must hold: the values are the JS backend's; the results handed back are ordinary arrays; every
// block a run took is free again when it ends, after a throw too; and repeated runs do not grow the
// heap. Sizes are past RESIDENT_MIN_BYTES so that the store is used.
import { afterEach, describe, expect, test, vi } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { conv2d, grad, jit, matmul, maxPool2d, relu, scan, setBackend, sum, take } from "../../src/index.js";
import { RESIDENT_MIN_BYTES } from "../../src/backend/buffer-pool.js";
import { wasmAvailable } from "../../src/backend/wasm/probe.js";
import { kernelRuntime } from "../../src/backend/wasm/runtime.js";
import { wasmBackend } from "../../src/backend/wasm/backend.js";
import { winogradCounts } from "../../src/backend/wasm/winograd.js";

type T = AnyTensor;
const N = RESIDENT_MIN_BYTES / 4 + 35;
const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(i * seed + 1) * 2);
const tensor = (shape: number[], seed: number) => ops.fromValues(values(shape.reduce((a, b) => a * b, 1), seed), shape, "float32");
const data = (t: T) => Array.from(t.data() as ArrayLike<number>);
const shared = typeof SharedArrayBuffer !== "undefined";
/** Blocks in use once a run has ended: none (the kernels' scratch area has a region of its own). */
const NOTHING_LEFT = 0;

/** Equal within `tol` of the largest magnitude (the WebAssembly exp and tanh are not Math's to the bit). */
function expectNear(actual: number[], expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  let scale = 1;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  actual.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - expected[j]))));
  expect(worst).toBeLessThanOrEqual(tol * scale);
}

/** `fn(...args)` on the JS backend and on the WebAssembly one, jitted: values of both. */
function bothBackends(fn: (...args: T[]) => T | T[], args: T[]): [number[][], T[]] {
  setBackend("js");
  const expected = ([] as T[]).concat(jit(fn)(...args) as T | T[]).map(data);
  setBackend("wasm");
  const got = ([] as T[]).concat(jit(fn)(...args) as T | T[]);
  return [expected, got];
}

/**
 * Expects `fn(...args)` jitted on the WebAssembly backend without the resident store (every operand
 * copied in and out, as before it existed) and with it to give the same bits: the same kernels in
 * the same order. Returns how many buffers the second run took from the store: a caller checks that
 * it took some where memory is shared (else the comparison compares a program with itself).
 */
function sameBitsWithStore(fn: (...args: T[]) => T | T[], args: T[]): number {
  setBackend("wasm");
  const none = vi.spyOn(wasmBackend, "residentStore").mockReturnValue(null);
  let expected: number[][];
  try {
    // a function of its own for each jit: traces (and so plans) are cached per function
    expected = ([] as T[]).concat(jit((...a: T[]) => fn(...a))(...args) as T | T[]).map(data);
  } finally {
    none.mockRestore();
  }
  const takes = countTakes();
  try {
    const got = ([] as T[]).concat(jit((...a: T[]) => fn(...a))(...args) as T | T[]);
    got.forEach((t, i) => expect(data(t).filter((v, j) => !Object.is(v, expected[i][j])).length).toBe(0));
    return takes.count();
  } finally {
    takes.restore();
  }
}

/** Counts the buffers that plans compiled from now on take from the resident store, until `restore`. */
function countTakes(): { count(): number; restore(): void } {
  const store = wasmBackend.residentStore();
  let taken = 0;
  const spy = vi.spyOn(wasmBackend, "residentStore").mockReturnValue(
    store && {
      ...store,
      take: (dtype, n, owner) => {
        const storage = store.take(dtype, n, owner);
        if (storage !== undefined) taken++;
        return storage;
      },
    },
  );
  return { count: () => taken, restore: () => spy.mockRestore() };
}

afterEach(() => setBackend("auto"));

describe.runIf(wasmAvailable())("resident tensors of a jit run", () => {
  test("loops and transposes over resident intermediates: the JS backend's values, the bits of a run without the store, ordinary arrays back", () => {
    // 512 × 520 floats (1.06 MB): past RESIDENT_MIN_BYTES
    const x = tensor([512, 520], 0.3);
    const y = tensor([512, 520], 0.7);
    const f = (a: T, b: T): T[] => {
      const e = ops.exp(ops.mul(a, ops.fullLike(a, 0.5)));
      // transposes are kernels of their own: e and its transpose are intermediates between steps
      const back = ops.transpose(ops.transpose(e, [1, 0]), [1, 0]);
      const g = ops.add(ops.mul(back, b), a);
      const h = ops.tanh(ops.sub(g, e));
      return [h, ops.mul(h, h), sum(g) as T];
    };
    const [expected, got] = bothBackends(f, [x, y]);
    // (exp and tanh are not Math's to the bit, and the long sum is summed in another order)
    got.forEach((t, i) => expectNear(data(t), expected[i], 1e-4));
    for (const t of got) expect((t.data() as Float32Array).buffer instanceof ArrayBuffer).toBe(true);
    expect(kernelRuntime().heap.blocks).toBe(NOTHING_LEFT);
    const taken = sameBitsWithStore(f, [x, y]);
    if (shared) expect(taken).toBeGreaterThan(0);
  });

  test("a CNN step's ops (conv, bias, relu mask, pooling, products) and their gradients: the JS backend's values", () => {
    // batch 16: the first layer's outputs (16·28·28·32 floats) are past RESIDENT_MIN_BYTES
    const x = tensor([16, 28, 28, 1], 0.11);
    const w1 = tensor([3, 3, 1, 32], 0.23);
    const w2 = tensor([3, 3, 32, 16], 0.37);
    const d = tensor([7 * 7 * 16, 10], 0.41);
    const loss = (w1: T, w2: T, d: T, x: T): T => {
      const h1 = maxPool2d(relu(conv2d(x, w1, { padding: "same" }) as T) as T, 2) as T;
      const h2 = maxPool2d(relu(conv2d(h1, w2, { padding: "same" }) as T) as T, 2) as T;
      const logits = matmul(ops.reshape(h2, [16, 7 * 7 * 16]), d) as T;
      return sum(ops.mul(logits, logits)) as T;
    };
    const g = (w1: T, w2: T, d: T, x: T) => grad(loss, { argnums: [0, 1, 2] })(w1, w2, d, x) as T[];
    const [expected, got] = bothBackends(g, [w1, w2, d, x]);
    got.forEach((t, i) => expectNear(data(t), expected[i], 1e-4));
    expect(kernelRuntime().heap.blocks).toBe(NOTHING_LEFT);
    // and the bits of the same kernels with every operand copied in and out
    const taken = sameBitsWithStore(g, [w1, w2, d, x]);
    if (shared) expect(taken).toBeGreaterThan(0);
  });

  test("Winograd convolutions (16 → 32 → 32 channels at 28×28, batch 16) and their gradients over resident tensors: the JS backend's values, the bits of a run without the store", () => {
    const x = tensor([16, 28, 28, 16], 0.13);
    const w1 = tensor([3, 3, 16, 32], 0.29);
    const w2 = tensor([3, 3, 32, 32], 0.31);
    const loss = (w1: T, w2: T, x: T): T => {
      // h1 (3.2 MB) and h2 are intermediates past RESIDENT_MIN_BYTES
      const h1 = relu(conv2d(x, ops.mul(w1, ops.fullLike(w1, 0.1)), { padding: "same" }) as T) as T;
      const h2 = conv2d(h1, ops.mul(w2, ops.fullLike(w2, 0.1)), { padding: "same" }) as T;
      return sum(ops.mul(h2, h2)) as T;
    };
    const g = (w1: T, w2: T, x: T) => grad(loss, { argnums: [0, 1] })(w1, w2, x) as T[];
    const before = { ...winogradCounts };
    const [expected, got] = bothBackends(g, [w1, w2, x]);
    got.forEach((t, i) => expectNear(data(t), expected[i], 1e-4));
    // conv2d twice, their filter gradients, the second one's input gradient
    expect(winogradCounts.jobs - before.jobs).toBe(5);
    const taken = sameBitsWithStore(g, [w1, w2, x]);
    if (shared) {
      expect(taken).toBeGreaterThan(0);
      expect(winogradCounts.inPlace - before.inPlace).toBeGreaterThan(0);
    }
    expect(kernelRuntime().heap.blocks).toBe(NOTHING_LEFT);
  });

  test("random chains of loops, transposes and products over sizes around the threshold, on a fragmented heap: the bits of a run without the store", () => {
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    let roundsInPlace = 0;
    for (let round = 0; round < 12; round++) {
      // 0.8–2.6 MB operands: below and past RESIDENT_MIN_BYTES
      const rows = 300 + Math.floor(rand() * 300);
      const cols = 700 + 4 * Math.floor(rand() * 100);
      const kinds = Array.from({ length: 6 }, () => Math.floor(rand() * 4));
      const f = (a: T, b: T): T[] => {
        let v = a;
        const outs: T[] = [];
        for (const kind of kinds) {
          if (kind === 0) v = ops.tanh(ops.add(ops.mul(v, ops.fullLike(v, 0.5)), b));
          else if (kind === 1) v = ops.transpose(ops.transpose(ops.exp(ops.mul(v, ops.fullLike(v, -0.25))), [1, 0]), [1, 0]);
          else if (kind === 2) v = ops.mul(matmul(v, ops.transpose(b, [1, 0])) as T, ops.fullLike(ops.filled([rows, rows], 0, "float32"), 1 / cols));
          else outs.push(ops.reduceSum(ops.mul(v, v), [0]));
          if (kind === 2) v = matmul(v, b) as T;
        }
        return [v, ...outs];
      };
      if (sameBitsWithStore(f, [tensor([rows, cols], 0.1 + round), tensor([rows, cols], 0.3 + round)]) > 0) roundsInPlace++;
      expect(kernelRuntime().heap.blocks).toBe(NOTHING_LEFT);
    }
    // most rounds ran on resident storage (a round whose intermediates are all small, or all results, need not)
    if (shared) expect(roundsInPlace).toBeGreaterThanOrEqual(6);
  });

  test.runIf(shared)("runs over and over: the heap neither leaks blocks nor grows", () => {
    setBackend("wasm");
    const takes = countTakes();
    // the transposes make exp(a) and its transpose intermediates between steps (resident)
    const f = jit((a: T, b: T) => ops.tanh(ops.add(ops.mul(a, b), ops.transpose(ops.transpose(ops.exp(a), [1, 0]), [1, 0]))) as T);
    const x = tensor([512, 520], 0.3);
    const y = tensor([512, 520], 0.9);
    const first = data(f(x, y));
    takes.restore();
    const heap = kernelRuntime().heap;
    const [blocks, extent, taken] = [heap.blocks, heap.extent, takes.count()];
    expect(taken).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) expect(data(f(x, y))).toEqual(first);
    expect(takes.count()).toBe(taken * 21);
    expect(heap.blocks).toBe(blocks);
    expect(heap.extent).toBe(extent);
  });

  test("a run that throws midway frees what it took", () => {
    setBackend("wasm");
    const takes = countTakes();
    const f = jit((a: T, labels: T) => {
      const big = ops.exp(ops.mul(a, a));
      // labels out of range: a RangeError after big intermediates exist
      return ops.add(take(ops.reshape(big, [N, 1]), labels, 0) as T, ops.filled([2, 1], 1, "float32")) as T;
    });
    const labels = ops.fromValues([0, N + 5], [2], "int32");
    try {
      expect(() => f(tensor([N], 0.2), labels)).toThrow(RangeError);
    } finally {
      takes.restore();
    }
    if (shared) expect(takes.count()).toBeGreaterThan(0);
    expect(kernelRuntime().heap.blocks).toBe(NOTHING_LEFT);
  });

  test("a scan over resident xs whose carry is a slice of xs, and whose ys stack: the JS backend's values, nothing left taken", () => {
    const rows = 4;
    const n = N;
    const f = (a: T): T[] => {
      const xs = ops.reshape(ops.mul(a, a), [rows, n]);
      const [carry, ys] = scan((_c: T, x: T): [T, T] => [x, ops.add(x, ops.fullLike(x, 1))], ops.filled([n], 0, "float32"), xs) as [T, T];
      const other = ops.add(ops.mul(a, ops.fullLike(a, 3)), ops.fullLike(a, 1));
      return [carry, ys, other];
    };
    const [expected, got] = bothBackends(f, [tensor([rows * n], 0.13)]);
    got.forEach((t, i) => expect(data(t)).toEqual(expected[i]));
    expect(kernelRuntime().heap.blocks).toBe(NOTHING_LEFT);
  });

  // The update's loop runs call after call with nothing in between, and its result takes the
  // donated input's buffer: the copy of that input into kernel memory (resident.ts) must not be
  // skipped as if the buffer still held the values copied last time.
  test("a donated parameter updated step after step: the eager values", () => {
    setBackend("wasm");
    const sgd = (p: T, g: T) => ops.sub(p, ops.mul(g, ops.fullLike(g, 0.01))) as T;
    const step = jit(sgd, { donate: [0] });
    const g = tensor([N], 0.7);
    let eager = tensor([N], 1.3);
    let p = tensor([N], 1.3);
    for (let k = 0; k < 4; k++) {
      eager = sgd(eager, g);
      p = step(p, g) as T;
      // (a mismatch of 65k elements is reported as a count: a diff of the arrays takes minutes)
      const [got, want] = [data(p), data(eager)];
      expect(got.filter((v, i) => v !== want[i]).length).toBe(0);
    }
  });
});
