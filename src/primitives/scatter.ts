/**
 * @file The `scatter` primitive: the operand with each window of `updates` combined into the place
 * its index vector names, by `combine`: `set` (overwrite; of overlapping updates the last in
 * row-major index order wins), `mul`, `min` or `max` (JAX's `scatter`, `scatter_mul`,
 * `scatter_min`, `scatter_max`). Adding is `scatterAdd`, the one with a transpose: every tangent
 * here is written with `scatterAdd`, `gather` and elementwise ops, so none is needed.
 */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { currentBackend } from "../backend/backend.js";
import { DTypeError } from "../core/errors.js";
import type { IndexDims, PrimitiveDef, ScatterCombine } from "../core/primitive.js";
import { ShapedArray } from "../core/aval.js";
import { product } from "../shape/arith.js";
import { gatherOf, indexDims, inverseGather, scatterAddOf, scatterOf, scatterVmap, scatterWindow } from "./_indexing.js";

type T = AnyTensor;

const COMBINES: readonly ScatterCombine[] = ["set", "mul", "min", "max"];

export const scatter: PrimitiveDef<"scatter"> = {
  name: "scatter",

  // ---- shape ----
  shape: ([x, indices, updates], params) => {
    const { combine } = params;
    if (!COMBINES.includes(combine)) throw new DTypeError(`scatter: combine must be one of ${COMBINES.join(", ")}, got ${String(combine)}`);
    if (combine !== "set" && x.dtype === "bool") throw new DTypeError(`scatter[${combine}]: bool operands are not supported; cast to int32 or float first`);
    scatterWindow(`scatter[${combine}]`, x, indices, updates, params);
    return [x];
  },

  // ---- kernel ----
  impl: ([x, indices, updates], params) => [currentBackend().scatter(x, indices, updates, indexDims(params), params.combine)],

  // ---- jvp ----
  jvp: ([x, indices, updates], [xDot, , uDot], params) => {
    const window = scatterWindow("scatter", aval(x), aval(indices), aval(updates), params);
    const y = scatterOf(x, indices, updates, params, params.combine);
    const rule = params.combine === "set" ? setTangent : params.combine === "mul" ? mulTangent : extremalTangent;
    return [[y], [rule({ x, indices, updates, xDot, uDot, y, window, dims: indexDims(params) })]];
  },

  // ---- vmap ----
  vmap: scatterVmap((x, indices, updates, params: IndexDims & { combine: ScatterCombine }) => scatterOf(x, indices, updates, params, params.combine)),
};

/** What a tangent rule needs: primals, tangents, the primal result and the window sizes. */
interface At {
  readonly x: T;
  readonly indices: T;
  readonly updates: T;
  readonly xDot: T;
  readonly uDot: T;
  readonly y: T;
  readonly window: readonly number[];
  readonly dims: IndexDims;
}

const aval = (t: T): ShapedArray => new ShapedArray(t.shape, t.dtype);
const full = (like: T, v: number, dtype = like.dtype): T => ops.filled(like.shape, v, dtype);

/**
 * set: y = x where nothing was written, else the winning update; so yDot takes xDot or the
 * winner's uDot. The winner of each place is found by scattering one id per index vector (with
 * the same kernel, so the same update wins) and reading the ids back (after JAX's scatter JVP).
 */
function setTangent({ x, indices, updates, xDot, uDot, window, dims }: At): T {
  const nb = indices.ndim - 1;
  const batch = indices.shape.slice(0, nb);
  const ids = ops.fromValues(Array.from({ length: product(batch) }, (_, i) => i + 1), batch, "int32");
  const updateIds = ops.broadcastInDim(ids, updates.shape, batch.map((_, i) => i));
  const written = scatterOf(full(x, 0, "int32"), indices, updateIds, dims, "set");
  const kept = ops.compare(written, full(x, 0, "int32"), "eq");
  const won = ops.compare(updateIds, gatherOf(written, indices, inverseGather(dims, window)), "eq");
  return scatterAddOf(ops.select(kept, xDot, ops.zerosLike(xDot)), indices, ops.select(won, uDot, ops.zerosLike(uDot)), dims);
}

/**
 * mul: y_p = x_p · Π u_k over the updates k written to p, so
 * yDot_p = xDot_p · Π u_k + x_p · Σ_k uDot_k · Π_{j≠k} u_j. The product of the others is computed
 * without dividing by a zero: from the product of the nonzero updates and their count of zeros.
 */
function mulTangent({ x, indices, updates, xDot, uDot, window, dims }: At): T {
  const ones = full(x, 1);
  const factor = scatterOf(ones, indices, updates, dims, "mul");
  const nonzero = ops.compare(updates, full(updates, 0), "ne");
  const safe = ops.select(nonzero, updates, full(updates, 1));
  const nonzeroProduct = gatherOf(scatterOf(ones, indices, safe, dims, "mul"), indices, inverseGather(dims, window, 1));
  const zeroFlags = ops.cast(ops.compare(updates, full(updates, 0), "eq"), x.dtype);
  const zeroCount = gatherOf(scatterAddOf(full(x, 0), indices, zeroFlags, dims), indices, inverseGather(dims, window));
  const countIs = (n: number) => ops.compare(zeroCount, full(updates, n), "eq");
  const zero = full(updates, 0);
  const others = ops.select(
    nonzero,
    ops.select(countIs(0), ops.div(nonzeroProduct, safe), zero),
    ops.select(countIs(1), nonzeroProduct, zero),
  );
  const weight = ops.mul(gatherOf(x, indices, inverseGather(dims, window)), others);
  return ops.add(ops.mul(xDot, factor), scatterAddOf(ops.zerosLike(x), indices, ops.mul(uDot, weight), dims));
}

/**
 * min/max: yDot_p is the tangent of whichever of x_p and the updates written to p equals y_p; on
 * ties, their average (as `max` and `reduceMax` do, and as JAX's scatter_max JVP does).
 */
function extremalTangent({ x, indices, updates, xDot, uDot, y, window, dims }: At): T {
  const xWins = ops.cast(ops.compare(x, y, "eq"), x.dtype);
  // A dropped update reads NaN back, which equals nothing: it wins nowhere.
  const uWins = ops.cast(ops.compare(updates, gatherOf(y, indices, inverseGather(dims, window, NaN)), "eq"), x.dtype);
  const count = ops.add(xWins, scatterAddOf(full(x, 0), indices, uWins, dims));
  // A NaN result equals nothing: no winner, a zero tangent rather than 0/0.
  const share = ops.div(full(x, 1), ops.max(count, full(x, 1)));
  const sum = ops.add(ops.mul(xWins, xDot), scatterAddOf(ops.zerosLike(x), indices, ops.mul(uWins, uDot), dims));
  return ops.mul(sum, share);
}
