/**
 * @file Control flow and calls exported to ONNX and run in ONNX Runtime: recurrent layers (`scan`
 * as `Loop`) with a symbolic batch and a symbolic sequence length, their training step, `cond` and
 * `switchCase` (`If`, index clamped), `whileLoop` and `foriLoop`, calls inside loop bodies,
 * `checkpoint` and the custom-derivative calls (inlined), `debugPrint` (dropped) and `customLin`
 * (refused by name).
 */
import { describe, expect, test } from "vitest";
import {
  add, checkpoint, cond, customJvp, customVjp, debugPrint, div, exp, foriLoop, grad, greater, jit, less, linearize, log1p, losses, mul, nn, optim,
  random, scan, setDebugPrintSink, sigmoid, sin, sum, switchCase, tanh, tensor, valueAndGrad, whileLoop, zeros, type Tensor,
} from "../../src/index.js";
import { decodeModel, exportModel, OnnxExportError } from "../../src/onnx/index.js";
import { expectClose, load, toOrt } from "./ort.js";

const TOL = { rtol: 1e-5, atol: 1e-6 };
const opTypes = (bytes: Uint8Array) => ((decodeModel(bytes) as { graph: { node: { opType: string }[] } }).graph.node ?? []).map((n) => n.opType);

describe("scan as Loop", () => {
  test("an LSTM with a symbolic sequence length (the Loop's trip count) or a symbolic batch: ONNX Runtime matches typegrad at several sizes", async () => {
    const model = nn.serial(nn.lstm(3, 5, { returnSequences: false }), nn.dense(5, 2));
    const params = model.init(random.key(0));
    const f = (p: typeof params, x: Tensor<[number, number, 3]>) => model.apply(p, x);
    // One symbolic dim per graph: the input projection flattens [batch, time] into one axis, and a
    // product of two symbolic dims is beyond symbolic export.
    for (const [axis, sizes] of [[1, [[2, 4], [2, 9], [2, 1]]], [0, [[2, 4], [1, 4], [6, 4]]]] as const) {
      const bytes = exportModel(f, [params, random.normal(random.key(1), [2, 4, 3])], { inputNames: ["p", "x"], dynamicAxes: { x: { [axis]: "n" } } });
      expect(opTypes(bytes).filter((t) => t === "Loop")).toHaveLength(1);
      const onnx = await load(bytes);
      for (const [b, t] of sizes) {
        const x = random.normal(random.key(10 * b + t), [b, t, 3]);
        const feeds = Object.fromEntries([...Object.entries(flatParams("p", params)), ["x", x] as const].map(([k, v]) => [k, toOrt(v)]));
        expectClose((await onnx.run(feeds)).output, f(params, x), TOL, `batch ${b}, time ${t}`);
      }
    }
  });

  test("reverse scans stack ys by slice; ten steps of an RNN training step (a reverse scan in its gradient) match typegrad", async () => {
    const model = nn.serial(nn.simpleRnn(2, 4, { reverse: true, returnSequences: false }), nn.dense(4, 1));
    const params = model.init(random.key(2));
    type P = typeof params;
    const opt = optim.adam(1e-2);
    const loss = (p: P, x: Tensor<[number, 6, 2]>, y: Tensor<[number, 1]>) => losses.mse(model.apply(p, x), y);
    const step = jit((p: P, s: optim.StateOf<typeof opt, P>, x: Tensor<[number, 6, 2]>, y: Tensor<[number, 1]>) => {
      const [value, g] = valueAndGrad(loss)(p, x, y);
      const [updates, s2] = opt.update(g, s, p);
      return [optim.applyUpdates(p, updates), s2, value] as const;
    });
    const x0 = random.normal(random.key(3), [3, 6, 2]);
    const y0 = random.normal(random.key(4), [3, 1]);
    const bytes = exportModel(step, [params, opt.init(params), x0, y0], {
      inputNames: ["params", "state", "x", "y"],
      outputNames: ["newParams", "newState", "loss"],
      dynamicAxes: { x: { 0: "batch" }, y: { 0: "batch" } },
    });
    const onnx = await load(bytes);
    let p = params;
    let s = opt.init(params);
    for (let i = 0; i < 10; i++) {
      const x = random.normal(random.key(100 + i), [4, 6, 2]);
      const y = random.normal(random.key(200 + i), [4, 1]);
      const feeds = Object.fromEntries(
        [...Object.entries(flatParams("params", p)), ...Object.entries(flatParams("state", s)), ["x", x] as const, ["y", y] as const].map(([k, v]) => [k, toOrt(v)]),
      );
      const got = await onnx.run(feeds);
      const [p2, s2, value] = step(p, s, x, y);
      expectClose(got.loss, value, { rtol: 1e-4, atol: 1e-6 }, `loss at step ${i + 1}`);
      for (const [k, v] of Object.entries(flatParams("newParams", p2))) expectClose(got[k], v, { rtol: 1e-4, atol: 1e-6 }, `${k} at step ${i + 1}`);
      [p, s] = [p2, s2];
    }
  });

  test("a scan body with a jitted call, a checkpoint and a cond inside: the body's own calls are written inline", async () => {
    const inner = jit((h: Tensor<[3]>, x: Tensor<[3]>) => tanh(add(mul(h, 0.5), x)));
    const cell = checkpoint((h: Tensor<[3]>) => sin(h));
    const f = (h0: Tensor<[3]>, xs: Tensor<[number, 3]>) =>
      scan((h: Tensor<[3]>, x: Tensor<[3]>) => {
        const h2 = cond(greater(sum(x), 0), (a: Tensor<[3]>) => inner(a, x), (a: Tensor<[3]>) => cell(a), h);
        return [h2, mul(h2, 2)] as const;
      }, h0, xs);
    const h0 = tensor([0.1, -0.2, 0.3]);
    const bytes = exportModel(f, [h0, random.normal(random.key(5), [4, 3])], { dynamicAxes: { arg1: { 0: "t" } } });
    expect(opTypes(bytes)).not.toContain("If"); // the If is inside the Loop's body
    const onnx = await load(bytes);
    for (const t of [4, 7, 1]) {
      const xs = random.normal(random.key(t), [t, 3]);
      const got = await onnx.run({ arg0: toOrt(h0), arg1: toOrt(xs) });
      const [h, ys] = f(h0, xs);
      expectClose(got["output.0"], h, TOL, `t ${t}`);
      expectClose(got["output.1"], ys, TOL, `t ${t}`);
    }
  });

  test("a scan of length 0 returns its carry and empty ys", async () => {
    const f = (c: Tensor<[2]>, xs: Tensor<[0, 2]>) => scan((h: Tensor<[2]>, x: Tensor<[2]>) => [add(h, x), exp(x)] as const, c, xs);
    const c = tensor([1, 2]);
    const xs = zeros([0, 2]);
    const got = await (await load(exportModel(f, [c, xs]))).run({ arg0: toOrt(c), arg1: toOrt(xs) });
    const [h, ys] = f(c, xs);
    expectClose(got["output.0"], h);
    expectClose(got["output.1"], ys);
  });
});

