/**
 * @file `exportModel`'s contract beyond the values: names, symbolic dims in the file, opsets,
 * sampling (Threefry) in ONNX Runtime, exact edge semantics (casts, indices that fail), and the
 * typed errors for what cannot be exported.
 */
import { describe, expect, test } from "vitest";
import { add, cast, concat, exp, jit, losses, matmul, mul, random, reshape, sum, tanh, tensor, type Tensor } from "../../src/index.js";
import { decodeModel, exportModel, MAX_OPSET, MIN_OPSET, OnnxExportError } from "../../src/onnx/index.js";
import { exportRules } from "../../src/onnx/rules/index.js";
import { primitiveNames } from "../../src/core/registry.js";
import { checkNaNOf } from "../../src/primitives/check-nan.js";
import { expectClose, load, toOrt } from "./ort.js";

type Graph = { input: ValueInfo[]; output: ValueInfo[]; node: { opType: string }[] };
type ValueInfo = { name: string; type: { tensorType: { elemType: number; shape?: { dim?: ({ dimValue?: number; dimParam?: string })[] } } } };
const graphOf = (bytes: Uint8Array) => (decodeModel(bytes) as { graph: Graph }).graph;
const dims = (v: ValueInfo) => (v.type.tensorType.shape?.dim ?? []).map((d) => d.dimParam ?? d.dimValue);

describe("names and symbolic dims", () => {
  test("inputs and outputs are named by their tree paths; records name outputs by key; static leaves are no inputs", () => {
    const f = (p: { w: Tensor<[3, 2]>; b: Tensor<[2]> }, x: Tensor<[number, 3]>, scale: number) => {
      const y = add(matmul(x, p.w), p.b);
      return { logits: mul(y, scale), summary: { total: sum(y) } };
    };
    const p = { w: tensor([[1, 2], [3, 4], [5, 6]]), b: tensor([1, -1]) };
    const g = graphOf(exportModel(f, [p, tensor([[1, 0, 2]]), 2], { inputNames: ["params", "x", "scale"], dynamicAxes: { x: { 0: "batch" } } }));
    expect(g.input.map((v) => v.name)).toEqual(["params.b", "params.w", "x"]);
    expect(g.input.map(dims)).toEqual([[2], [3, 2], ["batch", 3]]);
    expect(g.output.map((v) => v.name)).toEqual(["logits", "summary.total"]);
    expect(g.output.map(dims)).toEqual([["batch", 2], []]);
  });

  test("default names: arg0, arg1 … in, output (or output.0 …) out", () => {
    const g = graphOf(exportModel((x: Tensor<[2]>, y: Tensor<[2]>) => [add(x, y), mul(x, y)], [tensor([1, 2]), tensor([3, 4])]));
    expect(g.input.map((v) => v.name)).toEqual(["arg0", "arg1"]);
    expect(g.output.map((v) => v.name)).toEqual(["output.0", "output.1"]);
    expect(graphOf(exportModel((x: Tensor<[2]>) => exp(x), [tensor([1, 2])])).output[0].name).toBe("output");
  });

  test("a dim that follows a symbolic one gets an expression as its dim_param, and the graph runs at other sizes", async () => {
    const f = (x: Tensor<[number, 3]>) => concat([x, tanh(x)], 0);
    const bytes = exportModel(f, [tensor([[1, 2, 3]])], { dynamicAxes: { arg0: { 0: "n" } } });
    expect(graphOf(bytes).output.map(dims)).toEqual([["2*n", 3]]);
    const model = await load(bytes);
    const x = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    expectClose((await model.run({ arg0: toOrt(x) })).output, f(x));
  });

  test("two symbolic dims whose effects add (n + m rows) run at any pair of sizes; a product of two is refused", async () => {
    const f = (x: Tensor<[number, 3]>, y: Tensor<[number, 3]>) => concat([x, mul(y, 2)], 0);
    const bytes = exportModel(f, [tensor([[1, 2, 3]]), tensor([[4, 5, 6], [7, 8, 9]])], { inputNames: ["x", "y"], dynamicAxes: { x: { 0: "n" }, y: { 0: "m" } } });
    expect(graphOf(bytes).output.map(dims)).toEqual([["n+m", 3]]);
    const model = await load(bytes);
    for (const [n, m] of [[1, 1], [4, 2], [2, 5]]) {
      const [x, y] = [random.normal(random.key(n), [n, 3]), random.normal(random.key(10 + m), [m, 3])];
      expectClose((await model.run({ x: toOrt(x), y: toOrt(y) })).output, f(x, y), undefined, `n ${n}, m ${m}`);
    }
    const flat = (x: Tensor<[number, number, 2]>) => reshape(x, [x.shape[0] * x.shape[1], 2]);
    const err = catchError(() => exportModel(flat, [random.normal(random.key(0), [2, 3, 2])], { dynamicAxes: { arg0: { 0: "b", 1: "t" } } }));
    expect(err).toBeInstanceOf(OnnxExportError);
    expect((err as OnnxExportError).primitive).toBe("reshape");
    expect((err as Error).message).toMatch(/product of symbolic dims/);
  });

  test("the mean's 1/count in a gradient follows the batch size", async () => {
    const step = jit((w: Tensor<[3]>, x: Tensor<[number, 3]>) => losses.mse(matmul(x, w), sum(x, 1)));
    const bytes = exportModel(step, [tensor([0.5, -1, 2]), tensor([[1, 2, 3], [4, 5, 6]])], { inputNames: ["w", "x"], dynamicAxes: { x: { 0: "batch" } } });
    const model = await load(bytes);
    for (const n of [1, 4, 7]) {
      const x = random.normal(random.key(n), [n, 3]);
      const w = tensor([0.5, -1, 2]);
      expectClose((await model.run({ w: toOrt(w), x: toOrt(x) })).output, step(w, x), { rtol: 1e-5, atol: 1e-6 }, `batch ${n}`);
    }
  });
});

