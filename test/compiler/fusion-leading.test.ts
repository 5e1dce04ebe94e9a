// Sums over leading axes (bias gradients) fused into the loop that makes their operand: the
// schedule (one loop, no separate reduction; a period off the SIMD vectors leaves the sum after
// the loop), values against eager evaluation on both lowerings (bit for bit where one task runs
// them, as the eager kernel adds rows in order), bit-identical across thread counts on loops cut
// into many tasks, and the listing.
import { afterAll, afterEach, describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { jit, makeJaxpr, setBackend, showKernels } from "../../src/index.js";
import { simplify } from "../../src/compiler/simplify.js";
import { scheduleOf } from "../../src/compiler/plan.js";
import type { FusedKernel } from "../../src/compiler/fusion.js";
import { wasmAvailable } from "../../src/backend/wasm/probe.js";
import { kernelRuntime } from "../../src/backend/wasm/runtime.js";
import { setKernelThreads } from "../../src/backend/wasm/pool.js";
import type { DType } from "../../src/dtype.js";

type T = AnyTensor;
const data = (t: T) => Array.from(t.data() as ArrayLike<number>);

function values(shape: number[], dtype: DType, seed = 1): T {
  let s = seed;
  const n = shape.reduce((a, b) => a * b, 1);
  const xs = Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647;
    return (s / 2147483647) * 4 - 2;
  });
  return ops.fromValues(xs, shape, dtype);
}

/** A ReLU's backward pass and the bias gradient: y = (x + b > 0) · ct, and Σ y over every axis but the last. */
const reluBackward = (x: T, b: T, ct: T): T[] => {
  const pre = ops.add(x, ops.broadcastInDim(b, x.shape, [x.ndim - 1]));
  const y = ops.select(ops.compare(pre, ops.fullLike(pre, 0), "gt"), ct, ops.fullLike(ct, 0));
  return [y, ops.reduceSum(y, x.shape.slice(0, -1).map((_, i) => i))];
};

function schedule(shape: number[], dtype: DType) {
  const args = [values(shape, dtype), values([shape[shape.length - 1]], dtype, 2), values(shape, dtype, 3)] as [T, T, T];
  return scheduleOf(simplify(makeJaxpr(reluBackward)(...args).jaxpr));
}

