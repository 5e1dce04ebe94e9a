import { describe, expect, test } from "vitest";
import * as core from "../../src/core/ops.js";
import { grad, jit, optim, random, vmap } from "../../src/index.js";
import * as nn from "../../src/nn/index.js";
import { ShapeError } from "../../src/shape/errors.js";
import { checkGrad, data, expectClose, probe, toF64, vals, type T } from "./helpers.js";

const { serial, parallel, residual, dense, relu, tanh, conv2d, maxPool2d, avgPool2d, flatten, batchNorm, layerNorm, dropout } = nn;

describe("serial", () => {
  const mlp = serial(dense(4, 8), relu, dense(8, 3));

  test("params are a tuple of each layer's params, from one key split per layer", () => {
    const p = mlp.init(random.key(0));
    expect(p.length).toBe(3);
    expect((p[0].w as unknown as T).shape).toEqual([4, 8]);
    expect(p[1]).toEqual({});
    expect((p[2].w as unknown as T).shape).toEqual([8, 3]);
    const keys = random.splitList(random.key(0), 3);
    expect(vals(p[0].w)).toEqual(vals(dense(4, 8).init(keys[0]).w));
    expect(vals(p[2].w)).toEqual(vals(dense(8, 3).init(keys[2]).w));
  });

  test("apply composes the layers left to right", () => {
    const p = toF64(mlp.init(random.key(0)));
    const x = data([5, 4]);
    const h = relu.apply({}, dense(4, 8).apply(p[0], x as never));
    expectClose(vals(mlp.apply(p, x as never)), vals(dense(8, 3).apply(p[2], h)), 1e-15);
  });

  test("a mis-wired stack throws `layer i: …`, the compile-time text", () => {
    const bad = serial(dense(4, 8), relu, dense(6, 3));
    const p = toF64(bad.init(random.key(0)));
    expect(() => bad.apply(p, data([2, 4]) as never)).toThrow(new ShapeError("layer 2: dense(6, 3) expects input [6] but got [8]"));
  });

  test("a LeNet-like stack gives [B, 10]; gradients reach every parameter", () => {
    const lenet = serial(
      conv2d(1, 4, 3, { padding: "same" }), relu, maxPool2d(2),
      conv2d(4, 6, 3), relu, avgPool2d(2), flatten, dense(24, 10),
    );
    const p = lenet.init(random.key(0));
    const x = core.cast(data([2, 12, 12, 1]), "float32");
    expect((lenet.apply(p, x as never) as unknown as T).shape).toEqual([2, 10]);
    const g = grad((pp: typeof p) => probe(lenet.apply(pp, x as never) as unknown as T) as never)(p);
    for (const i of [0, 3, 7] as const) expect(vals((g[i] as { w: T }).w).some((v) => v !== 0)).toBe(true);
  });

  test("gradient of a loss through a whole stack vs finite differences (float64)", () => {
    const model = serial(dense(3, 4), tanh, layerNorm(4), dense(4, 2));
    const p = toF64(model.init(random.key(4)));
    const x = data([3, 3], 9);
    checkGrad((pp: typeof p) => probe(model.apply(pp, x as never) as unknown as T), p);
  });
});

describe("parallel and residual", () => {
  test("parallel applies each branch to the same input and returns a tuple", () => {
    const heads = parallel(dense(4, 2), dense(4, 3), relu);
    const p = toF64(heads.init(random.key(0)));
    const x = data([5, 4]);
    const [a, b, c] = heads.apply(p, x as never) as unknown as T[];
    expect([a.shape, b.shape, c.shape]).toEqual([[5, 2], [5, 3], [5, 4]]);
    expectClose(vals(a), vals(dense(4, 2).apply(p[0], x as never)));
    expect(() => parallel(dense(4, 2), dense(5, 2)).apply([p[0], p[0]] as never, x as never)).toThrow(
      "branch 1: dense(5, 2) expects input [5] but got [4]",
    );
  });

  test("a user-defined layer (makeLayer) can consume parallel's tuple", () => {
    const sumPair = nn.makeLayer({
      name: "sumPair",
      init: () => ({}),
      apply: (_p, x) => core.add((x as T[])[0], (x as T[])[1]),
    });
    const model = serial(parallel(dense(4, 3), dense(4, 3)), sumPair, dense(3, 1));
    const p = toF64(model.init(random.key(0)));
    const x = data([2, 4]);
    const sum = core.add(dense(4, 3).apply(p[0][0], x as never) as unknown as T, dense(4, 3).apply(p[0][1], x as never) as unknown as T);
    expectClose(vals(model.apply(p, x as never)), vals(dense(3, 1).apply(p[2], sum as never)), 1e-14);
  });

  test("residual adds the input to the layer's output", () => {
    const block = residual(serial(dense(4, 4), tanh));
    const p = toF64(block.init(random.key(1)));
    const x = data([3, 4]);
    const fx = tanh.apply({}, dense(4, 4).apply(p[0], x as never));
    expectClose(vals(block.apply(p, x as never)), vals(core.add(x, fx as unknown as T)), 1e-15);
    checkGrad((pp: typeof p) => probe(block.apply(pp, x as never) as unknown as T), p);
  });

  test("residual of a shape-changing layer is a ShapeError at run time too", () => {
    const block = (residual as (l: nn.AnyLayer) => nn.AnyLayer)(dense(4, 2));
    expect(() => block.apply(toF64(block.init(random.key(0))), data([3, 4]))).toThrow(
      "residual: the layer maps [4] to [2], but x + f(x) needs equal shapes",
    );
  });
});

