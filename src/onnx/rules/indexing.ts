/**
 * @file Export rules of `gather`, `scatterAdd` and `scatter` on `GatherND` / `ScatterND`. typegrad's
 * windows (see `IndexDims`) become index tuples over the operand transposed so that the axes the
 * windows move along come first: the indexed axes, then the unindexed ones a window does not
 * span (its start there is 0), one tuple per window element on those axes; the axes every window
 * spans whole come last and travel as slices. (With no such axis, a unit axis is added in front
 * and every tuple points at it.) The modes and combinations keep typegrad's semantics exactly:
 * - "clip" clamps each start into `[0, size − window]`; "fill" finds the windows out of range,
 *   gathers `fillValue` there (`Where`) and makes their updates neutral (−0 for a sum, 1 for a
 *   product, ±∞ or the int32 extremes for min and max), so they change nothing;
 * - `scatterAdd` and `scatter` `mul`/`min`/`max` are `ScatterND` with that `reduction` (opset 16,
 *   or 18 for min and max), which combines duplicate indices in order, as typegrad does. ONNX
 *   Runtime's min/max reductions drop NaN, so a second `ScatterND` finds where one lands and puts
 *   NaN back (it wins, as in typegrad);
 * - `scatter` `set` must let the last update of duplicates win, which `ScatterND` without a
 *   reduction leaves undefined: each index tuple's ordinal is scattered with `max` (the winner of
 *   each place, opset 18), and only the winners write where they point; the others write to a
 *   row past the end, cut off after.
 */
import type { DType } from "../../dtype.js";
import { isFloat } from "../../dtype.js";
import type { IndexDims, ScatterCombine } from "../../core/primitive.js";
import { product } from "../../shape/arith.js";
import { OnnxExportError } from "../errors.js";
import { int, str, ONNX_TYPE, type GraphBuilder, type Value } from "../graph.js";
import { reshapeTo, transposeBy } from "./layout.js";
import type { ExportContext, ExportRules } from "./types.js";

/**
 * `keep ? value : other` elementwise (broadcasting), with `other` a constant, exact to the sign of
 * zero. NB: ONNX Runtime's `Where` turns a −0 taken from its first branch into +0, so `value`
 * goes in the second; a −0 constant goes in the first as +0 and comes out negated. Bools select by
 * logic (ONNX Runtime has no bool `Where`).
 */
function keepOr(g: GraphBuilder, dtype: DType, keep: string, value: string, other: number): string {
  const type = ONNX_TYPE[dtype];
  if (dtype === "bool") return other ? g.op("Or", [g.op("Not", [keep]), value]) : g.op("And", [keep, value]);
  const drop = g.op("Not", [keep]);
  if (!Object.is(other, -0)) return g.op("Where", [drop, g.scalar(type, other), value]);
  return g.op("Neg", [g.op("Where", [drop, g.scalar(type, 0), g.op("Neg", [value])])]);
}

/** Where a gather or scatter's windows sit, in the transposed operand `[tuple axes…, whole axes…]`. */
interface Layout {
  /** Operand axes the index tuples address: indexed ones in `axes` order, then partial unindexed ones. */
  readonly tupleAxes: readonly number[];
  /** Operand axes every window spans whole, in operand order. */
  readonly wholeAxes: readonly number[];
  /** Whether a unit axis was put in front because no axis is addressed. */
  readonly unit: boolean;
  /** The transposed operand's shape (with the unit axis). */
  readonly shapeT: readonly number[];
  /** Window extent along each tuple axis (1 for the unit axis). */
  readonly tupleWindow: readonly number[];
}

function layoutOf(shape: readonly number[], window: readonly number[], axes: readonly number[]): Layout {
  const partial = shape.map((_, a) => a).filter((a) => !axes.includes(a) && window[a] < shape[a]);
  const tupleAxes = [...axes, ...partial];
  const wholeAxes = shape.map((_, a) => a).filter((a) => !tupleAxes.includes(a));
  const unit = tupleAxes.length === 0;
  const shapeT = [...(unit ? [1] : []), ...[...tupleAxes, ...wholeAxes].map((a) => shape[a])];
  const tupleWindow = unit ? [1] : tupleAxes.map((a) => window[a]);
  return { tupleAxes, wholeAxes, unit, shapeT, tupleWindow };
}

/** The operand transposed (and given the unit axis) into the layout's order. */
function toLayout(ctx: ExportContext, x: Value, l: Layout): string {
  const t = transposeBy(ctx.g, x.name, [...l.tupleAxes, ...l.wholeAxes]);
  return l.unit ? reshapeTo(ctx, t, x.aval.shape, l.shapeT) : t;
}

/** The layout's order back to the operand's. */
function fromLayout(ctx: ExportContext, t: string, shape: readonly number[], l: Layout): string {
  const order = [...l.tupleAxes, ...l.wholeAxes];
  const y = l.unit ? reshapeTo(ctx, t, l.shapeT, shape) : t;
  return transposeBy(ctx.g, y, shape.map((_, a) => order.indexOf(a)));
}

