/** @file The `pad` primitive: adds `[low, high, interior]` elements of a constant along each axis (negative low/high crop); linear in the operand. */
import * as ops from "../core/ops.js";
import { ShapedArray } from "../core/aval.js";
import { ConcreteTensor } from "../core/concrete.js";
import { product } from "../shape/arith.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { allocate } from "../dtype.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { stridedMove, stridesOf } from "../backend/js/kernels.js";
import { checkIntegers } from "./_rules.js";
import { batchFirst } from "../transforms/batching.js";
import { DTypeError } from "../core/errors.js";
import { slice as sliceDef } from "./slice.js";

type Config = readonly (readonly [number, number, number])[];

function paddedShape(shape: readonly number[], config: Config): number[] {
  return shape.map((d, i) => {
    const [lo, hi, interior] = config[i];
    return lo + hi + d + Math.max(0, d - 1) * interior;
  });
}

export const pad: PrimitiveDef<"pad"> = {
  name: "pad",

  // ---- shape ----
  shape: ([x], { value, config }) => {
    if (x.dtype === "bool" && value !== 0 && value !== 1) throw new DTypeError(`pad: a bool tensor can only be padded with 0 or 1, got ${value}`);
    config.forEach((c) => checkIntegers("pad", "config entries", c));
    const out = config.length === x.ndim ? paddedShape(x.shape, config) : [];
    if (config.length !== x.ndim || config.some(([, , interior]) => interior < 0) || out.some((d) => d < 0)) {
      throw new ShapeError(`pad: config ${JSON.stringify(config)} does not fit ${showShape(x.shape)}`);
    }
    return [new ShapedArray(out, x.dtype)];
  },

  // ---- kernel ----
  // Pad generously on a canvas (negative low/high treated as 0), scatter the operand with the
  // interior spacing, then crop the negative parts.
  impl: ([x], { value, config }) => {
    const grown = config.map(([lo, hi, interior]) => [Math.max(lo, 0), Math.max(hi, 0), interior] as const);
    const canvasShape = paddedShape(x.shape, grown);
    const canvas = allocate(x.dtype, product(canvasShape));
    if (value !== 0) canvas.fill(value);
    const canvasStrides = stridesOf(canvasShape);
    const offset = grown.reduce((acc, [lo], i) => acc + lo * canvasStrides[i], 0);
    stridedMove(x.storage, 0, stridesOf(x.shape), canvas, offset, canvasStrides.map((s, i) => s * (grown[i][2] + 1)), x.shape);
    const result = ConcreteTensor.wrap(canvas, canvasShape, x.dtype);
    if (config.every(([lo, hi]) => lo >= 0 && hi >= 0)) return [result];
    const start = config.map(([lo]) => Math.max(-lo, 0));
    const limit = canvasShape.map((d, i) => d - Math.max(-config[i][1], 0));
    return sliceDef.impl!([result], { start, limit, strides: start.map(() => 1) });
  },

  // ---- jvp ----
  // The padding constant carries no tangent: pad the tangent with zeros.
  jvp: ([x], [xDot], { value, config }) => [[ops.pad(x, value, config)], [ops.pad(xDot, 0, config)]],

  // ---- transpose ----
  // Undo the low/high padding (a pad by their negatives crops), then take every (interior+1)-th element.
  transpose: ([ct], _args, { config }) => {
    const cropped = ops.pad(
      ct,
      0,
      config.map(([lo, hi]) => [-lo, -hi, 0] as const),
    );
    return [
      ops.slice(
        cropped,
        cropped.shape.map(() => 0),
        cropped.shape,
        config.map(([, , interior]) => interior + 1),
      ),
    ];
  },

  // ---- vmap ----
  vmap: ([x], [dim], { value, config }, axisSize) => [[ops.pad(batchFirst(x, dim, axisSize), value, [[0, 0, 0], ...config])], [0]],
};
