/**
 * @file `checkpoint`: same values and gradients as without it (bit for bit under jit), the
 * intermediates recomputed in the backward pass instead of stored (peak live bytes of a 32-layer
 * MLP's jit(grad) drop by a measured factor), policies, and composition with vmap, jit and grad.
 */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { checkpoint, gelu, grad, jit, makeJaxpr, peakBytes, random, vmap } from "../../src/index.js";

type T = AnyTensor;
const f64 = (values: number[], shape: number[]): T => ops.fromValues(values, shape, "float64");
const values = (x: T): number[] => Array.from(x.data());
const sumAll = (x: T): T => ops.reduceSum(x, x.shape.map((_, i) => i));
const matmul = (a: T, b: T): T => ops.dotGeneral(a, b, { contract: [[a.ndim - 1], [0]], batch: [[], []] });

const LAYERS = 32;
const WIDTH = 32;
const BATCH = 64;

interface Params {
  readonly w: T[];
  readonly b: T[];
}

function init(): Params {
  const w: T[] = [];
  const b: T[] = [];
  for (let l = 0; l < LAYERS; l++) {
    w.push(ops.mul(random.normal(random.foldIn(random.key(0), l), [WIDTH, WIDTH]) as unknown as T, ops.full([WIDTH, WIDTH], 1 / Math.sqrt(WIDTH), "float32")));
    b.push(ops.full([WIDTH], 0.01 * l, "float32"));
  }
  return { w, b };
}

const layer = (h: T, w: T, b: T): T => gelu(ops.add(matmul(h, w), ops.broadcastInDim(b, [h.shape[0], WIDTH], [1])) as never) as unknown as T;

function mlpLoss(wrap: (f: typeof layer) => typeof layer) {
  const step = wrap(layer);
  return (p: Params, x: T): T => {
    let h = x;
    for (let l = 0; l < LAYERS; l++) h = step(h, p.w[l], p.b[l]);
    return ops.reduceSum(ops.mul(h, h), [0, 1]);
  };
}

