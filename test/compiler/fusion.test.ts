// The jit compiler's passes: simplification (CSE, folding, exact identities), loop fusion with
// reductions, the WebAssembly and JS lowerings at edge sizes, and the kernel listing.
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { jit, makeJaxpr, showKernels, valueAndGrad } from "../../src/index.js";
import { simplify } from "../../src/compiler/simplify.js";
import { scheduleOf } from "../../src/compiler/plan.js";
import type { FusedKernel } from "../../src/compiler/fusion.js";
import { wasmAvailable } from "../../src/backend/wasm/probe.js";
import type { DType } from "../../src/dtype.js";

type T = AnyTensor;
const data = (t: T) => Array.from(t.data() as ArrayLike<number>);

function values(n: number, dtype: DType, seed = 1): T {
  let s = seed;
  const xs = Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647;
    return (s / 2147483647) * 4 - 2;
  });
  return ops.fromValues(xs, [n], dtype);
}

describe("simplify", () => {
  test("merges common subexpressions and drops x·1", () => {
    const f = (x: T) => {
      const a = ops.mul(ops.exp(x), ops.fullLike(x, 1));
      const b = ops.exp(x);
      return ops.add(a, b);
    };
    const jaxpr = makeJaxpr(f)(values(3, "float32")).jaxpr;
    const simple = simplify(jaxpr);
    expect(simple.eqns.map((e) => e.prim)).toEqual(["exp", "add"]);
    expect(data(jit(f)(values(3, "float32")))).toEqual(data(f(values(3, "float32"))));
  });

  test("keeps x + 0, which turns −0 into +0, but drops x + (−0)", () => {
    const plusZero = (x: T) => ops.add(x, ops.fullLike(x, 0));
    const plusMinusZero = (x: T) => ops.add(x, ops.fullLike(x, -0));
    const x = ops.fromValues([-0, 1], [2], "float64");
    expect(simplify(makeJaxpr(plusZero)(x).jaxpr).eqns.length).toBeGreaterThan(0);
    expect(simplify(makeJaxpr(plusMinusZero)(x).jaxpr).eqns.length).toBe(0);
    expect(Object.is(data(jit(plusZero)(x))[0], 0)).toBe(true);
    expect(Object.is(data(jit(plusMinusZero)(x))[0], -0)).toBe(true);
  });

  test("a transposed matrix product becomes the product with swapped operands", () => {
    const f = (x: T, y: T) => ops.transpose(ops.dotGeneral(x, y, { contract: [[0], [0]], batch: [[], []] }), [1, 0]);
    const x = ops.reshape(values(6, "float64"), [3, 2]);
    const y = ops.reshape(values(12, "float64", 2), [3, 4]);
    const jaxpr = simplify(makeJaxpr(f)(x, y).jaxpr);
    expect(jaxpr.eqns.map((e) => e.prim)).toEqual(["dotGeneral"]);
    expect(jaxpr.eqns[0].inputs).toEqual([jaxpr.inBinders[1], jaxpr.inBinders[0]]);
    expect(data(jit(f)(x, y))).toEqual(data(f(x, y)));
  });

  test("folds scalar equations on literals", () => {
    const f = (x: T) => ops.mul(x, ops.broadcastInDim(ops.exp(ops.fromValues([1], [], "float64")), [2], []));
    const jaxpr = simplify(makeJaxpr(f)(values(2, "float64")).jaxpr);
    expect(jaxpr.eqns.map((e) => e.prim)).not.toContain("exp");
    expect(data(jit(f)(values(2, "float64")))).toEqual(data(f(values(2, "float64"))));
  });
});

const w3 = (x: T) => ops.reduceSum(ops.mul(ops.tanh(ops.add(ops.mul(x, ops.fullLike(x, 2)), ops.fullLike(x, 1))), x), [0]);