describe("constants", () => {
  test("a function closing over its parameters exports them as initializers: the graph's only input is x", async () => {
    const w = random.normal(random.key(5), [3, 4]);
    const f = (x: Tensor<[number, 3]>) => tanh(matmul(x, w));
    const bytes = exportModel(f, [tensor([[1, 2, 3]])], { inputNames: ["x"], dynamicAxes: { x: { 0: "n" } } });
    expect(graphOf(bytes).input.map((v) => v.name)).toEqual(["x"]);
    const x = random.normal(random.key(6), [5, 3]);
    expectClose((await (await load(bytes)).run({ x: toOrt(x) })).output, f(x));
  });
});

describe("opsets and sampling", () => {
  test(`opsets ${MIN_OPSET}, 18 and ${MAX_OPSET} all run in ONNX Runtime; others are a RangeError`, async () => {
    const f = (x: Tensor<[2, 3]>) => tanh(add(mul(x, x), sum(x, 0, true)));
    const x = tensor([[1, -2, 3], [0.5, 0, -1]]);
    for (const opset of [MIN_OPSET, 18, MAX_OPSET]) {
      const model = await load(exportModel(f, [x], { opset }));
      expectClose((await model.run({ arg0: toOrt(x) })).output, f(x));
    }
    expect(() => exportModel(f, [x], { opset: MIN_OPSET - 1 })).toThrow(RangeError);
    expect(() => exportModel(f, [x], { opset: 18.5 })).toThrow(/opset 18.5 is not supported/);
  });

  test("random sampling (Threefry-2x32 as uint32 ops) gives typegrad's numbers bit for bit", async () => {
    const sample = (k: random.Key) => {
      const [a, b] = random.splitList(k, 2);
      return [random.normal(a, [5]), random.randint(b, [4], 0, 100)] as const;
    };
    const model = await load(exportModel(sample, [random.key(1)], { inputNames: ["key"] }));
    for (const seed of [0, 42, 123456]) {
      const k = random.key(seed);
      const got = await model.run({ key: toOrt(k) });
      const [normal, ints] = sample(k);
      expectClose(got["output.0"], normal, { rtol: 1e-6, atol: 1e-6 }, `seed ${seed}`);
      expectClose(got["output.1"], ints, undefined, `seed ${seed}`);
    }
  });

  test("Threefry before opset 18 is an OnnxExportError naming threefry2x32", () => {
    const err = catchError(() => exportModel((k: random.Key) => random.uniform(k, [3]), [random.key(0)], { opset: 17 }));
    expect(err).toBeInstanceOf(OnnxExportError);
    expect((err as OnnxExportError).primitive).toBe("threefry2x32");
    expect((err as Error).message).toMatch(/threefry2x32: needs ONNX opset 18 or later .*got opset 17/);
  });
});

