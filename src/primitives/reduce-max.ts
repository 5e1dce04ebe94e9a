/** @file The `reduceMax` primitive: maximum over a set of axes, which are removed. */
import * as ops from "../core/ops.js";
import { ShapedArray } from "../core/aval.js";
import { currentBackend } from "../backend/backend.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { ShapeError } from "../shape/errors.js";
import { product } from "../shape/arith.js";
import { reducedShape, reduceVmap } from "./_rules.js";

export const reduceMax: PrimitiveDef<"reduceMax"> = {
  name: "reduceMax",

  // ---- shape ----
  shape: ([x], { axes }) => {
    const shape = reducedShape("reduceMax", x, axes);
    const reducedSize = product(axes.map((a) => x.shape[a]));
    if (reducedSize === 0 && shape.every((d) => d > 0)) {
      throw new ShapeError(`reduceMax: reducing zero elements has no maximum (shape [${x.shape.join(", ")}], axes [${axes.join(", ")}])`);
    }
    return [new ShapedArray(shape, x.dtype)];
  },

  // ---- lower ----
  loopReduction: ({ axes }) => ({ op: "Max", axes }),

  // ---- kernel ----
  // NaN wins, as in NumPy.
  impl: ([x], { axes }) => [currentBackend().reduce(x, axes, "Max")],

  // ---- jvp ----
  // d max x = xDot at the maximum. NB: on ties we average the tangents of all maximal elements,
  // which keeps max over equal values symmetric.
  jvp: ([x], [xDot], { axes }) => {
    const y = ops.reduceMax(x, axes);
    const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const atMax = ops.cast(ops.compare(x, ops.broadcastInDim(y, x.shape, kept), "eq"), xDot.dtype);
    const count = ops.reduceSum(atMax, axes);
    return [[y], [ops.div(ops.reduceSum(ops.mul(atMax, xDot), axes), count)]];
  },

  // ---- vmap ----
  vmap: reduceVmap((x, axes) => ops.reduceMax(x, axes)),
};
