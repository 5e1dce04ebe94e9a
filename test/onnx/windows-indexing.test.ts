/**
 * @file The window, indexing and rounding rules in ONNX Runtime beyond the harness's random cases:
 * pooling layers with padding, NaN and −∞ (and their gradients, where ties share), bit for bit in
 * float32; gathers and scatters through `take` and `at` in every mode, duplicates included (the
 * last `set` wins, sums and products combine in order, NaN wins min and max); an embedding
 * model and its training step; the opset each scatter needs; rounding and remainders at their
 * edges (halves, −0, zero and −1 divisors, −2³¹).
 */
import { describe, expect, test } from "vitest";
import {
  at, avgPool2d, ceil, floor, globalAvgPool, grad, jit, jvp, losses, maxPool2d, mod, nn, optim, random, round, sum, take, tensor, valueAndGrad,
  type Tensor,
} from "../../src/index.js";
import { exportModel, OnnxExportError } from "../../src/onnx/index.js";
import { remOf } from "../../src/primitives/rem.js";
import { expectClose, load, toOrt, type OrtValue } from "./ort.js";

const EXACT = { rtol: 0, atol: 0 };
type AnyT = Parameters<typeof toOrt>[0];

/** Exports `f` on `args` and runs it there and in typegrad on each argument list of `runs`; compares every output. */
async function agree(f: (...xs: never[]) => unknown, args: readonly unknown[], runs: readonly (readonly unknown[])[], tol = EXACT, options = {}): Promise<void> {
  const model = await load(exportModel(f as (...xs: unknown[]) => unknown, args as never, options));
  for (const [r, xs] of runs.entries()) {
    const got = await model.run(Object.fromEntries(xs.map((x, i) => [`arg${i}`, toOrt(x as AnyT)])));
    const want = f(...(xs as never[]));
    const outs = Array.isArray(want) ? (want as AnyT[]) : [want as AnyT];
    outs.forEach((w, i) => expectClose(got[Array.isArray(want) ? `output.${i}` : "output"] as OrtValue, w, tol, `run ${r}, output ${i}`));
  }
}

/** Random NHWC images with NaN, ±∞, ties and −0 planted. */
function images(seed: number, n: number): Tensor<[number, 5, 6, 2]> {
  const x = random.normal(random.key(seed), [n, 5, 6, 2]);
  const data = Array.from(x.data() as Float32Array);
  data.forEach((v, i) => {
    const r = (i * 7919 + seed) % 23;
    data[i] = r === 0 ? NaN : r === 1 ? -Infinity : r === 2 ? Infinity : r === 3 ? -0 : r < 7 ? 0.5 : v;
  });
  return tensor(data, "float32").reshape([n, 5, 6, 2]) as never;
}

describe("pooling (reduceWindow and its derivatives)", () => {
  test("max and average pooling, valid and same padding, strides and overlaps: bit for bit, symbolic batch", async () => {
    const f = (x: Tensor<[number, 5, 6, 2]>) => [
      maxPool2d(x, 2),
      maxPool2d(x, 3, { strides: 2, padding: "same" }),
      avgPool2d(x, [2, 3], { strides: 1, padding: "same" }),
      avgPool2d(x, 3, { strides: 2, padding: "same", countIncludePad: false }),
      globalAvgPool(x),
    ];
    await agree(f, [images(0, 2)], [[images(1, 2)], [images(2, 3)], [images(3, 1)]], EXACT, { dynamicAxes: { arg0: { 0: "batch" } } });
  });

  test("a window of −∞ only, beside padding: the maximum is −∞, and its gradient goes to those elements (padding takes none)", async () => {
    const x = tensor([[-Infinity, -Infinity, 1], [2, -Infinity, -Infinity]]).reshape([1, 2, 3, 1]) as Tensor<[1, 2, 3, 1]>;
    const pool = (v: Tensor<[1, 2, 3, 1]>) => maxPool2d(v, 2, { strides: 1, padding: "same" });
    const f = (v: Tensor<[1, 2, 3, 1]>) => [pool(v), grad((u: Tensor<[1, 2, 3, 1]>) => sum(pool(u)))(v)];
    await agree(f, [x], [[x]]);
  });

  test("gradients and tangents of max pooling (selectAndScatterAdd, selectAndGatherAdd) with ties shared evenly: bit for bit", async () => {
    const pool = (v: Tensor<[number, 5, 6, 2]>) => maxPool2d(v, 3, { strides: 2, padding: "same" });
    const f = (x: Tensor<[number, 5, 6, 2]>, t: Tensor<[number, 5, 6, 2]>) => [
      grad((u: Tensor<[number, 5, 6, 2]>) => sum(pool(u)))(x),
      jvp(pool, [x], [t])[1],
    ];
    const ties = (seed: number, n: number) => {
      const x = random.randint(random.key(seed), [n, 5, 6, 2], 0, 3);
      return tensor(Array.from(x.data() as Int32Array), "float32").reshape([n, 5, 6, 2]) as Tensor<[number, 5, 6, 2]>;
    };
    const t = (seed: number, n: number) => random.normal(random.key(seed), [n, 5, 6, 2]);
    await agree(f, [ties(0, 2), t(1, 2)], [[ties(2, 2), t(3, 2)], [ties(4, 3), t(5, 3)]], EXACT, { dynamicAxes: { arg0: { 0: "n" }, arg1: { 0: "n" } } });
  });
});

