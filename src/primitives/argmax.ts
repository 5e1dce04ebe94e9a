/** @file The `argmax` primitive: index of the largest element along one axis (the first on ties), as int32. */
import * as ops from "../core/ops.js";
import { allocate } from "../dtype.js";
import { ShapedArray } from "../core/aval.js";
import { ConcreteTensor } from "../core/concrete.js";
import { product } from "../shape/arith.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { permute } from "../backend/js/kernels.js";
import { ShapeError } from "../shape/errors.js";
import { reducedShape, zeroTangent } from "./_rules.js";
import { batchFirst } from "../transforms/batching.js";

export const argmax: PrimitiveDef<"argmax"> = {
  name: "argmax",

  // ---- shape ----
  shape: ([x], { axis }) => {
    const shape = reducedShape("argmax", x, [axis]);
    if (x.shape[axis] === 0) throw new ShapeError("argmax: axis of size 0 has no maximum");
    return [new ShapedArray(shape, "int32")];
  },

  // ---- kernel ----
  // NaN counts as the maximum, as in NumPy.
  impl: ([x], { axis }) => {
    const order = x.shape.map((_, i) => i).filter((i) => i !== axis);
    const moved = permute(x, [...order, axis]).storage;
    const n = x.shape[axis];
    const outShape = order.map((i) => x.shape[i]);
    const out = allocate("int32", product(outShape), false);
    for (let i = 0; i < out.length; i++) {
      const base = i * n;
      let best = 0;
      let bestVal = moved[base];
      for (let j = 1; j < n && bestVal === bestVal; j++) {
        const v = moved[base + j];
        if (v > bestVal || v !== v) {
          best = j;
          bestVal = v;
        }
      }
      out[i] = best;
    }
    return [ConcreteTensor.wrap(out, outShape, "int32")];
  },

  // ---- jvp ----
  // An index is piecewise constant: zero derivative.
  jvp: ([x], _tangents, { axis }) => {
    const y = ops.argmax(x, axis);
    return [[y], [zeroTangent(y)]];
  },

  // ---- vmap ----
  vmap: ([x], [dim], { axis }, axisSize) => [[ops.argmax(batchFirst(x, dim, axisSize), axis + 1)], [0]],
};
