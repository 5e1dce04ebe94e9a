/**
 * `nn.dotProductAttention` against a float64 loop reference (random shapes with broadcast batch
 * dims, masks, causal, scales), its fully masked rows, its derivatives (forward vs finite
 * differences, reverse vs forward, grad of a loss), jit vs eager, vmap vs a loop, and its errors.
 */
import { describe, expect, test } from "vitest";
import { DTypeError } from "../../src/core/errors.js";
import * as core from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { jit, random } from "../../src/index.js";
import { attend, type AttentionOptions } from "../../src/nn/dot-product-attention.js";
import { dotProductAttention } from "../../src/nn/index.js";
import { ShapeError } from "../../src/shape/errors.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { vmapFlat } from "../../src/transforms/vmap.js";
import { assertAllclose, F64 } from "../helpers/allclose.js";
import { checkGradAlong, checkJvp, checkVjp, weightedSumLoss } from "../helpers/gradcheck.js";
import { Rng } from "../helpers/random-shapes.js";
import { stackValues, takeValues, tensor, valuesOf } from "../helpers/tensors.js";
import { expectThrown } from "../reliability/expect-error.js";

type T = AnyTensor;

interface Case {
  q: T;
  k: T;
  v: T;
  mask?: T;
  causal: boolean;
  scale?: number;
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Row-major element of `values` (shape `shape`) at `idx`, a full-rank index aligned at the end; size-1 dims broadcast. */
function at(values: readonly number[], shape: readonly number[], idx: readonly number[]): number {
  const off = idx.length - shape.length;
  let flat = 0;
  shape.forEach((d, a) => {
    flat = flat * d + (d === 1 ? 0 : idx[off + a]);
  });
  return values[flat];
}

/** All indices of `shape`, row-major. */
function indices(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const d of shape) out = out.flatMap((i) => Array.from({ length: d }, (_, j) => [...i, j]));
  return out;
}

/** Attention by loops in float64: the definition, with a fully masked row giving zeros. */
function reference(c: Case): { values: number[]; shape: number[] } {
  const [qs, ks, vs] = [c.q.shape, c.k.shape, c.v.shape];
  const [q, k, v] = [valuesOf(c.q), valuesOf(c.k), valuesOf(c.v)];
  const nb = Math.max(qs.length, ks.length, vs.length) - 2;
  const batch = Array.from({ length: nb }, (_, i) =>
    Math.max(...[qs, ks, vs].map((s) => (i - (nb - (s.length - 2)) >= 0 ? s[i - (nb - (s.length - 2))] : 1))),
  );
  const [tq, d] = qs.slice(-2);
  const tk = ks[ks.length - 2];
  const dv = vs[vs.length - 1];
  const scale = c.scale ?? 1 / Math.sqrt(d);
  const mask = c.mask === undefined ? null : valuesOf(c.mask);
  const out: number[] = [];
  for (const b of indices(batch)) {
    for (let i = 0; i < tq; i++) {
      const logits: number[] = [];
      const allowed: boolean[] = [];
      for (let j = 0; j < tk; j++) {
        let s = 0;
        for (let e = 0; e < d; e++) s += at(q, qs, [...b, i, e]) * at(k, ks, [...b, j, e]);
        logits.push(s * scale);
        allowed.push((mask === null || at(mask, c.mask!.shape, [...b, i, j]) !== 0) && (!c.causal || j <= i));
      }
      const m = Math.max(...logits.filter((_, j) => allowed[j]));
      const w = logits.map((l, j) => (allowed[j] ? Math.exp(l - m) : 0));
      const z = w.reduce((a, x) => a + x, 0);
      for (let e = 0; e < dv; e++) {
        let acc = 0;
        for (let j = 0; j < tk; j++) if (z > 0) acc += (w[j] / z) * at(v, vs, [...b, j, e]);
        out.push(acc);
      }
    }
  }
  return { values: out, shape: [...batch, tq, dv] };
}

function draw(rng: Rng, shape: readonly number[], spread = 1): T {
  return tensor(Array.from({ length: size(shape) }, () => rng.uniform(-spread, spread)), shape);
}

/** Some leading dims of `batch`, each kept or set to 1 (broadcast). */
function broadcastOf(rng: Rng, batch: readonly number[]): number[] {
  return batch.slice(rng.int(0, batch.length)).map((d) => (rng.next() < 0.3 ? 1 : d));
}

