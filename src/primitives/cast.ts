/** @file The `cast` primitive: converts elements to another dtype (float→int truncates toward zero and saturates). */
import * as ops from "../core/ops.js";
import { ShapedArray } from "../core/aval.js";
import { alu } from "../compiler/alu.js";
import { UndefPrimal, type PrimitiveDef } from "../core/primitive.js";
import { isFloat } from "../dtype.js";
import { elementwiseVmap, zeroTangent } from "./_rules.js";

export const cast: PrimitiveDef<"cast"> = {
  name: "cast",

  // ---- shape ----
  shape: ([x], { dtype }) => [new ShapedArray(x.shape, dtype)],

  // ---- lower ----
  // Float to int32 truncates toward zero and saturates (NaN to 0); to bool is x ≠ 0 (the ALU `Cast`).
  lower: ([x], { dtype }) => alu.Cast(x, dtype),

  // ---- jvp ----
  // Between floats a cast is linear: d cast(x) = cast(xDot). To or from integers there is no
  // derivative, so the tangent is zero.
  jvp: ([x], [xDot], { dtype }) => {
    const y = ops.cast(x, dtype);
    return [[y], [isFloat(x.dtype) && isFloat(dtype) ? ops.cast(xDot, dtype) : zeroTangent(y)]];
  },

  // ---- transpose ----
  transpose: ([ct], [x]) => [x instanceof UndefPrimal ? ops.cast(ct, x.aval.dtype) : null],

  // ---- vmap ----
  vmap: (args, dims, params, axisSize) => elementwiseVmap(([x]) => ops.cast(x, params.dtype))(args, dims, params, axisSize),
};
