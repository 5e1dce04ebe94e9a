/**
 * @file The rematerializing split of a jaxpr (partial evaluation for `checkpoint`): the known part
 * computes only the known outputs and the few values a policy saves; the unknown part takes the
 * known inputs themselves as residuals and recomputes everything else it needs. Compare
 * `partialEvalJaxpr`, which saves every known value the unknown part reads.
 */
import { Jaxpr, Var, type Atom, type Eqn } from "../core/jaxpr.js";
import type { RematPolicy } from "../core/primitive.js";
import { dce } from "../compiler/dce.js";

/** Whether `policy` keeps the outputs of `eqn` (known in full) instead of recomputing them. */
export function saveable(policy: RematPolicy, eqn: Eqn): boolean {
  switch (policy) {
    case "nothingSaveable":
      return false;
    case "dotsSaveable":
      return eqn.prim === "dotGeneral";
    case "everythingSaveable":
      return true;
  }
}

/**
 * Splits `jaxpr` by which inputs are unknown. `known` maps the known inputs to the known outputs
 * followed by the residuals; `unknown` maps the residuals and the unknown inputs to the unknown
 * outputs. Residuals are known inputs and saved values, only those the unknown part reads.
 */
export function rematSplit(
  jaxpr: Jaxpr,
  unknownIns: readonly boolean[],
  policy: RematPolicy,
): { known: Jaxpr; unknown: Jaxpr; outUnknowns: boolean[]; numResiduals: number } {
  const unknownVars = new Set<Var>();
  jaxpr.inBinders.forEach((v, i) => unknownIns[i] && unknownVars.add(v));
  const isUnknown = (x: Atom) => x instanceof Var && unknownVars.has(x);
  const knownEqns: Eqn[] = [];
  const recomputed: Eqn[] = [];
  const saved: Var[] = [];
  for (const eqn of jaxpr.eqns) {
    if (eqn.inputs.some(isUnknown)) {
      for (const v of eqn.outBinders) unknownVars.add(v);
      recomputed.push(eqn);
      continue;
    }
    knownEqns.push(eqn);
    if (saveable(policy, eqn)) saved.push(...eqn.outBinders);
    else recomputed.push(eqn);
  }
  const outUnknowns = jaxpr.outs.map(isUnknown);
  const knownIns = jaxpr.inBinders.filter((_, i) => !unknownIns[i]);
  const unknownInBinders = jaxpr.inBinders.filter((_, i) => unknownIns[i]);
  const draft = dce(new Jaxpr([...knownIns, ...saved, ...unknownInBinders], recomputed, jaxpr.outs.filter((_, i) => outUnknowns[i])));
  const read = new Set<Atom>(draft.outs);
  for (const eqn of draft.eqns) for (const x of eqn.inputs) read.add(x);
  const residuals = [...knownIns, ...saved].filter((v) => read.has(v));
  const unknown = new Jaxpr([...residuals, ...unknownInBinders], draft.eqns, draft.outs);
  const known = dce(new Jaxpr(knownIns, knownEqns, [...jaxpr.outs.filter((_, i) => !outUnknowns[i]), ...residuals]));
  return { known, unknown, outUnknowns, numResiduals: residuals.length };
}
