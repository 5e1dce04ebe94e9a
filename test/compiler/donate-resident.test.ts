// Donated updates kept in the kernel memory (backend/buffer-pool.ts `survivor`): on the WebAssembly
// backend with a shared memory, a result of 1 MiB or more that replaces a donated argument of its
// size outlives the run in the resident store, so the next step reads it in place. Checked: the
// values of plain steps, bit for bit; where the parameters live from the second step on; that the
// store does not grow over many steps; that data() still hands out ordinary arrays; that results of
// calls without donation stay ordinary; that the budget bounds what dropped results hold; and that
// eager ops and other programs read a survivor correctly.
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { jit, setBackend } from "../../src/index.js";
import { wasmAvailable } from "../../src/backend/wasm/probe.js";
import { kernelRuntime } from "../../src/backend/wasm/runtime.js";
import { isSurvivor, survivorBytes, SURVIVING_MAX_BYTES, RESIDENT_MIN_BYTES } from "../../src/backend/buffer-pool.js";

type T = AnyTensor;
// 300 000 floats: 1.2 MB, above the resident store's 1 MiB
const N = 300_000;
const shared = wasmAvailable() && kernelRuntime().shared;

function start(seed: number): T {
  return ops.fromValues(Array.from({ length: N }, (_, i) => Math.sin(i * seed)), [N], "float32");
}
const bits = (t: T) => Array.from(t.data() as Float32Array);
const full = (x: T, v: number) => ops.fullLike(x, v);

/**
 * An Adam-like update of p with moment m from a gradient made of g (through a transpose: an
 * intermediate of the arguments' size in the store, made before p is read).
 */
const update = (p: T, m: T, g: T): T[] => {
  const scaled = ops.reshape(ops.transpose(ops.reshape(ops.mul(g, full(g, 1.5)), [600, 500]), [1, 0]), [N]);
  const m2 = ops.add(ops.mul(m, full(m, 0.9)), ops.mul(scaled, full(g, 0.1)));
  const p2 = ops.sub(p, ops.mul(ops.div(m2, ops.add(ops.sqrt(ops.abs(m2)), full(m2, 1e-3))), full(p, 0.01)));
  return [p2, m2];
};
const resident = (t: T) => kernelRuntime().addressOf(t.concrete()!.storage) >= 0;

describe.skipIf(!shared)("donated updates in the kernel memory", () => {
  afterEach(() => setBackend("auto"));

  test("the values of plain steps, bit for bit; the parameters in the store from the second step on", () => {
    setBackend("wasm");
    const g = start(0.3);
    const plain = jit(update);
    const donating = jit(update, { donate: [0, 1] });
    let [a, am] = [start(1.7), start(0.2)];
    let [b, bm] = [start(1.7), start(0.2)];
    for (let k = 0; k < 5; k++) {
      [a, am] = plain(a, am, g);
      [b, bm] = donating(b, bm, g);
      expect(bits(b)).toEqual(bits(a));
      expect(bits(bm)).toEqual(bits(am));
      expect(resident(b) && resident(bm)).toBe(true);
      expect(isSurvivor(b.concrete()!.storage)).toBe(true);
      // results without donation are ordinary arrays
      expect(resident(a)).toBe(false);
    }
  });

  test("the store does not grow over many steps, and data() hands out ordinary arrays", () => {
    setBackend("wasm");
    const g = start(0.5);
    const step = jit(update, { donate: [0, 1] });
    let [p, m] = [start(1.1), start(0.4)];
    [p, m] = step(p, m, g);
    [p, m] = step(p, m, g);
    const heap = kernelRuntime().heap;
    const blocks = heap.blocks;
    const extent = heap.extent;
    const bytes = survivorBytes();
    for (let k = 0; k < 20; k++) [p, m] = step(p, m, g);
    expect(heap.blocks).toBe(blocks);
    expect(heap.extent).toBe(extent);
    expect(survivorBytes()).toBe(bytes);
    const out = p.data() as Float32Array;
    expect(out.buffer instanceof ArrayBuffer).toBe(true);
    expect(out).toHaveLength(N);
  });

  test("eager ops and other programs read a survivor where it lies", () => {
    setBackend("wasm");
    const g = start(0.9);
    const step = jit(update, { donate: [0, 1] });
    const [p, m] = step(start(1.3), start(0.1), g);
    expect(isSurvivor(p.concrete()!.storage)).toBe(true);
    const expected = bits(p).map((v) => Math.fround(v * 2));
    expect(bits(ops.mul(p, full(p, 2)))).toEqual(expected);
    expect(bits(jit((x: T) => ops.mul(x, full(x, 2)))(p))).toEqual(expected);
    // still a survivor: neither call donated it
    expect(isSurvivor(p.concrete()!.storage)).toBe(true);
    // another program's intermediates of the same size do not take its block
    const before = bits(p);
    // (a fused loop and a transpose: intermediates of N floats in the store)
    const busy = jit((x: T) => ops.reduceSum(ops.transpose(ops.reshape(ops.mul(ops.exp(x), full(x, 3)), [600, 500]), [1, 0]), [0, 1]));
    for (let k = 0; k < 3; k++) busy(start(2 + k));
    expect(bits(p)).toEqual(before);
    expect(bits(m)).toHaveLength(N);
  });
  test("a survivor whose array is collected gives its block back (a process with the collector exposed)", () => {
    const src = (path: string) => JSON.stringify(pathToFileURL(fileURLToPath(new URL(`../../src/${path}`, import.meta.url))).href);
    const script = [
      `import * as ops from ${src("core/ops.ts")};`,
      `import { jit, setBackend } from ${src("index.ts")};`,
      `import { survivorBytes } from ${src("backend/buffer-pool.ts")};`,
      `import { kernelRuntime } from ${src("backend/wasm/runtime.ts")};`,
      `setBackend("wasm");`,
      `const N = ${N};`,
      `const step = jit((p) => ops.mul(p, ops.fullLike(p, 0.5)), { donate: [0] });`,
      `let p = step(ops.fromValues(new Float32Array(N).fill(3), [N], "float32"));`,
      `const held = [survivorBytes(), kernelRuntime().heap.blocks];`,
      `p = null;`,
      `for (let i = 0; i < 3; i++) { gc(); await new Promise((r) => setTimeout(r, 20)); }`,
      `console.log(JSON.stringify([...held, survivorBytes(), kernelRuntime().heap.blocks]));`,
    ].join("\n");
    const r = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout.trim())).toEqual([4 * N, 1, 0, 0]);
  });

  // (last: the dropped results it makes fill the budget until the collector reports them)
  test("dropped results hold at most the budget; results stay right beyond it", () => {
    setBackend("wasm");
    const g = start(0.7);
    const step = jit(update, { donate: [0, 1] });
    const plain = jit(update);
    const calls = Math.ceil(SURVIVING_MAX_BYTES / (2 * 4 * N)) + 3;
    for (let k = 0; k < calls; k++) {
      const [p, m] = step(start(1 + k / 10), start(0.5), g);
      expect(survivorBytes()).toBeLessThanOrEqual(SURVIVING_MAX_BYTES);
      if (k === calls - 1) {
        const [q, n] = plain(start(1 + k / 10), start(0.5), g);
        expect(bits(p)).toEqual(bits(q));
        expect(bits(m)).toEqual(bits(n));
      }
    }
    expect(RESIDENT_MIN_BYTES).toBeLessThanOrEqual(4 * N);
  });
});
