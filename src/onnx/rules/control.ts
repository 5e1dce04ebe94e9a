/**
 * @file Export rules of control flow and of the calls. Control flow keeps its structure: the
 * graph does not grow with a loop's length, and only the branch taken runs.
 * - `cond` is `If`: two branches are one `If` on `index ≤ 0`, more a chain of them (`If` in the else
 *   branch); an index below 0 takes the first branch and one past the end the last, which is
 *   typegrad's clamping.
 * - `scan` is `Loop` with a trip count: the body reads step i's slice of each xs with `Gather`
 *   (from the end when `reverse`), and its ys are the loop's scan outputs, stacked in step order
 *   (reversed back for a reverse scan, so ys[i] belongs to xs[i]).
 * - `whileLoop` is `Loop` with no trip count: the condition is evaluated before the loop and at
 *   the end of each step.
 * - Calls (`jitCall`, `checkpoint`, `customJvpCall`, `customVjpCall`) are inlined: the function
 *   they call, which is what they compute (the exporter inlines them before simplifying; these
 *   entries write calls met inside loop bodies and branches). Rematerialization and custom
 *   derivative rules matter only to typegrad's transforms, which have run by then.
 * - `customLin` (a `customVjp` function's linear map, known only by its transpose) cannot be
 *   evaluated forward, in typegrad or in ONNX: an `OnnxExportError`, as typegrad's `TraceError`.
 * - `debugPrint` writes nothing: ONNX has no print, so the exported graph drops the print (its
 *   operands are computed only if something else reads them).
 * Bodies and branches are subgraphs: they read the outer graph's values (constants, operands,
 * loop-invariant consts) by name, as ONNX allows.
 */
import { ShapedArray } from "../../core/aval.js";
import type { Jaxpr } from "../../core/jaxpr.js";
import type { PrimName } from "../../core/primitive.js";
import { primitives } from "../../core/rule-table.js";
import { OnnxExportError } from "../errors.js";
import { formalOf, graph, int, type Formal, type GraphBuilder, type Value } from "../graph.js";
import type { AnyRule, ExportContext, ExportRules } from "./types.js";

const ITERATION: Formal = { type: "int64", rank: 0 };
const CONDITION: Formal = { type: "bool", rank: 0 };

/** Values named `names` with the abstract values of `avals`. */
const valuesOf = (names: readonly string[], avals: readonly ShapedArray[]): Value[] => names.map((name, i) => ({ name, aval: avals[i] }));

/** A rule that writes the function a call primitive calls, inline (its `callee`). */
function inlineCallee(prim: PrimName): AnyRule {
  return (ctx, inputs, params) => {
    const callee = primitives[prim].callee!(inputs, params as never);
    return ctx.inline(callee.jaxpr, callee.inputs);
  };
}

/** `branches[i]` or a later one on `operands`, chosen by int32 scalar `index` (clamped): a chain of `If`s. */
function branchFrom(ctx: ExportContext, index: string, branches: readonly Jaxpr[], i: number, operands: readonly Value[], outs: readonly ShapedArray[]): string[] {
  if (i === branches.length - 1) return ctx.inline(branches[i], operands);
  const { g } = ctx;
  const formals = outs.map(formalOf);
  const taken = g.op("LessOrEqual", [index, g.scalar("int32", i)]);
  const thenBranch = g.subgraph(`branch${i}`, [], formals, () => ctx.inline(branches[i], operands));
  const elseBranch = g.subgraph(`after${i}`, [], formals, () => branchFrom(ctx, index, branches, i + 1, operands, outs));
  return g.node("If", [taken], { then_branch: graph(thenBranch), else_branch: graph(elseBranch) }, outs.length);
}

/** `x` reversed along axis 0 (of length `n`). */
function reversed(g: GraphBuilder, x: string, n: number): string {
  // From the last element back past the first: an end of −(n + 1) is "before 0" for a step of −1.
  return g.op("Slice", [x, g.int64s([n - 1]), g.int64s([-(n + 1)]), g.int64s([0]), g.int64s([-1])]);
}

/** Export rules of `cond`, `scan`, `whileLoop`, the calls, `customLin` and `debugPrint`. */
export const controlRules: ExportRules = {
  cond: (ctx, [index, ...operands], { branches }, outs) => {
    if (outs.length === 0) return [];
    return branchFrom(ctx, index.name, branches, 0, operands, outs);
  },

  scan: (ctx, inputs, { jaxpr, numConsts, numCarry, length, reverse }, outs) => {
    const { g } = ctx;
    const consts = inputs.slice(0, numConsts);
    const init = inputs.slice(numConsts, numConsts + numCarry);
    const xs = inputs.slice(numConsts + numCarry);
    const ys = outs.slice(numCarry);
    if (outs.length === 0) return [];
    // No steps: the carry as it came, and ys with no rows (a Loop cannot type outputs it never made).
    if (length === 0) return [...init.map((c) => c.name), ...ys.map((y) => g.constant(formalOf(y).type, y.shape, []))];
    const carryAvals = init.map((c) => c.aval);
    const body = g.subgraph(
      "scanBody",
      [ITERATION, CONDITION, ...carryAvals.map(formalOf)],
      [CONDITION, ...carryAvals.map(formalOf), ...ys.map((y) => ({ ...formalOf(y), rank: y.ndim - 1 }))],
      ([step, going, ...carry]) => {
        const at = reverse ? g.op("Sub", [g.scalar("int64", length - 1), step]) : step;
        const slices = xs.map((x): Value => ({ name: g.op("Gather", [x.name, at], { axis: int(0) }), aval: new ShapedArray(x.aval.shape.slice(1), x.aval.dtype) }));
        return [going, ...ctx.inline(jaxpr, [...consts, ...valuesOf(carry, carryAvals), ...slices])];
      },
    );
    const results = g.node("Loop", [g.scalar("int64", length), g.constant("bool", [], [1]), ...init.map((c) => c.name)], { body: graph(body) }, outs.length);
    return [...results.slice(0, numCarry), ...results.slice(numCarry).map((y) => (reverse ? reversed(g, y, length) : y))];
  },

  whileLoop: (ctx, inputs, { cond, body, condConsts, bodyConsts }, outs) => {
    const { g } = ctx;
    if (outs.length === 0) return [];
    const cc = inputs.slice(0, condConsts);
    const bc = inputs.slice(condConsts, condConsts + bodyConsts);
    const init = inputs.slice(condConsts + bodyConsts);
    const formals = outs.map(formalOf);
    const first = ctx.inline(cond, [...cc, ...init])[0];
    const step = g.subgraph("whileBody", [ITERATION, CONDITION, ...formals], [CONDITION, ...formals], ([, , ...carry]) => {
      const next = ctx.inline(body, [...bc, ...valuesOf(carry, outs)]);
      return [ctx.inline(cond, [...cc, ...valuesOf(next, outs)])[0], ...next];
    });
    // An empty trip count input: the loop runs on its condition alone.
    return g.node("Loop", ["", first, ...init.map((c) => c.name)], { body: graph(step) }, outs.length);
  },

  jitCall: inlineCallee("jitCall"),
  checkpoint: inlineCallee("checkpoint"),
  customJvpCall: inlineCallee("customJvpCall"),
  customVjpCall: inlineCallee("customVjpCall"),

  customLin: (_ctx, _inputs, { name }) => {
    throw new OnnxExportError(
      `customLin: the linear map of customVjp(${name}) is known only through its transpose (bwd), so it cannot be evaluated forward, in typegrad or in ONNX; export the function itself or its gradient`,
      "customLin",
    );
  },

  debugPrint: () => [],
};
