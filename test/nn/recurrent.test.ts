/**
 * @file The recurrent layers against nested-loop float64 references of their equations (PyTorch's
 * formulations), their gradients against finite differences, under jit and vmap, and their errors.
 */
import { describe, expect, test } from "vitest";
import * as core from "../../src/core/ops.js";
import { grad, jit, makeJaxpr, random, vmap } from "../../src/index.js";
import * as nn from "../../src/nn/index.js";
import { ShapeError } from "../../src/shape/errors.js";
import { checkGrad, data, expectClose, probe, toF64, vals, type T } from "./helpers.js";

const sig = (v: number) => 1 / (1 + Math.exp(-v));

/** Row-major `[rows, cols]` matrix entry. */
const at = (m: number[], cols: number, r: number, c: number) => m[r * cols + c];

/** The reference recurrence for one example: `x` is `[time, in]`; returns every `h`. */
function reference(kind: "rnn" | "lstm" | "gru", p: Record<string, number[]>, x: number[], time: number, inF: number, h: number, reverse: boolean): number[][] {
  const g = kind === "rnn" ? 1 : kind === "lstm" ? 4 : 3;
  let hs = new Array(h).fill(0);
  let cs = new Array(h).fill(0);
  const out: number[][] = new Array(time);
  for (let k = 0; k < time; k++) {
    const t = reverse ? time - 1 - k : k;
    const zx = Array.from({ length: g * h }, (_, j) => {
      let s = (kind === "gru" ? p.bi : p.b)[j];
      for (let i = 0; i < inF; i++) s += x[t * inF + i] * at(p.wi, g * h, i, j);
      return s;
    });
    const zh = Array.from({ length: g * h }, (_, j) => {
      let s = kind === "gru" ? p.bh[j] : 0;
      for (let i = 0; i < h; i++) s += hs[i] * at(p.wh, g * h, i, j);
      return s;
    });
    if (kind === "rnn") hs = zx.map((v, j) => Math.tanh(v + zh[j]));
    else if (kind === "lstm") {
      const z = zx.map((v, j) => v + zh[j]);
      cs = cs.map((c, j) => sig(z[h + j]) * c + sig(z[j]) * Math.tanh(z[2 * h + j]));
      hs = cs.map((c, j) => sig(z[3 * h + j]) * Math.tanh(c));
    } else {
      const prev = hs;
      hs = prev.map((hp, j) => {
        const r = sig(zx[j] + zh[j]);
        const u = sig(zx[h + j] + zh[h + j]);
        const n = Math.tanh(zx[2 * h + j] + r * zh[2 * h + j]);
        return (1 - u) * n + u * hp;
      });
    }
    out[t] = hs;
  }
  return out;
}

const LAYERS = [
  ["rnn", nn.simpleRnn],
  ["lstm", nn.lstm],
  ["gru", nn.gru],
] as const;

describe("recurrent layers", () => {
  for (const [kind, make] of LAYERS) {
    describe(kind, () => {
      const [B, Tm, I, H] = [2, 5, 3, 4];
      const x = data([B, Tm, I], 3);
      for (const reverse of [false, true]) {
        test(`values against the loop reference${reverse ? ", reversed" : ""}; the last state with returnSequences: false`, () => {
          const layer = make(I, H, { reverse });
          const p = toF64(layer.init(random.key(1)));
          const y = layer.apply(p as never, x as never) as unknown as T;
          expect(y.shape).toEqual([B, Tm, H]);
          const plain = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, vals(v)]));
          const xs = vals(x);
          const expected = Array.from({ length: B }, (_, b) => reference(kind, plain, xs.slice(b * Tm * I, (b + 1) * Tm * I), Tm, I, H, reverse)).flat(2);
          expectClose(vals(y), expected, 1e-12);
          const last = make(I, H, { reverse, returnSequences: false }).apply(p as never, x as never) as unknown as T;
          expect(last.shape).toEqual([B, H]);
          const lastStep = reverse ? 0 : Tm - 1;
          const expectedLast = Array.from({ length: B }, (_, b) => reference(kind, plain, xs.slice(b * Tm * I, (b + 1) * Tm * I), Tm, I, H, reverse)[lastStep]).flat();
          expectClose(vals(last), expectedLast, 1e-12);
        });
      }

      test("gradients of params against finite differences; jit and vmap give the eager values", () => {
        const layer = make(I, H);
        const p = toF64(layer.init(random.key(2)));
        const loss = (q: typeof p) => probe(layer.apply(q as never, x as never) as unknown as T);
        checkGrad(loss, p);
        const eager = layer.apply(p as never, x as never) as unknown as T;
        expectClose(vals(jit((q: typeof p, v: T) => layer.apply(q as never, v as never) as unknown as T)(p, x)), vals(eager), 1e-12);
        // vmap over a leading group axis of examples: [2, B, T, I]
        const groups = core.concatenate([core.reshape(x, [1, B, Tm, I]), core.reshape(core.neg(x), [1, B, Tm, I])], 0);
        const mapped = vmap((v: T) => layer.apply(p as never, v as never) as unknown as T)(groups);
        expectClose(vals(core.slice(mapped, [0, 0, 0, 0], [1, B, Tm, H])), vals(eager), 1e-12);
      });

      test("a wrong input size or rank throws the compile-time message", () => {
        const layer = make(I, H);
        const p = layer.init(random.key(0));
        const name = `${kind === "rnn" ? "simpleRnn" : kind}(${I}, ${H})`;
        expect(() => layer.apply(p, data([B, Tm, I + 1]) as never)).toThrow(new ShapeError(`${name} expects input [time, ${I}] but got [${Tm}, ${I + 1}]`));
        expect(() => layer.apply(p, data([B, I]) as never)).toThrow(ShapeError);
        expect(() => make(0 as never, H)).toThrow(/positive integer/);
      });
    });
  }

  test("an LSTM over 1,000 steps: the grad IR is the size of the 10-step one", () => {
    const layer = nn.lstm(2, 3, { returnSequences: false });
    const p = layer.init(random.key(0));
    const loss = (q: typeof p, v: T) => probe(layer.apply(q, v as never) as unknown as T);
    const lines = (n: number) => String(makeJaxpr(grad(loss as never) as never)(p as never, core.cast(data([1, n, 2]), "float32") as never)).split("\n").length;
    expect(lines(1000)).toBe(lines(10));
  });
});
