/**
 * @file The `rem` primitive: elementwise remainder of the division truncated toward zero,
 * `x − y·trunc(x / y)`, exact (C's `fmod`, JS's `%`; XLA's rem): the result has the sign of `x`.
 * NumPy's and JAX's `mod` (the sign of `y`) is built on it in src/ops. int32 too, where a zero
 * divisor gives 0.
 */
import * as ops from "../core/ops.js";
import { bind1 } from "../core/trace.js";
import { alu } from "../compiler/alu.js";
import { isFloat } from "../dtype.js";
import { NO_PARAMS, type PrimitiveDef } from "../core/primitive.js";
import type { AnyTensor } from "../core/ops.js";
import { arithmeticShape, elementwiseVmap, zeroTangent } from "./_rules.js";
import { roundOf } from "./round.js";

/** `rem(x, y)` staged or computed (operands of one shape and dtype). */
export const remOf = (x: AnyTensor, y: AnyTensor): AnyTensor => bind1("rem", [x, y], NO_PARAMS);

export const rem: PrimitiveDef<"rem"> = {
  name: "rem",

  // ---- shape ----
  shape: arithmeticShape("rem"),

  // ---- lower ----
  lower: ([x, y]) => alu.Rem(x, y),

  // ---- jvp ----
  // d rem(x, y) = xDot − trunc(x / y) · yDot. The quotient is read off the remainder,
  // (x − rem) / y, rounded: an integer, exactly (no second division's rounding). At the jumps
  // (x / y an integer) we take this one-sided value, as JAX does.
  jvp: ([x, y], [xDot, yDot]) => {
    const r = remOf(x, y);
    if (!isFloat(r.dtype)) return [[r], [zeroTangent(r)]];
    const quotient = roundOf(ops.div(ops.sub(x, r), y));
    return [[r], [ops.sub(xDot, ops.mul(quotient, yDot))]];
  },

  // ---- vmap ----
  vmap: elementwiseVmap(([x, y]) => remOf(x, y)),
};
