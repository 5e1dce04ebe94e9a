/** @file The `pad` primitive: adds `[low, high, interior]` elements of a constant along each axis (negative low/high crop); linear in the operand. */
import * as ops from "../core/ops.js";
import { ShapedArray } from "../core/aval.js";
import { currentBackend } from "../backend/backend.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { checkIntegers } from "./_rules.js";
import { batchFirst } from "../transforms/batching.js";
import { DTypeError } from "../core/errors.js";
import { paddedShape } from "../backend/js/layout.js";

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
  impl: ([x], { value, config }) => [currentBackend().pad(x, value, config)],

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
