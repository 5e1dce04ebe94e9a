// Bounded memory for programs made without end: compiled loops are keyed by structure with
// constants read as inputs (programs that differ only in a constant share one module), the
// modules past the worker pool's slots and the generated JS loops are kept least recently used
// first up to a bound, and each jitted function keeps a bounded number of traces; evicted entries
// are compiled or traced again when next needed, with the right values.
import { afterEach, describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { jit, setBackend } from "../../src/index.js";
import { wasmAvailable } from "../../src/backend/wasm/probe.js";
import { compiledModules } from "../../src/backend/wasm/elementwise.js";
import { kernelRuntime } from "../../src/backend/wasm/runtime.js";
import { LruMap } from "../../src/internal/lru.js";

type T = AnyTensor;

const f32 = (values: number[]) => ops.fromValues(values, [values.length], "float32");
const total = () => {
  const { slotted, unslotted } = compiledModules();
  return slotted + unslotted;
};

describe("LruMap", () => {
  test("keeps the most recently used entries up to its capacity", () => {
    const m = new LruMap<string, number>(2);
    m.set("a", 1);
    m.set("b", 2);
    expect(m.get("a")).toBe(1); // a is now the most recent
    m.set("c", 3); // evicts b
    expect([m.get("a"), m.get("b"), m.get("c"), m.size]).toEqual([1, undefined, 3, 2]);
    expect(() => new LruMap(0)).toThrow(RangeError);
  });
});

describe.skipIf(!wasmAvailable())("compiled loops", () => {
  afterEach(() => {
    kernelRuntime().limitSlots(undefined);
    setBackend("auto");
  });

  test("programs that differ only in a constant share one module, each with its own constant", () => {
    setBackend("wasm");
    const x = f32(Array.from({ length: 1000 }, (_, i) => i / 1000));
    const scaled = (k: number) => jit((v: T) => ops.tanh(ops.mul(v, ops.fullLike(v, k))));
    const before = total();
    const a = scaled(0.5)(x).concrete()!.storage;
    const afterFirst = total();
    const b = scaled(0.25)(x).concrete()!.storage;
    expect(total()).toBe(afterFirst);
    expect(afterFirst - before).toBeLessThanOrEqual(1);
    expect(a[999]).toBeCloseTo(Math.tanh(0.999 * 0.5), 6);
    expect(b[999]).toBeCloseTo(Math.tanh(0.999 * 0.25), 6);
  });

  test("modules past the last slot are kept up to a bound, and an evicted one compiles again", () => {
    setBackend("wasm");
    const runtime = kernelRuntime();
    runtime.limitSlots(runtime.nextSlot() ?? 0);
    // 300 loops of different structures (sizes alone no longer make a new module): more than the
    // 256 kept. Loop k chains tanh or exp(−v) by the bits of k.
    const stages = (k: number) => Array.from({ length: 9 }, (_, b) => (k >> b) & 1);
    const loop = (k: number) => jit((v: T) => stages(k).reduce((x, bit) => (bit ? ops.exp(ops.neg(x)) : ops.tanh(x)), v));
    const expected = (k: number, x: number) => stages(k).reduce((y, bit) => (bit ? Math.exp(-y) : Math.tanh(y)), x);
    const xs = Array.from({ length: 64 }, (_, i) => (i % 7) / 7);
    const check = (k: number) => {
      const out = loop(k)(f32(xs)).concrete()!.storage;
      for (const i of [0, 5, 63]) expect(out[i]).toBeCloseTo(expected(k, xs[i]), 5);
    };
    for (let k = 0; k < 300; k++) check(k);
    expect(compiledModules().unslotted).toBeLessThanOrEqual(256);
    // the first loop again: compiled again (it was dropped), with the right values
    const before = compiledModules().compiled;
    check(0);
    expect(compiledModules().compiled).toBe(before + 1);
  });
});

test("a jitted function called with ever new static values keeps giving the right values", () => {
  const shift = jit((v: T, k: number) => ops.add(v, ops.fullLike(v, k)));
  const x = f32([1, 2]);
  for (let k = 0; k < 300; k++) expect(Array.from(shift(x, k).concrete()!.storage)).toEqual([1 + k, 2 + k]);
  // k = 0 was traced first and has been dropped from the 256 traces kept: traced again
  expect(Array.from(shift(x, 0).concrete()!.storage)).toEqual([1, 2]);
});
