/**
 * @file Reads and writes at index vectors, for the typed indexing ops (`take`, `takeAlongAxis`,
 * `at`): int32 index arrays, one per indexed axis and already prepared by `indicesAlong`,
 * become the index vectors of one `gather` or scatter that collapses the indexed axes. Internal.
 */
import type { GatherScatterMode, IndexDims, ScatterCombine } from "../core/primitive.js";
import * as core from "../core/ops.js";
import { gatherOf, scatterAddOf, scatterOf } from "../primitives/_indexing.js";
import { product } from "../shape/arith.js";
import { expandTo, type T } from "./operand.js";

/** Where to read or write: indexed axes, one prepared index array per indexed axis, their broadcast shape. */
export interface IndexSites {
  readonly axes: readonly number[];
  readonly parts: readonly T[];
  readonly batch: readonly number[];
  readonly mode: GatherScatterMode;
}

/** The `[...batch, k]` index vectors of `sites`. */
function vectors({ parts, batch }: IndexSites): T {
  if (parts.length === 0) return core.fromValues([], [...batch, 0], "int32");
  const columns = parts.map((p) => core.reshape(expandTo(p, batch), [...batch, 1]));
  return columns.length === 1 ? columns[0] : core.concatenate(columns, batch.length);
}

/**
 * A RangeError for an index into an axis of size 0 that "clip" cannot clamp (under "check" the
 * index was reported before; under "fill" the read fills and the write drops). Null when no axis
 * indexed is empty or nothing is read.
 */
function emptyAxisError(op: string, x: T, sites: IndexSites): RangeError | null {
  const empty = sites.axes.find((a) => x.shape[a] === 0);
  if (empty === undefined || product(sites.batch) === 0 || sites.mode === "fill") return null;
  return new RangeError(`${op}: no index is in range for axis ${empty} of size 0 (tensor [${x.shape.join(", ")}])`);
}

function isEmptyAxis(x: T, sites: IndexSites): boolean {
  return sites.axes.some((a) => x.shape[a] === 0);
}

/** `x` read at `sites`: shape `[...batch, ...the other axes of x]`; a window out of range gives `fillValue` under "fill". */
export function gatherAt(op: string, x: T, sites: IndexSites, fillValue: number): T {
  const rest = x.shape.filter((_, a) => !sites.axes.includes(a));
  const err = emptyAxisError(op, x, sites);
  if (err !== null) throw err;
  // An axis of size 0 has no window of size 1: every read is out of range (or there is none).
  if (isEmptyAxis(x, sites)) return core.filled([...sites.batch, ...rest], product(sites.batch) === 0 ? 0 : fillValue, x.dtype);
  const sliceSizes = x.shape.map((d, a) => (sites.axes.includes(a) ? 1 : d));
  return gatherOf(x, vectors(sites), { axes: sites.axes, collapsed: sites.axes, sliceSizes, mode: sites.mode, fillValue });
}

/** `x` with `updates` (shape `[...batch, ...the other axes of x]`) combined in at `sites`. */
export function scatterAt(op: string, x: T, sites: IndexSites, updates: T, combine: ScatterCombine | "add"): T {
  const err = emptyAxisError(op, x, sites);
  if (err !== null) throw err;
  if (isEmptyAxis(x, sites)) return x;
  const dims: IndexDims = { axes: sites.axes, collapsed: sites.axes, mode: sites.mode };
  const idx = vectors(sites);
  return combine === "add" ? scatterAddOf(x, idx, updates, dims) : scatterOf(x, idx, updates, dims, combine);
}
