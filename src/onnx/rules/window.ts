/**
 * @file Export rules of the window primitives: `reduceWindow` (pooling) and the two linear maps of
 * its maximum's derivatives. ONNX's `MaxPool`/`AveragePool` are NCHW, skip NaN and count padding
 * their own way, so the rules build windows from strided `Slice`s of the padded operand instead,
 * which keeps typegrad's semantics exactly:
 * - `reduceWindow` is separable: one 1-d window reduction per dim (w slices combined by `Add` or
 *   `Max`, after padding by 0 or −∞ / the least int32), so a w×w window costs 2w slices, not w².
 *   `Max` lets NaN win, as typegrad's does. Float32 sums run in float64, as typegrad's kernel
 *   accumulates, so they round once.
 * - `selectAndGatherAdd` / `selectAndScatterAdd` look at every offset of the window (one `Slice`
 *   each): an element is selected where it equals the window's maximum (or is NaN), and is inside
 *   the operand (a constant mask per offset; padding selects nothing); ties share evenly. The
 *   scatter puts each offset's shares back on the stride grid with an interior `Pad`. Both
 *   compute in float64 and add in typegrad's order, so float32 results are bit for bit.
 */
import { isFloat, type DType } from "../../dtype.js";
import type { WindowParams } from "../../core/primitive.js";
import { product } from "../../shape/arith.js";
import { windowOutShape } from "../../backend/js/window.js";
import { ONNX_TYPE, type GraphBuilder } from "../graph.js";
import type { OnnxType } from "../schema.js";
import { padWith, sliceAxes } from "./layout.js";
import type { ExportContext, ExportRules } from "./types.js";

/** The type a window computation runs in: float64 for floats (exact sums, as the kernels), else the dtype's. */
const workType = (dtype: DType): OnnxType => (isFloat(dtype) ? "float64" : ONNX_TYPE[dtype]);

/** A tensor of `shape` with no elements (every window op of an empty result). */
function empty(g: GraphBuilder, dtype: DType, shape: readonly number[]): string {
  return g.constant(ONNX_TYPE[dtype], shape, []);
}

/**
 * `x` with −0 made +0: a typegrad sum starts from +0, so a run of −0s sums to +0, where ONNX
 * sums them to −0. NB: not `x + 0`, which ONNX Runtime's optimizer removes as a no-op.
 */
export function positiveZero(g: GraphBuilder, x: string, type: OnnxType): string {
  const zero = g.scalar(type, 0);
  return g.op("Where", [g.op("Equal", [x, zero]), zero, x]);
}

/** Left-to-right `op` of `terms` (at least one). */
function fold(g: GraphBuilder, op: "Add" | "Max", terms: readonly string[]): string {
  return terms.slice(1).reduce((acc, t) => g.op(op, [acc, t]), terms[0]);
}

/** `x` padded by `[lo, hi]` per dim with the scalar `fill` (no node without padding). */
function padEdges(g: GraphBuilder, x: string, padding: readonly (readonly [number, number])[], fill: string): string {
  if (padding.every(([lo, hi]) => lo === 0 && hi === 0)) return x;
  return g.op("Pad", [x, g.int64s([...padding.map(([lo]) => lo), ...padding.map(([, hi]) => hi)]), fill]);
}

/** Every window offset, row-major over the window. */
function offsets(window: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const w of window) out = out.flatMap((o) => Array.from({ length: w }, (_, k) => [...o, k]));
  return out;
}

/** The element at offset `k` of every window: a strided slice of the padded operand (out-shaped). */
function atOffset(g: GraphBuilder, padded: string, paddedShape: readonly number[], k: readonly number[], strides: readonly number[], outShape: readonly number[]): string {
  return sliceAxes(
    g,
    padded,
    paddedShape,
    k,
    k.map((kd, d) => kd + (outShape[d] - 1) * strides[d] + 1),
    strides,
  );
}

