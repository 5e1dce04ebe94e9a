/**
 * @file Index-based ops: `oneHot`, built from an iota (`fromValues`), broadcasting and `compare`;
 * `IndexOptions`, how every op taking int32 labels or indices treats one out of range; and
 * `IndexMode`, the same choice for the ops that read and write at indices (`take`, `at`, …).
 */
import type { Tensor } from "../core/tensor.js";
import * as core from "../core/ops.js";
import type { Shape } from "../shape/dim.js";
import { assertShape } from "../shape/dim.js";
import { untyped } from "./operand.js";
import type { DType } from "../dtype.js";
import { INT32_MIN } from "../dtype.js";
import type { GatherScatterMode } from "../core/primitive.js";
import { checkName, checkOptions, showValue } from "../internal/check-args.js";

/**
 * How an op taking int32 labels or indices treats one outside its valid range. `checked`
 * (default `true`) raises a `RangeError` naming the op, the value and its position: at once on
 * concrete values, and when the compiled program runs inside `jit` (the `checkIndices` primitive,
 * after JAX's checkify). With `checked: false` the op follows JAX: an out-of-range label one-hots
 * to a zero row (each op's documentation says what that gives).
 * @category Indexing
 */
export interface IndexOptions {
  /** Raise a `RangeError` on an index out of range (default `true`); `false` follows JAX. */
  readonly checked?: boolean;
}

/**
 * `indices` guarded by a range check when `options.checked` is not `false` (the check's result is
 * what callers must use, so it is kept exactly while the value is used). Internal.
 */
export function guardIndices(indices: core.AnyTensor, op: string, what: string, lo: number, hi: number, options: IndexOptions | undefined): core.AnyTensor {
  return options?.checked === false ? indices : core.checkIndices(indices, op, what, lo, hi);
}

/**
 * One-hot encoding of int32 `labels` over `n` classes as float32: a new last axis of size `n`
 * holding 1 at each label's index. A label outside `[0, n)` is a `RangeError` (eagerly or when a
 * jitted program runs); with `{ checked: false }` it gives an all-zero row, as JAX's `one_hot`.
 * @example
 * const y = oneHot(tensor([0, 2], "int32"), 3); // Tensor<[2, 3]>: [[1, 0, 0], [0, 0, 1]]
 * @category Indexing
 */
export function oneHot<S extends Shape, const N extends number>(
  labels: Tensor<S, "int32">,
  n: N,
  options?: IndexOptions,
): Tensor<[...S, N], "float32"> {
  assertShape("oneHot", [n]);
  return oneHotOf(untyped(labels), n, "oneHot", options) as never;
}

/** `oneHot` on an untyped tensor, its check naming `op`. Internal. */
export function oneHotOf(labels: core.AnyTensor, n: number, op: string, options: IndexOptions | undefined): core.AnyTensor {
  const t = guardIndices(labels, op, "label", 0, n, options);
  const shape = [...t.shape, n];
  const iota = core.fromValues(Array.from({ length: n }, (_, i) => i), [n], "int32");
  const l = core.broadcastInDim(t, shape, t.shape.map((_, i) => i));
  const i = core.broadcastInDim(iota, shape, [t.ndim]);
  return core.cast(core.compare(l, i, "eq"), "float32");
}

/**
 * How `take`, `takeAlongAxis` and `at(…).get/set/add/…` treat an index outside its axis. Negative
 * indices first count from the end (NumPy), so an axis of size `n` takes indices in `[-n, n)`.
 * - `"check"` (the default): a `RangeError` naming the op, the value and its position: at once on
 *   concrete values, and when the compiled program runs inside `jit` (as `IndexOptions` does).
 * - `"clip"`: the index is clamped into the axis (JAX's `mode="clip"`).
 * - `"fill"`: a read gives the fill value; a write is dropped (JAX's `mode="fill"`).
 * @category Indexing
 */
export type IndexMode = "check" | "clip" | "fill";

/**
 * Options of a read at indices: its `IndexMode`, and with `"fill"` the value read out of range
 * (default as in JAX: NaN for floats, the smallest int32, `true` for bool).
 * @category Indexing
 */
export type GatherOptions =
  | {
      /** `"check"` (the default) or `"clip"`. */
      readonly mode?: "check" | "clip";
    }
  | {
      /** `"fill"`: an index out of range reads `fillValue`. */
      readonly mode: "fill";
      /** What an index out of range reads (default: NaN for floats, the smallest int32, `true` for bool). */
      readonly fillValue?: number;
    };

/**
 * Options of a write at indices (`at(…).set/add/mul/min/max`): its `IndexMode` (`"fill"` drops an
 * update out of range).
 * @category Indexing
 */
export interface ScatterOptions {
  /** What an index out of range does (default `"check"`: a `RangeError`). */
  readonly mode?: IndexMode;
}

const MODES: readonly IndexMode[] = ["check", "clip", "fill"];

/** The checked mode of gather or scatter options. Internal. */
export function modeOf(op: string, options: GatherOptions | ScatterOptions | undefined): IndexMode {
  if (options === undefined) return "check";
  const o = checkOptions(op, "options", options);
  return o.mode === undefined ? "check" : checkName(op, "mode", o.mode, MODES);
}

/** The primitives' mode for an `IndexMode` (a checked index is in range, so either would do). Internal. */
export function coreMode(mode: IndexMode): GatherScatterMode {
  return mode === "fill" ? "fill" : "clip";
}

/** The value a "fill" read gives out of range: the option, else JAX's default for `dtype`. Internal. */
export function fillValueOf(op: string, options: GatherOptions | undefined, dtype: DType): number {
  const given = options !== undefined && "fillValue" in options ? options.fillValue : undefined;
  if (given === undefined) return dtype === "bool" ? 1 : dtype === "int32" ? INT32_MIN : NaN;
  if (typeof given !== "number") throw new TypeError(`${op}: fillValue must be a number, got ${typeof given} ${showValue(given)}`);
  return given;
}

/**
 * int32 `indices` into an axis of size `n`, ready for the primitives: negatives counted from the
 * end, and under `"check"` guarded by a range check on `[-n, n)` that names `op`. Internal.
 */
export function indicesAlong(indices: core.AnyTensor, n: number, op: string, mode: IndexMode): core.AnyTensor {
  const checked = mode === "check" ? core.checkIndices(indices, op, "index", -n, n) : indices;
  const negative = core.compare(checked, core.fullLike(checked, 0), "lt");
  return core.select(negative, core.add(checked, core.fullLike(checked, n)), checked);
}
