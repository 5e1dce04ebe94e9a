/**
 * Every way to get a derivative agrees (Autodidax's stress test): grad, grad∘jit, jit∘grad,
 * vmap∘grad, jacfwd and jacrev, against central finite differences in float64.
 */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { grad, jacfwd, jacrev, jit, valueAndGrad, vmap } from "../../src/index.js";

type T = AnyTensor;
const f64 = (values: number[], shape: readonly number[]): T => ops.fromValues(values, shape, "float64");
const scalar = (v: number): T => ops.full([], v, "float64");
const like = (x: T, v: number): T => (x.ndim === 0 ? scalar(v) : ops.broadcastInDim(scalar(v), x.shape, []));
const sumAll = (x: T): T => ops.reduceSum(x, x.shape.map((_, i) => i));
const values = (x: T): number[] => Array.from(x.data());

/** Deterministic pseudo-random values in [lo, hi). */
function uniform(n: number, seed: number, lo = -1, hi = 1): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return lo + ((s >>> 8) / (1 << 24)) * (hi - lo);
  });
}

function finiteDifferenceGrad(f: (x: T) => T, x: T, eps = 1e-6): number[] {
  const base = values(x);
  return base.map((_, i) => {
    const plus = base.slice();
    const minus = base.slice();
    plus[i] += eps;
    minus[i] -= eps;
    const fp = f(f64(plus, x.shape)).item() as number;
    const fm = f(f64(minus, x.shape)).item() as number;
    return (fp - fm) / (2 * eps);
  });
}

