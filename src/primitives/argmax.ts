/** @file The `argmax` primitive: index of the largest element along one axis (the first on ties), as int32. */
import * as ops from "../core/ops.js";
import { ShapedArray } from "../core/aval.js";
import { currentBackend } from "../backend/backend.js";
import type { PrimitiveDef } from "../core/primitive.js";
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
  impl: ([x], { axis }) => [currentBackend().argmax(x, axis)],

  // ---- jvp ----
  // An index is piecewise constant: zero derivative.
  jvp: ([x], _tangents, { axis }) => {
    const y = ops.argmax(x, axis);
    return [[y], [zeroTangent(y)]];
  },

  // ---- vmap ----
  vmap: ([x], [dim], { axis }, axisSize) => [[ops.argmax(batchFirst(x, dim, axisSize), axis + 1)], [0]],
};
