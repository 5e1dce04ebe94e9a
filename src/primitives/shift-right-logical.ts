/** @file The `shiftRightLogical` primitive: `x >>> y` on int32 bit patterns (zero fill), as random bit twiddling needs. */
import * as ops from "../core/ops.js";
import { DTypeError } from "../core/errors.js";
import { alu } from "../compiler/alu.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { binaryShape, elementwiseVmap, zeroTangent } from "./_rules.js";

export const shiftRightLogical: PrimitiveDef<"shiftRightLogical"> = {
  name: "shiftRightLogical",

  // ---- shape ----
  shape: (avals) => {
    if (avals[0].dtype !== "int32") throw new DTypeError(`shiftRightLogical: expected int32, got ${avals[0].dtype}`);
    return binaryShape("shiftRightLogical")(avals);
  },

  // ---- lower ----
  // Out-of-range shift amounts (< 0 or ≥ 32) give 0 (the ALU `Shr`).
  lower: ([x, y]) => alu.Shr(x, y),

  // ---- jvp ----
  // Integer-valued: no derivative.
  jvp: ([x, y]) => {
    const out = ops.shiftRightLogical(x, y);
    return [[out], [zeroTangent(out)]];
  },

  // ---- vmap ----
  vmap: elementwiseVmap(([x, y]) => ops.shiftRightLogical(x, y)),
};