describe("checkpoint", () => {
  const params = init();
  const x = random.normal(random.key(1), [BATCH, WIDTH]) as unknown as T;
  const plain = mlpLoss((f) => f);
  const remat = mlpLoss((f) => checkpoint(f));
  const dots = mlpLoss((f) => checkpoint(f, { policy: "dotsSaveable" }));

  test("a 32-layer MLP: jit(grad) is bit-identical with and without checkpoint, and its peak live bytes drop", () => {
    const gPlain = jit(grad(plain as never))(params, x) as Params;
    const gRemat = jit(grad(remat as never))(params, x) as Params;
    const gDots = jit(grad(dots as never))(params, x) as Params;
    for (let l = 0; l < LAYERS; l++) {
      expect(values(gRemat.w[l]), `w${l}`).toEqual(values(gPlain.w[l]));
      expect(values(gRemat.b[l]), `b${l}`).toEqual(values(gPlain.b[l]));
      expect(values(gDots.w[l]), `w${l} (dotsSaveable)`).toEqual(values(gPlain.w[l]));
    }
    const before = peakBytes(grad(plain as never))(params, x);
    const after = peakBytes(grad(remat as never))(params, x);
    const afterDots = peakBytes(grad(dots as never))(params, x);
    // eslint-disable-next-line no-console
    console.log(
      `checkpoint, ${LAYERS}-layer MLP (${BATCH}×${WIDTH}, gelu), jit(grad) peak live bytes: ${before} without, ` +
        `${after} with nothingSaveable (${(before / after).toFixed(2)}× less), ${afterDots} with dotsSaveable (${(before / afterDots).toFixed(2)}× less)`,
    );
    expect(before / after).toBeGreaterThanOrEqual(2);
    expect(afterDots).toBeLessThan(before);
    expect(afterDots).toBeGreaterThan(after);
  });

  test("eager grad (no jit) agrees with the unchecked gradient", () => {
    const small = { w: params.w.slice(0, 2), b: params.b.slice(0, 2) };
    const xs = ops.slice(x, [0, 0], [4, WIDTH], [1, 1]);
    const loss = (wrap: (f: typeof layer) => typeof layer) => (p: Params, xx: T) => {
      let h = xx;
      for (let l = 0; l < 2; l++) h = wrap(layer)(h, p.w[l], p.b[l]);
      return sumAll(h);
    };
    const a = grad(loss((f) => f) as never)(small, xs) as Params;
    const b = grad(loss((f) => checkpoint(f)) as never)(small, xs) as Params;
    // Eagerly the unchecked gradient runs op by op and the recomputation as a compiled plan: equal
    // up to float32 rounding (under jit, where both are compiled, they are equal bit for bit).
    for (let l = 0; l < 2; l++) {
      const [va, vb] = [values(a.w[l]), values(b.w[l])];
      const scale = Math.max(...va.map(Math.abs));
      expect(Math.max(...va.map((v, i) => Math.abs(v - vb[i])))).toBeLessThanOrEqual(1e-5 * scale);
    }
  });

  test("the backward pass recomputes inside a checkpoint equation the simplifier leaves alone", () => {
    const f = checkpoint((a: T) => ops.sin(ops.sin(a)), { name: "sin2" });
    const text = String(makeJaxpr(grad((a: T) => sumAll(f(a)) as never))(f64([1, 2], [2])));
    // forward: sin(sin(a)) inline (the known part); backward: one checkpoint that recomputes sin a
    expect(text).toContain("checkpoint[jaxpr={ lambda");
    expect(text).toContain("name=transpose(sin2)");
    const inner = text.slice(text.indexOf("checkpoint[jaxpr="));
    expect(inner).toContain("sin");
    expect(inner).toContain("cos");
  });

  test("the IR of grad(checkpoint(sin∘sin)): forward inline, the backward one checkpoint that recomputes", () => {
    const f = checkpoint((a: T) => ops.sin(ops.sin(a)), { name: "sin2" });
    expect(String(makeJaxpr(grad((a: T) => sumAll(f(a)) as never))(f64([1, 2], [2])))).toMatchInlineSnapshot(`
      "{ lambda a:f64[2] .
        let b:f64[2] = sin a
            c:f64[2] = sin b
            d:f64[] = reduceSum[axes=[0]] c
            e:f64[2] = broadcastInDim[shape=[2], broadcastDims=[]] 1.0
            f:f64[2] = checkpoint[jaxpr={ lambda a:f64[2], b:f64[2] .
                let c:f64[2] = sin a
                    d:f64[2] = cos a
                    e:f64[2] = cos c
                    f:f64[2] = mul e b
                    g:f64[2] = mul d f
                in ( g ) }, numConsts=0, policy=nothingSaveable, name=transpose(sin2)] a e
        in ( f ) }"
    `);
  });

  test("second order, vmap and jit compositions agree with the unchecked function", () => {
    const h = (a: T) => ops.mul(ops.sin(a), ops.exp(a));
    const c = checkpoint(h);
    const xs = f64([0.1, -0.7, 1.3], [3]);
    const g2 = (fn: (a: T) => T) => grad((a: T) => grad((b: T) => fn(b) as never)(a) as never);
    for (const v of [0.1, -0.7, 1.3]) {
      const s = ops.full([], v, "float64");
      expect((g2(c)(s) as T).item()).toBeCloseTo((g2(h)(s) as T).item(), 13);
    }
    const gv = (fn: (a: T) => T) => vmap(grad((a: T) => fn(a) as never))(xs) as T;
    values(gv(c)).forEach((v, i) => expect(v).toBeCloseTo(values(gv(h))[i], 14));
    const gj = (fn: (a: T) => T) => grad((a: T) => sumAll(jit(fn)(a)) as never)(xs) as T;
    values(gj(c)).forEach((v, i) => expect(v).toBeCloseTo(values(gj(h))[i], 14));
    const jg = (fn: (a: T) => T) => jit(grad((a: T) => sumAll(vmap(fn)(ops.reshape(a, [3, 1])) as T) as never))(xs) as T;
    values(jg(c)).forEach((v, i) => expect(v).toBeCloseTo(values(jg(h))[i], 14));
  });

  test("bad options are errors", () => {
    expect(() => checkpoint(3 as never)).toThrow(TypeError);
    expect(() => checkpoint((a: T) => a, { policy: "sometimes" as never })).toThrow(RangeError);
    expect(() => checkpoint((a: T) => a, { policy: "sometimes" as never })).toThrow('checkpoint: policy must be one of "nothingSaveable", "dotsSaveable", "everythingSaveable", got "sometimes"');
  });
});
