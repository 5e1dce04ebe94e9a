/**
 * @file The control-flow ops against what they stand for: `scan` against the unrolled loop (values
 * and gradients, lengths 0, 1 and 1,000), under `jit`, `vmap` and `grad` in combination; `cond`
 * and `switchCase` against a JS branch; the loops; and every bad input's error.
 */
import { describe, expect, test } from "vitest";
import { cond, foriLoop, grad, jit, jvp, linearize, makeJaxpr, scan, switchCase, TraceError, ShapeError, vmap, whileLoop, type Tensor } from "../../src/index.js";
import {
  add, concat, greater, less, matmul, mul, neg, reshape, sin, slice, sum, tanh, tensor, zeros,
} from "../../src/ops/index.js";
import * as core from "../../src/core/ops.js";
import { Rng } from "../helpers/random-shapes.js";

type F64<S extends readonly (number | string)[]> = Tensor<S, "float64">;

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
const values = (t: { toArray(): unknown }) => flat(t.toArray());
function close(a: { toArray(): unknown }, b: { toArray(): unknown }, rtol = 1e-10): void {
  const x = values(a);
  const y = values(b);
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => expect(Math.abs(v - y[i])).toBeLessThanOrEqual(rtol * (1 + Math.abs(y[i]))));
}
const random = (shape: number[], seed: number, scale = 1) => {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return reshape(tensor(Array.from({ length: n }, () => rng.uniform(-scale, scale)), "float64"), shape as never) as never;
};

// An RNN cell: h ← tanh(W h + U x + b), y = h · v.
interface Rnn {
  w: F64<[4, 4]>;
  u: F64<[4, 3]>;
  b: F64<[4]>;
  v: F64<[4]>;
}
const params: Rnn = { w: random([4, 4], 1, 0.5), u: random([4, 3], 2, 0.5), b: random([4], 3, 0.1), v: random([4], 4) };
const cell = (p: Rnn, h: F64<[4]>, x: F64<[3]>): F64<[4]> =>
  tanh(add(add(reshape(matmul(p.w, reshape(h, [4, 1])), [4]), reshape(matmul(p.u, reshape(x, [3, 1])), [4])), p.b)) as F64<[4]>;

/** The loss of the RNN over a sequence, with scan. */
const scanned = (p: Rnn, xs: F64<[number, 3]>) => {
  const [hLast, ys] = scan((h: F64<[4]>, x: F64<[3]>) => {
    const hNew = cell(p, h, x);
    return [hNew, sum(mul(hNew, p.v))] as const;
  }, zeros([4], "float64"), xs);
  return add(sum(ys), sum(mul(hLast, hLast)));
};

/** The same loss with a JS loop: what scan must equal. */
const unrolled = (p: Rnn, xs: F64<[number, 3]>) => {
  let h = zeros([4], "float64") as F64<[4]>;
  let total = tensor(0, "float64") as F64<[]>;
  for (let t = 0; t < xs.shape[0]; t++) {
    h = cell(p, h, reshape(slice(xs, [[t, t + 1]]), [3]) as F64<[3]>);
    total = add(total, sum(mul(h, p.v)));
  }
  return add(total, sum(mul(h, h)));
};

