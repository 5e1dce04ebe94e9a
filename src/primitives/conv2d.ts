/**
 * @file The `conv2d` primitive: 2-d convolution (cross-correlation, as in every deep learning
 * library) of an NHWC operand `x` `[N, H, W, C]` with an HWIO filter `w` `[kh, kw, C, O]`, with
 * window strides and explicit zero padding, giving `[N, H', W', O]`. Bilinear; its transposes are
 * `conv2dBackpropInput` and `conv2dBackpropFilter`, whose own transposes come back to these three.
 */
import * as ops from "../core/ops.js";
import { ShapedArray } from "../core/aval.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { currentBackend } from "../backend/backend.js";
import { convChecker, foldInto, geometry, loopVmap, unbatched, unfold, windowOf } from "./_conv.js";
import { bilinearJvp, bilinearTranspose } from "./_rules.js";

export const conv2d: PrimitiveDef<"conv2d"> = {
  name: "conv2d",

  // ---- shape ----
  // x [N, H, W, C] ⋆ w [kh, kw, C, O] → [N, H', W', O], H' = ⌊(H + lo + hi − kh) / stride⌋ + 1.
  shape: (avals, window) => {
    const check = convChecker("conv2d", ["x", "w"], avals);
    check.operands(["[N, H, W, C]", "[kh, kw, C, O]"]);
    const [x, w] = avals;
    check.same("input channels", 3, 2);
    const [oh, ow] = check.outSize(window, x.shape.slice(1, 3), w.shape.slice(0, 2));
    return [new ShapedArray([x.shape[0], oh, ow, w.shape[3]], x.dtype)];
  },

  // ---- kernel ----
  impl: ([x, w], window) => [currentBackend().conv2d(x, w, geometry(x.shape, w.shape, window))],

  // ---- jvp ----
  // d(x ⋆ w) = xDot ⋆ w + x ⋆ wDot
  jvp: bilinearJvp((x, w, window) => ops.conv2d(x, w, window)),

  // ---- transpose ----
  // ⟨ct, x ⋆ w⟩ = ⟨backpropInput(ct, w), x⟩ = ⟨backpropFilter(x, ct), w⟩. The input's spatial
  // size is a param of backpropInput: with strides > 1 it is not determined by ct's.
  transpose: bilinearTranspose(
    "conv2d",
    (ct, w, xAval, window) => {
      const [, h, wd] = xAval.shape;
      return ops.conv2dBackpropInput(ct, w, { ...windowOf(window), inputSize: [h, wd] });
    },
    (ct, x, wAval, window) => {
      const [kh, kw] = wAval.shape;
      return ops.conv2dBackpropFilter(x, ct, { ...windowOf(window), kernelSize: [kh, kw] });
    },
  ),

  // ---- vmap ----
  // A batched x folds into N; a batched w folds into O (output channels are independent). Both
  // batched (per-example filters) is a loop over the examples.
  vmap: ([x, w], [xDim, wDim], window, axisSize) => {
    if (wDim === null) return [[unfold(ops.conv2d(foldInto(x, xDim!, 0), w, window), 0, axisSize)], [0]];
    if (xDim === null) return [[unfold(ops.conv2d(x, foldInto(w, wDim, 3), window), 3, axisSize)], [3]];
    return loopVmap([x, w], [xDim, wDim], axisSize, (a, b) => ops.conv2d(a, b, window), () =>
      conv2d.shape([unbatched(x, xDim), unbatched(w, wDim)], window)[0],
    );
  },
};
