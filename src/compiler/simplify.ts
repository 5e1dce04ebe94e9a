/**
 * @file Simplification passes over a jaxpr, run by `jit` before planning: common-subexpression
 * elimination (primitives are pure, so two equations with the same primitive, params and inputs
 * compute the same values), constant folding of scalar equations on literals, and algebraic
 * identities that keep shape and dtype: those of elementwise primitives read off their lowering
 * to the kernel IR (x·1, 1·x, x/1, x+(−0), (−0)+x, x−(+0): exactly the IEEE identities, since
 * x+(+0) turns −0 into +0; a cast to x's own dtype), the others each primitive's `simplify` rule
 * (a reshape or broadcast to what x already is, an identity transpose, a transposed product;
 * ReLU's derivative moved before max pooling's, a rule that returns several equations; a sum of
 * max pooling's derivative taken over the pooled values).
 * Then dead-code elimination drops what became unused.
 * Identities that are wrong for some inputs (x·0 = 0 fails for ∞ and NaN) are not applied.
 */
import { dce } from "./dce.js";
import { Jaxpr, Lit, Var, type Atom, type Eqn } from "../core/jaxpr.js";
import { primitives } from "../core/rule-table.js";
import type { SimplifyContext } from "../core/primitive.js";
import { ConcreteTensor } from "../core/concrete.js";
import { sameShape } from "../core/aval.js";
import { arg, evaluate, type AluExp } from "./alu.js";
import { fillEqn } from "../primitives/broadcast-in-dim.js";
import { staticKey } from "../internal/static-key.js";

/** `jaxpr` after CSE, constant folding and identities, without dead code. */
export function simplify(jaxpr: Jaxpr): Jaxpr {
  const replaced = new Map<Var, Atom>();
  const read = (x: Atom): Atom => (x instanceof Var ? (replaced.get(x) ?? x) : x);
  // Scalar value of each var known to hold one constant everywhere (a broadcast literal).
  const fill = new Map<Var, number>();
  const constant = (x: Atom): number | undefined =>
    x instanceof Lit ? (x.aval.ndim === 0 ? x.val.storage[0] : undefined) : fill.get(x);
  const ids = new Map<Atom, number>();
  const key = (x: Atom): string => {
    // staticKey, not String: −0 and 0 are different literals (1 / x tells them apart).
    if (x instanceof Lit && x.aval.ndim === 0) return `${x.aval.dtype}:${staticKey(x.val.storage[0])}`;
    let id = ids.get(x);
    if (id === undefined) ids.set(x, (id = ids.size));
    return `#${id}`;
  };
  const seen = new Map<string, readonly Var[]>();
  const eqns: Eqn[] = [];
  const producer = new Map<Var, Eqn>();
  const readers = new Map<Var, Eqn[]>();
  const uses = new Map<Var, number>();
  const use = (x: Atom) => x instanceof Var && uses.set(x, (uses.get(x) ?? 0) + 1);
  for (const eqn of jaxpr.eqns) eqn.inputs.forEach(use);
  jaxpr.outs.forEach(use);
  const context: SimplifyContext = {
    producerOf: (x) => (x instanceof Var ? producer.get(x) : undefined),
    readersOf: (x) => (x instanceof Var ? (readers.get(x) ?? []) : []),
    constant,
    uses: (x) => (x instanceof Var ? (uses.get(x) ?? 0) : 0),
  };

  const visit = (original: Eqn): void => {
    let eqn: Eqn = { ...original, inputs: original.inputs.map(read) };
    const rewritten = primitives[eqn.prim].simplify?.(eqn as never, context) ?? null;
    if (Array.isArray(rewritten)) {
      // Cheaper equations in its place, each simplified in turn (CSE may merge them with earlier ones).
      rewritten.forEach(visit);
      return;
    }
    if (rewritten !== null && !("prim" in rewritten)) {
      replaced.set(eqn.outBinders[0], rewritten as Atom);
      return;
    }
    eqn = (rewritten as Eqn | null) ?? foldFill(eqn, constant) ?? eqn;
    const out = eqn.outBinders[0];
    const same = identity(eqn, constant);
    if (same !== null) {
      replaced.set(out, same);
      return;
    }
    if (primitives[eqn.prim].higherOrder !== true && primitives[eqn.prim].effect !== true) {
      const folded = fold(eqn);
      if (folded !== null) {
        replaced.set(out, folded);
        return;
      }
      const k = `${eqn.prim}${staticKey(eqn.params)}(${eqn.inputs.map(key).join(",")})`;
      const earlier = seen.get(k);
      if (earlier !== undefined) {
        eqn.outBinders.forEach((v, i) => replaced.set(v, earlier[i]));
        return;
      }
      seen.set(k, eqn.outBinders);
    }
    if (primitives[eqn.prim].loopBroadcast !== undefined && eqn.inputs[0] instanceof Lit && eqn.inputs[0].aval.ndim === 0) fill.set(out, eqn.inputs[0].val.storage[0]);
    eqns.push(eqn);
    for (const v of eqn.outBinders) producer.set(v, eqn);
    for (const x of eqn.inputs) {
      if (!(x instanceof Var)) continue;
      const list = readers.get(x);
      if (list === undefined) readers.set(x, [eqn]);
      else list.push(eqn);
    }
  };
  jaxpr.eqns.forEach(visit);
  return dce(new Jaxpr(jaxpr.inBinders, eqns, jaxpr.outs.map(read)));
}

