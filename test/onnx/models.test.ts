/**
 * @file Whole programs exported and run in ONNX Runtime against typegrad: the MNIST MLP and CNN
 * of the examples (random init, random images), with a symbolic batch dim, and whole training
 * steps (loss, gradient and Adam update in one graph) run ten times in a row in ONNX Runtime,
 * each step's outputs fed back as the next one's inputs, against ten steps in typegrad.
 */
import type * as ort from "onnxruntime-node";
import { describe, expect, test } from "vitest";
import { jit, losses, nn, optim, random, tree, valueAndGrad, type Tensor } from "../../src/index.js";
import { exportModel } from "../../src/onnx/index.js";
import { expectClose, load, toOrt, type OrtValue, type Tol } from "./ort.js";

type AnyT = Tensor<readonly (number | string)[], "float32" | "float64" | "int32" | "bool">;

const mlp = nn.serial(nn.dense(784, 32), nn.relu, nn.dense(32, 10));
const cnn = nn.serial(
  nn.input([28, 28, 1]),
  nn.conv2d(1, 4, 3, { padding: "same" }),
  nn.relu,
  nn.maxPool2d(2),
  nn.conv2d(4, 8, 3, { padding: "same" }),
  nn.relu,
  nn.maxPool2d(2),
  nn.flatten,
  nn.dense(7 * 7 * 8, 10),
);

const images = (seed: number, n: number) => random.uniform(random.key(seed), [n, 28, 28, 1]);
const flat = (seed: number, n: number) => random.uniform(random.key(seed), [n, 784]);
const labels = (seed: number, n: number) => random.randint(random.key(seed), [n], 0, 10);