/** The window starts (int64, clamped into range) and, in "fill" mode, which windows fit ([...batch, 1], bool). */
function starts(g: GraphBuilder, indices: Value, shape: readonly number[], window: readonly number[], { axes, mode }: IndexDims) {
  const limits = g.int64s(axes.map((a) => shape[a] - window[a]));
  const raw = g.cast(indices.name, "int32", "int64");
  const zero = g.scalar("int64", 0);
  const clamped = g.op("Max", [g.op("Min", [raw, limits]), zero]);
  if (mode === "clip" || axes.length === 0) return { clamped, fits: null };
  const bad = g.op("Not", [g.op("And", [g.op("GreaterOrEqual", [raw, zero]), g.op("LessOrEqual", [raw, limits])])]);
  const nBad = g.op("ReduceSum", [g.cast(bad, "bool", "int32"), g.int64s([-1])], { keepdims: int(1) });
  return { clamped, fits: g.op("Equal", [nBad, g.scalar("int32", 0)]) };
}

/**
 * Index tuples `[...batch, ...tupleWindow, tuple axes]`: each window's start plus every offset
 * inside it, along the tuple axes (0 for the partial unindexed ones and the unit axis).
 */
function tuples(ctx: ExportContext, clamped: string, batch: readonly number[], k: number, l: Layout): string {
  const { g } = ctx;
  const n = l.tupleWindow.length;
  const offsets: number[] = [];
  const walk = (prefix: number[]): void => {
    if (prefix.length === n) offsets.push(...prefix);
    else for (let w = 0; w < l.tupleWindow[prefix.length]; w++) walk([...prefix, w]);
  };
  walk([]);
  const offsetTensor = g.constant("int64", [...l.tupleWindow, n], offsets);
  const full = [...batch, ...l.tupleWindow, n];
  if (k === 0) return g.op("Expand", [offsetTensor, ctx.shape(full)]);
  const padded = k < n ? g.op("Pad", [clamped, g.int64s([...batch.map(() => 0), 0, ...batch.map(() => 0), n - k]), g.scalar("int64", 0)]) : clamped;
  return g.op("Add", [reshapeTo(ctx, padded, [...batch, n], [...batch, ...l.tupleWindow.map(() => 1), n]), offsetTensor]);
}

/** A mask `[...batch, 1]` reshaped to broadcast over `rank` trailing axes. */
function maskOver(ctx: ExportContext, fits: string, batch: readonly number[], rank: number): string {
  return reshapeTo(ctx, fits, [...batch, 1], [...batch, ...new Array<number>(rank).fill(1)]);
}

/** Throws unless the graph's opset has `ScatterND` with the reduction a rule needs. */
function needOpset(g: GraphBuilder, prim: string, opset: number, what: string): void {
  if (g.opset < opset) throw new OnnxExportError(`${prim}: needs ONNX opset ${opset} or later (${what}), got opset ${g.opset}`, prim);
}

/** The value an update takes in a dropped ("fill") window, so that combining it changes nothing. */
function neutral(combine: ScatterCombine | "add", dtype: DType): number {
  const float = isFloat(dtype);
  switch (combine) {
    case "add":
      return float ? -0 : 0;
    case "mul":
      return 1;
    case "min":
      return float ? Infinity : 2147483647;
    case "max":
      return float ? -Infinity : -2147483648;
    case "set":
      return 0;
  }
}

