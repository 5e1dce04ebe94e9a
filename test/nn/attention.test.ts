/**
 * The sequence layers: `splitHeads`/`mergeHeads`, `multiHeadAttention` against a float64 loop
 * reference, `positionalEmbedding`, `transformerBlock` against its definition, their gradients
 * (element by element against finite differences), jit and vmap, causality, dropout, and the
 * errors that mirror the compile-time ones.
 */
import { describe, expect, test } from "vitest";
import * as core from "../../src/core/ops.js";
import { gelu, jit, random } from "../../src/index.js";
import * as nn from "../../src/nn/index.js";
import { ShapeError } from "../../src/shape/errors.js";
import { vmapFlat } from "../../src/transforms/vmap.js";
import { expectThrown } from "../reliability/expect-error.js";
import { stackValues, takeValues } from "../helpers/tensors.js";
import { checkGrad, data, expectClose, probe, toF64, vals, type T } from "./helpers.js";

const key = random.key(0);

/** Row-major `[rows, cols]` product of plain arrays. */
function matmulRows(a: number[], rows: number, inner: number, b: number[], cols: number): number[] {
  return Array.from({ length: rows * cols }, (_, idx) => {
    const [i, j] = [Math.floor(idx / cols), idx % cols];
    let s = 0;
    for (let l = 0; l < inner; l++) s += a[i * inner + l] * b[l * cols + j];
    return s;
  });
}

/** Multi-head self-attention of one sequence `[t, d]` by loops, from the parameter values. */
function mhaReference(x: number[], t: number, d: number, heads: number, p: Record<string, T>, causal: boolean): number[] {
  const proj = (w: string, b: string) => matmulRows(x, t, d, vals(p[w]), d).map((s, i) => s + vals(p[b])[i % d]);
  const [q, k, v] = [proj("wq", "bq"), proj("wk", "bk"), proj("wv", "bv")];
  const dh = d / heads;
  const merged = new Array<number>(t * d).fill(0);
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < t; i++) {
      const logits = Array.from({ length: t }, (_, j) => {
        let s = 0;
        for (let e = 0; e < dh; e++) s += q[i * d + h * dh + e] * k[j * d + h * dh + e];
        return s / Math.sqrt(dh);
      });
      const allowed = logits.map((_, j) => !causal || j <= i);
      const m = Math.max(...logits.filter((_, j) => allowed[j]));
      const w = logits.map((l, j) => (allowed[j] ? Math.exp(l - m) : 0));
      const z = w.reduce((a, b) => a + b, 0);
      for (let e = 0; e < dh; e++) merged[i * d + h * dh + e] = w.reduce((acc, wj, j) => acc + (wj / z) * v[j * d + h * dh + e], 0);
    }
  }
  return matmulRows(merged, t, d, vals(p.wo), d).map((s, i) => s + vals(p.bo)[i % d]);
}

/** Params of a layer in float64, with every bias made non-zero so that the biases are tested too. */
function f64Params<P>(params: P, seed = 7): P {
  let n = seed;
  const bump = (tree: unknown): unknown => {
    if (tree !== null && typeof tree === "object" && !("shape" in (tree as object))) {
      return Object.fromEntries(Object.entries(tree as object).map(([k, v]) => [k, bump(v)]));
    }
    const t = tree as T;
    return t.ndim === 1 ? data([...t.shape], ++n) : t;
  };
  return bump(toF64(params)) as P;
}

