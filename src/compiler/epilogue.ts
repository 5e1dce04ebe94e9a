/**
 * @file Epilogues: an elementwise loop that only finishes what one equation produced (a
 * convolution's bias and ReLU) runs inside that equation's kernel, as the kernel writes its result,
 * where the backend's kernel can take it (`Backend.epilogue`). The producer's result then never
 * goes through memory: a pass that read and wrote every element of a layer's activations is gone.
 *
 * A loop qualifies when it reads the producer's result at its own index (a flat read of an array
 * of its shape) and nothing else from memory but values that repeat along the result's last axis
 * (a per-channel bias: a row read whose period is that axis) or scalars, writes one output,
 * reduces nothing, and is the result's only reader; and when everything else it reads exists
 * before the producer runs (it moves up to the producer's place).
 */
import { Var, type Atom, type Eqn, type Jaxpr } from "../core/jaxpr.js";
import { definedBy, type FusedKernel } from "./fusion.js";

/** An equation whose result an elementwise loop finishes in the same kernel. */
export interface WithEpilogue {
  readonly kind: "epilogue";
  readonly eqn: Eqn;
  readonly loop: FusedKernel;
  /** The loop's input that is the equation's result. */
  readonly operand: number;
}

/** Whether a step is an equation with an epilogue. */
export const isEpilogue = (step: Eqn | FusedKernel | WithEpilogue): step is WithEpilogue => "kind" in step && step.kind === "epilogue";

/** What a step reads; with an epilogue: the equation's inputs, then the loop's but the equation's result. */
export const stepInputs = (step: Eqn | FusedKernel | WithEpilogue): readonly Atom[] =>
  isEpilogue(step) ? [...step.eqn.inputs, ...step.loop.inputs.filter((_, k) => k !== step.operand)] : step.inputs;

/** The vars a step defines, in the order its kernel returns them; with an epilogue: the loop's output. */
export const stepOutputs = (step: Eqn | FusedKernel | WithEpilogue): Var[] => (isEpilogue(step) ? [step.loop.outputs[0].out] : definedBy(step));

/**
 * The loop's shape allows an epilogue on its input `operand`: a flat read of a result of the loop's
 * shape, row reads with the result's last axis as period, scalars; one output, no reduction.
 */
export function epilogueShape(loop: FusedKernel, operand: number): boolean {
  const result = loop.inputs[operand];
  const channels = result.aval.shape[result.aval.ndim - 1];
  return (
    loop.outputs.length === 1 &&
    loop.reductions.length === 0 &&
    loop.access[operand].kind === "flat" &&
    loop.inputs.every((x, k) => k === operand || x !== result) &&
    loop.access.every((a, k) => k === operand || a.kind === "scalar" || (a.kind === "row" && a.period === channels))
  );
}

/**
 * The schedule with each equation that `takes` accepts joined to the loop that finishes its result
 * (the loop's own place then empty). `jaxpr` gives the program's results: a result of the program
 * is never left unwritten.
 */
export function attachEpilogues(
  jaxpr: Jaxpr,
  schedule: readonly (Eqn | FusedKernel)[],
  takes: (eqn: Eqn, loop: FusedKernel, operand: number) => boolean,
): (Eqn | FusedKernel | WithEpilogue)[] {
  const outputs = new Set(jaxpr.outs.filter((x): x is Var => x instanceof Var));
  // where each var is defined (inputs of the program: -1), and how many steps read it
  const definedAt = new Map<Var, number>();
  const readers = new Map<Var, number>();
  schedule.forEach((step, s) => {
    const ins: readonly Atom[] = step.inputs;
    for (const x of ins) if (x instanceof Var) readers.set(x, (readers.get(x) ?? 0) + 1);
    for (const v of definedBy(step)) definedAt.set(v, s);
  });
  const result: (Eqn | FusedKernel | WithEpilogue | null)[] = [...schedule];
  schedule.forEach((step, s) => {
    if ("prim" in step) return;
    const loop = step;
    loop.inputs.some((x, operand) => {
      if (!(x instanceof Var) || outputs.has(x) || readers.get(x) !== 1) return false;
      const at = definedAt.get(x);
      if (at === undefined || at < 0) return false;
      const eqn = result[at];
      if (eqn === null || !("prim" in eqn) || eqn.outBinders.length !== 1 || eqn.outBinders[0] !== x) return false;
      // everything else the loop reads exists before the producer runs
      const ready = loop.inputs.every((y, k) => k === operand || !(y instanceof Var) || (definedAt.get(y) ?? -1) < at);
      if (!ready || !epilogueShape(loop, operand) || !takes(eqn, loop, operand)) return false;
      result[at] = { kind: "epilogue", eqn, loop, operand };
      result[s] = null;
      return true;
    });
  });
  return result.filter((step): step is Eqn | FusedKernel | WithEpilogue => step !== null);
}
