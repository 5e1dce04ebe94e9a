/**
 * @file The `conv2dBackpropFilter` primitive: the transpose of `conv2d` in its filter. From the
 * input `x` `[N, H, W, C]` and `ct` `[N, H', W', O]` it gives `[kh, kw, C, O]`, `kh, kw` being
 * the `kernelSize` param: the sum over examples and output positions of each window of `x`
 * times `ct` there. Bilinear in `x` and `ct`.
 */
import * as ops from "../core/ops.js";
import { ShapedArray } from "../core/aval.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { currentBackend } from "../backend/backend.js";
import { showShape } from "../shape/errors.js";
import { convChecker, foldInto, geometry, loopVmap, unbatched, unfold, windowOf } from "./_conv.js";
import { bilinearJvp, bilinearTranspose } from "./_rules.js";

export const conv2dBackpropFilter: PrimitiveDef<"conv2dBackpropFilter"> = {
  name: "conv2dBackpropFilter",

  // ---- shape ----
  // x [N, H, W, C], ct [N, H', W', O] → [kh, kw, C, O], where conv2d with a kh×kw filter maps
  // [H, W] to [H', W'].
  shape: (avals, params) => {
    const check = convChecker("conv2dBackpropFilter", ["x", "ct"], avals);
    check.operands(["[N, H, W, C]", "[N, H', W', O]"]);
    const [x, ct] = avals;
    check.same("batch sizes", 0, 0);
    const { kernelSize } = params;
    if (kernelSize.length !== 2) check.fail(`kernelSize must be 2 integers ≥ 1, got ${JSON.stringify(kernelSize)}`);
    const out = check.outSize(params, x.shape.slice(1, 3), kernelSize);
    if (out[0] !== ct.shape[1] || out[1] !== ct.shape[2]) {
      check.fail(`ct's spatial dims ${showShape(ct.shape.slice(1, 3))} are not conv2d's output ${showShape(out)} for kernel ${showShape(kernelSize)}`);
    }
    return [new ShapedArray([kernelSize[0], kernelSize[1], x.shape[3], ct.shape[3]], x.dtype)];
  },

  // ---- kernel ----
  impl: ([x, ct], params) => {
    const [kh, kw] = params.kernelSize;
    return [currentBackend().conv2dBackpropFilter(x, ct, geometry(x.shape, [kh, kw, x.shape[3], ct.shape[3]], params))];
  },

  // ---- jvp ----
  // d backpropFilter(x, ct) = backpropFilter(xDot, ct) + backpropFilter(x, ctDot)
  jvp: bilinearJvp((x, ct, params) => ops.conv2dBackpropFilter(x, ct, params)),

  // ---- transpose ----
  // ⟨v, backpropFilter(x, ct)⟩ = ⟨conv2d(x, v), ct⟩ = ⟨backpropInput(ct, v), x⟩
  transpose: bilinearTranspose(
    "conv2dBackpropFilter",
    (outBar, ct, xAval, params) => {
      const [, h, w] = xAval.shape;
      return ops.conv2dBackpropInput(ct, outBar, { ...windowOf(params), inputSize: [h, w] });
    },
    (outBar, x, _ctAval, params) => ops.conv2d(x, outBar, windowOf(params)),
  ),

  // ---- vmap ----
  // A batched x folds into C and a batched ct into O (channels are independent; N is summed
  // over, so it cannot take the batch). Both batched (per-example gradients) is a loop.
  vmap: ([x, ct], [xDim, ctDim], params, axisSize) => {
    if (ctDim === null) return [[unfold(ops.conv2dBackpropFilter(foldInto(x, xDim!, 3), ct, params), 2, axisSize)], [2]];
    if (xDim === null) return [[unfold(ops.conv2dBackpropFilter(x, foldInto(ct, ctDim, 3), params), 3, axisSize)], [3]];
    return loopVmap([x, ct], [xDim, ctDim], axisSize, (a, b) => ops.conv2dBackpropFilter(a, b, params), () =>
      conv2dBackpropFilter.shape([unbatched(x, xDim), unbatched(ct, ctDim)], params)[0],
    );
  },
};