/** A scatter of any combination: the shared part (windows, tuples, updates in layout order). */
function scatterRule(ctx: ExportContext, [x, indices, updates]: readonly Value[], dims: IndexDims, combine: ScatterCombine | "add"): string {
  const { g } = ctx;
  const prim = combine === "add" ? "scatterAdd" : "scatter";
  needOpset(g, prim, combine === "add" || combine === "mul" ? 16 : 18, combine === "set" ? "ScatterND with max, for the last update to win" : `ScatterND with reduction ${combine}`);
  const shape = x.aval.shape;
  const { dtype } = x.aval;
  const nb = indices.aval.ndim - 1;
  const batch = indices.aval.shape.slice(0, nb);
  let j = nb;
  const window = shape.map((_, a) => (dims.collapsed.includes(a) ? 1 : updates.aval.shape[j++]));
  if (updates.aval.size === 0) return x.name;
  const l = layoutOf(shape, window, dims.axes);
  const { clamped, fits } = starts(g, indices, shape, window, dims);
  const idx = tuples(ctx, clamped, batch, dims.axes.length, l);
  // updates [...batch, kept window axes] → [...batch, window in layout order]
  const order = [...l.tupleAxes, ...l.wholeAxes];
  const uFull = reshapeTo(ctx, updates.name, updates.aval.shape, [...batch, ...window]);
  const uT = transposeBy(g, uFull, [...batch.map((_, i) => i), ...order.map((a) => nb + a)]);
  const uShape = [...batch, ...l.tupleWindow, ...l.wholeAxes.map((a) => shape[a])];
  const u = reshapeTo(ctx, uT, [...batch, ...order.map((a) => window[a])], uShape);
  const xT = toLayout(ctx, x, l);
  const type = ONNX_TYPE[dtype];
  const rank = uShape.length - nb;

  if (combine === "set") {
    // The winner of each place: the largest ordinal of the tuples written there (−1: none; −2
    // marks a dropped window). Each tuple that is no winner writes to a dump row past the end of
    // the first tuple axis, cut off after: ScatterND then never sees two writes to one place it
    // keeps, and copies the winners' bits as they are.
    const n = product([...batch, ...l.tupleWindow]);
    const tupleShape = [...batch, ...l.tupleWindow];
    let ordinals = reshapeTo(ctx, g.op("Range", [g.scalar("int64", 0), g.scalar("int64", n), g.scalar("int64", 1)]), [n], tupleShape);
    if (fits !== null) ordinals = g.op("Where", [maskOver(ctx, fits, batch, l.tupleWindow.length), ordinals, g.scalar("int64", -2)]);
    const tupleSpace = l.shapeT.slice(0, l.tupleWindow.length);
    const none = g.op("Expand", [g.scalar("int64", -1), ctx.shape(tupleSpace)]);
    const winner = g.op("ScatterND", [none, idx, ordinals], { reduction: str("max") });
    const wins = g.op("Equal", [g.op("GatherND", [winner, idx]), ordinals]);
    const dump = g.int64s(tupleSpace.map((d, i) => (i === 0 ? d : 0)));
    const target = g.op("Where", [reshapeTo(ctx, wins, tupleShape, [...tupleShape, 1]), idx, dump]);
    const rows = l.shapeT[0];
    const padded = g.op("Pad", [xT, g.int64s([...l.shapeT.map(() => 0), ...l.shapeT.map((_, i) => (i === 0 ? 1 : 0))])]);
    const written = g.op("ScatterND", [padded, target, u]);
    const kept = g.op("Slice", [written, g.int64s([0]), g.int64s([rows]), g.int64s([0])]);
    return fromLayout(ctx, kept, shape, l);
  }

  const uKept = fits === null ? u : keepOr(g, dtype, maskOver(ctx, fits, batch, rank), u, neutral(combine, dtype));
  let y = g.op("ScatterND", [xT, idx, uKept], { reduction: str(combine) });
  if ((combine === "min" || combine === "max") && isFloat(dtype)) {
    const nan = (t: string) => g.cast(g.op("IsNaN", [t]), "bool", "int32");
    const hit = g.op("ScatterND", [nan(xT), idx, nan(uKept)], { reduction: str("max") });
    y = g.op("Where", [g.cast(hit, "int32", "bool"), g.scalar(type, NaN), y]);
  }
  return fromLayout(ctx, y, shape, l);
}

/** Export rules of `gather`, `scatterAdd` and `scatter`. */
export const indexingRules: ExportRules = {
  gather: (ctx, [x, indices], params, [out]) => {
    const { g } = ctx;
    const { dtype } = x.aval;
    if (out.size === 0) return [g.constant(ONNX_TYPE[dtype], out.shape, [])];
    const shape = x.aval.shape;
    const window = params.sliceSizes;
    const nb = indices.aval.ndim - 1;
    const batch = indices.aval.shape.slice(0, nb);
    const l = layoutOf(shape, window, params.axes);
    const { clamped, fits } = starts(g, indices, shape, window, params);
    const idx = tuples(ctx, clamped, batch, params.axes.length, l);
    // [...batch, ...tupleWindow, ...whole axes] → [...batch, window in operand order] → drop collapsed axes
    const got = g.op("GatherND", [toLayout(ctx, x, l), idx]);
    const order = [...l.tupleAxes, ...l.wholeAxes];
    const first = nb + (l.unit ? 1 : 0);
    const perm = [...batch.map((_, i) => i), ...shape.map((_, a) => first + order.indexOf(a)), ...(l.unit ? [nb] : [])];
    const gotShape = [...batch, ...l.tupleWindow, ...l.wholeAxes.map((a) => shape[a])];
    const y = reshapeTo(ctx, transposeBy(g, got, perm), perm.map((p) => gotShape[p]), out.shape);
    if (fits === null) return [y];
    return [keepOr(g, dtype, maskOver(ctx, fits, batch, out.shape.length - nb), y, params.fillValue)];
  },

  scatterAdd: (ctx, inputs, params) => [scatterRule(ctx, inputs, params, "add")],

  scatter: (ctx, inputs, { combine, ...dims }) => [scatterRule(ctx, inputs, dims, combine)],
};
