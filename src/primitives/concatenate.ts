/** @file The `concatenate` primitive: joins operands along one axis; linear in each. */
import * as ops from "../core/ops.js";
import { ShapedArray } from "../core/aval.js";
import { DTypeError } from "../core/errors.js";
import { currentBackend } from "../backend/backend.js";
import { UndefPrimal, type PrimitiveDef } from "../core/primitive.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { checkIntegers } from "./_rules.js";
import { batchFirst } from "../transforms/batching.js";

export const concatenate: PrimitiveDef<"concatenate"> = {
  name: "concatenate",

  // ---- shape ----
  shape: (xs, { axis }) => {
    if (xs.length === 0) throw new ShapeError("concat: needs at least one tensor");
    checkIntegers("concat", "axis", [axis], 0);
    const first = xs[0];
    if (!(axis >= 0 && axis < first.ndim)) {
      throw new ShapeError(`concat: axis ${axis} out of range for rank-${first.ndim} tensor ${showShape(first.shape)}`);
    }
    let total = 0;
    for (const x of xs) {
      if (x.dtype !== first.dtype) throw new DTypeError(`concat: dtypes differ: ${first.dtype} vs ${x.dtype}`);
      if (x.ndim !== first.ndim) {
        throw new ShapeError(`concat: ranks differ: ${showShape(first.shape)} vs ${showShape(x.shape)}`);
      }
      x.shape.forEach((d, i) => {
        if (i !== axis && d !== first.shape[i]) {
          throw new ShapeError(`concat: dim ${i} differs: ${first.shape[i]} vs ${d} (shapes ${showShape(first.shape)} and ${showShape(x.shape)})`);
        }
      });
      total += x.shape[axis];
    }
    return [new ShapedArray(first.shape.map((d, i) => (i === axis ? total : d)), first.dtype)];
  },

  // ---- kernel ----
  impl: (xs, { axis }) => [currentBackend().concatenate(xs, axis)],

  // ---- jvp ----
  jvp: (xs, xDots, { axis }) => [[ops.concatenate(xs, axis)], [ops.concatenate(xDots, axis)]],

  // ---- transpose ----
  // Each operand's cotangent is its own stretch of the output cotangent.
  transpose: ([ct], xs, { axis }) => {
    let offset = 0;
    return xs.map((x) => {
      const shape = x instanceof UndefPrimal ? x.aval.shape : x.shape;
      const start = ct.shape.map((_, i) => (i === axis ? offset : 0));
      const limit = ct.shape.map((d, i) => (i === axis ? offset + shape[axis] : d));
      offset += shape[axis];
      return x instanceof UndefPrimal ? ops.slice(ct, start, limit) : null;
    });
  },

  // ---- vmap ----
  vmap: (xs, dims, { axis }, axisSize) => [[ops.concatenate(xs.map((x, i) => batchFirst(x, dims[i], axisSize)), axis + 1)], [0]],
};