describe("cond and switchCase as If", () => {
  test("switchCase over three branches: every index, including out-of-range ones (clamped), in one graph", async () => {
    const f = (k: Tensor<[], "int32">, x: Tensor<[number, 2]>) => switchCase(k, [(v: Tensor<[number, 2]>) => tanh(v), (v: Tensor<[number, 2]>) => mul(v, 3), (v: Tensor<[number, 2]>) => exp(v)], x);
    const x = tensor([[0.5, -1], [2, 0]]);
    const bytes = exportModel(f, [tensor(0, "int32"), x], { dynamicAxes: { arg1: { 0: "n" } } });
    expect(opTypes(bytes).filter((t) => t === "If")).toHaveLength(1); // the second If is in the first's else branch
    const onnx = await load(bytes);
    for (const k of [-3, 0, 1, 2, 7]) {
      const xk = random.normal(random.key(k + 10), [3, 2]);
      const kk = tensor(k, "int32");
      expectClose((await onnx.run({ arg0: toOrt(kk), arg1: toOrt(xk) })).output, f(kk, xk), TOL, `index ${k}`);
    }
  });

  test("cond on a traced predicate with a closed-over constant, and its gradient", async () => {
    const w = tensor([1.5, -0.5]);
    const f = (x: Tensor<[2]>) => cond(less(sum(x), 0), (v: Tensor<[2]>) => mul(v, w), (v: Tensor<[2]>) => sin(v), x);
    const g = grad((x: Tensor<[2]>) => sum(f(x)));
    const onnx = await load(exportModel((x: Tensor<[2]>) => [f(x), g(x)], [tensor([1, 2])]));
    for (const x of [tensor([1, 2]), tensor([-3, 1]), tensor([0, 0])]) {
      const got = await onnx.run({ arg0: toOrt(x) });
      expectClose(got["output.0"], f(x), TOL);
      expectClose(got["output.1"], g(x), TOL);
    }
  });
});

