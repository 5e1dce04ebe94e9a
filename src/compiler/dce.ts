/**
 * @file Dead-code elimination on jaxprs: drops equations none of whose outputs reach the result.
 * Primitives are pure, so this never changes what a jaxpr computes; the few with an effect
 * (`debugPrint`) are always kept. `jit` runs it on every traced
 * program (e.g. the loss value that `grad` computes and then discards).
 */
import { Jaxpr, Var, type Eqn } from "../core/jaxpr.js";
import { primitives } from "../core/rule-table.js";

/** `jaxpr` without the equations that do not contribute to its outputs. */
export function dce(jaxpr: Jaxpr): Jaxpr {
  const live = new Set<Var>();
  for (const x of jaxpr.outs) if (x instanceof Var) live.add(x);
  const kept: Eqn[] = [];
  for (let i = jaxpr.eqns.length - 1; i >= 0; i--) {
    const eqn = jaxpr.eqns[i];
    if (!eqn.outBinders.some((v) => live.has(v)) && primitives[eqn.prim].effect !== true) continue;
    kept.push(eqn);
    for (const x of eqn.inputs) if (x instanceof Var) live.add(x);
  }
  if (kept.length === jaxpr.eqns.length) return jaxpr;
  return new Jaxpr(jaxpr.inBinders, kept.reverse(), jaxpr.outs);
}
