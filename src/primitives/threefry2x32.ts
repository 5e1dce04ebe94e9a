/**
 * @file The `threefry2x32` primitive: the Threefry-2x32 block cipher with 20 rounds (Salmon et al.,
 * "Parallel random numbers: as easy as 1, 2, 3", SC 2011), the counter-based generator behind
 * `random`. Inputs: key words k0, k1 and counter words x0, x1 (int32 bit patterns, one shape);
 * outputs: the two encrypted words.
 */
import * as ops from "../core/ops.js";
import { ShapedArray } from "../core/aval.js";
import { DTypeError } from "../core/errors.js";
import { currentBackend } from "../backend/backend.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { checkSameShapes, zeroTangent } from "./_rules.js";
import { batchFirst } from "../transforms/batching.js";

export const threefry2x32: PrimitiveDef<"threefry2x32"> = {
  name: "threefry2x32",

  // ---- shape ----
  shape: (avals) => {
    for (const a of avals) {
      if (a.dtype !== "int32") throw new DTypeError(`threefry2x32: expected int32 words, got ${a.dtype}`);
      checkSameShapes("threefry2x32", avals[0], a);
    }
    return [new ShapedArray(avals[0].shape, "int32"), new ShapedArray(avals[0].shape, "int32")];
  },

  // ---- kernel ----
  impl: ([k0, k1, x0, x1]) => currentBackend().threefry2x32(k0, k1, x0, x1),

  // ---- jvp ----
  // Random bits do not vary smoothly with anything: zero derivative.
  jvp: (args) => {
    const outs = ops.threefry2x32(args[0], args[1], args[2], args[3]);
    return [outs, outs.map(zeroTangent)];
  },

  // ---- vmap ----
  vmap: (args, dims, _params, axisSize) => {
    const outs = ops.threefry2x32(...(args.map((x, i) => batchFirst(x, dims[i], axisSize)) as [never, never, never, never]));
    return [outs, [0, 0]];
  },
};