describe("scan against the unrolled loop", () => {
  for (const length of [0, 1, 7, 1000]) {
    test(`length ${length}: values and gradients (params and inputs)`, () => {
      const xs = (length === 0 ? zeros([0, 3], "float64") : random([length, 3], 10 + length)) as F64<[number, 3]>;
      close(scanned(params, xs), unrolled(params, xs), 1e-12);
      const gScan = grad(scanned, { argnums: [0, 1] })(params, xs);
      const gLoop = grad(unrolled, { argnums: [0, 1] })(params, xs);
      for (const k of ["w", "u", "b", "v"] as const) close(gScan[0][k], gLoop[0][k], 1e-9);
      close(gScan[1], gLoop[1], 1e-9);
    }, 60_000);
  }

  test("jit(grad(scan)) and grad(jit(scan)) equal grad(scan)", () => {
    const xs = random([12, 3], 5) as F64<[12, 3]>;
    const g = grad(scanned)(params, xs);
    for (const h of [jit(grad(scanned))(params, xs), grad(jit(scanned))(params, xs)]) {
      for (const k of ["w", "u", "b", "v"] as const) close(h[k], g[k], 1e-12);
    }
  });

  test("vmap(grad(scan)) over a batch of sequences equals a loop of grads", () => {
    const xss = random([3, 6, 3], 6) as F64<[3, 6, 3]>;
    const perExample = vmap((xs: F64<[6, 3]>) => grad(scanned)(params, xs))(xss);
    for (let i = 0; i < 3; i++) {
      const g = grad(scanned)(params, reshape(slice(xss, [[i, i + 1]]), [6, 3]) as F64<[6, 3]>);
      for (const k of ["w", "u", "b", "v"] as const) close(reshape(slice(perExample[k] as never, [[i, i + 1]]), g[k].shape as never), g[k], 1e-12);
    }
    const jitted = jit(vmap((xs: F64<[6, 3]>) => grad(scanned)(params, xs)))(xss);
    for (const k of ["w", "u", "b", "v"] as const) close(jitted[k], perExample[k], 1e-12);
  });

  test("reverse scan runs the steps last to first and keeps ys in the order of xs", () => {
    const xs = tensor([1, 2, 3, 4], "float64");
    const [c, ys] = scan((c: F64<[]>, x: F64<[]>) => [add(mul(c, 10), x), c] as const, tensor(0, "float64"), xs, { reverse: true });
    expect(c.item()).toBe(4321);
    expect(values(ys)).toEqual([432, 43, 4, 0]);
  });

  test("pytree carry and xs; no xs with a length; nested scans differentiate", () => {
    const [carry, ys] = scan(
      (c: { a: F64<[2]>; n: Tensor<[], "int32"> }, x: { p: F64<[2]>; q: F64<[]> }) => [{ a: add(c.a, mul(x.p, x.q)), n: add(c.n, 1) }, [x.q, sum(c.a)]] as const,
      { a: zeros([2], "float64"), n: tensor(0, "int32") },
      { p: random([5, 2], 7), q: random([5], 8) as F64<[5]> },
    );
    expect(carry.n.item()).toBe(5);
    expect(ys[0].shape).toEqual([5]);
    const [count] = scan((c: Tensor<[], "int32">) => [add(c, 2), null] as const, tensor(1, "int32"), null, { length: 4 });
    expect(count.item()).toBe(9);
    // Σ_i Σ_j sin(x_i · y_j), as a scan of scans, differentiated in x.
    const outer = (x: F64<[3]>, y: F64<[4]>) =>
      scan((acc: F64<[]>, xi: F64<[]>) => [add(acc, scan((a: F64<[]>, yj: F64<[]>) => [add(a, sin(mul(xi, yj))), null] as const, tensor(0, "float64"), y)[0]), null] as const, tensor(0, "float64"), x)[0];
    const x = tensor([0.1, 0.2, 0.3], "float64");
    const y = tensor([1, -1, 0.5, 2], "float64");
    const direct = (xv: F64<[3]>) => sum(sin(mul(reshape(xv, [3, 1]), reshape(y, [1, 4]))));
    close(outer(x, y), direct(x), 1e-12);
    close(grad(outer)(x, y), grad(direct)(x), 1e-12);
    close(jit(grad(outer))(x, y), grad(direct)(x), 1e-12);
  });

  test("the IR of jit(grad) over a scan does not grow with the length", () => {
    const size = (n: number) => String(makeJaxpr(jit(grad(scanned)))(params, zeros([n, 3], "float64") as F64<[number, 3]>)).split("\n").length;
    expect(size(1000)).toBe(size(10));
  });

  test("IR of grad(scan): a forward scan stacking residuals, a reverse scan over them", () => {
    const f = (w: F64<[]>, xs: F64<[4]>) => scan((h: F64<[]>, x: F64<[]>) => [tanh(add(mul(w, h), x)), null] as const, tensor(0.5, "float64"), xs)[0];
    expect(String(makeJaxpr(grad(f))(tensor(0.3, "float64"), zeros([4], "float64")))).toMatchSnapshot();
  });
});