describe("fusion", () => {
  test("value and gradient of sum(tanh(2x+1)·x) run as one loop", () => {
    const jaxpr = simplify(makeJaxpr(valueAndGrad(w3))(values(8, "float32")).jaxpr);
    const schedule = scheduleOf(jaxpr);
    expect(schedule).toHaveLength(1);
    const kernel = schedule[0] as FusedKernel;
    expect(kernel.kind).toBe("fused");
    expect(kernel.reductions.map((r) => r.op)).toEqual(["Add"]);
    expect(kernel.outputs).toHaveLength(1);
  });

  test("an equation that reads none of the loop's values does not split it", () => {
    const f = (x: T, a: T, b: T) => {
      const u = ops.tanh(x);
      const m = ops.dotGeneral(a, b, { contract: [[1], [0]], batch: [[], []] });
      return [ops.mul(ops.exp(u), x), m];
    };
    const x = values(6, "float32");
    const a = ops.fromValues([1, 2, 3, 4], [2, 2], "float32");
    const jaxpr = simplify(makeJaxpr(f)(x, a, a).jaxpr);
    const kinds = scheduleOf(jaxpr).map((s) => ("prim" in s ? s.prim : s.kind));
    expect(kinds.filter((k) => k === "fused")).toHaveLength(1);
  });

  test("chains over two shapes written step by step, interleaved, become one loop per shape", () => {
    // An optimizer's shape: every leaf's first moment, then every leaf's second moment, then every update.
    const f = (p: T, g: T, q: T, h: T) => {
      const [mp, mq] = [ops.mul(g, ops.fullLike(g, 0.1)), ops.mul(h, ops.fullLike(h, 0.1))];
      const [vp, vq] = [ops.mul(g, g), ops.mul(h, h)];
      const [up, uq] = [ops.div(mp, ops.sqrt(ops.add(vp, ops.fullLike(vp, 1e-8)))), ops.div(mq, ops.sqrt(ops.add(vq, ops.fullLike(vq, 1e-8))))];
      return [ops.sub(p, up), mp, vp, ops.sub(q, uq), mq, vq];
    };
    const [p, g] = [values(40, "float32", 1), values(40, "float32", 2)];
    const [q, h] = [ops.reshape(values(24, "float32", 3), [4, 6]), ops.reshape(values(24, "float32", 4), [4, 6])];
    const jaxpr = simplify(makeJaxpr(f)(p, g, q, h).jaxpr);
    const kernels = scheduleOf(jaxpr).filter((s): s is FusedKernel => !("prim" in s));
    expect(kernels.map((k) => k.size).sort()).toEqual([24, 40]);
    expect(kernels.every((k) => k.outputs.length === 3)).toBe(true);
    const got = (jit(f)(p, g, q, h) as T[]).map(data);
    expect(got).toEqual((f(p, g, q, h) as T[]).map(data));
  });

  test("a chain that reads another open loop's value closes that loop first", () => {
    // b depends on a reduction of the first loop, and the first loop's second chain on b's loop.
    const f = (x: T, y: T) => {
      const a = ops.exp(x);
      const b = ops.mul(y, ops.broadcastInDim(ops.reduceSum(a, [0]), [5], []));
      const c = ops.add(ops.tanh(a), ops.broadcastInDim(ops.reduceSum(b, [0]), [8], []));
      return [c, b];
    };
    const x = values(8, "float32", 5);
    const y = values(5, "float32", 6);
    const got = (jit(f)(x, y) as T[]).map(data);
    const want = (f(x, y) as T[]).map(data);
    got.forEach((v, i) => v.forEach((e, j) => expect(e).toBeCloseTo(want[i][j], 5)));
  });

  // Sizes around the 4-lane vectors: empty, partial vectors only, and full vectors plus a tail.
  describe.each(["float32", "float64"] as const)("%s loops with reductions match eager evaluation", (dtype) => {
    test.each([1, 3, 4, 5, 7, 8, 9, 31, 1000, 1001])("size %i", (n) => {
      const f = (x: T) => {
        const y = ops.exp(ops.neg(ops.mul(x, x)));
        return [ops.reduceSum(ops.mul(y, x), [0]), ops.reduceMax(ops.sub(y, x), [0]), ops.div(ops.log(ops.add(y, ops.fullLike(y, 1))), ops.sqrt(ops.abs(ops.add(x, ops.fullLike(x, 3)))))];
      };
      const x = values(n, dtype, n + 7);
      const got = jit(f)(x) as T[];
      const want = f(x) as T[];
      // float64 takes the JS lowering (exact); float32 may take SIMD exp/log (a few ulp).
      const tol = dtype === "float64" ? 0 : 1e-5;
      got.forEach((g, i) => {
        const a = data(g);
        const b = data(want[i]);
        expect(a.length).toBe(b.length);
        a.forEach((v, j) => {
          if (!Number.isFinite(b[j])) expect(v).toBe(b[j]);
          else expect(Math.abs(v - b[j])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[j])));
        });
      });
    });
  });

  // Exact operations only, so jit and eager must agree bit for bit on either lowering.
  describe.each([
    [1, 4],
    [3, 8],
    [5, 12],
    [2, 5],
    [7, 3],
  ])("masks, selects and row/column broadcasts on [%i, %i]", (rows, cols) => {
    test.each(["float32", "float64"] as const)("%s", (dtype) => {
      const f = (x: T, bias: T, scale: T) => {
        const pre = ops.add(x, ops.broadcastInDim(bias, [rows, cols], [1]));
        const mask = ops.compare(pre, ops.fullLike(pre, 0), "gt");
        const relu = ops.select(mask, pre, ops.fullLike(pre, 0));
        const scaled = ops.mul(relu, ops.broadcastInDim(scale, [rows, cols], [0]));
        // the mask leaves the loop (read by a reduction that does not fuse) and comes back
        const count = ops.reduceSum(ops.cast(mask, "int32"), [1]);
        const back = ops.select(mask, ops.neg(scaled), ops.cast(mask, dtype));
        return [scaled, count, back, ops.reduceMax(back, [0, 1])];
      };
      const x = ops.reshape(values(rows * cols, dtype, rows + cols), [rows, cols]);
      const bias = values(cols, dtype, 3);
      const scale = values(rows, dtype, 4);
      const got = (jit(f)(x, bias, scale) as T[]).map(data);
      const want = (f(x, bias, scale) as T[]).map(data);
      expect(got).toEqual(want);
    });
  });

  // Softmax and log-sum-exp: reductions over the last axes fuse as runs; the results feed the next
  // loop through column reads. Widths that are and are not whole vectors.
  describe.each([
    [3, 8],
    [5, 12],
    [4, 10],
    [2, 1],
  ])("reductions over trailing axes on [%i, %i]", (rows, cols) => {
    test.each(["float32", "float64"] as const)("%s", (dtype) => {
      const f = (x: T) => {
        const max = ops.reduceMax(ops.tanh(x), [1]);
        const shifted = ops.sub(ops.tanh(x), ops.broadcastInDim(max, [rows, cols], [0]));
        const e = ops.exp(shifted);
        const total = ops.reduceSum(e, [1]);
        const soft = ops.div(e, ops.broadcastInDim(total, [rows, cols], [0]));
        const cube = ops.reshape(ops.mul(x, x), [rows, 1, cols]);
        return [soft, ops.log(total), ops.reduceSum(cube, [2, 1]), ops.reduceMax(soft, [0, 1])];
      };
      const x = ops.reshape(values(rows * cols, dtype, rows * 31 + cols), [rows, cols]);
      const kernels = scheduleOf(simplify(makeJaxpr(f)(x).jaxpr)).filter((k): k is FusedKernel => !("prim" in k));
      expect(kernels.some((k) => k.reductions.some((r) => r.rows === rows && r.length === cols))).toBe(true);
      const got = (jit(f)(x) as T[]).map(data);
      const want = (f(x) as T[]).map(data);
      const tol = dtype === "float64" ? 1e-15 : 2e-6;
      got.forEach((g, i) => g.forEach((v, j) => expect(Math.abs(v - want[i][j])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i][j])))));
    });
  });

  // A broadcast of a broadcast: columns of columns and rows of rows compose into one read; a
  // row of columns does not, and must come out right all the same.
  test.each([
    ["column of a column", [3], [3, 4], [0], [3, 4, 5], [0, 1]],
    ["row of a row", [5], [4, 5], [1], [3, 4, 5], [1, 2]],
    ["row of a column", [4], [4, 5], [0], [3, 4, 5], [1, 2]],
    ["column of a row", [4], [3, 4], [1], [3, 4, 5], [0, 1]],
  ])("%s", (_, shape, mid, midDims, out, outDims) => {
    for (const dtype of ["float32", "float64"] as const) {
      const f = (x: T, y: T) => ops.mul(ops.tanh(y), ops.broadcastInDim(ops.broadcastInDim(ops.exp(x), mid, midDims), out, outDims));
      const x = values(shape[0], dtype, 5);
      const y = ops.reshape(values(60, dtype, 6), out);
      const got = data(jit(f)(x, y));
      const want = data(f(x, y));
      got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want[i]))));
    }
  });

  test("a broadcast of a broadcast constant reads the constant", () => {
    const f = (x: T) => ops.mul(x, ops.broadcastInDim(ops.neg(ops.fullLike(ops.reduceSum(x, [1]), 0.25)), [3, 8], [0]));
    const x = ops.reshape(values(24, "float32"), [3, 8]);
    expect(data(jit(f)(x))).toEqual(data(f(x)));
  });

  test("an empty loop sums to 0 and writes empty outputs", () => {
    const f = (x: T) => [ops.reduceSum(ops.exp(x), [0]), ops.tanh(ops.mul(x, x))];
    for (const dtype of ["float32", "float64"] as const) {
      const [total, y] = jit(f)(ops.fromValues([], [0], dtype)) as T[];
      expect(data(total)).toEqual([0]);
      expect(y.shape).toEqual([0]);
    }
  });

  test("NaN and ±∞ propagate through fused reductions", () => {
    const f = (x: T) => [ops.reduceSum(ops.exp(x), [0]), ops.reduceMax(ops.tanh(x), [0])];
    const run = (xs: number[]) => (jit(f)(ops.fromValues(xs, [xs.length], "float32")) as T[]).map((t) => data(t)[0]);
    expect(run([1, NaN, 2, 3, 4])).toEqual([NaN, NaN]);
    expect(run([1, Infinity, 2])).toEqual([Infinity, 1]);
    expect(run([-Infinity, -Infinity, -Infinity, -Infinity, -Infinity])).toEqual([0, -1]);
  });
});