describe("gather and scatter (take, at)", () => {
  const table = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]);

  test("take in every mode: clip clamps, fill fills (NaN by default, or the value given), check stops ONNX Runtime", async () => {
    const f = (t: Tensor<[4, 3]>, i: Tensor<[number], "int32">) => [
      take(t, i, 0, { mode: "clip" }),
      take(t, i, 1, { mode: "fill" }),
      take(t, i, 0, { mode: "fill", fillValue: -0 }),
    ];
    const i = tensor([0, 3, -1, 5, -9, 2], "int32");
    await agree(f, [table, i], [[table, i], [table, tensor([7, -4], "int32")]], EXACT, { dynamicAxes: { arg1: { 0: "k" } } });
    const checked = await load(exportModel((t: Tensor<[4, 3]>, j: Tensor<[2], "int32">) => take(t, j, 0), [table, tensor([0, 1], "int32")]));
    await expect(checked.run({ arg0: toOrt(table), arg1: toOrt(tensor([1, 4], "int32")) })).rejects.toThrow(/out of (data )?bounds|indices/i);
  });

  test("at(…).set with repeated indices keeps the last value; add, mul, min, max combine them all; fill drops out-of-range writes", async () => {
    const f = (x: Tensor<[4, 3]>, i: Tensor<[5], "int32">, v: Tensor<[5, 3]>) => [
      at(x, [i]).set(v, { mode: "fill" }),
      at(x, [i]).add(v, { mode: "fill" }),
      at(x, [i]).mul(v, { mode: "clip" }),
      at(x, [i]).min(v, { mode: "fill" }),
      at(x, [i]).max(v, { mode: "clip" }),
      at(x, [null, 1]).set(-0),
    ];
    const v = tensor([[NaN, -0, 1], [2, 3, 4], [5, -6, 7], [8, 9, Infinity], [-1, -2, -3]]);
    await agree(f, [table, tensor([1, 1, 3, 1, 0], "int32"), v], [
      [table, tensor([1, 1, 3, 1, 0], "int32"), v],
      [table, tensor([2, 9, 2, -7, 2], "int32"), v],
      [table, tensor([0, 0, 0, 0, 0], "int32"), v],
    ]);
  });

  test("int32 and bool scatters: products wrap modulo 2³², the last bool set wins", async () => {
    const f = (x: Tensor<[3], "int32">, b: Tensor<[3], "bool">, i: Tensor<[4], "int32">) => [
      at(x, [i]).mul(tensor([65536, 65537, -3, 7], "int32")),
      at(b, [i]).set(tensor([true, false, true, false], "bool")),
    ];
    const x = tensor([3, 65536, -5], "int32");
    const b = tensor([false, true, false], "bool");
    await agree(f, [x, b, tensor([1, 1, 0, 2], "int32")], [[x, b, tensor([1, 1, 0, 2], "int32")], [x, b, tensor([2, 0, 0, 2], "int32")]]);
  });

  test("an embedding model with a symbolic batch, and ten Adam steps of it (the table's gradient is a scatterAdd)", async () => {
    const model = nn.serial(nn.embedding(11, 4), nn.flatten, nn.dense(12, 2));
    const params = model.init(random.key(0));
    type P = typeof params;
    const opt = optim.adam(0.05);
    const loss = (p: P, x: Tensor<[number, 3], "int32">, y: Tensor<[number], "int32">) => losses.softmaxCrossEntropy(model.apply(p, x), y);
    const step = jit((p: P, s: optim.StateOf<typeof opt, P>, x: Tensor<[number, 3], "int32">, y: Tensor<[number], "int32">) => {
      const [value, g] = valueAndGrad(loss)(p, x, y);
      const [updates, s2] = opt.update(g, s, p);
      return [optim.applyUpdates(p, updates), s2, value] as const;
    });
    const tokens = (seed: number, n: number) => random.randint(random.key(seed), [n, 3], 0, 11);
    const labels = (seed: number, n: number) => random.randint(random.key(seed), [n], 0, 2);
    const bytes = exportModel(step, [params, opt.init(params), tokens(1, 4), labels(2, 4)], {
      inputNames: ["params", "state", "x", "y"],
      outputNames: ["newParams", "newState", "loss"],
      dynamicAxes: { x: { 0: "batch" }, y: { 0: "batch" } },
    });
    const onnx = await load(bytes);
    let [p, s] = [params, opt.init(params)];
    for (let i = 0; i < 10; i++) {
      // repeated tokens in a batch: their gradients add up in the table's scatterAdd
      const [x, y] = [tokens(10 + i, 6), labels(20 + i, 6)];
      const feeds = Object.fromEntries([...leaves("params", p), ...leaves("state", s), ["x", x] as const, ["y", y] as const].map(([k, v]) => [k, toOrt(v)]));
      const got = await onnx.run(feeds);
      const [p2, s2, value] = step(p, s, x, y);
      expectClose(got.loss, value, { rtol: 1e-5, atol: 1e-6 }, `loss at step ${i + 1}`);
      for (const [k, v] of leaves("newParams", p2)) expectClose(got[k], v, { rtol: 1e-5, atol: 1e-6 }, `${k} at step ${i + 1}`);
      [p, s] = [p2, s2];
    }
  });

  test("scatters before the opset their ScatterND reduction needs are an OnnxExportError naming the primitive", () => {
    const x = tensor([1, 2, 3]);
    const i = tensor([0, 2], "int32");
    const cases: [string, (v: Tensor<[3]>, j: Tensor<[2], "int32">) => Tensor<[3]>, number, string][] = [
      ["scatterAdd", (v, j) => at(v, [j]).add(1), 15, "opset 16"],
      ["scatter", (v, j) => at(v, [j]).mul(2), 15, "opset 16"],
      ["scatter", (v, j) => at(v, [j]).max(2), 17, "opset 18"],
      ["scatter", (v, j) => at(v, [j]).set(2), 17, "opset 18"],
    ];
    for (const [prim, f, opset, needs] of cases) {
      let err: unknown = null;
      try {
        exportModel(f, [x, i], { opset });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(OnnxExportError);
      expect((err as OnnxExportError).primitive).toBe(prim);
      expect((err as Error).message).toContain(`needs ONNX ${needs} or later`);
      expect(() => exportModel(f, [x, i], { opset: opset + 1 })).not.toThrow();
    }
  });
});