/** The named leaves of a tree, as `exportModel` names inputs: `prefix.path`. */
function named(prefix: string, t: unknown): [string, AnyT][] {
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

const feeds = (...groups: [string, unknown][]): Record<string, ort.Tensor> =>
  Object.fromEntries(groups.flatMap(([prefix, t]) => named(prefix, t).map(([k, v]) => [k, toOrt(v)])));

describe("inference models", () => {
  test("MLP: named inputs and output, symbolic batch, ONNX Runtime matches typegrad at two batch sizes", async () => {
    const params = mlp.init(random.key(0));
    const predict = jit((p: typeof params, x: Tensor<[number, 784]>) => mlp.apply(p, x));
    const bytes = exportModel(predict, [params, flat(1, 8)], { inputNames: ["params", "x"], outputNames: ["logits"], dynamicAxes: { x: { 0: "batch" } } });
    const model = await load(bytes);
    expect([...model.session.inputNames].sort()).toEqual(["params.0.b", "params.0.w", "params.2.b", "params.2.w", "x"]);
    expect(model.session.outputNames).toEqual(["logits"]);
    for (const n of [8, 3]) {
      const x = flat(2 + n, n);
      const got = await model.run(feeds(["params", params], ["x", x]));
      expectClose(got.logits, predict(params, x), { rtol: 1e-4, atol: 1e-5 }, `batch ${n}`);
    }
  });

  test("CNN (convolutions, max pooling, flatten): symbolic batch, ONNX Runtime matches typegrad", async () => {
    const params = cnn.init(random.key(3));
    const predict = (p: typeof params, x: Tensor<[number, 28, 28, 1]>) => cnn.apply(p, x);
    const bytes = exportModel(predict, [params, images(4, 2)], { inputNames: ["params", "x"], outputNames: ["logits"], dynamicAxes: { x: { 0: "n" } } });
    const model = await load(bytes);
    for (const n of [2, 5]) {
      const x = images(5 + n, n);
      const got = await model.run(feeds(["params", params], ["x", x]));
      expectClose(got.logits, predict(params, x), { rtol: 1e-4, atol: 1e-5 }, `batch ${n}`);
    }
  });
});

/**
 * Runs `steps` training steps in ONNX Runtime from `params` and `state`, each step's new params and
 * state fed back, and the same steps in typegrad; compares the losses and the final params.
 */
async function compareTraining<P, S>(
  step: (p: P, s: S, x: AnyT, y: AnyT) => readonly [P, S, AnyT],
  init: { params: P; state: S },
  batches: readonly (readonly [AnyT, AnyT])[],
  example: readonly [AnyT, AnyT],
  tol: Tol,
): Promise<void> {
  const bytes = exportModel(step as (...a: unknown[]) => unknown, [init.params, init.state, ...example] as never, {
    inputNames: ["params", "state", "x", "y"],
    outputNames: ["newParams", "newState", "loss"],
    dynamicAxes: { x: { 0: "batch" }, y: { 0: "batch" } },
  });
  const model = await load(bytes);
  let ortInputs = feeds(["params", init.params], ["state", init.state]);
  let p = init.params;
  let s = init.state;
  for (const [i, [x, y]] of batches.entries()) {
    const got = await model.run({ ...ortInputs, x: toOrt(x), y: toOrt(y) });
    const [p2, s2, loss] = step(p, s, x, y);
    expectClose(got.loss, loss, tol, `loss at step ${i + 1}`);
    [p, s] = [p2, s2];
    // feed the outputs back: newParams.0.w → params.0.w, …
    const next: Record<string, ort.Tensor> = {};
    const { Tensor: OrtTensor } = await import("onnxruntime-node");
    for (const [name, v] of Object.entries(got) as [string, OrtValue][]) {
      const into = name.startsWith("newParams") ? name.replace("newParams", "params") : name.startsWith("newState") ? name.replace("newState", "state") : null;
      if (into === null) continue;
      const type = v.type as "float32" | "float64" | "int32";
      const data = type === "float32" ? Float32Array.from(v.data) : type === "float64" ? Float64Array.from(v.data) : Int32Array.from(v.data);
      next[into] = new OrtTensor(type, data, v.dims as number[]);
    }
    expect(Object.keys(next).sort()).toEqual(Object.keys(ortInputs).sort());
    ortInputs = next;
  }
  const want = Object.fromEntries(named("params", p));
  for (const [name, value] of Object.entries(ortInputs).filter(([k]) => k.startsWith("params"))) {
    const v: OrtValue = { dims: value.dims as number[], data: Array.from(value.data as Float32Array), type: value.type };
    expectClose(v, want[name], tol, `${name} after ${batches.length} steps`);
  }
  expect(tree.leaves(s).length).toBeGreaterThan(0);
}

describe("a whole training step as one graph", () => {
  test("MLP + softmax cross-entropy + Adam: ten steps in ONNX Runtime match ten steps in typegrad (batch 16, exported at 8)", async () => {
    const params = mlp.init(random.key(7));
    const opt = optim.adam(1e-2);
    type P = typeof params;
    const loss = (p: P, x: Tensor<[number, 784]>, y: Tensor<[number], "int32">) => losses.softmaxCrossEntropy(mlp.apply(p, x), y);
    const step = jit((p: P, s: optim.StateOf<typeof opt, P>, x: Tensor<[number, 784]>, y: Tensor<[number], "int32">) => {
      const [value, g] = valueAndGrad(loss)(p, x, y);
      const [updates, s2] = opt.update(g, s, p);
      return [optim.applyUpdates(p, updates), s2, value] as const;
    });
    const batches = Array.from({ length: 10 }, (_, i) => [flat(100 + i, 16), labels(200 + i, 16)] as const);
    await compareTraining(step as never, { params, state: opt.init(params) }, batches, [flat(1, 8), labels(2, 8)], { rtol: 1e-4, atol: 1e-6 });
  });

  test("CNN + Adam: ten steps in ONNX Runtime (conv backprops as ConvTranspose and Conv) match typegrad", async () => {
    const params = cnn.init(random.key(8));
    const opt = optim.adam(1e-2);
    type P = typeof params;
    const loss = (p: P, x: Tensor<[number, 28, 28, 1]>, y: Tensor<[number], "int32">) => losses.softmaxCrossEntropy(cnn.apply(p, x), y);
    const step = jit((p: P, s: optim.StateOf<typeof opt, P>, x: Tensor<[number, 28, 28, 1]>, y: Tensor<[number], "int32">) => {
      const [value, g] = valueAndGrad(loss)(p, x, y);
      const [updates, s2] = opt.update(g, s, p);
      return [optim.applyUpdates(p, updates), s2, value] as const;
    });
    const batches = Array.from({ length: 10 }, (_, i) => [images(300 + i, 4), labels(400 + i, 4)] as const);
    await compareTraining(step as never, { params, state: opt.init(params) }, batches, [images(1, 4), labels(2, 4)], { rtol: 1e-4, atol: 1e-6 });
  });
});