describe("showKernels", () => {
  test("lists the fused loop, its backend, and the JS source where JS runs it", () => {
    const wasmListing = showKernels(valueAndGrad(w3))(values(16, "float32"));
    expect(wasmListing).toContain("fused loop over float32[16]");
    expect(wasmListing).toContain("reduce[Add]");
    expect(wasmListing).toContain(wasmAvailable() ? "WebAssembly SIMD" : "JS loop");
    const jsListing = showKernels((x: T) => ops.reduceSum(ops.sin(ops.mul(x, x)), [0]))(values(4, "float64"));
    expect(jsListing).toContain("(JS loop)");
    expect(jsListing).toContain("Math.sin");
  });

  test("a single cheap operation runs as a kernel call when short, as a WebAssembly loop when long", () => {
    const add = (a: T, b: T) => ops.add(a, b);
    expect(showKernels(add)(values(1000, "float32"), values(1000, "float32", 2))).toMatch(/call \w+:\S+ = add/);
    const long = showKernels(add)(values(20000, "float32"), values(20000, "float32", 2));
    if (wasmAvailable()) expect(long).toContain("fused loop over float32[20000]");
    else expect(long).toMatch(/call \w+:\S+ = add/);
    // float64 has no WebAssembly loop: the generic kernel stays
    expect(showKernels(add)(values(20000, "float64"), values(20000, "float64", 2))).toMatch(/call \w+:\S+ = add/);
  });
});