/**
 * The operand an elementwise equation equals by an exact identity of its lowering, or null: with
 * the known constant operands put in, the expression reduces to one of its operands (x·1, 1·x,
 * x/1, x+(−0), (−0)+x, x−(+0), a cast to the operand's own dtype).
 */
function identity(eqn: Eqn, constant: (x: Atom) => number | undefined): Atom | null {
  const lower = primitives[eqn.prim].lower;
  const out = eqn.outBinders[0]?.aval;
  if (lower === undefined || out === undefined || eqn.outBinders.length !== 1) return null;
  const keeps = (x: Atom) => x.aval.dtype === out.dtype && sameShape(x.aval.shape, out.shape);
  const expr = lower(eqn.inputs.map((x, i) => arg(i, x.aval.dtype)), eqn.params as never);
  const index = operandIdentity(expr, eqn.inputs.map(constant));
  return index !== null && keeps(eqn.inputs[index]) ? eqn.inputs[index] : null;
}

/** The index of the operand `exp` always equals, given some operands' constant values, or null. */
function operandIdentity(expr: AluExp, constants: readonly (number | undefined)[]): number | null {
  if (expr.kind === "arg") return expr.index;
  if (expr.kind !== "op") return null;
  const [a, b] = expr.args;
  const value = (e: AluExp) => (e.kind === "const" ? e.value : e.kind === "arg" ? constants[e.index] : undefined);
  const side = (x: AluExp, other: AluExp, unit: number) => (Object.is(value(other), unit) ? operandIdentity(x, constants) : null);
  switch (expr.op) {
    case "Mul":
      return side(a, b, 1) ?? side(b, a, 1);
    case "Div":
      return side(a, b, 1);
    case "Add":
      return side(a, b, -0) ?? side(b, a, -0);
    case "Sub":
      return side(a, b, 0);
    case "Cast":
      return a.dtype === expr.dtype ? operandIdentity(a, constants) : null;
    default:
      return null;
  }
}

/** A scalar equation on literals only, evaluated now; null otherwise. */
function fold(eqn: Eqn): Lit | null {
  if (eqn.outBinders.length !== 1 || eqn.outBinders[0].aval.ndim !== 0) return null;
  if (!eqn.inputs.every((x) => x instanceof Lit)) return null;
  return new Lit(implOf(eqn)(eqn.inputs.map((x) => (x as Lit).val), eqn.params)[0]);
}

function implOf(eqn: Eqn): (ins: ConcreteTensor[], params: unknown) => ConcreteTensor[] {
  return primitives[eqn.prim].impl as (ins: ConcreteTensor[], params: unknown) => ConcreteTensor[];
}

/**
 * An elementwise equation whose operands are all broadcast constants, as the broadcast of its
 * value on the scalars (computed now from its lowering): −(broadcast c) is broadcast(−c). Null
 * otherwise.
 */
function foldFill(eqn: Eqn, constant: (x: Atom) => number | undefined): Eqn | null {
  const out = eqn.outBinders[0]?.aval;
  const def = primitives[eqn.prim];
  const lower = def.lower;
  if (out === undefined || out.ndim === 0 || lower === undefined || eqn.outBinders.length !== 1) return null;
  const scalars = eqn.inputs.map(constant);
  if (scalars.some((c) => c === undefined) || eqn.inputs.some((x) => x.aval.dtype !== out.dtype)) return null;
  const expr = lower(eqn.inputs.map((x, i) => arg(i, x.aval.dtype)), eqn.params as never);
  const value = evaluate(expr, scalars as number[]);
  const fill = new Lit(ConcreteTensor.fromValues([value], [], out.dtype));
  return fillEqn(fill, eqn.outBinders);
}
