/**
 * @file Simplification passes over a jaxpr, run by `jit` before planning: common-subexpression
 * elimination (primitives are pure, so two equations with the same primitive, params and inputs
 * compute the same values), constant folding of scalar equations on literals, and algebraic
 * identities that keep shape and dtype (x·1, 1·x, x/1, x+(−0), (−0)+x, x−(+0): exactly the
 * IEEE identities, since x+(+0) turns −0 into +0; reshape, cast and broadcast to what x already is). Then dead-code elimination drops what became unused.
 * Identities that are wrong for some inputs (x·0 = 0 fails for ∞ and NaN) are not applied.
 */
import { dce } from "../core/dce.js";
import { Jaxpr, Lit, Var, type Atom, type Eqn } from "../core/jaxpr.js";
import type { PrimParams } from "../core/primitive.js";
import { primitives } from "../core/rule-table.js";
import { ConcreteTensor } from "../core/concrete.js";
import { FUSIBLE_ELEMENTWISE } from "./fusion.js";
import { sameShape } from "../core/aval.js";

/** Primitives never merged or folded: calls carry whole programs. */
const OPAQUE = new Set(["jitCall"]);

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
    if (x instanceof Lit && x.aval.ndim === 0) return `${x.aval.dtype}:${x.val.storage[0]}`;
    let id = ids.get(x);
    if (id === undefined) ids.set(x, (id = ids.size));
    return `#${id}`;
  };
  const seen = new Map<string, readonly Var[]>();
  const eqns: Eqn[] = [];
  const producer = new Map<Var, Eqn>();

  for (const original of jaxpr.eqns) {
    let eqn: Eqn = { ...original, inputs: original.inputs.map(read) };
    eqn = swappedProduct(eqn, producer) ?? foldFill(eqn, constant) ?? eqn;
    const out = eqn.outBinders[0];
    const same = identity(eqn, constant);
    if (same !== null) {
      replaced.set(out, same);
      continue;
    }
    if (!OPAQUE.has(eqn.prim)) {
      const folded = fold(eqn);
      if (folded !== null) {
        replaced.set(out, folded);
        continue;
      }
      const k = `${eqn.prim}${JSON.stringify(eqn.params)}(${eqn.inputs.map(key).join(",")})`;
      const earlier = seen.get(k);
      if (earlier !== undefined) {
        eqn.outBinders.forEach((v, i) => replaced.set(v, earlier[i]));
        continue;
      }
      seen.set(k, eqn.outBinders);
    }
    if (eqn.prim === "broadcastInDim" && eqn.inputs[0] instanceof Lit && eqn.inputs[0].aval.ndim === 0) fill.set(out, eqn.inputs[0].val.storage[0]);
    eqns.push(eqn);
    for (const v of eqn.outBinders) producer.set(v, eqn);
  }
  return dce(new Jaxpr(jaxpr.inBinders, eqns, jaxpr.outs.map(read)));
}

/** The atom an equation is equal to by an identity, or null. */
function identity(eqn: Eqn, constant: (x: Atom) => number | undefined): Atom | null {
  const out = eqn.outBinders[0]?.aval;
  const keeps = (x: Atom) => out !== undefined && x.aval.dtype === out.dtype && sameShape(x.aval.shape, out.shape);
  const [a, b] = eqn.inputs;
  switch (eqn.prim) {
    case "mul":
      if (constant(b) === 1 && keeps(a)) return a;
      if (constant(a) === 1 && keeps(b)) return b;
      return null;
    case "div":
      return constant(b) === 1 && keeps(a) ? a : null;
    case "add":
      if (Object.is(constant(b), -0) && keeps(a)) return a;
      if (Object.is(constant(a), -0) && keeps(b)) return b;
      return null;
    case "sub":
      return Object.is(constant(b), 0) && keeps(a) ? a : null;
    case "reshape":
    case "cast":
      return keeps(a) ? a : null;
    case "transpose":
      return (eqn.params as { perm: readonly number[] }).perm.every((d, i) => d === i) ? a : null;
    case "broadcastInDim": {
      const dims = (eqn.params as { broadcastDims: readonly number[] }).broadcastDims;
      return keeps(a) && dims.every((d, i) => d === i) ? a : null;
    }
    default:
      return null;
  }
}

/**
 * transpose(dotGeneral(x, y)) with no batch dims and the permutation that swaps x's free dims with
 * y's, as dotGeneral(y, x) with the contraction swapped; null when the pattern does not apply.
 */
function swappedProduct(eqn: Eqn, producer: Map<Var, Eqn>): Eqn | null {
  if (eqn.prim !== "transpose" || !(eqn.inputs[0] instanceof Var)) return null;
  const dot = producer.get(eqn.inputs[0]);
  if (dot === undefined || dot.prim !== "dotGeneral") return null;
  const { contract, batch } = dot.params as PrimParams["dotGeneral"];
  if (batch[0].length > 0) return null;
  const [x, y] = dot.inputs;
  const xFree = x.aval.ndim - contract[0].length;
  const yFree = y.aval.ndim - contract[1].length;
  const perm = (eqn.params as PrimParams["transpose"]).perm;
  const swap = [...Array.from({ length: yFree }, (_, i) => xFree + i), ...Array.from({ length: xFree }, (_, i) => i)];
  if (perm.length !== swap.length || perm.some((d, i) => d !== swap[i])) return null;
  const params: PrimParams["dotGeneral"] = { contract: [contract[1], contract[0]], batch: [[], []] };
  return { prim: "dotGeneral", inputs: [y, x], params, outBinders: eqn.outBinders } as Eqn;
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
 * value on the scalars (computed now): −(broadcast c) is broadcast(−c). Null otherwise.
 */
function foldFill(eqn: Eqn, constant: (x: Atom) => number | undefined): Eqn | null {
  const out = eqn.outBinders[0]?.aval;
  if (out === undefined || out.ndim === 0 || !(eqn.prim in FUSIBLE_ELEMENTWISE) || eqn.outBinders.length !== 1) return null;
  const scalars = eqn.inputs.map(constant);
  if (scalars.some((c) => c === undefined) || eqn.inputs.some((x) => x.aval.dtype !== out.dtype)) return null;
  const value = implOf(eqn)(scalars.map((c) => ConcreteTensor.fromValues([c!], [], out.dtype)), eqn.params)[0];
  const params: PrimParams["broadcastInDim"] = { shape: out.shape as number[], broadcastDims: [] };
  return { prim: "broadcastInDim", inputs: [new Lit(value)], params, outBinders: eqn.outBinders } as Eqn;
}
