import { describe, expect, test } from "vitest";
import { DTypeError } from "../../src/core/errors.js";
import * as core from "../../src/core/ops.js";
import { leaves } from "../../src/core/tree.js";
import { grad, losses, nn, optim, random, type Tensor } from "../../src/index.js";
import { checkGrad, data, probe, type T } from "./helpers.js";

const dtypes = (tree: unknown) => leaves(tree).map((l) => (l as T).dtype);

describe("layers and models in a dtype", () => {
  test("a layer made with a dtype makes its parameters (and state) in it, drawn in it", () => {
    const p = nn.dense(4, 8, { dtype: "float64" }).init(random.key(0));
    expect(dtypes(p)).toEqual(["float64", "float64"]);
    // Drawn in float64, not float32 values widened: some weight is not a float32 number.
    expect(Array.from(p.w.data()).some((v) => Math.fround(v) !== v)).toBe(true);
    expect(dtypes(nn.conv2d(1, 2, 3, { dtype: "float64" }).init(random.key(1)))).toEqual(["float64", "float64"]);
    expect(dtypes(nn.layerNorm(3, { dtype: "float64" }).init(random.key(2)))).toEqual(["float64", "float64"]);
    expect(dtypes(nn.embedding(5, 2, { dtype: "float64" }).init(random.key(3)))).toEqual(["float64"]);
    const bn = nn.batchNorm(3, { dtype: "float64" });
    expect(dtypes([bn.init(random.key(4)), bn.initState()])).toEqual(["float64", "float64", "float64", "float64"]);
    expect(dtypes(nn.dense(4, 8).init(random.key(0)))).toEqual(["float32", "float32"]);
    for (const layer of [
      nn.simpleRnn(3, 4, { dtype: "float64" }),
      nn.lstm(3, 4, { dtype: "float64" }),
      nn.gru(3, 4, { dtype: "float64" }),
      nn.multiHeadAttention(4, 2, { dtype: "float64" }),
      nn.positionalEmbedding(5, 4, { dtype: "float64" }),
      nn.transformerBlock(4, 2, 8, { dtype: "float64" }),
    ] as nn.AnyLayer[]) {
      const q = layer.init(random.key(5));
      expect(new Set(dtypes(q))).toEqual(new Set(["float64"]));
      // Drawn in float64 (the zero biases aside, some value is not a float32 number).
      expect(leaves(q).some((l) => Array.from((l as T).data() as Float64Array).some((v) => Math.fround(v) !== v))).toBe(true);
      expect(new Set(dtypes(layer.init(random.key(5), { dtype: "float32" })))).toEqual(new Set(["float32"]));
    }
  });

  test("init(key, { dtype }) makes a whole model's parameters and state in it, custom layers too", () => {
    const custom = nn.makeLayer<nn.LayerFn, { s: Tensor<[1]> }>({
      name: "scale",
      init: () => ({ s: core.full([1], 2, "float32") as unknown as Tensor<[1]> }),
      apply: (p, x) => core.mul(x as T, core.broadcastInDim(p.s as unknown as T, (x as T).shape, [(x as T).ndim - 1])),
    });
    const model = nn.serial(nn.dense(3, 4), nn.tanh, nn.batchNorm(4), nn.residual(nn.dense(4, 4)), custom, nn.dense(4, 1));
    const p = model.init(random.key(0), { dtype: "float64" });
    expect(new Set(dtypes(p))).toEqual(new Set(["float64"]));
    expect(new Set(dtypes(model.initState({ dtype: "float64" })))).toEqual(new Set(["float64"]));
    expect(leaves(p).map((l) => (l as T).shape)).toEqual(leaves(model.init(random.key(0))).map((l) => (l as T).shape));
    const [y] = model.applyStateful(p, model.initState({ dtype: "float64" }), data([5, 3]) as never, { training: true });
    expect((y as unknown as T).dtype).toBe("float64");
  });

  test("a float64 model passes a gradient check against finite differences (the reason to have one)", () => {
    const model = nn.serial(nn.dense(3, 4), nn.tanh, nn.dense(4, 2));
    const p = model.init(random.key(7), { dtype: "float64" });
    const x = data([5, 3], 3);
    checkGrad((q: typeof p) => probe(model.apply(q, x as never) as unknown as T), p);
    const loss = (q: typeof p) => losses.mse(model.apply(q, x as never), data([5, 2], 4) as never);
    const g = grad(loss)(p);
    expect(new Set(dtypes(g))).toEqual(new Set(["float64"]));
    const opt = optim.adam(1e-2);
    const [updates, state] = opt.update(g, opt.init(p), p);
    expect(new Set(dtypes([updates, state]))).toEqual(new Set(["float64", "int32"]));
  });

  test("an embedding's rows are in the dtype its table was made in, whichever init made it", () => {
    const ids = core.fromValues([0, 1, 2, 3, 4, 5], [2, 3], "int32") as never;
    const emb = nn.embedding(10, 4);
    expect((emb.apply(emb.init(random.key(0), { dtype: "float64" }), ids) as unknown as T).dtype).toBe("float64");
    const own64 = nn.embedding(10, 4, { dtype: "float64" });
    expect((own64.apply(own64.init(random.key(0)), ids) as unknown as T).dtype).toBe("float64");
    expect((own64.apply(own64.init(random.key(0), { dtype: "float32" }), ids) as unknown as T).dtype).toBe("float32");
    // …and flow on through a stack initialised in float64, gradients included.
    const lm = nn.serial(nn.embedding(10, 4), nn.flatten, nn.dense(12, 10));
    const p = lm.init(random.key(1), { dtype: "float64" });
    const y = lm.apply(p, ids) as unknown as T;
    expect([y.dtype, y.shape]).toEqual(["float64", [2, 10]]);
    const g = grad((q: typeof p) => losses.softmaxCrossEntropy(lm.apply(q, ids), core.fromValues([1, 7], [2], "int32") as never))(p);
    expect(new Set(dtypes(g))).toEqual(new Set(["float64"]));
  });

  test("float parameters and a float input of another dtype are a DTypeError (a compile error when typed)", () => {
    const layer = nn.dense(4, 2);
    // data() is float64; the parameters are float32 (the layer's own), then float64 on a float32 input.
    expect(() => layer.apply(layer.init(random.key(0)), data([3, 4]) as never)).toThrow(DTypeError);
    expect(() => layer.apply(layer.init(random.key(0), { dtype: "float64" }), core.cast(data([3, 4]), "float32") as never)).toThrow(DTypeError);
    const rnn = nn.simpleRnn(4, 2);
    expect(() => rnn.apply(rnn.init(random.key(0)), data([3, 5, 4]) as never)).toThrow(DTypeError);
  });

  test("float64 sequence layers run on float64 input and keep it", () => {
    const x = data([2, 5, 4]);
    for (const layer of [nn.lstm(4, 4, { dtype: "float64" }), nn.multiHeadAttention(4, 2, { dtype: "float64" }), nn.transformerBlock(4, 2, 8, { dtype: "float64" })] as nn.AnyLayer[]) {
      const y = layer.apply(layer.init(random.key(2)), x as never) as unknown as T;
      expect([y.dtype, y.shape]).toEqual(["float64", [2, 5, 4]]);
    }
    expect(() => nn.gru(4, 4, { dtype: "int32" as never })).toThrow(DTypeError);
  });

  test("a dtype that is not a float dtype is a DTypeError naming the layer", () => {
    expect(() => nn.dense(2, 2, { dtype: "int32" as never })).toThrow(new DTypeError('dense(2, 2): parameters are float32 or float64, got "int32"'));
    expect(() => nn.dense(2, 2).init(random.key(0), { dtype: "float16" as never })).toThrow(DTypeError);
    expect(() => nn.serial(nn.dense(2, 2)).init(random.key(0), { dtype: "bool" as never })).toThrow(
      'serial(dense(2, 2)).init: parameters are float32 or float64, got "bool"',
    );
  });
});