function randomCase(rng: Rng): Case {
  const batch = Array.from({ length: rng.int(0, 2) }, () => rng.int(1, 3));
  const [tq, tk, d, dv] = [rng.int(0, 4), rng.int(0, 5), rng.int(1, 4), rng.int(1, 3)];
  const causal = rng.next() < 0.4;
  const c: Case = {
    q: draw(rng, [...broadcastOf(rng, batch), tq, d], 2),
    k: draw(rng, [...broadcastOf(rng, batch), tk, d], 2),
    v: draw(rng, [...broadcastOf(rng, batch), tk, dv]),
    causal,
    scale: rng.next() < 0.3 ? rng.uniform(-2, 2) : undefined,
  };
  const maskKind = rng.int(0, 3);
  if (maskKind > 0) {
    // The batch dims the operands broadcast to (all of them may have a 1 where `batch` has more).
    const batch = reference(c).shape.slice(0, -2);
    const ms = maskKind === 1 ? [tq, tk] : maskKind === 2 ? [...batch, 1, tk] : [...batch, tq, tk];
    c.mask = tensor(
      Array.from({ length: size(ms) }, () => (rng.next() < 0.35 ? 0 : 1)),
      ms,
      "bool",
    );
  }
  return c;
}

const optionsOf = (c: Case): AttentionOptions => ({ mask: c.mask as never, causal: c.causal, scale: c.scale });
const run = (c: Case) => attend(c.q, c.k, c.v, optionsOf(c));
const describeCase = (c: Case) =>
  `q ${JSON.stringify(c.q.shape)} k ${JSON.stringify(c.k.shape)} v ${JSON.stringify(c.v.shape)} mask ${JSON.stringify(c.mask?.shape)} causal ${c.causal}`;

describe("dotProductAttention: values", () => {
  test("matches the float64 loop reference on random shapes, masks, causal and scales", () => {
    const rng = new Rng(11);
    for (let n = 0; n < 80; n++) {
      const c = randomCase(rng);
      const expected = reference(c);
      const y = run(c);
      expect(y.shape, describeCase(c)).toEqual(expected.shape);
      assertAllclose(y, expected.values, F64, describeCase(c));
    }
  });

  test("heads as an extra leading dim: [B, H, T, D], with k and v shared by every head", () => {
    const rng = new Rng(3);
    const c: Case = { q: draw(rng, [2, 4, 3, 5]), k: draw(rng, [2, 1, 6, 5]), v: draw(rng, [2, 1, 6, 2]), causal: true };
    assertAllclose(run(c), reference(c).values);
    expect(run(c).shape).toEqual([2, 4, 3, 2]);
  });

  test("a fully masked row gives zeros and zero gradients, never NaN", () => {
    const rng = new Rng(5);
    const mask = tensor([0, 0, 0, 1, 0, 1, 0, 0, 0], [3, 3], "bool");
    const c: Case = { q: draw(rng, [2, 3, 4]), k: draw(rng, [2, 3, 4]), v: draw(rng, [2, 3, 2]), mask, causal: false };
    const y = valuesOf(run(c));
    expect(y.slice(0, 2)).toEqual([0, 0]);
    expect(y.slice(6, 8)).toEqual([0, 0]);
    expect(y.every(Number.isFinite)).toBe(true);
    const [, pullback] = vjpFlat((q, k, v) => [attend(q, k, v, { mask: mask as never })], [c.q, c.k, c.v]);
    const [qBar] = pullback([tensor(new Array<number>(12).fill(1), [2, 3, 2])]);
    const g = valuesOf(qBar);
    expect(g.every(Number.isFinite)).toBe(true);
    expect(g.slice(0, 4)).toEqual([0, 0, 0, 0]);
    // A causal mask that also excludes the diagonal leaves the first query with no key.
    const first = valuesOf(attend(c.q, c.k, c.v, { causal: true, mask: tensor([0, 1, 1, 1, 0, 1, 1, 1, 0], [3, 3], "bool") as never }));
    expect(first.slice(0, 2)).toEqual([0, 0]);
  });

  test("stable for large logits, in float32 too", () => {
    const q = core.fromValues([1e4, -1e4, 3e3, 0], [2, 2], "float32");
    const k = core.fromValues([1e4, 1e4, -1e4, 2e3, 5, 5], [3, 2], "float32");
    const v = core.fromValues([1, 2, 3], [3, 1], "float32");
    const y = valuesOf(attend(q, k, v, { scale: 1 }));
    expect(y.every(Number.isFinite)).toBe(true);
    const c: Case = { q: core.cast(q, "float64"), k: core.cast(k, "float64"), v: core.cast(v, "float64"), causal: false, scale: 1 };
    assertAllclose(y, reference(c).values, { rtol: 1e-6, atol: 1e-6 });
  });

  test("empty sequences: no keys gives zeros, no queries an empty result", () => {
    const rng = new Rng(8);
    expect(valuesOf(attend(draw(rng, [2, 3]), draw(rng, [0, 3]), draw(rng, [0, 2])))).toEqual([0, 0, 0, 0]);
    expect(attend(draw(rng, [0, 3]), draw(rng, [4, 3]), draw(rng, [4, 2])).shape).toEqual([0, 2]);
  });

  test("dropout: the weights times the keep mask of the key, over 1 − rate", () => {
    const rng = new Rng(9);
    const c: Case = { q: draw(rng, [2, 3, 4]), k: draw(rng, [2, 5, 4]), v: draw(rng, [2, 5, 2]), causal: true };
    const key = random.key(4);
    const dropped = valuesOf(attend(c.q, c.k, c.v, { causal: true, dropout: 0.4, key }));
    const keep = valuesOf(random.bernoulli(key, 0.6, [2, 3, 5]) as unknown as T);
    const identity = tensor(Array.from({ length: 25 }, (_, i) => (i % 6 === 0 ? 1 : 0)), [5, 5]);
    // The weights themselves: attention over v = I.
    const w = valuesOf(attend(c.q, c.k, core.broadcastInDim(identity, [2, 5, 5], [1, 2]), { causal: true }));
    const v = valuesOf(c.v);
    const expected = [0, 1].flatMap((b) =>
      [0, 1, 2].flatMap((i) =>
        [0, 1].map((e) => [0, 1, 2, 3, 4].reduce((acc, j) => acc + (keep[(b * 3 + i) * 5 + j] * w[(b * 3 + i) * 5 + j] * v[(b * 5 + j) * 2 + e]) / 0.6, 0)),
      ),
    );
    assertAllclose(dropped, expected);
    expect(valuesOf(attend(c.q, c.k, c.v, { causal: true, dropout: 0 }))).toEqual(valuesOf(attend(c.q, c.k, c.v, { causal: true })));
  });

  test("the typed function is the same computation", () => {
    const c = randomCase(new Rng(21));
    const typed = dotProductAttention(c.q as never, c.k as never, c.v as never, optionsOf(c) as never) as unknown as T;
    expect(valuesOf(typed)).toEqual(valuesOf(run(c)));
  });
});