describe("cond and switchCase", () => {
  const f = (x: F64<[]>) => cond(greater(x, 0), (v: F64<[]>) => mul(v, v), (v: F64<[]>) => neg(v), x);
  test("values and derivatives follow the taken branch, eager, jit, vmap", () => {
    expect(f(tensor(3, "float64")).item()).toBe(9);
    expect(f(tensor(-3, "float64")).item()).toBe(3);
    expect(grad(f)(tensor(3, "float64")).item()).toBe(6);
    expect(jit(grad(f))(tensor(-2, "float64")).item()).toBe(-1);
    expect(values(vmap(f)(tensor([2, -2, 0.5], "float64")))).toEqual([4, 2, 0.25]);
    expect(values(vmap(grad(f))(tensor([2, -2, 0.5], "float64")))).toEqual([4, -1, 1]);
    const [y, dy] = jvp(f, [tensor(2, "float64")], [tensor(1, "float64")]);
    expect([y.item(), dy.item()]).toEqual([4, 4]);
  });

  test("operands closed over and passed; pytree results; a boolean pred", () => {
    const w = tensor([1, 2], "float64");
    const g = (x: F64<[2]>) => cond(greater(sum(x), 0), (v: F64<[2]>) => ({ s: sum(mul(v, w)), v }), (v: F64<[2]>) => ({ s: sum(v), v: neg(v) }), x);
    const out = g(tensor([1, 1], "float64"));
    expect(out.s.item()).toBe(3);
    expect(values(grad((x: F64<[2]>) => g(x).s)(tensor([1, 1], "float64")))).toEqual([1, 2]);
    expect(cond(true, () => tensor(1), () => tensor(2)).item()).toBe(1);
  });

  test("under jit only the taken branch runs", () => {
    // The other branch would fail its index check if it ran.
    const bad = tensor(5, "int32");
    const h = jit((x: F64<[]>, ok: Tensor<[], "bool">) =>
      cond(ok, (v: F64<[]>) => v, (v: F64<[]>) => add(v, core.cast(core.checkIndices(bad as never, "test", "index", 0, 2), "float64") as never), x),
    );
    expect(h(tensor(1, "float64"), tensor(true)).item()).toBe(1);
    expect(() => h(tensor(1, "float64"), tensor(false))).toThrow(/test/);
  });

  test("switchCase clamps its index (as JAX): below 0 takes the first branch, past the end the last", () => {
    const branches = [(x: F64<[]>) => add(x, 1), (x: F64<[]>) => mul(x, 10), (x: F64<[]>) => neg(x)] as const;
    const s = (k: Tensor<[], "int32">, x: F64<[]>) => switchCase(k, branches, x);
    const got = [-5, 0, 1, 2, 9].map((k) => s(tensor(k, "int32"), tensor(2, "float64")).item());
    expect(got).toEqual([3, 3, 20, -2, -2]);
    const js = jit(s);
    expect([-5, 1, 9].map((k) => js(tensor(k, "int32"), tensor(2, "float64")).item())).toEqual([3, 20, -2]);
    expect(values(vmap(s)(tensor([-1, 0, 1, 2, 3], "int32"), tensor([1, 1, 1, 1, 1], "float64")))).toEqual([2, 2, 10, -1, -1]);
    expect(grad((x: F64<[]>) => switchCase(1, branches, x))(tensor(2, "float64")).item()).toBe(10);
  });

  test("branches of different types: a trace-time error naming both", () => {
    const a = (x: Tensor<number[], "float64">) => x;
    const b = (x: Tensor<number[], "float64">) => concat([x, x], 0);
    expect(() => cond(true, a, b as never, tensor([1, 2], "float64") as never)).toThrow(ShapeError);
    expect(() => cond(true, a, b as never, tensor([1, 2], "float64") as never)).toThrow(/f64\[4\] vs f64\[2\]|f64\[2\] vs f64\[4\]/);
    expect(() => cond(true, () => [tensor(1)], () => tensor(1) as never)).toThrow(/different structures/);
  });
});

describe("whileLoop and foriLoop", () => {
  test("whileLoop: values, jit, jvp, linearize; grad is refused with a clear error", () => {
    const f = (x: F64<[]>) => whileLoop(([c]: [F64<[]>, F64<[]>]) => less(c, 100), ([c, acc]: [F64<[]>, F64<[]>]) => [mul(c, x), add(acc, c)], [tensor(1, "float64"), tensor(0, "float64")] as [F64<[]>, F64<[]>])[1];
    expect(f(tensor(3, "float64")).item()).toBe(1 + 3 + 9 + 27 + 81);
    expect(jit(f)(tensor(3, "float64")).item()).toBe(121);
    // d/dx (1 + x + x² + x³ + x⁴) at 3 = 1 + 6 + 27 + 108 = 142
    expect(jvp(f, [tensor(3, "float64")], [tensor(1, "float64")])[1].item()).toBe(142);
    const [, lin] = linearize(f, tensor(3, "float64"));
    expect(lin(tensor(2, "float64")).item()).toBe(284);
    expect(() => grad(f)(tensor(3, "float64"))).toThrow(TraceError);
    expect(() => grad(f)(tensor(3, "float64"))).toThrow(/reverse-mode differentiation .* whileLoop.*foriLoop/s);
  });

  test("whileLoop under vmap with a batched predicate: each example stops on its own", () => {
    const steps = (n: Tensor<[], "int32">) => whileLoop(([k]: [Tensor<[], "int32">, Tensor<[], "int32">]) => less(k, n), ([k, s]: [Tensor<[], "int32">, Tensor<[], "int32">]) => [add(k, 1), add(s, k)], [tensor(0, "int32"), tensor(0, "int32")] as [Tensor<[], "int32">, Tensor<[], "int32">])[1];
    expect(values(vmap(steps)(tensor([0, 1, 4, 2], "int32")))).toEqual([0, 0, 6, 1]);
    expect(values(jit(vmap(steps))(tensor([3, 5], "int32")))).toEqual([3, 10]);
  });

  test("foriLoop with static bounds differentiates (a scan); with tensor bounds it is a while loop", () => {
    const power = (x: F64<[]>) => foriLoop(0, 5, (_i, acc: F64<[]>) => mul(acc, x), tensor(1, "float64"));
    expect(power(tensor(2, "float64")).item()).toBe(32);
    expect(grad(power)(tensor(2, "float64")).item()).toBe(80);
    expect(jit(grad(power))(tensor(2, "float64")).item()).toBe(80);
    const sumTo = (n: Tensor<[], "int32">) => foriLoop(tensor(0, "int32"), n, (i, acc: Tensor<[], "int32">) => add(acc, i), tensor(0, "int32"));
    expect(sumTo(tensor(5, "int32")).item()).toBe(10);
    expect(values(vmap(sumTo)(tensor([0, 3, 5], "int32")))).toEqual([0, 3, 10]);
    expect(foriLoop(3, 1, (_i, c: F64<[]>) => add(c, 1), tensor(0, "float64")).item()).toBe(0);
  });
});

