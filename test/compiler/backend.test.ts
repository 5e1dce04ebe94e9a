// Choosing the backend: auto resolves to WebAssembly where it runs; js forces the JS kernels for
// programs compiled afterwards; bad names fail.
import { afterEach, describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { getBackend, jit, setBackend, showKernels } from "../../src/index.js";
import { wasmAvailable } from "../../src/backend/wasm/elementwise.js";

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

  test("unknown names are refused", () => {
    expect(() => setBackend("gpu" as never)).toThrow(/expected "auto", "wasm" or "js", got "gpu"/);
    expect(getBackend()).toBe(wasmAvailable() ? "wasm" : "js");
  });
});
