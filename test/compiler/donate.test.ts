// Buffer donation (`jit(f, { donate })`, JAX's donate_argnums): a training step may write the new
// parameters over the old ones; the donated tensors can no longer be used.
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { DonatedError, grad, jit } from "../../src/index.js";
import { POOLED_MIN } from "../../src/backend/buffer-pool.js";

type T = AnyTensor;
const N = 2 * POOLED_MIN;
const data = (t: T) => Array.from(t.data() as ArrayLike<number>);
const loss = (w: T, x: T) => ops.reduceSum(ops.mul(ops.tanh(ops.mul(w, x)), ops.tanh(ops.mul(w, x))), [0]);
const update = (w: T, x: T) => ops.sub(w, ops.mul(grad(loss)(w, x) as T, ops.fullLike(w, 0.1)));

function start(seed: number): T {
  return ops.fromValues(Array.from({ length: N }, (_, i) => Math.sin(i * seed)), [N], "float32");
}

describe("jit donate", () => {
  test("donated steps give the same values as plain steps", () => {
    const x = start(0.3);
    const plain = jit(update);
    const donating = jit(update, { donate: [0] });
    let a = start(1.7);
    let b = start(1.7);
    for (let k = 0; k < 4; k++) {
      a = plain(a, x) as T;
      b = donating(b, x) as T;
      expect(data(b)).toEqual(data(a));
    }
  });

  test("the old parameters' buffer holds the parameters two steps later", () => {
    const x = start(0.3);
    const step = jit(update, { donate: [0] });
    const w0 = start(1.1);
    const buffer = w0.concrete()!.storage;
    const w1 = step(w0, x) as T;
    const w2 = step(w1, x) as T;
    expect(w2.concrete()!.storage).toBe(buffer);
  });

  test("a donated tensor throws DonatedError on any use; undonated arguments stay usable", () => {
    const x = start(0.3);
    const step = jit(update, { donate: [0] });
    const w0 = start(1.1);
    step(w0, x);
    expect(() => w0.data()).toThrow(DonatedError);
    expect(() => ops.add(w0, w0)).toThrow(/donated to jit\(update\)/);
    expect(data(x)).toHaveLength(N);
  });

  test("an argument returned as it is stays valid", () => {
    const same = jit((w: T) => w, { donate: [0] });
    const w = start(2);
    expect(same(w)).toBe(w);
    expect(data(w)).toHaveLength(N);
  });

  test("under a transform nothing is donated", () => {
    const step = jit((w: T) => ops.mul(w, w), { donate: [0] });
    const w = start(0.5);
    grad((v: T) => ops.reduceSum(step(v) as T, [0]))(w);
    expect(data(w)).toHaveLength(N);
  });
});