describe("splitHeads and mergeHeads", () => {
  test("head h holds features h·Dh … (h+1)·Dh − 1, and merge inverts split", () => {
    const x = core.fromValues(Array.from({ length: 2 * 3 * 4 }, (_, i) => i), [2, 3, 4], "float64");
    const s = nn.splitHeads(x as never, 2) as unknown as T;
    expect(s.shape).toEqual([2, 2, 3, 2]);
    // example 0, head 1: positions 0..2, features 2..3
    expect(vals(s).slice(6, 12)).toEqual([2, 3, 6, 7, 10, 11]);
    expect(vals(nn.mergeHeads(s as never))).toEqual(vals(x));
  });
  test("errors mirror the compile-time messages", () => {
    expectThrown(() => nn.splitHeads(data([2, 3, 4]) as never, 3 as never), ShapeError, /^splitHeads: 3 heads do not divide features 4 \(shape \[2, 3, 4\]\)$/);
    expectThrown(() => nn.splitHeads(data([4]) as never, 2 as never), ShapeError, /^splitHeads: expects \[\.\.\., seq, features\] but got \[4\]$/);
    expectThrown(() => nn.mergeHeads(data([3, 4]) as never), ShapeError, /^mergeHeads: expects \[\.\.\., heads, seq, features\] but got \[3, 4\]$/);
  });
});

