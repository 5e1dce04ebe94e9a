/** @file The `compare` primitive: elementwise <, ≤, >, ≥, =, ≠ of equal-shaped operands, giving bool. */
import * as ops from "../core/ops.js";
import type { CompareOp, PrimitiveDef } from "../core/primitive.js";
import { mapBinary } from "../backend/js/kernels.js";
import { binaryShape, elementwiseVmap, zeroTangent } from "./_rules.js";

const KERNELS: Record<CompareOp, (a: number, b: number) => number> = {
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
};

export const compare: PrimitiveDef<"compare"> = {
  name: "compare",

  // ---- shape ----
  shape: (avals, params) => binaryShape(`compare(${params.op})`, "bool")(avals),

  // ---- kernel ----
  impl: ([x, y], { op }) => [mapBinary(x, y, KERNELS[op], "bool")],

  // ---- jvp ----
  // A comparison is piecewise constant: zero derivative.
  jvp: ([x, y], _tangents, { op }) => {
    const out = ops.compare(x, y, op);
    return [[out], [zeroTangent(out)]];
  },

  // ---- vmap ----
  vmap: (args, dims, params, axisSize) => elementwiseVmap(([x, y]) => ops.compare(x, y, params.op))(args, dims, params, axisSize),
};
