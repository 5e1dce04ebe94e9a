// Choosing the backend: auto resolves to WebAssembly where it runs; js forces the JS kernels for
// programs compiled afterwards; bad names fail.
import { afterEach, describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { getBackend, jit, setBackend, showKernels } from "../../src/index.js";
import { wasmAvailable } from "../../src/backend/wasm/probe.js";

type T = AnyTensor;
const f = (x: T) => ops.reduceSum(ops.tanh(ops.mul(x, x)), [0]);
const x = ops.fromValues([0.5, -1, 2, 3, 0.25], [5], "float32");

describe("setBackend", () => {
  afterEach(() => setBackend("auto"));

  test("auto picks WebAssembly where available; js forces JS loops", () => {
    expect(getBackend()).toBe(wasmAvailable() ? "wasm" : "js");
    const auto = showKernels(f)(x);
    expect(auto).toContain(wasmAvailable() ? "WebAssembly SIMD" : "JS loop");
    setBackend("js");
    expect(getBackend()).toBe("js");
    expect(showKernels(f)(x)).toContain("(JS loop)");
  });

  test("the same jitted function gives the same value on both backends (within float32 ulps)", () => {
    const g = jit(f);
    const onAuto = (g(x) as T).item();
    setBackend("js");
    const onJs = (g(x) as T).item();
    expect(Math.abs(onAuto - onJs)).toBeLessThanOrEqual(1e-6 * Math.abs(onJs));
  });

  test("matrix products and convolutions agree between the WebAssembly and JS kernels", () => {
    const n = 40;
    const a = ops.fromValues(Array.from({ length: n * n }, (_, i) => Math.sin(i)), [n, n], "float32");
    const x = ops.fromValues(Array.from({ length: 2 * 12 * 12 * 3 }, (_, i) => Math.cos(i)), [2, 12, 12, 3], "float32");
    const w = ops.fromValues(Array.from({ length: 3 * 3 * 3 * 8 }, (_, i) => Math.sin(i * 0.7)), [3, 3, 3, 8], "float32");
    const run = () => [
      (ops.dotGeneral(a, a, { contract: [[1], [0]], batch: [[], []] }) as T).data() as Float32Array,
      (ops.conv2d(x, w, { strides: [1, 1], padding: [[1, 1], [1, 1]] }) as T).data() as Float32Array,
    ];
    const onAuto = run();
    setBackend("js");
    const onJs = run();
    onAuto.forEach((values, k) => values.forEach((v, i) => expect(Math.abs(v - onJs[k][i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(v)))));
  });

  test("unknown names are refused", () => {
    expect(() => setBackend("gpu" as never)).toThrow(/expected "auto", "wasm" or "js", got "gpu"/);
    expect(getBackend()).toBe(wasmAvailable() ? "wasm" : "js");
  });
});
