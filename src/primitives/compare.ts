/** @file The `compare` primitive: elementwise <, ≤, >, ≥, =, ≠ of equal-shaped operands, giving bool. */
import * as ops from "../core/ops.js";
import { allocate } from "../dtype.js";
import type { CompareOp, PrimitiveDef } from "../core/primitive.js";
import { ConcreteTensor } from "../core/concrete.js";
import { binaryShape, elementwiseVmap, zeroTangent } from "./_rules.js";

/** One loop per comparison, so each compiles to a plain compare-and-store. */
function compareKernel(op: CompareOp, x: ConcreteTensor, y: ConcreteTensor): ConcreteTensor {
  const a = x.storage;
  const b = y.storage;
  const n = a.length;
  const out = allocate("bool", n, false);
  switch (op) {
    case "lt":
      for (let i = 0; i < n; i++) out[i] = a[i] < b[i] ? 1 : 0;
      break;
    case "le":
      for (let i = 0; i < n; i++) out[i] = a[i] <= b[i] ? 1 : 0;
      break;
    case "gt":
      for (let i = 0; i < n; i++) out[i] = a[i] > b[i] ? 1 : 0;
      break;
    case "ge":
      for (let i = 0; i < n; i++) out[i] = a[i] >= b[i] ? 1 : 0;
      break;
    case "eq":
      for (let i = 0; i < n; i++) out[i] = a[i] === b[i] ? 1 : 0;
      break;
    case "ne":
      for (let i = 0; i < n; i++) out[i] = a[i] !== b[i] ? 1 : 0;
      break;
  }
  return ConcreteTensor.wrap(out, x.shape, "bool");
}

export const compare: PrimitiveDef<"compare"> = {
  name: "compare",

  // ---- shape ----
  shape: (avals, params) => binaryShape(`compare(${params.op})`, "bool")(avals),

  // ---- kernel ----
  impl: ([x, y], { op }) => [compareKernel(op, x, y)],

  // ---- jvp ----
  // A comparison is piecewise constant: zero derivative.
  jvp: ([x, y], _tangents, { op }) => {
    const out = ops.compare(x, y, op);
    return [[out], [zeroTangent(out)]];
  },

  // ---- vmap ----
  vmap: (args, dims, params, axisSize) => elementwiseVmap(([x, y]) => ops.compare(x, y, params.op))(args, dims, params, axisSize),
};