describe("transforms of models", () => {
  const model = serial(dense(4, 6), relu, batchNorm(6), dropout(0.2), dense(6, 3));
  const p = toF64(model.init(random.key(0)));
  const s = toF64(model.initState());
  const x = data([5, 4], 2);

  test("jit agrees with eager (eval and training with a key)", () => {
    const evalFn = (pp: typeof p, ss: typeof s, xx: T) => model.applyStateful(pp, ss, xx as never)[0] as unknown as T;
    expectClose(vals(jit(evalFn)(p, s, x)), vals(evalFn(p, s, x)), 1e-13);
    const trainFn = (pp: typeof p, ss: typeof s, xx: T, k: T) =>
      model.applyStateful(pp, ss, xx as never, { training: true, key: k as never }) as unknown as [T, unknown];
    const k = random.key(5) as unknown as T;
    const [yj, sj] = jit(trainFn)(p, s, x, k);
    const [ye, se] = trainFn(p, s, x, k);
    expectClose(vals(yj), vals(ye), 1e-13);
    expectClose(vals((sj as typeof s)[2].mean), vals((se as typeof s)[2].mean), 1e-13);
  });

  test("vmap over an extra leading axis agrees with a loop", () => {
    const f = (xx: T) => model.applyStateful(p, s, xx as never)[0] as unknown as T;
    const xs = data([3, 5, 4], 6);
    const batched = vmap(f)(xs as never) as unknown as T;
    expect(batched.shape).toEqual([3, 5, 3]);
    const loop = [0, 1, 2].flatMap((i) => vals(f(core.reshape(core.slice(xs, [i, 0, 0], [i + 1, 5, 4]), [5, 4]))));
    expectClose(vals(batched), loop, 1e-13);
  });

  test("per-example gradients with vmap(grad) match single-example gradients", () => {
    const mlp = serial(dense(4, 3), tanh, dense(3, 1));
    const q = toF64(mlp.init(random.key(2)));
    const loss = (pp: typeof q, xx: T) => probe(mlp.apply(pp, core.reshape(xx, [1, 4]) as never) as unknown as T);
    const perExample = vmap(grad(loss as never), { inAxes: [null, 0] })(q as never, x as never) as unknown as typeof q;
    const first = grad(loss as never)(q as never, core.reshape(core.slice(x, [0, 0], [1, 4]), [4]) as never) as unknown as typeof q;
    expectClose(vals(core.slice((perExample[0].w as unknown as T), [0, 0, 0], [1, 4, 3])), vals(first[0].w), 1e-13);
  });
});

describe("training", () => {
  test("an MLP learns XOR with adam", () => {
    const model = serial(dense(2, 8), tanh, dense(8, 1));
    const x = core.fromValues([0, 0, 0, 1, 1, 0, 1, 1], [4, 2], "float32");
    const y = core.fromValues([0, 1, 1, 0], [4, 1], "float32");
    const loss = (p: ReturnType<typeof model.init>) => {
      const d = core.sub(model.apply(p, x as never) as unknown as T, y);
      return core.mul(core.reduceSum(core.mul(d, d), [0, 1]), core.full([], 0.25, "float32"));
    };
    const opt = optim.adam(0.05);
    let params = model.init(random.key(0));
    let state = opt.init(params);
    const step = jit((p: typeof params, st: typeof state) => {
      const g = grad(loss as never)(p) as typeof params;
      const [updates, next] = opt.update(g, st, p);
      return [optim.applyUpdates(p, updates), next] as const;
    });
    const initial = (loss(params) as T).item() as number;
    for (let i = 0; i < 300; i++) [params, state] = step(params, state) as [typeof params, typeof state];
    const final = (loss(params) as T).item() as number;
    expect(initial).toBeGreaterThan(0.1);
    expect(final).toBeLessThan(1e-3);
  });
});