describe("dotProductAttention: derivatives and transforms", () => {
  const rng = new Rng(17);
  const cases: Case[] = [
    { q: draw(rng, [3, 2]), k: draw(rng, [4, 2]), v: draw(rng, [4, 3]), causal: false },
    { q: draw(rng, [2, 3, 3]), k: draw(rng, [2, 3, 3]), v: draw(rng, [2, 3, 2]), causal: true },
    { q: draw(rng, [2, 2, 3, 2]), k: draw(rng, [2, 1, 4, 2]), v: draw(rng, [1, 4, 2]), causal: false, scale: 0.7 },
    {
      q: draw(rng, [2, 3, 2]),
      k: draw(rng, [2, 3, 2]),
      v: draw(rng, [2, 3, 2]),
      mask: tensor([0, 0, 0, 1, 0, 1, 1, 1, 0], [3, 3], "bool"),
      causal: true,
    },
  ];
  const flat = (c: Case) => (q: T, k: T, v: T) => [attend(q, k, v, optionsOf(c))];
  const like = (x: T) => draw(rng, x.shape);

  test("jvp vs finite differences; vjp vs jvp (dot-product test); grad of a loss vs finite differences", () => {
    for (const c of cases) {
      const primals = [c.q, c.k, c.v] as never[];
      const tangents = [like(c.q), like(c.k), like(c.v)] as never[];
      checkJvp(flat(c), primals, tangents);
      const y = run(c);
      checkVjp(flat(c), primals, tangents, [like(y)] as never[]);
      const loss = weightedSumLoss(flat(c), [like(y)] as never[]);
      const [, pullback] = vjpFlat((...xs: T[]) => [loss(...xs)], [c.q, c.k, c.v]);
      const grads = pullback([tensor([1], [])]);
      checkGradAlong(loss, primals, grads, tangents);
    }
  });

  test("second order: the jvp of the jvp vs finite differences", () => {
    const c = cases[1];
    const tq = like(c.q);
    const inner = (q: T, k: T, v: T) => jvpFlat(flat(c), [q, k, v], [tq, core.zerosLike(k), core.zerosLike(v)])[1];
    checkJvp(inner, [c.q, c.k, c.v] as never[], [like(c.q), like(c.k), like(c.v)] as never[]);
  });

  test("jit gives the eager values (first and cached call)", () => {
    for (const c of cases) {
      const f = jit((q: T, k: T, v: T) => attend(q, k, v, optionsOf(c)));
      assertAllclose(f(c.q, c.k, c.v), run(c), F64);
      assertAllclose(f(c.q, c.k, c.v), run(c), F64);
    }
  });

  test("vmap (some inputs shared, the mask batched) vs a loop over examples", () => {
    const n = 3;
    const q = draw(rng, [2, n, 4, 3]); // mapped on axis 1
    const k = draw(rng, [5, 3]); // shared
    const v = draw(rng, [n, 5, 2]); // mapped on axis 0
    const mask = tensor(Array.from({ length: n * 20 }, (_, i) => (i % 7 === 3 ? 0 : 1)), [4, 5, n], "bool"); // mapped on axis 2
    const f = (qq: T, kk: T, vv: T, m: T) => [attend(qq, kk, vv, { mask: m as never, causal: true })];
    const [y] = vmapFlat(f, [1, null, 0, 2], [q, k, v, mask]);
    const parts = Array.from({ length: n }, (_, b) => {
      const qb = tensor(takeValues(valuesOf(q), q.shape, 1, b), [2, 4, 3]);
      const vb = tensor(takeValues(valuesOf(v), v.shape, 0, b), [5, 2]);
      const mb = tensor(takeValues(valuesOf(mask), mask.shape, 2, b), [4, 5], "bool");
      return valuesOf(f(qb, k, vb, mb)[0]);
    });
    expect(y.shape).toEqual([n, 2, 4, 2]);
    assertAllclose(y, stackValues(parts, [2, 4, 2], 0), F64);
  });
});

