/**
 * @file Export rule of `cumulative` (cumsum, cumprod, cummax, cummin). typegrad's kernel runs one
 * pass along the axis with the running value a JS number, so a float32 sum or product accumulates
 * in float64 and rounds once per element; the rules compute the same way:
 * - a sum is ONNX `CumSum` (with its `reverse`), in float64 for float32 operands;
 * - a product, maximum or minimum (no ONNX op) is a `Loop` along the axis carrying the running
 *   value and emitting it each step (from 1, −∞ or +∞, the int32 extremes for int32); `Max` and
 *   `Min` let NaN win, so a NaN sticks once seen, as in typegrad. int32 products wrap.
 */
import { isFloat, type DType } from "../../dtype.js";
import { graph, int, ONNX_TYPE, type Formal } from "../graph.js";
import type { OnnxType } from "../schema.js";
import { transposeBy } from "./layout.js";
import { positiveZero } from "./window.js";
import type { ExportContext, ExportRules } from "./types.js";

/** The type a running sum or product is kept in: float64 for floats, as the kernel's JS number. */
const workType = (dtype: DType, op: string): OnnxType => (isFloat(dtype) && (op === "add" || op === "mul") ? "float64" : ONNX_TYPE[dtype]);

/** Where each running operation starts, as the kernel's `start` (int32 extremes stand for ±∞). */
function start(op: "mul" | "max" | "min", type: OnnxType): number {
  if (op === "mul") return 1;
  if (type === "int32") return op === "max" ? -2147483648 : 2147483647;
  return op === "max" ? -Infinity : Infinity;
}

/** The running `op` along axis 0 of `x` (`[n, ...rest]`, in `type`) by a `Loop`; from the end when `reverse`. */
function runningLoop(ctx: ExportContext, x: string, shape: readonly number[], type: OnnxType, op: "mul" | "max" | "min", reverse: boolean): string {
  const { g } = ctx;
  const n = shape[0];
  const rest = shape.slice(1);
  const carry: Formal = { type, rank: rest.length };
  const onnxOp = op === "mul" ? "Mul" : op === "max" ? "Max" : "Min";
  const init = g.op("Expand", [g.scalar(type, start(op, type)), ctx.shape(rest)]);
  const body = g.subgraph("cumulativeStep", [{ type: "int64", rank: 0 }, { type: "bool", rank: 0 }, carry], [{ type: "bool", rank: 0 }, carry, carry], ([i, going, acc]) => {
    const at = reverse ? g.op("Sub", [g.scalar("int64", n - 1), i]) : i;
    const next = g.op(onnxOp, [acc, g.op("Gather", [x, at], { axis: int(0) })]);
    return [going, next, next];
  });
  const [, stacked] = g.node("Loop", [g.scalar("int64", n), g.constant("bool", [], [1]), init], { body: graph(body) }, 2);
  // The loop stacks in step order; a reverse one stepped from the end, so flip it back.
  return reverse ? g.op("Slice", [stacked, g.int64s([n - 1]), g.int64s([-(n + 1)]), g.int64s([0]), g.int64s([-1])]) : stacked;
}

/** Export rule of `cumulative`. */
export const cumulativeRules: ExportRules = {
  cumulative: (ctx, [x], { op, axis, reverse }) => {
    const { g } = ctx;
    const { dtype, shape } = x.aval;
    const type = ONNX_TYPE[dtype];
    if (x.aval.size === 0) return [x.name];
    const work = workType(dtype, op);
    const xs = g.cast(x.name, type, work);
    if (op === "add") {
      const sum = g.op("CumSum", [xs, g.scalar("int32", axis)], { reverse: int(reverse ? 1 : 0) });
      return [g.cast(isFloat(dtype) ? positiveZero(g, sum, work) : sum, work, type)];
    }
    // The axis goes first for the loop, and back after.
    const perm = [axis, ...shape.map((_, a) => a).filter((a) => a !== axis)];
    const moved = perm.map((a) => shape[a]);
    const running = runningLoop(ctx, transposeBy(g, xs, perm), moved, work, op, reverse);
    return [g.cast(transposeBy(g, running, shape.map((_, a) => perm.indexOf(a))), work, type)];
  },
};