describe("whileLoop and foriLoop as Loop", () => {
  test("a while loop whose trip count depends on the data (Newton's square root to a tolerance)", async () => {
    const sqrtNewton = (a: Tensor<[]>) =>
      whileLoop(
        ([x, i]: [Tensor<[]>, Tensor<[], "int32">]) => less(i, tensor(50, "int32")),
        ([x, i]: [Tensor<[]>, Tensor<[], "int32">]) => [mul(add(x, div(a, x)), 0.5), add(i, tensor(1, "int32"))] as [Tensor<[]>, Tensor<[], "int32">],
        [a, tensor(0, "int32")] as [Tensor<[]>, Tensor<[], "int32">],
      );
    const onnx = await load(exportModel(sqrtNewton, [tensor(2)]));
    for (const a of [2, 9, 0.25]) {
      const got = await onnx.run({ arg0: toOrt(tensor(a)) });
      const [x, i] = sqrtNewton(tensor(a));
      expectClose(got["output.0"], x, TOL);
      expectClose(got["output.1"], i);
    }
  });

  test("foriLoop with tensor bounds (a whileLoop): zero, one and many steps", async () => {
    const power = (x: Tensor<[3]>, n: Tensor<[], "int32">) => foriLoop(tensor(0, "int32"), n, (_i, acc: Tensor<[3]>) => mul(acc, x), tensor([1, 1, 1]));
    const onnx = await load(exportModel(power, [tensor([1, 2, 3]), tensor(2, "int32")]));
    for (const n of [0, 1, 5, -2]) {
      const x = tensor([0.5, -1.5, 2]);
      const k = tensor(n, "int32");
      expectClose((await onnx.run({ arg0: toOrt(x), arg1: toOrt(k) })).output, power(x, k), TOL, `n ${n}`);
    }
  });
});

describe("calls", () => {
  test("checkpoint, customJvp and customVjp export the functions they call; gradients through them too", async () => {
    const block = checkpoint((x: Tensor<[4]>) => tanh(mul(x, x)));
    const softplus = customJvp(
      (x: Tensor<[4]>) => log1pExp(x),
      ([x], [dx]) => [log1pExp(x), mul(dx, sigmoidOf(x))],
    );
    const clipGrad = customVjp(
      (x: Tensor<[4]>) => mul(x, 2),
      (x) => [mul(x, 2), null],
      (_res, g) => [mul(tanh(g), 2)],
    );
    const f = (x: Tensor<[4]>) => sum(clipGrad(softplus(block(x))));
    const both = (x: Tensor<[4]>) => [f(x), grad(f)(x)];
    const bytes = exportModel(both, [tensor([1, 2, 3, 4])]);
    const ops = opTypes(bytes);
    expect(ops.some((t) => /call|checkpoint/i.test(t))).toBe(false);
    const onnx = await load(bytes);
    const x = tensor([0.3, -1.2, 0.8, 0]);
    const got = await onnx.run({ arg0: toOrt(x) });
    const [v, g] = both(x);
    expectClose(got["output.0"], v, TOL);
    expectClose(got["output.1"], g, TOL);
  });

  test("debugPrint is dropped from the graph (ONNX has no print); the values it printed still flow", async () => {
    const printed: string[] = [];
    setDebugPrintSink((label) => printed.push(label));
    const f = (x: Tensor<[3]>) => {
      const y = exp(x);
      debugPrint("y", y);
      return add(y, 1);
    };
    let bytes: Uint8Array;
    try {
      bytes = exportModel(f, [tensor([0, 1, 2])]);
    } finally {
      setDebugPrintSink(null);
    }
    expect(opTypes(bytes)).toEqual(opTypes(exportModel((x: Tensor<[3]>) => add(exp(x), 1), [tensor([0, 1, 2])])));
    expect(printed).toEqual([]);
    const x = tensor([0.5, 1, -2]);
    expectClose((await (await load(bytes)).run({ arg0: toOrt(x) })).output, f(x), TOL);
  });

  test("customLin (a customVjp function linearized, evaluated forward) is an OnnxExportError naming it", () => {
    const g = customVjp(
      (x: Tensor<[2]>) => sin(x),
      (x) => [sin(x), x],
      (x, ct) => [mul(ct, x)],
    );
    const f = (x: Tensor<[2]>, t: Tensor<[2]>) => linearize(g, x)[1](t);
    let err: unknown = null;
    try {
      exportModel(f, [tensor([1, 2]), tensor([1, 1])]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OnnxExportError);
    expect((err as OnnxExportError).primitive).toBe("customLin");
    expect((err as Error).message).toMatch(/customLin: the linear map of customVjp\(.*\) is known only through its transpose/);
  });
});

// ---- helpers ----

const log1pExp = (x: Tensor<[4]>) => log1p(exp(x));
const sigmoidOf = (x: Tensor<[4]>) => sigmoid(x);

/** The leaves of a tree by `prefix.path`, as exportModel names inputs and outputs. */
function flatParams(prefix: string, t: unknown): Record<string, Tensor<readonly number[], "float32" | "int32">> {
  const out: Record<string, Tensor<readonly number[], "float32" | "int32">> = {};
  const go = (x: unknown, path: string[]) => {
    if (Array.isArray(x)) x.forEach((c, i) => go(c, [...path, String(i)]));
    else if (x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype) {
      for (const k of Object.keys(x).sort()) go((x as Record<string, unknown>)[k], [...path, k]);
    } else out[[prefix, ...path].join(".")] = x as never;
  };
  go(t, []);
  return out;
}