describe("dotProductAttention: errors", () => {
  const rng = new Rng(2);
  const [q, k, v] = [draw(rng, [2, 5, 8]), draw(rng, [2, 7, 8]), draw(rng, [2, 7, 4])];

  test("shapes: the compile-time messages, as ShapeErrors", () => {
    expectThrown(() => attend(q, draw(rng, [2, 7, 6]), v), ShapeError, /^dotProductAttention: q and k differ in features: 8 vs 6 \(q is \[2, 5, 8\], k is \[2, 7, 6\], v is \[2, 7, 4\]\)$/);
    expectThrown(() => attend(q, k, draw(rng, [2, 6, 4])), ShapeError, /^dotProductAttention: k and v differ in length: 7 vs 6 /);
    expectThrown(() => attend(q, draw(rng, [3, 7, 8]), draw(rng, [3, 7, 4])), ShapeError, /^dotProductAttention: the batch dims of q, k and v do not broadcast \(q is \[2, 5, 8\]/);
    expectThrown(() => attend(draw(rng, [8]), k, v), ShapeError, /^dotProductAttention: q, k and v need at least 2 dims, \[\.\.\., seq, features\] \(q is \[8\]/);
    const badMask = tensor(new Array<number>(30).fill(1), [5, 6], "bool");
    expectThrown(() => attend(q, k, v, { mask: badMask as never }), ShapeError, /^dotProductAttention: mask: cannot broadcast 6 to 7 \(shape \[5, 6\] to \[2, 5, 7\]\)$/);
    // Checked with no keys too, where the result needs no computation.
    const noKeys = () => attend(draw(rng, [2, 3]), draw(rng, [0, 3]), draw(rng, [0, 2]), { mask: tensor([1, 1, 1], [3, 1], "bool") as never });
    expectThrown(noKeys, ShapeError, /^dotProductAttention: mask: cannot broadcast 3 to 2 \(shape \[3, 1\] to \[2, 0\]\)$/);
  });

  test("dtypes, scale and dropout", () => {
    expectThrown(() => attend(q, k, core.cast(v, "float32")), DTypeError, /^dotProductAttention: q, k and v must share one float dtype, got float64, float64 and float32$/);
    const ints = core.cast(q, "int32");
    expectThrown(() => attend(ints, core.cast(k, "int32"), core.cast(v, "int32")), DTypeError, /one float dtype, got int32/);
    expectThrown(() => attend(q, k, v, { mask: tensor(new Array<number>(35).fill(1), [5, 7]) as never }), DTypeError, /^dotProductAttention: the mask must be bool but is float64$/);
    expectThrown(() => attend(q, k, v, { scale: NaN }), RangeError, /^dotProductAttention: scale must be a finite number, got NaN$/);
    expectThrown(() => attend(q, k, v, { scale: "2" as never }), TypeError, /^dotProductAttention: scale must be a finite number, got string "2"$/);
    expectThrown(() => attend(q, k, v, { causal: 1 as never }), TypeError, /^dotProductAttention: causal must be true or false, got number 1$/);
    expectThrown(() => attend(q, k, v, null as never), TypeError, /^dotProductAttention: options must be an options object, got null$/);
    expectThrown(() => attend(q, k, v, { dropout: 0.1 }), TypeError, /^dotProductAttention: dropout 0.1 needs a random key/);
    expectThrown(() => attend(q, k, v, { dropout: 1 }), RangeError, /^dotProductAttention: dropout must be a number in \[0, 1\), got 1$/);
  });

  test("inside jit, the same errors at trace time", () => {
    const f = jit((a: T, b: T, c: T) => attend(a, b, c));
    expectThrown(() => f(q, k, draw(rng, [2, 6, 4])), ShapeError, /k and v differ in length: 7 vs 6/);
  });
});