describe("edge semantics", () => {
  test("float to int32 casts saturate (±∞ and values past the range to its ends, NaN to 0), as typegrad's", async () => {
    const f = (x: Tensor<[8]>) => cast(x, "int32");
    const x = tensor([3e9, -3e9, NaN, Infinity, -Infinity, -2.7, 2 ** 40 + 4096, 1e30]);
    const got = await (await load(exportModel(f, [x]))).run({ arg0: toOrt(x) });
    expectClose(got.output, f(x));
  });

  test("labels out of range: the checkIndices assert stops ONNX Runtime instead of giving a zero row", async () => {
    const loss = (logits: Tensor<[number, 3]>, y: Tensor<[number], "int32">) => losses.softmaxCrossEntropy(logits, y);
    const model = await load(exportModel(loss, [tensor([[1, 2, 3]]), tensor([0], "int32")], { dynamicAxes: { arg0: { 0: "b" }, arg1: { 0: "b" } } }));
    const logits = tensor([[1, 2, 3], [0, 0, 0]]);
    const ok = await model.run({ arg0: toOrt(logits), arg1: toOrt(tensor([2, 0], "int32")) });
    expectClose(ok.output, loss(logits, tensor([2, 0], "int32")));
    for (const bad of [3, -1, -4]) {
      await expect(model.run({ arg0: toOrt(logits), arg1: toOrt(tensor([0, bad], "int32")) })).rejects.toThrow(/out of (data )?bounds|indices/i);
    }
  });

  test("checkNaN: an assert that stops ONNX Runtime on a NaN; otherwise the value passes bit for bit", async () => {
    const f = (x: Tensor<[4]>) => checkNaNOf(mul(x, 2), "export test", "value");
    const model = await load(exportModel(f, [tensor([1, 2, 3, 4])]));
    const x = tensor([-0, Infinity, -1.5, 3e38]);
    expectClose((await model.run({ arg0: toOrt(x) })).output, f(x), { rtol: 0, atol: 0 });
    await expect(model.run({ arg0: toOrt(tensor([1, NaN, 2, 3])) })).rejects.toThrow(/out of (data )?bounds|indices/i);
  });

  test("float64 programs export as double ops", async () => {
    const f = (x: Tensor<[2, 2], "float64">) => exp(matmul(x, x));
    const x = tensor([[0.1, 0.2], [0.3, 0.4]], "float64");
    const got = await (await load(exportModel(f, [x]))).run({ arg0: toOrt(x) });
    expectClose(got.output, f(x), { rtol: 1e-12, atol: 0 });
  });
});

describe("typed errors", () => {
  test("every primitive typegrad has has an export rule (a new primitive needs one in src/onnx/rules/)", () => {
    expect(primitiveNames.filter((p) => exportRules[p] === undefined)).toEqual([]);
  });

  test("a primitive without an export rule is an OnnxExportError naming it", () => {
    const rules = exportRules as Record<string, unknown>;
    const saved = rules.tanh;
    delete rules.tanh;
    try {
      const err = catchError(() => exportModel((x: Tensor<[2]>) => tanh(x), [tensor([1, 2])]));
      expect(err).toBeInstanceOf(OnnxExportError);
      expect((err as OnnxExportError).primitive).toBe("tanh");
      expect((err as Error).message).toBe("exportModel: primitive tanh has no ONNX export rule (src/onnx/rules/)");
    } finally {
      rules.tanh = saved;
    }
  });

  test("a value that depends on a symbolic dim nonlinearly names its primitive", () => {
    const f = (x: Tensor<[number, 2]>) => mul(x, x.shape[0] * x.shape[0]);
    const err = catchError(() => exportModel(f, [tensor([[1, 2]])], { dynamicAxes: { arg0: { 0: "batch" } } }));
    expect(err).toBeInstanceOf(OnnxExportError);
    expect((err as Error).message).toMatch(/depends on the size of symbolic dim "batch"/);
  });

  test("a function that fixes a dim marked symbolic says so, with the size it was traced at", () => {
    const f = (x: Tensor<[number, 2]>) => add(x, tensor([[1, 2], [3, 4]]));
    const err = catchError(() => exportModel(f, [tensor([[1, 2], [3, 4]])], { dynamicAxes: { arg0: { 0: "batch" } } }));
    expect(err).toBeInstanceOf(OnnxExportError);
    expect((err as Error).message).toMatch(/fails when traced with symbolic dims at batch = \d+, so they cannot be symbolic: .*add/);
  });

  test("non-tensor outputs, clashing names and bad options", () => {
    const x = tensor([1, 2]);
    expect(() => exportModel((t: Tensor<[2]>) => [t, 3], [x])).toThrow(/output 1 is a number \(3\), not a tensor/);
    expect(() => exportModel((t: Tensor<[2]>) => exp(t), [x], { inputNames: ["a"], outputNames: ["a"] })).toThrow(/both named "a"/);
    expect(() => exportModel((t: Tensor<[2]>) => exp(t), [x], { inputNames: ["a", "b"] })).toThrow(RangeError);
    expect(() => exportModel((t: Tensor<[2]>) => exp(t), [x], { outputNames: ["a", "b"] })).toThrow(RangeError);
    expect(() => exportModel((t: Tensor<[2]>) => exp(t), [x], { dynamicAxes: { y: { 0: "n" } } })).toThrow(/names input "y", which is not one of "arg0"/);
    expect(() => exportModel((t: Tensor<[2]>) => exp(t), [x], { dynamicAxes: { arg0: { 1: "n" } } })).toThrow(/axis 1 of input "arg0", which has rank 1/);
  });
});

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}
