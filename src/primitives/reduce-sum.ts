/** @file The `reduceSum` primitive: sum over a set of axes, which are removed; linear. */
import * as ops from "../core/ops.js";
import { ShapedArray } from "../core/aval.js";
import { currentBackend } from "../backend/backend.js";
import { UndefPrimal, type PrimitiveDef } from "../core/primitive.js";
import { reducedShape, reduceVmap } from "./_rules.js";
import { sumOfScatter } from "./select-and-scatter-add.js";

export const reduceSum: PrimitiveDef<"reduceSum"> = {
  name: "reduceSum",

  // ---- shape ----
  shape: ([x], { axes }) => [new ShapedArray(reducedShape("reduceSum", x, axes), x.dtype === "bool" ? "int32" : x.dtype)],

  // ---- lower ----
  // Fused loops accumulate sums over trailing axes (in float64, as the kernel does).
  loopReduction: ({ axes }) => ({ op: "Add", axes }),

  // ---- kernel ----
  // bool elements are counted (the result is int32).
  impl: ([x], { axes }) => [currentBackend().reduce(x, axes, "Add")],

  // ---- jvp ----
  // d Σx = Σ xDot
  jvp: ([x], [xDot], { axes }) => [[ops.reduceSum(x, axes)], [ops.reduceSum(xDot, axes)]],

  // ---- transpose ----
  // Every summed element receives the whole cotangent: broadcast it back over the summed axes.
  transpose: ([ct], [x], { axes }) => {
    const shape = (x as UndefPrimal).aval.shape;
    const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
    return [ops.broadcastInDim(ct, shape, kept)];
  },

  // ---- vmap ----
  vmap: reduceVmap((x, axes) => ops.reduceSum(x, axes)),

  // ---- simplify ----
  // The sum of a max pool's derivative sums what it scattered (bias gradients of conv → pool).
  simplify: (eqn, context) => sumOfScatter(eqn, context),
};
