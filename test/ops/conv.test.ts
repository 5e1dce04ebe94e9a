/** @file The typed `conv2d` op: padding modes and strides resolved as the types say, gradients, promotion, and errors with the compile-time text. */
import { describe, expect, test } from "vitest";
import { ShapeError, conv2d, grad, mul, sum, tensor, zeros, type Tensor } from "../../src/index.js";
import * as nn from "../../src/nn/index.js";

const iota = (n: number, scale = 1) => Array.from({ length: n }, (_, i) => ((i * 7) % 11) * scale - 2);
const t4 = (shape: [number, number, number, number], scale = 1) =>
  tensor(iota(shape.reduce((a, b) => a * b, 1), scale)).reshape(shape as never) as unknown as Tensor<[number, number, number, number]>;

describe("conv2d (typed op)", () => {
  test("'same' padding matches the nn layer with a zero bias; 'valid' and explicit padding give their sizes", () => {
    const x = t4([2, 6, 5, 3]);
    const w = t4([3, 3, 3, 4], 0.1);
    const layer = nn.conv2d(3, 4, 3, { padding: "same" });
    const viaLayer = layer.apply({ w: w as never, b: zeros([4]) }, x as never) as unknown as Tensor<number[]>;
    const y = conv2d(x, w, { padding: "same" });
    expect(y.shape).toEqual([2, 6, 5, 4]);
    expect(y.toArray()).toEqual(viaLayer.toArray());
    expect(conv2d(x, w).shape).toEqual([2, 4, 3, 4]);
    expect(conv2d(x, w, { strides: [2, 1], padding: [[0, 1], [2, 2]] }).shape).toEqual([2, 3, 7, 4]);
  });

  test("a single tap picks the input: a 1×1 identity filter, and a shifted delta with padding", () => {
    const x = t4([1, 3, 3, 1]);
    expect(conv2d(x, tensor([[[[1]]]])).toArray()).toEqual(x.toArray());
    // A 3×3 filter whose only 1 is at (0, 0) reads x[p − 1, q − 1]: the image moves down-right by one.
    const delta = tensor(Array.from({ length: 9 }, (_, i) => (i === 0 ? 1 : 0))).reshape([3, 3, 1, 1]);
    const y = conv2d(x, delta, { padding: "same" }).toArray() as number[][][][];
    const xs = x.toArray() as number[][][][];
    expect(y[0].map((row) => row.map((v) => v[0]))).toEqual([
      [0, 0, 0],
      [0, xs[0][0][0][0], xs[0][0][1][0]],
      [0, xs[0][1][0][0], xs[0][1][1][0]],
    ]);
  });

  test("gradients in both operands", () => {
    const x = t4([1, 4, 4, 2]);
    const w = t4([2, 2, 2, 3], 0.5);
    const gw = grad((k: typeof w) => sum(mul(conv2d(x, k), conv2d(x, k))))(w);
    expect(gw.shape).toEqual([2, 2, 2, 3]);
    const gx = grad((z: typeof x) => sum(conv2d(z, w, { padding: "same" })))(x);
    expect(gx.shape).toEqual([1, 4, 4, 2]);
    // d/dx Σ conv(x, w): an interior pixel is under every tap, so it collects Σ over i, j, o of w[i, j, c, o].
    const ws = w.toArray() as number[][][][];
    const total = (c: number) => ws.flat().reduce((acc, taps) => acc + taps[c].reduce((a, b) => a + b, 0), 0);
    const g = gx.toArray() as number[][][][];
    expect(g[0][1][1][0]).toBeCloseTo(total(0), 5);
    expect(g[0][2][1][1]).toBeCloseTo(total(1), 5);
  });

  test("mixed dtypes promote", () => {
    const y = conv2d(zeros([1, 3, 3, 1], "float64"), zeros([1, 1, 1, 1]));
    expect(y.dtype).toBe("float64");
  });

  test("errors have the compile-time text", () => {
    expect(() => conv2d(zeros([2, 8, 8, 3]), zeros([3, 3, 1, 4]) as never)).toThrow(
      new ShapeError("conv2d: input channels differ: 3 vs 1 (x is [2, 8, 8, 3], w is [3, 3, 1, 4])"),
    );
    expect(() => conv2d(zeros([1, 4, 4, 3]), zeros([5, 5, 3, 8]) as never)).toThrow(
      new ShapeError("conv2d: kernel 5 is larger than padded input 4 (input 4, padding 0+0) (x is [1, 4, 4, 3], w is [5, 5, 3, 8])"),
    );
    expect(() => conv2d(zeros([28, 28, 1]) as never, zeros([3, 3, 1, 4]))).toThrow(new ShapeError("conv2d: x must be [N, H, W, C], got [28, 28, 1]"));
    expect(() => conv2d(zeros([1, 5, 5, 1]), zeros([3, 3, 1, 4]), { strides: 0 })).toThrow("conv2d: stride must be positive, got 0");
  });
});