/** `reduceWindow` along one dim `d` (window `w`, stride `s`, padding `[lo, hi]`) of `x`, padded by `fill`. */
function reduceAlong(
  g: GraphBuilder,
  x: string,
  shape: readonly number[],
  d: number,
  op: "Add" | "Max",
  fill: string,
  { window, strides, padding }: WindowParams,
): { name: string; shape: number[] } {
  const pads = shape.map((_, i) => (i === d ? padding[d] : ([0, 0] as const)));
  const padded = padEdges(g, x, pads, fill);
  const paddedShape = shape.map((n, i) => (i === d ? n + padding[d][0] + padding[d][1] : n));
  const outShape = windowOutShape(shape, { window: shape.map((_, i) => (i === d ? window[d] : 1)), strides: shape.map((_, i) => (i === d ? strides[d] : 1)), padding: pads });
  const terms = Array.from({ length: window[d] }, (_, k) =>
    atOffset(g, padded, paddedShape, shape.map((_, i) => (i === d ? k : 0)), shape.map((_, i) => (i === d ? strides[d] : 1)), outShape),
  );
  return { name: fold(g, op, terms), shape: outShape };
}

/** The lowest value of `type` (the padding of a maximum: it takes part in no window's result). */
function lowest(type: OnnxType): number {
  return type === "int32" ? -2147483648 : -Infinity;
}

/**
 * Per window offset: a constant bool mask over the windows, true where that element is inside the
 * operand (not padding), or null where it always is. Dims where every window sees the operand at
 * this offset have size 1 in the mask (broadcast), so a symbolic batch dim never appears in it.
 */
function insideMask(g: GraphBuilder, shape: readonly number[], params: WindowParams, outShape: readonly number[], k: readonly number[]): string | null {
  const perDim = shape.map((n, d) =>
    Array.from({ length: outShape[d] }, (_, o) => {
      const at = o * params.strides[d] + k[d] - params.padding[d][0];
      return at >= 0 && at < n;
    }),
  );
  const partial = perDim.map((inside) => !inside.every(Boolean));
  if (!partial.some(Boolean)) return null;
  const maskShape = outShape.map((n, d) => (partial[d] ? n : 1));
  const values = new Array<number>(product(maskShape)).fill(1);
  values.forEach((_, flat) => {
    let rest = flat;
    let inside = true;
    for (let d = maskShape.length - 1; d >= 0; d--) {
      const o = rest % maskShape[d];
      rest = Math.floor(rest / maskShape[d]);
      if (partial[d] && !perDim[d][o]) inside = false;
    }
    values[flat] = inside ? 1 : 0;
  });
  return g.constant("bool", maskShape, values);
}

/**
 * What both select rules need: the window offsets, each offset's tangent-or-source slice reader,
 * and per offset the bool selection (a maximum of its window, inside the operand) with the count
 * of selected elements per window (at least 1, so that an empty window divides 0 by 1).
 */
function selection(ctx: ExportContext, operand: string, dtype: DType, shape: readonly number[], params: WindowParams) {
  const { g } = ctx;
  const work = workType(dtype);
  const outShape = windowOutShape(shape, params);
  const paddedShape = shape.map((n, d) => n + params.padding[d][0] + params.padding[d][1]);
  const ks = offsets(params.window);
  const x = padEdges(g, g.cast(operand, ONNX_TYPE[dtype], work), params.padding, g.scalar(work, -Infinity));
  const xs = ks.map((k) => atOffset(g, x, paddedShape, k, params.strides, outShape));
  const max = fold(g, "Max", xs);
  const selected = xs.map((xk, i) => {
    // NaN wins the maximum, so a NaN element is selected exactly when the window's maximum is NaN.
    const isMax = g.op("Or", [g.op("Equal", [xk, max]), g.op("IsNaN", [xk])]);
    const inside = insideMask(g, shape, params, outShape, ks[i]);
    return inside === null ? isMax : g.op("And", [isMax, inside]);
  });
  const zero = g.scalar(work, 0);
  const ties = g.op("Max", [fold(g, "Add", [zero, ...selected.map((s) => g.cast(s, "bool", work))]), g.scalar(work, 1)]);
  /** The out-shaped slices of a tensor of the operand's shape, one per offset (padding 0). */
  const slices = (t: string) => {
    const padded = padEdges(g, g.cast(t, ONNX_TYPE[dtype], work), params.padding, zero);
    return ks.map((k) => atOffset(g, padded, paddedShape, k, params.strides, outShape));
  };
  return { work, outShape, paddedShape, ks, selected, ties, zero, slices };
}

