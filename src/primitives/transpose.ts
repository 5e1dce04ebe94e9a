/** @file The `transpose` primitive: permutes axes (result axis i is input axis `perm[i]`); linear. */
import * as ops from "../core/ops.js";
import { ShapedArray } from "../core/aval.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { permute } from "../backend/js/kernels.js";
import { checkIntegers } from "./_rules.js";
import { batchFirst } from "../transforms/batching.js";

export const transpose: PrimitiveDef<"transpose"> = {
  name: "transpose",

  // ---- shape ----
  shape: ([x], { perm }) => {
    checkIntegers("transpose", "axes", perm, 0);
    const seen = new Set(perm);
    if (perm.length !== x.ndim || seen.size !== perm.length || perm.some((p) => !(p >= 0 && p < x.ndim))) {
      throw new ShapeError(`transpose: [${perm.join(", ")}] is not a permutation of the axes of ${showShape(x.shape)}`);
    }
    return [new ShapedArray(perm.map((p) => x.shape[p]), x.dtype)];
  },

  // ---- kernel ----
  impl: ([x], { perm }) => [permute(x, perm)],

  // ---- jvp ----
  jvp: ([x], [xDot], { perm }) => [[ops.transpose(x, perm)], [ops.transpose(xDot, perm)]],

  // ---- transpose ----
  // The transpose of a permutation is its inverse.
  transpose: ([ct], _args, { perm }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return [ops.transpose(ct, inverse)];
  },

  // ---- vmap ----
  vmap: ([x], [dim], { perm }, axisSize) => [[ops.transpose(batchFirst(x, dim, axisSize), [0, ...perm.map((p) => p + 1)])], [0]],
};
