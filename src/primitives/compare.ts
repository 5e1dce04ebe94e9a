/** @file The `compare` primitive: elementwise <, ≤, >, ≥, =, ≠ of equal-shaped operands, giving bool. */
import * as ops from "../core/ops.js";
import { alu } from "../compiler/alu.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { binaryShape, elementwiseVmap, zeroTangent } from "./_rules.js";

/** The ALU op of each comparison. */
const ALU_COMPARISON = { lt: alu.Lt, le: alu.Le, gt: alu.Gt, ge: alu.Ge, eq: alu.Eq, ne: alu.Ne } as const;

export const compare: PrimitiveDef<"compare"> = {
  name: "compare",

  // ---- shape ----
  shape: (avals, params) => binaryShape(`compare(${params.op})`, "bool")(avals),

  // ---- lower ----
  lower: ([x, y], { op }) => ALU_COMPARISON[op](x, y),

  // ---- jvp ----
  // A comparison is piecewise constant: zero derivative.
  jvp: ([x, y], _tangents, { op }) => {
    const out = ops.compare(x, y, op);
    return [[out], [zeroTangent(out)]];
  },

  // ---- vmap ----
  vmap: (args, dims, params, axisSize) => elementwiseVmap(([x, y]) => ops.compare(x, y, params.op))(args, dims, params, axisSize),
};
