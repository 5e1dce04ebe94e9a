/**
 * @file Inlining of calls marked `inlinable` (the custom derivative calls), done by the planner:
 * once a program is compiled no transform will look at their rules any more, so the equations of
 * the function they call take their place, open to fusion with their surroundings. (Not done by
 * `simplify`: a jitted jaxpr is still differentiated, and must keep the rules.)
 */
import { Jaxpr, Lit, Var, type Atom, type Eqn } from "../core/jaxpr.js";
import { primitives } from "../core/rule-table.js";

/** `jaxpr` with every inlinable call replaced by its callee's equations (recursively). */
export function inlineCalls(jaxpr: Jaxpr): Jaxpr {
  if (!jaxpr.eqns.some((e) => primitives[e.prim].inlinable === true)) return jaxpr;
  const eqns: Eqn[] = [];
  const replaced = new Map<Var, Atom>();
  const read = (x: Atom): Atom => (x instanceof Var ? (replaced.get(x) ?? x) : x);
  for (const eqn of jaxpr.eqns) {
    const def = primitives[eqn.prim];
    const inputs = eqn.inputs.map(read);
    if (def.inlinable !== true || def.callee === undefined) {
      eqns.push({ ...eqn, inputs });
      continue;
    }
    const callee = def.callee(inputs, eqn.params as never);
    const body = inlineCalls(callee.jaxpr);
    // Fresh variables per inlined copy: one jaxpr called twice must not bind a variable twice.
    const env = new Map<Var, Atom>();
    body.inBinders.forEach((v, i) => env.set(v, callee.inputs[i]));
    const at = (x: Atom): Atom => (x instanceof Lit ? x : env.get(x)!);
    for (const inner of body.eqns) {
      const outBinders = inner.outBinders.map((v) => {
        const fresh = new Var(v.aval);
        env.set(v, fresh);
        return fresh;
      });
      eqns.push({ ...inner, inputs: inner.inputs.map(at), outBinders });
    }
    eqn.outBinders.forEach((v, i) => replaced.set(v, at(body.outs[i])));
  }
  return new Jaxpr(jaxpr.inBinders, eqns, jaxpr.outs.map(read));
}
