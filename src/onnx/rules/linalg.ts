/**
 * @file Export rules of the products: `dotGeneral` as one `MatMul` between operands transposed to
 * [batch, free, contracted] / [batch, contracted, free] and flattened to matrices (no node where
 * they are that already), and the three convolutions. typegrad's convolutions are NHWC with HWIO
 * filters and ONNX's NCHW with OIHW, so each is transposed in and out (ONNX Runtime's layout
 * optimizer removes pairs that cancel):
 * - `conv2d` is `Conv`;
 * - `conv2dBackpropInput` is `ConvTranspose` with the same pads and, as output padding, the
 *   input rows the forward windows never reached (stride > 1), which recovers `inputSize`;
 * - `conv2dBackpropFilter` is a `Conv` of the input by the cotangent with examples as channels
 *   and channels as examples, dilated by the forward stride; it yields the filter window plus
 *   those unreached rows, which a `Slice` drops.
 */
import { ints } from "../graph.js";
import { product } from "../../shape/arith.js";
import { reshapeTo, transposeBy } from "./layout.js";
import type { ExportRules } from "./types.js";

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];
const HWIO_TO_OIHW = [3, 2, 0, 1];

/** Axes of an operand of rank `n` that are neither contracted nor batch, in order. */
function freeAxes(n: number, contract: readonly number[], batch: readonly number[]): number[] {
  return Array.from({ length: n }, (_, i) => i).filter((i) => !contract.includes(i) && !batch.includes(i));
}

/** ONNX `pads` ([begin h, begin w, end h, end w]) of typegrad's [[lo, hi] h, [lo, hi] w]. */
const onnxPads = (p: readonly (readonly [number, number])[]) => ints([p[0][0], p[1][0], p[0][1], p[1][1]]);

/** Rows of the padded input past the last window: (size + lo + hi − k) mod stride, per spatial dim. */
function unreached(size: readonly number[], kernel: readonly number[], strides: readonly number[], padding: readonly (readonly [number, number])[]): number[] {
  return [0, 1].map((d) => (size[d] + padding[d][0] + padding[d][1] - kernel[d]) % strides[d]);
}

/** Export rules of `dotGeneral` and the convolutions. */
export const linalgRules: ExportRules = {
  dotGeneral: (ctx, [x, y], { contract: [xc, yc], batch: [xb, yb] }, [out]) => {
    const { g } = ctx;
    const xs = x.aval.shape;
    const ys = y.aval.shape;
    const xf = freeAxes(xs.length, xc, xb);
    const yf = freeAxes(ys.length, yc, yb);
    const b = xb.map((a) => xs[a]);
    const [m, k, n] = [product(xf.map((a) => xs[a])), product(xc.map((a) => xs[a])), product(yf.map((a) => ys[a]))];
    const xm = reshapeTo(ctx, transposeBy(g, x.name, [...xb, ...xf, ...xc]), [...xb, ...xf, ...xc].map((a) => xs[a]), [...b, m, k]);
    const ym = reshapeTo(ctx, transposeBy(g, y.name, [...yb, ...yc, ...yf]), [...yb, ...yc, ...yf].map((a) => ys[a]), [...b, k, n]);
    return [reshapeTo(ctx, g.op("MatMul", [xm, ym]), [...b, m, n], out.shape)];
  },

  conv2d: ({ g }, [x, w], { strides, padding }) => {
    const conv = g.op("Conv", [transposeBy(g, x.name, NHWC_TO_NCHW), transposeBy(g, w.name, HWIO_TO_OIHW)], {
      kernel_shape: ints(w.aval.shape.slice(0, 2)),
      strides: ints(strides),
      pads: onnxPads(padding),
    });
    return [transposeBy(g, conv, NCHW_TO_NHWC)];
  },

  conv2dBackpropInput: ({ g }, [ct, w], { strides, padding, inputSize }) => {
    const kernel = w.aval.shape.slice(0, 2);
    // ConvTranspose's weight is [in = O, out = C, kh, kw]: the forward filter's OIHW as it is.
    const conv = g.op("ConvTranspose", [transposeBy(g, ct.name, NHWC_TO_NCHW), transposeBy(g, w.name, HWIO_TO_OIHW)], {
      kernel_shape: ints(kernel),
      strides: ints(strides),
      pads: onnxPads(padding),
      output_padding: ints(unreached(inputSize, kernel, strides, padding)),
    });
    return [transposeBy(g, conv, NCHW_TO_NHWC)];
  },

  conv2dBackpropFilter: ({ g }, [x, ct], { strides, padding, kernelSize }) => {
    // [C, N, H, W] ⋆ [O, N, H', W'] dilated by the stride: out[c, o, i, j] = Σ x[n, i + s·y, j + s·x, c] · ct[n, y, x, o]
    const conv = g.op("Conv", [transposeBy(g, x.name, [3, 0, 1, 2]), transposeBy(g, ct.name, [3, 0, 1, 2])], {
      kernel_shape: ints(ct.aval.shape.slice(1, 3)),
      dilations: ints(strides),
      pads: onnxPads(padding),
    });
    const extra = unreached(x.aval.shape.slice(1, 3), kernelSize, strides, padding);
    const cropped = extra.some((e) => e > 0) ? g.op("Slice", [conv, g.int64s([0, 0]), g.int64s(kernelSize), g.int64s([2, 3])]) : conv;
    return [transposeBy(g, cropped, [2, 3, 0, 1])];
  },
};