describe("bad input gets a clear error", () => {
  test("a carry that changes shape or dtype at run time", () => {
    const grow = (c: Tensor<number[], "float64">, x: F64<[]>) => [concat([c, reshape(x, [1])], 0), x] as const;
    expect(() => scan(grow as never, zeros([2], "float64"), tensor([1, 2], "float64"))).toThrow(ShapeError);
    expect(() => scan(grow as never, zeros([2], "float64"), tensor([1, 2], "float64"))).toThrow(/scan\(grow\): the carry must come back with the type it went in with: \(f64\[2\]\) in, \(f64\[3\]\) out/);
    const retype = (c: F64<[]>, x: F64<[]>) => [core.cast(add(c, x) as never, "float32"), x] as const;
    expect(() => scan(retype as never, tensor(0, "float64"), tensor([1, 2], "float64"))).toThrow(/f64\[\] in, \(f32\[\]\) out|\(f64\[\]\) in, \(f32\[\]\) out/);
    expect(() => scan((c: F64<[]>) => [[c], null] as never, tensor(0, "float64"), null, { length: 2 })).toThrow(/structure/);
  });

  test("xs of different lengths, a missing length, a non-tensor carry", () => {
    expect(() => scan((c: F64<[]>, x: { a: F64<[]>; b: F64<[]> }) => [c, x.a] as const, tensor(0, "float64"), { a: zeros([3], "float64") as F64<[3]>, b: zeros([4], "float64") as F64<[3]> })).toThrow(/different leading dims/);
    expect(() => scan((c: F64<[]>) => [c, null] as const, tensor(0, "float64"), null)).toThrow(/length/);
    expect(() => scan((c: F64<[]>) => [c, null] as const, tensor(0, "float64"), zeros([3], "float64"), { length: 4 })).toThrow(/length 4 differs/);
    expect(() => scan((c: number) => [c, null] as never, 1 as never, null, { length: 1 })).toThrow(/wrap numbers with tensor/);
  });

  test("whileLoop: a condition that is not a bool scalar; a body that changes the carry", () => {
    expect(() => whileLoop(() => tensor([true, false]) as never, (c: F64<[]>) => c, tensor(0, "float64"))).toThrow(/condFn must return a bool scalar/);
    expect(() => whileLoop(() => tensor(false), (c: F64<[]>) => reshape(c, [1]) as never, tensor(0, "float64"))).toThrow(/bodyFn must return the carry/);
  });

  test("an RNN of 1,000 steps traces to the same IR as one of 10 (first jit(grad) call does not unroll)", () => {
    const g = jit(grad(scanned));
    const out = g(params, random([1000, 3], 9) as F64<[number, 3]>);
    expect(Number.isFinite(out.w.toArray().flat()[0] as number)).toBe(true);
  });
});


describe("buffers", () => {
  test("a carry taken from an x slice or a const is never overwritten by a later step", () => {
    const xs = tensor([[1, 2], [3, 4], [5, 6]], "float64");
    const k = tensor([10, 20], "float64");
    const [c, ys] = scan((c: F64<[2]>, x: F64<[2]>) => [x, add(c, k)] as const, k, xs);
    expect(values(c)).toEqual([5, 6]);
    expect(values(ys)).toEqual([20, 40, 11, 22, 13, 24]);
    expect(values(xs)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(values(k)).toEqual([10, 20]);
    const [c2] = jit((xv: F64<[3, 2]>) => scan((c: F64<[2]>, x: F64<[2]>) => [mul(add(c, x), 2), c] as const, zeros([2], "float64"), xv))(xs);
    expect(values(c2)).toEqual([2 * (2 * (2 * 1 + 3) + 5), 2 * (2 * (2 * 2 + 4) + 6)]);
  });
});
