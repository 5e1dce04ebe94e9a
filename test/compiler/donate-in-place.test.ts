// A fused WebAssembly loop reads all of its inputs before it allocates its outputs, so the plan
// releases an input that dies there before the loop runs and the output may take its buffer: a
// donated parameter is updated in place (one buffer per parameter fewer between steps). The values
// must stay those of the eager step; loops that read while they write (the JS backend's) never do this.
import { afterEach, describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { jit, setBackend } from "../../src/index.js";
import { POOLED_MIN } from "../../src/backend/buffer-pool.js";
import { wasmAvailable } from "../../src/backend/wasm/probe.js";

type T = AnyTensor;
const N = 4 * POOLED_MIN + 3;
const data = (t: T) => Array.from(t.data() as ArrayLike<number>);
const vec = (seed: number) => ops.fromValues(Array.from({ length: N }, (_, i) => Math.sin(i * seed + 1)), [N], "float32");
/** p − 0.01·g, and a second output that reads p too (both must see the old p). */
const sgd = (p: T, g: T) => ops.sub(p, ops.mul(g, ops.fullLike(g, 0.01)));
const sgdAndNorm = (p: T, g: T): [T, T] => [sgd(p, g), ops.mul(p, p)];

afterEach(() => setBackend("auto"));

describe.each(wasmAvailable() ? (["wasm", "js"] as const) : (["js"] as const))("in-place update of a donated input (%s)", (backend) => {
  test("the update gives the eager values, step after step", () => {
    setBackend(backend);
    const g = vec(0.7);
    const step = jit(sgd, { donate: [0] });
    let eager = vec(1.3);
    let p = vec(1.3);
    for (let k = 0; k < 5; k++) {
      eager = sgd(eager, g);
      p = step(p, g) as T;
      expect(data(p)).toEqual(data(eager));
    }
    expect(data(g)).toEqual(data(vec(0.7)));
  });

  test("every output of the loop sees the old value", () => {
    setBackend(backend);
    const g = vec(0.7);
    const step = jit(sgdAndNorm, { donate: [0] });
    const [eagerP, eagerSq] = sgdAndNorm(vec(2.1), g);
    const [p, sq] = step(vec(2.1), g) as T[];
    expect(data(p)).toEqual(data(eagerP));
    expect(data(sq)).toEqual(data(eagerSq));
  });

  test("where the loop reads first, the donated buffer holds the result of the same step", () => {
    setBackend(backend);
    const g = vec(0.7);
    const p = vec(1.3);
    const buffer = p.concrete()!.storage;
    const out = jit(sgd, { donate: [0] })(p, g) as T;
    if (backend === "wasm") expect(out.concrete()!.storage).toBe(buffer);
    else expect(out.concrete()!.storage).not.toBe(buffer);
  });

  test("an argument that is not donated is never written", () => {
    setBackend(backend);
    const g = vec(0.7);
    const p = vec(1.3);
    const buffer = p.concrete()!.storage;
    const out = jit(sgd)(p, g) as T;
    expect(out.concrete()!.storage).not.toBe(buffer);
    expect(data(p)).toEqual(data(vec(1.3)));
  });
});
