/** @file The `select` primitive: `cond ? onTrue : onFalse` elementwise; linear in both branches. */
import * as ops from "../core/ops.js";
import { ShapedArray } from "../core/aval.js";
import { DTypeError } from "../core/errors.js";
import { alu } from "../compiler/alu.js";
import { UndefPrimal, type PrimitiveDef } from "../core/primitive.js";
import { TraceError } from "../core/tensor.js";
import { checkSameShapes, elementwiseVmap } from "./_rules.js";
import { maskBeforeScatter } from "./select-and-scatter-add.js";

export const select: PrimitiveDef<"select"> = {
  name: "select",

  // ---- shape ----
  shape: ([cond, onTrue, onFalse]) => {
    if (cond.dtype !== "bool") throw new DTypeError(`select: condition must be bool, got ${cond.dtype}`);
    checkSameShapes("select", cond, onTrue);
    checkSameShapes("select", onTrue, onFalse);
    if (onTrue.dtype !== onFalse.dtype) {
      throw new DTypeError(`select: branch dtypes differ: ${onTrue.dtype} vs ${onFalse.dtype}`);
    }
    return [new ShapedArray(onTrue.shape, onTrue.dtype)];
  },

  // ---- lower ----
  lower: ([cond, onTrue, onFalse]) => alu.Select(cond, onTrue, onFalse),

  // ---- jvp ----
  // d select(c, a, b) = select(c, aDot, bDot): the condition carries no derivative.
  jvp: ([cond, onTrue, onFalse], [, aDot, bDot]) => [[ops.select(cond, onTrue, onFalse)], [ops.select(cond, aDot, bDot)]],

  // ---- transpose ----
  // The cotangent flows to whichever branch was chosen, elementwise.
  transpose: ([ct], [cond, onTrue, onFalse]) => {
    if (cond instanceof UndefPrimal) throw new TraceError("select: the condition cannot be linear");
    const zero = ops.fullLike(ct, 0);
    return [
      null,
      onTrue instanceof UndefPrimal ? ops.select(cond, ct, zero) : null,
      onFalse instanceof UndefPrimal ? ops.select(cond, zero, ct) : null,
    ];
  },

  // ---- vmap ----
  vmap: elementwiseVmap(([c, a, b]) => ops.select(c, a, b)),

  // ---- simplify ----
  // ReLU's derivative after max pooling's moves before it (see maskBeforeScatter).
  simplify: (eqn, context) => maskBeforeScatter(eqn, context),
};
