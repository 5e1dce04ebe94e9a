/**
 * @file Memory accounting of compiled programs: the peak bytes of intermediate buffers alive at
 * once when a jaxpr's plan runs (plan.ts), from its steps (fused loops materialize only what
 * leaves them, a kernel with an epilogue only the epilogue's output) and each buffer's last reader. A step that runs a jaxpr of its own (a call, a
 * checkpoint's recomputation) adds that jaxpr's peak while it runs. This is how `checkpoint`'s
 * saving is measured: a model of the planner, not an instrumented run, so it is exact and
 * deterministic (buffer-pool reuse between sizes aside).
 */
import { Jaxpr, Var } from "../core/jaxpr.js";
import type { ShapedArray } from "../core/aval.js";
import type { DType } from "../dtype.js";
import { inlineCalls } from "./inline.js";
import { withEpilogues } from "./plan.js";
import { isEpilogue, stepInputs, stepOutputs } from "./epilogue.js";

const BYTES: Record<DType, number> = { bool: 1, int32: 4, float32: 4, float64: 8 };

/** The bytes of one buffer of `aval`. */
export function bytesOf(aval: ShapedArray): number {
  let n = BYTES[aval.dtype];
  for (const d of aval.shape) n *= d;
  return n;
}

/**
 * The peak bytes of intermediates alive at once while `jaxpr` runs as a plan. Its inputs and
 * outputs are the caller's and not counted (the outputs of a jaxpr run by a step are, in the
 * enclosing one).
 */
export function peakLiveBytes(jaxpr: Jaxpr): number {
  const program = inlineCalls(jaxpr);
  // (an equation with its epilogue reads what both read, and writes the loop's output only)
  const steps = withEpilogues(program);
  const lastUse = new Map<Var, number>();
  steps.forEach((step, i) => {
    for (const x of stepInputs(step)) if (x instanceof Var) lastUse.set(x, i);
  });
  const outputs = new Set(program.outs.filter((x): x is Var => x instanceof Var));
  const inputs = new Set(program.inBinders);
  const dying: Var[][] = steps.map(() => []);
  for (const [v, last] of lastUse) if (!inputs.has(v) && !outputs.has(v)) dying[last].push(v);
  let live = 0;
  let peak = 0;
  steps.forEach((step, i) => {
    if (!isEpilogue(step) && "prim" in step) peak = Math.max(peak, live + innerPeak(step.params));
    for (const v of stepOutputs(step)) {
      if (outputs.has(v)) continue;
      live += bytesOf(v.aval);
      const last = lastUse.get(v);
      if (last === undefined) dying[i].push(v); // written, never read: released at once
    }
    peak = Math.max(peak, live);
    for (const v of dying[i]) live -= bytesOf(v.aval);
  });
  return peak;
}

/** The largest peak of the jaxprs an equation's params hold (the one that runs, for a branch). */
function innerPeak(params: unknown): number {
  let peak = 0;
  for (const value of Object.values(params as object)) if (value instanceof Jaxpr) peak = Math.max(peak, peakLiveBytes(value));
  return peak;
}
