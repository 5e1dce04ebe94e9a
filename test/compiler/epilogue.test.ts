// Epilogues (compiler/epilogue.ts): the elementwise loop that finishes a convolution's result (bias,
// ReLU, a per-channel scale and shift, constants) runs in Winograd's output transform, or in the
// store of the product of conv strips, on the WebAssembly backend. Checked: which schedules take it, that the jitted result equals eager
// evaluation bit for bit (the loop's ops are exact IEEE operations), that a non-finite value or
// setConvAlgorithm("direct") after compiling gives the direct kernel's convolution with the loop
// after it, and that it is left alone where its premises fail.
import { afterEach, describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { jit, peakBytes, setBackend, setConvAlgorithm, showKernels } from "../../src/index.js";
import { wasmAvailable } from "../../src/backend/wasm/probe.js";

type T = AnyTensor;

function values(shape: number[], seed: number): T {
  let s = seed;
  const n = shape.reduce((a, b) => a * b, 1);
  const xs = Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647;
    return (s / 2147483647) * 2 - 1;
  });
  return ops.fromValues(xs, shape, "float32");
}

const window = { strides: [1, 1] as [number, number], padding: [[1, 1], [1, 1]] as [[number, number], [number, number]] };
const channels = (y: T, v: T) => ops.broadcastInDim(v, y.shape, [y.ndim - 1]);
const relu = (y: T) => ops.select(ops.compare(y, ops.fullLike(y, 0), "gt"), y, ops.fullLike(y, 0));

/** Loops that finish a convolution: bias and ReLU; bias only; scale, shift and a leaky ReLU with constants. */
const finishes: [string, (y: T, b: T, s: T) => T][] = [
  ["bias and ReLU", (y, b) => relu(ops.add(y, channels(y, b)))],
  ["bias", (y, b) => ops.add(y, channels(y, b))],
  [
    "scale, shift, leaky ReLU",
    (y, b, s) => {
      const z = ops.add(ops.mul(y, channels(y, s)), channels(y, b));
      return ops.max(z, ops.mul(z, ops.fullLike(z, 0.125)));
    },
  ],
];

// 4 × 16 × 16 × 16 → 16 channels: enough work for Winograd (backend/wasm/winograd.ts MIN_WORK)
const [n, hw, c, o] = [4, 16, 16, 16];
const layer = (finish: (y: T, b: T, s: T) => T) => (x: T, w: T, b: T, s: T) => finish(ops.conv2d(x, w, window), b, s);
const args = (seed: number): T[] => [values([n, hw, hw, c], seed), values([3, 3, c, o], seed + 1), values([o], seed + 2), values([o], seed + 3)];
const bits = (t: T) => Array.from(t.data() as Float32Array, (v) => (Object.is(v, -0) ? "-0" : v));

describe.skipIf(!wasmAvailable())("epilogues in Winograd's output transform and the product's store", () => {
  afterEach(() => {
    setConvAlgorithm("auto");
    setBackend("auto");
  });

  test.each(finishes)("%s: taken, and jit equals eager bit for bit", (_, finish) => {
    setBackend("wasm");
    const f = layer(finish);
    const a = args(1);
    expect(showKernels(f)(...a)).toContain("with the epilogue");
    expect(bits(jit(f)(...a))).toEqual(bits(f(...a)));
  });

  // Convolutions Winograd does not take run on the product of conv strips, which applies the loop
  // as it stores each tile of C.
  test.each([
    ["one input channel (W6's first layer)", [n, hw, hw, 1], [3, 3, 1, 16], [1, 1]],
    ["stride 2", [n, hw, hw, c], [3, 3, c, o], [2, 2]],
    ["a 5×5 filter, 12 output channels (a partial tile of C)", [n, hw, hw, 4], [5, 5, 4, 12], [1, 1]],
  ] as [string, number[], number[], [number, number]][])("on the product of conv strips: %s", (_, xShape, wShape, strides) => {
    setBackend("wasm");
    const pad = Math.floor(wShape[0] / 2);
    const conv = (x: T, w: T, b: T) => {
      const y = ops.conv2d(x, w, { strides, padding: [[pad, pad], [pad, pad]] });
      return relu(ops.add(y, channels(y, b)));
    };
    const a = [values(xShape, 7), values(wShape, 8), values([wShape[3]], 9)];
    expect(showKernels(conv)(...a)).toContain("with the epilogue");
    expect(bits(jit(conv)(...a))).toEqual(bits(conv(...a)));
  });

  test("peakBytes counts no buffer for the convolution's result where the epilogue takes it", () => {
    const f = layer(finishes[0][1]);
    const a = args(5);
    setBackend("wasm");
    expect(peakBytes(f)(...a)).toBe(0);
    setBackend("js");
    expect(peakBytes(f)(...a)).toBe(n * hw * hw * o * 4);
  });

  test("a non-finite value: the direct kernel's convolution, then the loop (as eager)", () => {
    setBackend("wasm");
    const f = layer(finishes[0][1]);
    const [x, w, b, s] = args(2);
    const xs = Float32Array.from(x.data() as Float32Array);
    xs[123] = Infinity;
    const xi = ops.fromValues(xs, x.shape, "float32");
    const out = jit(f)(xi, w, b, s);
    expect(bits(out)).toEqual(bits(f(xi, w, b, s)));
    expect(Array.from(out.data() as Float32Array).some((v) => v === Infinity)).toBe(true);
  });

  test('setConvAlgorithm("direct") after compiling: the direct product, then the loop', () => {
    setBackend("wasm");
    const f = jit(layer(finishes[0][1]));
    const a = args(3);
    f(...a);
    setConvAlgorithm("direct");
    expect(bits(f(...a))).toEqual(bits(layer(finishes[0][1])(...a)));
  });

  test("left alone where a premise fails", () => {
    setBackend("wasm");
    const a = args(4);
    const finish = finishes[0][1];
    // the convolution's result is a result of the program too, or read by a kernel after the loop
    const returned = (x: T, w: T, b: T, s: T) => {
      const y = ops.conv2d(x, w, window);
      return [finish(y, b, s), y];
    };
    expect(showKernels(returned)(...a)).not.toContain("with the epilogue");
    const reread = (x: T, w: T, b: T, s: T) => {
      const y = ops.conv2d(x, w, window);
      return ops.conv2d(finish(y, b, s), ops.conv2dBackpropFilter(x, y, { ...window, kernelSize: [3, 3] }), window);
    };
    expect(showKernels(reread)(...a)).not.toContain("with the epilogue");
    // a second full-size operand (a residual connection)
    const residual = (x: T, w: T, b: T) => ops.add(ops.conv2d(x, w, window), ops.add(x, channels(x, b)));
    expect(showKernels(residual)(...a)).not.toContain("with the epilogue");
    // the loop reduces (a sum of the activations)
    const summed = (x: T, w: T, b: T, s: T) => ops.reduceSum(finish(ops.conv2d(x, w, window), b, s), [0, 1, 2, 3]);
    expect(showKernels(summed)(...a)).not.toContain("with the epilogue");
    // a 1×1 convolution: a plain product of x, no conv strips
    const pointwise = (x: T, w: T, b: T, s: T) => finish(ops.conv2d(x, ops.slice(w, [1, 1, 0, 0], [2, 2, c, o]), { strides: [1, 1], padding: [[0, 0], [0, 0]] }), b, s);
    expect(showKernels(pointwise)(...a)).not.toContain("with the epilogue");
    // the JS backend has no epilogues
    setBackend("js");
    expect(showKernels(layer(finish))(...a)).not.toContain("with the epilogue");
  });
});
