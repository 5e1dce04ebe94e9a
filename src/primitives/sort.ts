/**
 * @file The `sort` primitive: a stable sort of equal-shaped operands along one dimension, ordered
 * lexicographically by the first `numKeys` of them, the others permuted along (XLA's
 * multi-operand sort: `argsort` sorts its keys together with an iota). NaN sorts after every
 * number, as in NumPy, and first when `descending` (the mirror order; ties stay stable).
 *
 * For fixed keys, sorting is a permutation, hence linear in the operands after the keys: the
 * tangents ride along as extra operands, and a cotangent goes back by the inverse permutation,
 * which is itself a sort (by the permutation's indices). No gather is needed.
 */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { ShapedArray, sameShape } from "../core/aval.js";
import { currentBackend } from "../backend/backend.js";
import { bind } from "../core/trace.js";
import { isZero, SymbolicZero } from "../core/zero.js";
import { UndefPrimal, type PrimParams, type PrimitiveDef } from "../core/primitive.js";
import { TraceError } from "../core/tensor.js";
import { isFloat } from "../dtype.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { batchFirst } from "../transforms/batching.js";

type T = AnyTensor;
type Params = PrimParams["sort"];

/** `xs` sorted along `dimension` by their first `numKeys`, staged or computed (the typed public ops are `sort`, `argsort`, `topK` in src/ops). */
export const sortOf = (xs: readonly T[], params: Params): T[] => bind("sort", xs, params);

/** int32 positions 0, 1, … along `dimension`, in the shape of `x`. */
export function iotaLike(x: T, dimension: number): T {
  const n = x.shape[dimension];
  const line = ops.fromValues(
    Array.from({ length: n }, (_, i) => i),
    [n],
    "int32",
  );
  return ops.broadcastInDim(line, x.shape, [dimension]);
}

export const sort: PrimitiveDef<"sort"> = {
  name: "sort",

  // ---- shape ----
  shape: (xs, { dimension, numKeys, descending }) => {
    if (xs.length === 0) throw new ShapeError("sort: expects at least one operand");
    const x = xs[0];
    const other = xs.find((y) => !sameShape(y.shape, x.shape));
    if (other !== undefined) throw new ShapeError(`sort: operands differ in shape: ${showShape(x.shape)} vs ${showShape(other.shape)}`);
    if (!Number.isInteger(dimension) || dimension < 0 || dimension >= x.ndim) {
      throw new ShapeError(`sort: dimension ${dimension} out of range for rank-${x.ndim} tensor ${showShape(x.shape)}`);
    }
    if (!Number.isInteger(numKeys) || numKeys < 1 || numKeys > xs.length) {
      throw new ShapeError(`sort: numKeys must be in [1, ${xs.length}] for ${xs.length} operands, got ${numKeys}`);
    }
    if (typeof descending !== "boolean") throw new ShapeError(`sort: descending must be a boolean, got ${String(descending)}`);
    return xs.map((y) => new ShapedArray(y.shape, y.dtype));
  },

  // ---- kernel ----
  impl: (xs, { dimension, numKeys, descending }) => currentBackend().sort(xs, dimension, numKeys, descending),

  // ---- jvp ----
  // The permutation is locally constant (away from ties), so each output's tangent is its
  // operand's tangent permuted the same way: sorted along with the keys.
  jvp: (xs, dots, params) => {
    const ys = sortOf(xs, params);
    const live = dots.flatMap((d, i) => (isZero(d) || !isFloat(xs[i].dtype) ? [] : [i]));
    const moved = live.length === 0 ? [] : sortOf([...xs.slice(0, params.numKeys), ...live.map((i) => dots[i])], params).slice(params.numKeys);
    return [ys, ys.map((y, i) => (live.includes(i) ? moved[live.indexOf(i)] : SymbolicZero.like(y)))];
  },

  // ---- transpose ----
  // Linear in the operands after the keys, the keys known. The cotangent of such an operand is
  // the output's cotangent put back where each element came from: sorting it by the positions
  // the sort took its elements from (an iota sorted along with the keys).
  transpose: (cts, args, { dimension, numKeys, descending }) => {
    const keys = args.slice(0, numKeys);
    if (keys.some((k) => k instanceof UndefPrimal)) throw new TraceError("sort: transpose needs known keys; it is linear only in the operands after them");
    const linear = args.flatMap((a, i) => (a instanceof UndefPrimal && !isZero(cts[i]) ? [i] : []));
    const result: (T | null)[] = args.map((a) => (a instanceof UndefPrimal ? new SymbolicZero(a.aval.shape.slice(), a.aval.dtype) : null));
    if (linear.length === 0) return result;
    const from = sortOf([...(keys as T[]), iotaLike(keys[0] as T, dimension)], { dimension, numKeys, descending })[numKeys];
    const back = sortOf([from, ...linear.map((i) => cts[i])], { dimension, numKeys: 1, descending: false });
    linear.forEach((i, k) => (result[i] = back[k + 1]));
    return result;
  },

  // ---- vmap ----
  vmap: (xs, dims, params, axisSize) => [
    sortOf(
      xs.map((x, i) => batchFirst(x, dims[i], axisSize)),
      { ...params, dimension: params.dimension + 1 },
    ),
    xs.map(() => 0),
  ],
};