function expectClose(actual: number[], expected: number[], tol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i];
    expect(Math.abs(a - e), `element ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(tol * (1 + Math.abs(e)));
  });
}

const W = f64(uniform(12, 7), [3, 4]);

const composites: Record<string, { f: (x: T) => T; shape: number[] }> = {
  "sum(tanh(x)·x)": { f: (x) => sumAll(ops.mul(ops.tanh(x), x)), shape: [5] },
  "sum(exp(sin x) / (1 + x²))": {
    f: (x) => sumAll(ops.div(ops.exp(ops.sin(x)), ops.add(like(x, 1), ops.mul(x, x)))),
    shape: [2, 3],
  },
  "logSumExp(x) (stable, with reduceMax)": {
    f: (x) => {
      const m = ops.stopGradient(ops.reduceMax(x, [0]));
      return ops.add(ops.log(sumAll(ops.exp(ops.sub(x, ops.broadcastInDim(m, x.shape, []))))), m);
    },
    shape: [6],
  },
  "sum(tanh(x @ W))": {
    f: (x) => sumAll(ops.tanh(ops.dotGeneral(x, W, { contract: [[1], [0]], batch: [[], []] }))),
    shape: [2, 3],
  },
  "sum(relu-like max(x, 0)² · sqrt(x² + 1))": {
    f: (x) => {
      const r = ops.max(x, like(x, 0));
      return sumAll(ops.mul(ops.mul(r, r), ops.sqrt(ops.add(ops.mul(x, x), like(x, 1)))));
    },
    shape: [4],
  },
  "slices, pads, concat and transposes": {
    f: (x) => {
      const a = ops.slice(x, [0, 1], [2, 3]);
      const b = ops.pad(a, 0, [[1, 0, 0], [0, 1, 1]]);
      const c = ops.concatenate([b, ops.transpose(ops.reshape(ops.exp(x), [2, 3]), [1, 0])], 1);
      return sumAll(ops.mul(c, ops.cos(c)));
    },
    shape: [2, 3],
  },
  "pow and abs": {
    f: (x) => sumAll(ops.pow(ops.add(ops.abs(x), like(x, 0.5)), ops.add(x, like(x, 2)))),
    shape: [5],
  },
};

describe.each(Object.entries(composites))("%s", (_name, { f, shape }) => {
  const size = shape.reduce((a, b) => a * b, 1);
  const x = f64(uniform(size, 42), shape);
  const expected = finiteDifferenceGrad(f, x);

  test("grad matches finite differences", () => {
    expectClose(values(grad(f as never)(x as never) as T), expected);
  });
  test("grad(jit(f)) matches", () => {
    expectClose(values(grad(jit(f) as never)(x as never) as T), expected);
  });
  test("jit(grad(f)) matches", () => {
    expectClose(values(jit(grad(f as never))(x as never) as T), expected);
  });
  test("jacfwd and jacrev match", () => {
    expectClose(values(jacfwd(f as never)(x as never) as T), expected);
    expectClose(values(jacrev(f as never)(x as never) as T), expected);
  });
  test("vmap(grad(f)) matches a loop of grad(f)", () => {
    const batch = 3;
    const xs = f64(uniform(batch * size, 9), [batch, ...shape]);
    const batched = values(vmap(grad(f as never))(xs as never) as T);
    for (let b = 0; b < batch; b++) {
      const xb = f64(values(xs).slice(b * size, (b + 1) * size), shape);
      expectClose(batched.slice(b * size, (b + 1) * size), values(grad(f as never)(xb as never) as T), 1e-12);
    }
  });
});

describe("second derivatives by grad(grad(f))", () => {
  const cases: [string, (x: T) => T, (x: number) => number][] = [
    ["x³", (x) => ops.mul(x, ops.mul(x, x)), (x) => 6 * x],
    ["sin x", ops.sin, (x) => -Math.sin(x)],
    ["exp(2x)", (x) => ops.exp(ops.add(x, x)), (x) => 4 * Math.exp(2 * x)],
    ["tanh x", ops.tanh, (x) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2)],
    ["1/x", (x) => ops.div(scalar(1), x), (x) => 2 / x ** 3],
    ["log x", ops.log, (x) => -1 / x ** 2],
    ["sqrt x", ops.sqrt, (x) => -0.25 * x ** -1.5],
    ["x^2.5", (x) => ops.pow(x, scalar(2.5)), (x) => 2.5 * 1.5 * x ** 0.5],
  ];
  test.each(cases)("d²/dx² %s", (_name, f, d2) => {
    for (const x0 of [0.3, 1.1, 2.7]) {
      const g2 = grad(grad(f as never) as never)(scalar(x0) as never) as T;
      expect(g2.item() as number).toBeCloseTo(d2(x0), 9);
      const g2jit = jit(grad(jit(grad(f as never)) as never))(scalar(x0) as never) as T;
      expect(g2jit.item() as number).toBeCloseTo(d2(x0), 9);
    }
  });

  test("third derivative of x⁴ is 24x", () => {
    const f = (x: T) => ops.mul(ops.mul(x, x), ops.mul(x, x));
    const d3 = grad(grad(grad(f as never) as never) as never)(scalar(1.5) as never) as T;
    expect(d3.item()).toBeCloseTo(36, 9);
  });
});

describe("gradients of an MLP loss over a parameter tree", () => {
  type Params = { layers: { w: T; b: T }[] };
  const params: Params = {
    layers: [
      { w: f64(uniform(12, 1, -0.5, 0.5), [4, 3]), b: f64(uniform(3, 2, -0.1, 0.1), [3]) },
      { w: f64(uniform(6, 3, -0.5, 0.5), [3, 2]), b: f64(uniform(2, 4, -0.1, 0.1), [2]) },
    ],
  };
  const x = f64(uniform(20, 5), [5, 4]);
  const y = f64(uniform(10, 6), [5, 2]);
  const dense = (h: T, { w, b }: { w: T; b: T }) =>
    ops.add(ops.dotGeneral(h, w, { contract: [[1], [0]], batch: [[], []] }), ops.broadcastInDim(b, [h.shape[0], b.shape[0]], [1]));
  const loss = (p: Params, xb: T, yb: T): T => {
    const h = ops.tanh(dense(xb, p.layers[0]));
    const out = dense(h, p.layers[1]);
    const err = ops.sub(out, yb);
    return ops.div(sumAll(ops.mul(err, err)), scalar(err.size));
  };

  test("every leaf of grad matches finite differences; the tree has the parameters' structure", () => {
    const [value, g] = valueAndGrad(loss as never)(params as never, x as never, y as never) as [T, Params];
    expect(value.item()).toBeCloseTo(loss(params, x, y).item() as number, 12);
    expect(g.layers.length).toBe(2);
    params.layers.forEach((layer, l) => {
      for (const key of ["w", "b"] as const) {
        const leaf = layer[key];
        expect(g.layers[l][key].shape).toEqual(leaf.shape);
        const fd = finiteDifferenceGrad((v) => {
          const p2: Params = { layers: params.layers.map((ly, j) => (j === l ? { ...ly, [key]: v } : ly)) };
          return loss(p2, x, y);
        }, leaf);
        expectClose(values(g.layers[l][key]), fd);
      }
    });
  });

  test("jit(valueAndGrad) agrees with eager", () => {
    const step = jit((p: Params, xb: T, yb: T) => valueAndGrad(loss as never)(p as never, xb as never, yb as never));
    const [v1, g1] = step(params, x, y) as unknown as [T, Params];
    const [v2, g2] = valueAndGrad(loss as never)(params as never, x as never, y as never) as [T, Params];
    expect(v1.item()).toBeCloseTo(v2.item() as number, 12);
    expectClose(values(g1.layers[0].w), values(g2.layers[0].w), 1e-12);
  });
});

describe("argnums and hasAux", () => {
  const f = (a: T, b: T) => sumAll(ops.mul(ops.mul(a, a), b));
  const a = f64([1, 2], [2]);
  const b = f64([3, 4], [2]);
  test("argnums selects and orders the gradients", () => {
    const [ga, gb] = grad(f as never, { argnums: [0, 1] })(a as never, b as never) as [T, T];
    expect(values(ga)).toEqual([6, 16]);
    expect(values(gb)).toEqual([1, 4]);
    expect(values(grad(f as never, { argnums: 1 })(a as never, b as never) as T)).toEqual([1, 4]);
  });
  test("hasAux returns the auxiliary value undifferentiated", () => {
    const withAux = (x: T) => [sumAll(ops.mul(x, x)), { doubled: ops.add(x, x) }] as const;
    const [g, aux] = grad(withAux as never, { hasAux: true })(a as never) as [T, { doubled: T }];
    expect(values(g)).toEqual([2, 4]);
    expect(values(aux.doubled)).toEqual([2, 4]);
  });
  test("grad of a non-scalar function is a ShapeError", () => {
    expect(() => grad(((x: T) => ops.mul(x, x)) as never)(a as never)).toThrow(/must return a scalar tensor.*\[2\]/);
  });
  test("grad with respect to an int tensor is a DTypeError", () => {
    const i = ops.fromValues([1, 2], [2], "int32");
    expect(() => grad(((x: T) => sumAll(ops.cast(x, "float64"))) as never)(i as never)).toThrow(/float tensors/);
  });
});