describe("sums over leading axes in fused loops", () => {
  afterEach(() => setBackend("auto"));

  test.each(["wasm", "js"] as const)("the bias gradient joins the loop (%s lowering)", (backend) => {
    if (backend === "wasm" && !wasmAvailable()) return;
    setBackend(backend);
    const steps = schedule([2, 3, 5, 8], "float32");
    expect(steps).toHaveLength(1);
    const kernel = steps[0] as FusedKernel;
    expect(kernel.reductions.map((r) => [r.op, r.rows, r.length, r.strided])).toEqual([["Add", 8, 30, true]]);
  });

  test("a period off the SIMD vectors keeps the loop on WebAssembly, with the sum after it", () => {
    if (!wasmAvailable()) return;
    const masked = (x: T, ct: T): T[] => {
      const y = ops.select(ops.compare(x, ops.fullLike(x, 0), "gt"), ct, ops.fullLike(ct, 0));
      return [y, ops.reduceSum(y, [0])];
    };
    const steps = () => scheduleOf(simplify(makeJaxpr(masked)(values([4000, 10], "float32"), values([4000, 10], "float32", 2)).jaxpr));
    setBackend("wasm");
    expect(steps().map((s) => ("prim" in s ? s.prim : s.kind))).toEqual(["fused", "reduceSum"]);
    expect((steps()[0] as FusedKernel).reductions).toHaveLength(0);
    // the JS lowering takes any period
    setBackend("js");
    expect(steps()).toHaveLength(1);
  });

  // Shapes with periods on and off the vectors, rows of one, and a single row.
  describe.each([
    [[2, 3, 5, 8]],
    [[7, 12]],
    [[40, 10]],
    [[1, 16]],
    [[33, 1, 4]],
    [[6, 2, 2, 3]],
  ])("%j", (shape) => {
    test.each(["float32", "float64"] as const)("%s: jit equals eager bit for bit", (dtype) => {
      const args = [values(shape, dtype, 5), values([shape[shape.length - 1]], dtype, 6), values(shape, dtype, 7)] as [T, T, T];
      for (const backend of wasmAvailable() ? (["wasm", "js"] as const) : (["js"] as const)) {
        setBackend(backend);
        expect((jit(reluBackward)(...args) as T[]).map(data)).toEqual((reluBackward(...args) as T[]).map(data));
      }
    });
  });

  // The sum comes after an equation that cannot join the loop (a product) and reads its values
  // too: the loop closes before the product, taking the later sum with it.
  const beforeProduct = (x: T, ct: T, w: T): T[] => {
    const y = ops.select(ops.compare(x, ops.fullLike(x, 0), "gt"), ct, ops.fullLike(ct, 0));
    const dx = ops.dotGeneral(y, w, { contract: [[1], [0]], batch: [[], []] });
    return [dx, ops.reduceSum(y, [0])];
  };
  test.each(["wasm", "js"] as const)("a later sum of the loop's values joins it ahead of a product that reads them (%s)", (backend) => {
    if (backend === "wasm" && !wasmAvailable()) return;
    setBackend(backend);
    const args = [values([24, 16], "float32"), values([24, 16], "float32", 2), values([16, 8], "float32", 3)] as [T, T, T];
    const steps = scheduleOf(simplify(makeJaxpr(beforeProduct)(...args).jaxpr));
    expect(steps.map((s) => ("prim" in s ? s.prim : s.kind))).toEqual(["fused", "dotGeneral"]);
    expect((steps[0] as FusedKernel).reductions.map((r) => [r.op, r.rows, r.strided])).toEqual([["Add", 16, true]]);
    expect((jit(beforeProduct)(...args) as T[]).map(data)).toEqual((beforeProduct(...args) as T[]).map(data));
  });
  test("a later sum that also reads a value from outside the loop stays where it is", () => {
    const mixed = (x: T, ct: T, w: T): T[] => {
      const y = ops.select(ops.compare(x, ops.fullLike(x, 0), "gt"), ct, ops.fullLike(ct, 0));
      const dx = ops.dotGeneral(y, w, { contract: [[1], [0]], batch: [[], []] });
      return [dx, ops.reduceSum(ops.mul(y, x), [0])];
    };
    setBackend("js");
    const args = [values([24, 16], "float32"), values([24, 16], "float32", 2), values([16, 8], "float32", 3)] as [T, T, T];
    const steps = scheduleOf(simplify(makeJaxpr(mixed)(...args).jaxpr));
    expect(steps.map((s) => ("prim" in s ? s.prim : s.kind))).toEqual(["fused", "dotGeneral", "fused"]);
    expect((jit(mixed)(...args) as T[]).map(data)).toEqual((mixed(...args) as T[]).map(data));
  });

  test("the listing names the strided sum", () => {
    const listing = showKernels(reluBackward)(values([4, 8], "float32"), values([8], "float32"), values([4, 8], "float32"));
    expect(listing).toContain("over leading axes: element i into result i mod 8");
  });
});

describe.skipIf(!wasmAvailable() || typeof SharedArrayBuffer === "undefined")("leading sums on the worker pool", () => {
  afterAll(() => setKernelThreads(undefined));

  test("a [64, 28, 28, 32] bias gradient (many tasks): the same bits on one thread and on four, near the float64 sum", async () => {
    setKernelThreads(4);
    await kernelRuntime().ready();
    const shape = [64, 28, 28, 32];
    const args = [values(shape, "float32", 11), values([32], "float32", 12), values(shape, "float32", 13)] as [T, T, T];
    setKernelThreads(1);
    const alone = (jit(reluBackward)(...args) as T[]).map(data);
    setKernelThreads(4);
    const before = kernelRuntime().sharedJobs;
    const shared = (jit(reluBackward)(...args) as T[]).map(data);
    if ((kernelRuntime().pool?.ready ?? 0) > 0) expect(kernelRuntime().sharedJobs).toBeGreaterThan(before);
    expect(shared).toEqual(alone);
    // the float64 sums of the same (float32) y
    const y = shared[0];
    const exact = new Float64Array(32);
    y.forEach((v, i) => (exact[i % 32] += v));
    shared[1].forEach((v, j) => expect(Math.abs(v - exact[j])).toBeLessThanOrEqual(Math.abs(exact[j]) * 2 ** -23 + 1e-30));
  });
});