describe("rounding and remainders", () => {
  test("floor, ceil and round (halves to even) at halves, −0, ±∞ and NaN", async () => {
    const x = tensor([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, -0.3, -0, 0.49999997, 8388609, Infinity, -Infinity, NaN, 1e30, -7.25]);
    await agree((v: Tensor<[15]>) => [floor(v), ceil(v), round(v)], [x], [[x]]);
  });

  test("rem and mod: float remainders with the dividend's sign (±∞, 0 and NaN included); int32 with 0 and −1 divisors and −2³¹", async () => {
    const a = tensor([7, -7, 7, -7, 5.5, Infinity, 3, 0, -0, NaN, 1e30, 4]);
    const b = tensor([3, 3, -3, -3, 0, 2, Infinity, 5, 5, 1, 7, -Infinity]);
    const i = tensor([7, -7, 7, -7, 5, -2147483648, -2147483648, 0, 2147483647, -9], "int32");
    const j = tensor([3, 3, -3, -3, 0, -1, 3, 0, -1, 4], "int32");
    const f = (x: Tensor<[12]>, y: Tensor<[12]>, m: Tensor<[10], "int32">, n: Tensor<[10], "int32">) => [remOf(x, y), mod(x, y), remOf(m, n), mod(m, n)];
    await agree(f, [a, b, i, j], [[a, b, i, j]]);
  });
});

/** The leaves of a tree named `prefix.path`, as exportModel names inputs and outputs. */
function leaves(prefix: string, t: unknown): [string, AnyT][] {
  const out: [string, AnyT][] = [];
  const go = (x: unknown, path: string[]) => {
    if (Array.isArray(x)) x.forEach((c, i) => go(c, [...path, String(i)]));
    else if (x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype) {
      for (const k of Object.keys(x).sort()) go((x as Record<string, unknown>)[k], [...path, k]);
    } else out.push([[prefix, ...path].join("."), x as AnyT]);
  };
  go(t, []);
  return out;
}
