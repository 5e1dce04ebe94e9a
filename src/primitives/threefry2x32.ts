/**
 * @file The `threefry2x32` primitive: the Threefry-2x32 block cipher with 20 rounds (Salmon et al.,
 * "Parallel random numbers: as easy as 1, 2, 3", SC 2011), the counter-based generator behind
 * `random`. Inputs: key words k0, k1 and counter words x0, x1 (int32 bit patterns, one shape);
 * outputs: the two encrypted words.
 */
import * as ops from "../core/ops.js";
import { allocate } from "../dtype.js";
import { ShapedArray } from "../core/aval.js";
import { ConcreteTensor } from "../core/concrete.js";
import { DTypeError } from "../core/errors.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { checkSameShapes, zeroTangent } from "./_rules.js";
import { batchFirst } from "../transforms/batching.js";

const ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24];
const PARITY = 0x1bd11bda;

/** Encrypts one counter block; writes the two output words into `out` at `i`. */
function block(k0: number, k1: number, x0: number, x1: number, y0: Int32Array, y1: Int32Array, i: number): void {
  const ks = [k0, k1, (k0 ^ k1 ^ PARITY) | 0];
  x0 = (x0 + ks[0]) | 0;
  x1 = (x1 + ks[1]) | 0;
  for (let group = 0; group < 5; group++) {
    const base = (group % 2) * 4;
    for (let j = 0; j < 4; j++) {
      const r = ROTATIONS[base + j];
      x0 = (x0 + x1) | 0;
      x1 = (x1 << r) | (x1 >>> (32 - r));
      x1 ^= x0;
    }
    x0 = (x0 + ks[(group + 1) % 3]) | 0;
    x1 = (x1 + ks[(group + 2) % 3] + group + 1) | 0;
  }
  y0[i] = x0;
  y1[i] = x1;
}

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
  impl: ([k0, k1, x0, x1]) => {
    const n = x0.storage.length;
    const y0 = allocate("int32", n, false);
    const y1 = allocate("int32", n, false);
    for (let i = 0; i < n; i++) block(k0.storage[i], k1.storage[i], x0.storage[i], x1.storage[i], y0, y1, i);
    return [ConcreteTensor.wrap(y0, x0.shape, "int32"), ConcreteTensor.wrap(y1, x0.shape, "int32")];
  },

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
