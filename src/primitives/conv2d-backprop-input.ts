/**
 * @file The `conv2dBackpropInput` primitive: the transpose of `conv2d` in its input (a
 * "transposed convolution"). From `ct` `[N, H', W', O]` and the filter `w` `[kh, kw, C, O]` it
 * gives `[N, H, W, C]`, `H, W` being the `inputSize` param: each output position of the
 * convolution sends `ct · wᵀ` back over the window it read. Bilinear in `ct` and `w`.
 */
import * as ops from "../core/ops.js";
import { ShapedArray } from "../core/aval.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { currentBackend } from "../backend/backend.js";
import { showShape } from "../shape/errors.js";
import { convChecker, foldInto, geometry, loopVmap, unbatched, unfold, windowOf } from "./_conv.js";
import { bilinearJvp, bilinearTranspose } from "./_rules.js";

export const conv2dBackpropInput: PrimitiveDef<"conv2dBackpropInput"> = {
  name: "conv2dBackpropInput",

  // ---- shape ----
  // ct [N, H', W', O], w [kh, kw, C, O] → [N, H, W, C], where conv2d maps [H, W] to [H', W'].
  shape: (avals, params) => {
    const check = convChecker("conv2dBackpropInput", ["ct", "w"], avals);
    check.operands(["[N, H', W', O]", "[kh, kw, C, O]"]);
    const [ct, w] = avals;
    check.same("output channels", 3, 3);
    const { inputSize } = params;
    if (inputSize.length !== 2 || !inputSize.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      check.fail(`inputSize must be 2 integers ≥ 0, got ${JSON.stringify(inputSize)}`);
    }
    const out = check.outSize(params, inputSize, w.shape.slice(0, 2));
    if (out[0] !== ct.shape[1] || out[1] !== ct.shape[2]) {
      check.fail(`ct's spatial dims ${showShape(ct.shape.slice(1, 3))} are not conv2d's output ${showShape(out)} for input ${showShape(inputSize)}`);
    }
    return [new ShapedArray([ct.shape[0], inputSize[0], inputSize[1], w.shape[2]], ct.dtype)];
  },

  // ---- kernel ----
  impl: ([ct, w], params) => {
    const [n, , , o] = ct.shape;
    const [kh, kw, c] = w.shape;
    return [currentBackend().conv2dBackpropInput(ct, w, geometry([n, ...params.inputSize, c], [kh, kw, c, o], params))];
  },

  // ---- jvp ----
  // d backpropInput(ct, w) = backpropInput(ctDot, w) + backpropInput(ct, wDot)
  jvp: bilinearJvp((ct, w, params) => ops.conv2dBackpropInput(ct, w, params)),

  // ---- transpose ----
  // ⟨z, backpropInput(ct, w)⟩ = ⟨conv2d(z, w), ct⟩ = ⟨backpropFilter(z, ct), w⟩
  transpose: bilinearTranspose(
    "conv2dBackpropInput",
    (outBar, w, _ctAval, params) => ops.conv2d(outBar, w, windowOf(params)),
    (outBar, ct, wAval, params) => {
      const [kh, kw] = wAval.shape;
      return ops.conv2dBackpropFilter(outBar, ct, { ...windowOf(params), kernelSize: [kh, kw] });
    },
  ),

  // ---- vmap ----
  // A batched ct folds into N; a batched w folds into C (input channels are independent). Both
  // batched is a loop over the examples.
  vmap: ([ct, w], [ctDim, wDim], params, axisSize) => {
    if (wDim === null) return [[unfold(ops.conv2dBackpropInput(foldInto(ct, ctDim!, 0), w, params), 0, axisSize)], [0]];
    if (ctDim === null) return [[unfold(ops.conv2dBackpropInput(ct, foldInto(w, wDim, 2), params), 3, axisSize)], [3]];
    return loopVmap([ct, w], [ctDim, wDim], axisSize, (a, b) => ops.conv2dBackpropInput(a, b, params), () =>
      conv2dBackpropInput.shape([unbatched(ct, ctDim), unbatched(w, wDim)], params)[0],
    );
  },
};
