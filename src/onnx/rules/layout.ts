/**
 * @file Export rules of the layout primitives: reshape, broadcast, transpose, strided slice, pad
 * and concatenation. Identity cases write no node. `pad` is the one with no single ONNX op:
 * interior padding (between elements) becomes a unit axis padded at its end and folded back, and
 * negative low/high amounts (crops) a `Slice` after the positive ones are padded.
 */
import { int, ints, ONNX_TYPE, type Attr, type GraphBuilder } from "../graph.js";
import type { ExportContext, ExportRules } from "./types.js";

const isIdentity = (perm: readonly number[]) => perm.every((p, i) => p === i);
const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** `x` reshaped to `shape` (no node when it has that shape already). */
export function reshapeTo(ctx: ExportContext, x: string, from: readonly number[], shape: readonly number[]): string {
  if (sameShape(from, shape)) return x;
  // allowzero: a 0 in the target is a size, not "copy this dim" (opset 14 on)
  const attrs: Record<string, Attr> = ctx.g.opset >= 14 ? { allowzero: int(1) } : {};
  return ctx.g.op("Reshape", [x, ctx.shape(shape)], attrs);
}

/** `x` transposed by `perm` (no node for the identity). */
export function transposeBy(g: GraphBuilder, x: string, perm: readonly number[]): string {
  return isIdentity(perm) ? x : g.op("Transpose", [x], { perm: ints(perm) });
}

/** `x[start:limit:step]` along the given axes (no node when nothing is cut). */
function sliceAxes(g: GraphBuilder, x: string, shape: readonly number[], start: readonly number[], limit: readonly number[], step: readonly number[]): string {
  const axes = shape.map((_, i) => i).filter((i) => start[i] !== 0 || limit[i] !== shape[i] || step[i] !== 1);
  if (axes.length === 0) return x;
  const pick = (v: readonly number[]) => g.int64s(axes.map((a) => v[a]));
  return g.op("Slice", [x, pick(start), pick(limit), g.int64s(axes), pick(step)]);
}

/** Export rules of the layout primitives. */
export const layoutRules: ExportRules = {
  reshape: (ctx, [x], { shape }) => [reshapeTo(ctx, x.name, x.aval.shape, shape)],

  transpose: ({ g }, [x], { perm }) => [transposeBy(g, x.name, perm)],

  // The operand's dims go to `broadcastDims` (increasing) with 1 elsewhere, then Expand repeats them.
  broadcastInDim: (ctx, [x], { shape, broadcastDims }) => {
    if (sameShape(x.aval.shape, shape)) return [x.name];
    const placed = shape.map(() => 1);
    broadcastDims.forEach((d, i) => (placed[d] = x.aval.shape[i]));
    return [ctx.g.op("Expand", [reshapeTo(ctx, x.name, x.aval.shape, placed), ctx.shape(shape)])];
  },

  slice: ({ g }, [x], { start, limit, strides }) => [sliceAxes(g, x.name, x.aval.shape, start, limit, strides)],

  concatenate: ({ g }, xs, { axis }) => [g.op("Concat", xs.map((x) => x.name), { axis: int(axis) })],

  pad: (ctx, [x], { value, config }) => {
    const { g } = ctx;
    const shape = x.aval.shape;
    const fill = g.scalar(ONNX_TYPE[x.aval.dtype], value);
    let y = x.name;
    let current = shape.slice();
    // Interior: [.., d, ..] → [.., d, 1, ..] → pad the unit axis to 1 + k → [.., d·(1 + k), ..] → drop the last k.
    const interior = shape.map((d, i) => (d > 1 ? config[i][2] : 0));
    if (interior.some((k) => k > 0)) {
      const split = current.flatMap((d, i) => (interior[i] > 0 ? [d, 1] : [d]));
      const highs = current.flatMap((_, i) => (interior[i] > 0 ? [0, interior[i]] : [0]));
      const padded = g.op("Pad", [reshapeTo(ctx, y, current, split), g.int64s([...highs.map(() => 0), ...highs]), fill]);
      const merged = current.map((d, i) => d * (1 + interior[i]));
      const kept = current.map((d, i) => d + (d - 1) * interior[i]);
      y = sliceAxes(g, reshapeTo(ctx, padded, split, merged), merged, merged.map(() => 0), kept, merged.map(() => 1));
      current = kept;
    }
    // Positive low/high amounts pad, then negative ones crop what the padding made.
    const lows = config.map(([lo]) => Math.max(lo, 0));
    const highs = config.map(([, hi]) => Math.max(hi, 0));
    if ([...lows, ...highs].some((p) => p > 0)) {
      y = g.op("Pad", [y, g.int64s([...lows, ...highs]), fill]);
      current = current.map((d, i) => d + lows[i] + highs[i]);
    }
    const from = config.map(([lo]) => Math.max(-lo, 0));
    const to = config.map(([, hi], i) => current[i] - Math.max(-hi, 0));
    return [sliceAxes(g, y, current, from, to, current.map(() => 1))];
  },
};
