/** @file The `reshape` primitive: the same elements in row-major order under a new shape; linear. */
import * as ops from "../core/ops.js";
import { ShapedArray, sameShape } from "../core/aval.js";
import { ConcreteTensor } from "../core/concrete.js";
import { product } from "../shape/arith.js";
import { UndefPrimal, type PrimitiveDef } from "../core/primitive.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { batchFirst } from "../transforms/batching.js";

export const reshape: PrimitiveDef<"reshape"> = {
  name: "reshape",

  // ---- shape ----
  shape: ([x], { shape }) => {
    if (shape.some((d) => !Number.isInteger(d) || d < 0) || product(shape) !== x.size) {
      throw new ShapeError(
        `reshape: cannot reshape ${showShape(x.shape)} (${x.size} elements) to ${showShape(shape)} (${product(shape)} elements)`,
      );
    }
    return [new ShapedArray(shape, x.dtype)];
  },

  // ---- kernel ----
  // Storage is immutable, so the new tensor shares it.
  impl: ([x], { shape }) => [ConcreteTensor.wrap(x.storage, shape, x.dtype)],

  // ---- simplify ----
  // A reshape to the shape x already has is x.
  simplify: ({ inputs: [x], outBinders: [out] }) => (sameShape(x.aval.shape, out.aval.shape) ? x : null),

  // ---- jvp ----
  jvp: ([x], [xDot], { shape }) => [[ops.reshape(x, shape)], [ops.reshape(xDot, shape)]],

  // ---- transpose ----
  transpose: ([ct], [x]) => [ops.reshape(ct, (x as UndefPrimal).aval.shape)],

  // ---- vmap ----
  vmap: ([x], [dim], { shape }, axisSize) => [[ops.reshape(batchFirst(x, dim, axisSize), [axisSize, ...shape])], [0]],
};