describe("multiHeadAttention", () => {
  const [t, d, heads] = [4, 6, 3];
  const layer = nn.multiHeadAttention(d, heads);
  const causalLayer = nn.multiHeadAttention(d, heads, { causal: true });
  const params = f64Params(layer.init(key));
  const x = data([2, t, d], 3);

  test("named params of the right shapes", () => {
    const p = layer.init(key) as unknown as Record<string, T>;
    expect(Object.keys(p).sort()).toEqual(["bk", "bo", "bq", "bv", "wk", "wo", "wq", "wv"]);
    for (const w of ["wq", "wk", "wv", "wo"]) expect(p[w].shape).toEqual([d, d]);
    for (const b of ["bq", "bk", "bv", "bo"]) expect(vals(p[b])).toEqual(new Array<number>(d).fill(0));
  });

  test("values vs the float64 loop reference, plain and causal", () => {
    for (const [l, causal] of [[layer, false], [causalLayer, true]] as const) {
      const y = l.apply(params, x as never) as unknown as T;
      expect(y.shape).toEqual([2, t, d]);
      const xs = vals(x);
      const expected = [0, 1].flatMap((b) => mhaReference(xs.slice(b * t * d, (b + 1) * t * d), t, d, heads, params as never, causal));
      expectClose(vals(y), expected, 1e-12);
    }
  });

  test("causal: a position's output does not depend on later positions", () => {
    const y = vals(causalLayer.apply(params, x as never));
    const changed = vals(x).map((v, i) => (i % (t * d) >= 2 * d ? v + 1 : v));
    const y2 = vals(causalLayer.apply(params, core.fromValues(changed, [2, t, d], "float64") as never));
    const firstTwo = (ys: number[]) => [0, 1].flatMap((b) => ys.slice(b * t * d, b * t * d + 2 * d));
    expect(firstTwo(y2)).toEqual(firstTwo(y));
    expect(y2).not.toEqual(y);
  });

  test("extra leading dims per example: [B, ..., seq, dModel]", () => {
    const x4 = data([2, 3, t, d], 5);
    const y = causalLayer.apply(params, x4 as never) as unknown as T;
    expect(y.shape).toEqual([2, 3, t, d]);
    const flat = causalLayer.apply(params, core.reshape(x4, [6, t, d]) as never) as unknown as T;
    expectClose(vals(y), vals(flat), 1e-14);
  });

  test("gradients of every parameter and of the input vs finite differences", () => {
    const small = nn.multiHeadAttention(4, 2, { causal: true });
    const p = f64Params(small.init(random.key(3)));
    const xs = data([2, 3, 4], 9);
    checkGrad((pp: typeof p) => probe(small.apply(pp, xs as never) as unknown as T), p);
    checkGrad((xx: T) => probe(small.apply(p, xx as never) as unknown as T), xs);
  });

  test("jit and vmap agree with eager", () => {
    const f = jit((p: typeof params, xx: T) => causalLayer.apply(p, xx as never) as unknown as T);
    expectClose(vals(f(params, x)), vals(causalLayer.apply(params, x as never)), 1e-12);
    // vmap over a second batch axis (axis 1 of [2, 3, t, d]) vs a loop.
    const x3 = data([2, 3, t, d], 11);
    const [y] = vmapFlat((xx) => [causalLayer.apply(params, xx as never) as unknown as T], [1], [x3]);
    const parts = [0, 1, 2].map((b) => vals(causalLayer.apply(params, core.fromValues(takeValues(vals(x3), [2, 3, t, d], 1, b), [2, t, d], "float64") as never)));
    expectClose(vals(y), stackValues(parts, [2, t, d], 0), 1e-12);
  });

  test("dropout of the attention weights only while training, and only with a key", () => {
    const drop = nn.multiHeadAttention(d, heads, { dropout: 0.5 });
    const evalY = vals(drop.apply(params, x as never));
    expect(evalY).toEqual(vals(layer.apply(params, x as never)));
    const a = vals(drop.apply(params, x as never, { training: true, key: random.key(1) }));
    const b = vals(drop.apply(params, x as never, { training: true, key: random.key(1) }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(evalY);
    expectThrown(() => drop.apply(params, x as never, { training: true }), TypeError, /^multiHeadAttention\(6, 3\): training with dropout needs a random key/);
  });

  test("errors: heads not dividing dModel, bad sizes, wrong inputs", () => {
    expectThrown(() => nn.multiHeadAttention(64 as number, 6), ShapeError, /^multiHeadAttention\(64, 6\): 6 heads do not divide dModel 64$/);
    expectThrown(() => nn.multiHeadAttention(64, 0 as number), RangeError, /^multiHeadAttention\(64, 0\): heads must be a positive integer, got 0$/);
    expectThrown(() => nn.multiHeadAttention(0 as number, 1), RangeError, /^multiHeadAttention\(0, 1\): dModel must be a positive integer, got 0$/);
    expectThrown(() => nn.multiHeadAttention(8, 2, { dropout: 1 }), RangeError, /^multiHeadAttention\(8, 2\): dropout must be a number in \[0, 1\), got 1$/);
    expectThrown(() => nn.multiHeadAttention(8, 2, { causal: "yes" as never }), TypeError, /^multiHeadAttention\(8, 2\): causal must be true or false, got string "yes"$/);
    expectThrown(() => layer.apply(params, data([2, t, 4]) as never), ShapeError, /^multiHeadAttention\(6, 3\) expects input \[\.\.\., seq, 6\] but got \[4, 4\]$/);
    expectThrown(() => layer.apply(params, data([2, d]) as never), ShapeError, /^multiHeadAttention\(6, 3\) expects input \[\.\.\., seq, 6\] but got \[6\]$/);
  });
});

describe("positionalEmbedding", () => {
  const pos = nn.positionalEmbedding(5, 3);
  const p = { table: data([5, 3], 4) };

  test("adds row t of the table at position t; shorter sequences use the first rows", () => {
    const x = data([2, 4, 3], 6);
    const y = pos.apply(p, x as never) as unknown as T;
    const table = vals(p.table);
    expect(vals(y)).toEqual(vals(x).map((v, i) => v + table[i % 12]));
    expect((pos.init(key).table as unknown as T).shape).toEqual([5, 3]);
  });

  test("gradients vs finite differences", () => {
    const x = data([2, 5, 3], 8);
    checkGrad((pp: typeof p) => probe(pos.apply(pp, x as never) as unknown as T), p);
  });

  test("errors: too long, wrong features, wrong rank", () => {
    expectThrown(() => pos.apply(p, data([2, 6, 3]) as never), ShapeError, /^positionalEmbedding\(5, 3\) expects input \[seq ≤ 5, 3\] but got \[6, 3\]$/);
    expectThrown(() => pos.apply(p, data([2, 4, 2]) as never), ShapeError, /^positionalEmbedding\(5, 3\) expects input \[seq ≤ 5, 3\] but got \[4, 2\]$/);
    expectThrown(() => pos.apply(p, data([2, 1, 4, 3]) as never), ShapeError, /but got \[1, 4, 3\]$/);
    expectThrown(() => nn.positionalEmbedding(0, 3), RangeError, /maxLen must be a positive integer, got 0/);
  });
});

describe("transformerBlock", () => {
  const [t, d, heads, hidden] = [4, 6, 2, 8];
  const block = nn.transformerBlock(d, heads, hidden, { causal: true });
  const params = f64Params(block.init(key));
  const x = data([2, t, d], 12);

  test("is its definition: x + attention(layerNorm(x)), then h + down(gelu(up(layerNorm(h))))", () => {
    const ln = nn.layerNorm(d);
    const attn = nn.multiHeadAttention(d, heads, { causal: true });
    const linear = (v: T, q: { w: unknown; b: unknown }) => {
      const y = core.dotGeneral(v, q.w as T, { contract: [[2], [0]], batch: [[], []] });
      return core.add(y, core.broadcastInDim(q.b as T, y.shape, [2]));
    };
    const h = core.add(x, attn.apply(params.attention, ln.apply(params.norm1, x as never) as never) as unknown as T);
    const m = linear(gelu(linear(ln.apply(params.norm2, h as never) as unknown as T, params.mlp.up) as never) as unknown as T, params.mlp.down);
    expectClose(vals(block.apply(params, x as never)), vals(core.add(h, m)), 1e-13);
    const shapes = block.init(key);
    expect((shapes.mlp.up.w as unknown as T).shape).toEqual([d, hidden]);
    expect((shapes.mlp.down.w as unknown as T).shape).toEqual([hidden, d]);
  });

  test("gradients of every parameter vs finite differences; jit agrees with eager", () => {
    const small = nn.transformerBlock(4, 2, 5, { causal: true });
    const p = f64Params(small.init(random.key(5)));
    const xs = data([2, 3, 4], 13);
    checkGrad((pp: typeof p) => probe(small.apply(pp, xs as never) as unknown as T), p, { tol: 1e-5 });
    const f = jit((pp: typeof params, xx: T) => block.apply(pp, xx as never) as unknown as T);
    expectClose(vals(f(params, x)), vals(block.apply(params, x as never)), 1e-12);
  });

  test("dropout while training needs a key; eval ignores it", () => {
    const drop = nn.transformerBlock(d, heads, hidden, { causal: true, dropout: 0.3 });
    expect(vals(drop.apply(params, x as never))).toEqual(vals(block.apply(params, x as never)));
    expect(vals(drop.apply(params, x as never, { training: true, key }))).not.toEqual(vals(block.apply(params, x as never)));
    expectThrown(() => drop.apply(params, x as never, { training: true }), TypeError, /^transformerBlock\(6, 2, 8\): training with dropout needs a random key/);
  });

  test("errors mirror the compile-time messages", () => {
    expectThrown(() => nn.transformerBlock(6 as number, 4, 8), ShapeError, /^transformerBlock\(6, 4, 8\): 4 heads do not divide dModel 6$/);
    expectThrown(() => nn.transformerBlock(6, 2, 0 as number), RangeError, /^transformerBlock\(6, 2, 0\): mlpHidden must be a positive integer, got 0$/);
    expectThrown(() => block.apply(params, data([2, t, 4]) as never), ShapeError, /^transformerBlock\(6, 2, 8\) expects input \[\.\.\., seq, 6\] but got \[4, 4\]$/);
  });

  test("in a stack: embedding → positions → blocks → layerNorm, and a too-long sequence names its layer", () => {
    const model = nn.serial(nn.embedding(7, 6), nn.positionalEmbedding(5, 6), nn.transformerBlock(6, 2, 8, { causal: true }), nn.layerNorm(6));
    const p = model.init(key);
    const ids = core.fromValues([1, 2, 3, 0, 6, 5, 4, 3], [2, 4], "int32");
    expect((model.apply(p, ids as never) as unknown as T).shape).toEqual([2, 4, 6]);
    const long = core.fromValues(new Array<number>(12).fill(1), [2, 6], "int32");
    expectThrown(() => model.apply(p, long as never), ShapeError, /^layer 1: positionalEmbedding\(5, 6\) expects input \[seq ≤ 5, 6\] but got \[6, 6\]$/);
  });
});
