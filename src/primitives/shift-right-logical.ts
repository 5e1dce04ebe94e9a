/** @file The `shiftRightLogical` primitive: `x >>> y` on int32 bit patterns (zero fill), as random bit twiddling needs. */
import * as ops from "../core/ops.js";
import { DTypeError } from "../core/errors.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { mapBinary } from "../backend/js/kernels.js";
import { binaryShape, elementwiseVmap, zeroTangent } from "./_rules.js";

export const shiftRightLogical: PrimitiveDef<"shiftRightLogical"> = {
  name: "shiftRightLogical",

  // ---- shape ----
  shape: (avals) => {
    if (avals[0].dtype !== "int32") throw new DTypeError(`shiftRightLogical: expected int32, got ${avals[0].dtype}`);
    return binaryShape("shiftRightLogical")(avals);
  },

  // ---- kernel ----
  // Shift amounts outside [0, 31] give 0, as XLA defines them (JS would take them mod 32).
  impl: ([x, y]) => [mapBinary(x, y, (a, b) => (b >= 0 && b < 32 ? (a >>> b) | 0 : 0))],

  // ---- jvp ----
  // Integer-valued: no derivative.
  jvp: ([x, y]) => {
    const out = ops.shiftRightLogical(x, y);
    return [[out], [zeroTangent(out)]];
  },

  // ---- vmap ----
  vmap: elementwiseVmap(([x, y]) => ops.shiftRightLogical(x, y)),
};
