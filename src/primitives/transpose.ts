/** @file The `transpose` primitive: permutes axes (result axis i is input axis `perm[i]`); linear. */
import * as ops from "../core/ops.js";
import { ShapedArray } from "../core/aval.js";
import type { PrimParams, PrimitiveDef } from "../core/primitive.js";
import { currentBackend } from "../backend/backend.js";
import type { Atom, Eqn } from "../core/jaxpr.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { checkIntegers } from "./_rules.js";
import { batchFirst } from "../transforms/batching.js";

/**
 * transpose(dotGeneral(x, y)) with no batch dims and the permutation that swaps x's free dims with
 * y's, as dotGeneral(y, x) with the contraction swapped; null when the pattern does not apply.
 */
function swappedProduct(eqn: Eqn<"transpose">, producerOf: (x: Atom) => Eqn | undefined): Eqn | null {
  const dot = producerOf(eqn.inputs[0]);
  if (dot === undefined || dot.prim !== "dotGeneral") return null;
  const { contract, batch } = dot.params as PrimParams["dotGeneral"];
  if (batch[0].length > 0) return null;
  const [x, y] = dot.inputs;
  const xFree = x.aval.ndim - contract[0].length;
  const yFree = y.aval.ndim - contract[1].length;
  const perm = eqn.params.perm;
  const swap = [...Array.from({ length: yFree }, (_, i) => xFree + i), ...Array.from({ length: xFree }, (_, i) => i)];
  if (perm.length !== swap.length || perm.some((d, i) => d !== swap[i])) return null;
  const swapped: Eqn<"dotGeneral"> = { prim: "dotGeneral", inputs: [y, x], params: { contract: [contract[1], contract[0]], batch: [[], []] }, outBinders: eqn.outBinders };
  return swapped as Eqn;
}

export const transpose: PrimitiveDef<"transpose"> = {
  name: "transpose",

  // ---- shape ----
  shape: ([x], { perm }) => {
    checkIntegers("transpose", "axes", perm, 0);
    const seen = new Set(perm);
    if (perm.length !== x.ndim || seen.size !== perm.length || perm.some((p) => !(p >= 0 && p < x.ndim))) {
      throw new ShapeError(`transpose: [${perm.join(", ")}] is not a permutation of the axes of ${showShape(x.shape)}`);
    }
    return [new ShapedArray(perm.map((p) => x.shape[p]), x.dtype)];
  },

  // ---- kernel ----
  impl: ([x], { perm }) => [currentBackend().transpose(x, perm)],

  // ---- simplify ----
  // An identity permutation is x; a transposed matrix product is the product with its operands
  // swapped (no copy).
  simplify: (eqn, { producerOf }) => (eqn.params.perm.every((d, i) => d === i) ? eqn.inputs[0] : swappedProduct(eqn, producerOf)),

  // ---- jvp ----
  jvp: ([x], [xDot], { perm }) => [[ops.transpose(x, perm)], [ops.transpose(xDot, perm)]],

  // ---- transpose ----
  // The transpose of a permutation is its inverse.
  transpose: ([ct], _args, { perm }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return [ops.transpose(ct, inverse)];
  },

  // ---- vmap ----
  vmap: ([x], [dim], { perm }, axisSize) => [[ops.transpose(batchFirst(x, dim, axisSize), [0, ...perm.map((p) => p + 1)])], [0]],
};