/** Export rules of `reduceWindow`, `selectAndGatherAdd` and `selectAndScatterAdd`. */
export const windowRules: ExportRules = {
  reduceWindow: ({ g }, [x], { op, window, strides, padding }, [out]) => {
    const { dtype } = x.aval;
    if (out.size === 0) return [empty(g, dtype, out.shape)];
    const type = ONNX_TYPE[dtype];
    const work = op === "Add" ? workType(dtype) : type;
    const fill = g.scalar(work, op === "Add" ? 0 : lowest(type));
    let y = { name: g.cast(x.name, type, work), shape: x.aval.shape.slice() };
    window.forEach((w, d) => {
      if (w === 1 && strides[d] === 1 && padding[d][0] === 0 && padding[d][1] === 0) return;
      y = reduceAlong(g, y.name, y.shape, d, op, fill, { window, strides, padding });
    });
    const sum = op === "Add" && isFloat(dtype) ? positiveZero(g, y.name, work) : y.name;
    return [g.cast(sum, work, type)];
  },

  // Per window: Σ over its maxima of the tangent (in window order, from 0), divided by their count.
  selectAndGatherAdd: (ctx, [tangent, operand], params, [out]) => {
    const { g } = ctx;
    const { dtype } = tangent.aval;
    if (out.size === 0) return [empty(g, dtype, out.shape)];
    const s = selection(ctx, operand.name, dtype, operand.aval.shape, params);
    const picked = s.slices(tangent.name).map((t, i) => g.op("Where", [s.selected[i], t, s.zero]));
    const mean = g.op("Div", [fold(g, "Add", [s.zero, ...picked]), s.ties]);
    return [g.cast(mean, s.work, ONNX_TYPE[dtype])];
  },

  // Per window: its source value over the count of its maxima, added at each maximum. Offset k of
  // window o is element o·stride + k of the padded operand: the shares of offset k go there by an
  // interior pad. Offsets are added in reverse window order, which adds each element's shares in
  // the order of the windows that cover it, as typegrad's kernel does.
  selectAndScatterAdd: (ctx, [source, operand], params) => {
    const { g } = ctx;
    const { dtype } = source.aval;
    const shape = operand.aval.shape;
    if (product(shape) === 0) return [empty(g, dtype, shape)];
    if (source.aval.size === 0) {
      return [g.op("Expand", [g.scalar(ONNX_TYPE[dtype], 0), ctx.shape(shape)])];
    }
    const s = selection(ctx, operand.name, dtype, shape, params);
    const share = g.op("Div", [g.cast(source.name, ONNX_TYPE[dtype], s.work), s.ties]);
    const spread = s.ks.map((k, i) => {
      const config = k.map((kd, d): [number, number, number] => {
        const dilated = (s.outShape[d] - 1) * params.strides[d] + 1;
        return [kd, s.paddedShape[d] - kd - dilated, params.strides[d] - 1];
      });
      return padWith(ctx, g.op("Where", [s.selected[i], share, s.zero]), s.outShape, s.zero, config);
    });
    const total = fold(g, "Add", [s.zero, ...spread.reverse()]);
    const inside = sliceAxes(
      g,
      total,
      s.paddedShape,
      params.padding.map(([lo]) => lo),
      shape.map((n, d) => params.padding[d][0] + n),
      shape.map(() => 1),
    );
    return [g.cast(inside, s.work, ONNX_TYPE[dtype])];
  },
};
