/**
 * @file Export rules of the reductions. typegrad's maximum and argmax let NaN win (the first NaN,
 * as NumPy); ONNX Runtime's `ReduceMax` and `ArgMax` skip NaN, so for floats the rules also find
 * the NaNs and put them back. A bool sum counts (int32), as typegrad's does.
 */
import { int, ints, type GraphBuilder } from "../graph.js";
import type { ExportRules } from "./types.js";

/** `op` over `axes` (removed); `ReduceMax` takes its axes as an attribute before opset 18. */
function reduce(g: GraphBuilder, op: "ReduceSum" | "ReduceMax", x: string, axes: readonly number[]): string {
  if (op === "ReduceMax" && g.opset < 18) return g.op(op, [x], { axes: ints(axes), keepdims: int(0) });
  return g.op(op, [x, g.int64s(axes)], { keepdims: int(0) });
}

/** Whether any element over `axes` of float `x` is NaN (bool, `axes` removed). */
function anyNaN(g: GraphBuilder, x: string, axes: readonly number[]): string {
  const nan = g.cast(g.op("IsNaN", [x]), "bool", "int32");
  return g.cast(reduce(g, "ReduceMax", nan, axes), "int32", "bool");
}

/** Export rules of the reductions and `argmax`. */
export const reduceRules: ExportRules = {
  reduceSum: ({ g }, [x], { axes }) => {
    if (axes.length === 0) return [x.aval.dtype === "bool" ? g.cast(x.name, "bool", "int32") : x.name];
    const summed = x.aval.dtype === "bool" ? g.cast(x.name, "bool", "int32") : x.name;
    return [reduce(g, "ReduceSum", summed, axes)];
  },

  reduceMax: ({ g }, [x], { axes }) => {
    if (axes.length === 0) return [x.name];
    const { dtype } = x.aval;
    if (dtype === "bool") return [g.cast(reduce(g, "ReduceMax", g.cast(x.name, "bool", "int32"), axes), "int32", "bool")];
    const max = reduce(g, "ReduceMax", x.name, axes);
    if (dtype === "int32") return [max];
    return [g.op("Where", [anyNaN(g, x.name, axes), g.scalar(dtype, NaN), max])];
  },

  argmax: ({ g }, [x], { axis }) => {
    const { dtype } = x.aval;
    const attrs = { axis: int(axis), keepdims: int(0), select_last_index: int(0) };
    const numbers = dtype === "bool" ? g.cast(x.name, "bool", "int32") : x.name;
    const index = g.op("ArgMax", [numbers], attrs);
    if (dtype === "bool" || dtype === "int32") return [g.cast(index, "int64", "int32")];
    // The first NaN is the argmax of the NaN mask (first on ties), where the row has one.
    const firstNaN = g.op("ArgMax", [g.cast(g.op("IsNaN", [x.name]), "bool", "int32")], attrs);
    return [g.cast(g.op("Where", [anyNaN(g, x.name, [axis]), firstNaN, index]), "int64", "int32")];
  },
};
