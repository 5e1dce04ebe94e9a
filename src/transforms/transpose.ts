/**
 * @file Transposition of linear jaxprs (Autodidax Part 4): runs a linear function backwards,
 * pushing output cotangents to input cotangents with each primitive's transpose rule.
 */
import { SymbolicZero } from "../core/zero.js";
import { instantiate } from "../core/trace.js";
import { Lit, Var, type Atom, type Jaxpr } from "../core/jaxpr.js";
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { UndefPrimal } from "../core/primitive.js";
import { TraceError } from "../core/tensor.js";
import { primitives } from "../core/rule-table.js";
import type { ShapedArray } from "../core/aval.js";

type T = AnyTensor;

/** Zeros of an abstract value (symbolic: nothing is computed unless they reach a primitive). */
export function zerosOf(aval: ShapedArray): T {
  return new SymbolicZero(aval.shape.slice(), aval.dtype);
}

/**
 * Given a jaxpr linear in the inputs marked `UndefPrimal` (the others are known values) and
 * cotangents of its outputs, returns the cotangent of each input (`null` for known inputs).
 */
export function backwardPass(jaxpr: Jaxpr, args: readonly (T | UndefPrimal)[], cts: readonly T[]): (T | null)[] {
  const primals = new Map<Var, T>();
  const cotangents = new Map<Var, T>();
  jaxpr.inBinders.forEach((v, i) => {
    const arg = args[i];
    if (!(arg instanceof UndefPrimal)) primals.set(v, arg);
  });
  const readPrimal = (x: Atom): T | UndefPrimal =>
    x instanceof Lit ? x.val : (primals.get(x) ?? new UndefPrimal(x.aval));
  const addCotangent = (x: Atom, ct: T | null) => {
    if (ct === null || !(x instanceof Var)) return;
    const previous = cotangents.get(x);
    cotangents.set(x, previous === undefined ? ct : ops.add(previous, ct));
  };
  const takeCotangent = (v: Var): T => {
    const ct = cotangents.get(v);
    cotangents.delete(v);
    return ct ?? zerosOf(v.aval);
  };
  jaxpr.outs.forEach((x, i) => addCotangent(x, cts[i]));
  for (let e = jaxpr.eqns.length - 1; e >= 0; e--) {
    const eqn = jaxpr.eqns[e];
    if (!eqn.outBinders.some((v) => cotangents.has(v))) continue; // nothing flows back through it
    const rule = primitives[eqn.prim].transpose;
    if (rule === undefined) throw new TraceError(`transpose: ${eqn.prim} is not linear, but appears in a linear jaxpr`);
    const ctsIn = eqn.outBinders.map(takeCotangent);
    const ctsOut = rule(ctsIn, eqn.inputs.map(readPrimal), eqn.params as never);
    eqn.inputs.forEach((x, i) => addCotangent(x, ctsOut[i]));
  }
  return jaxpr.inBinders.map((v, i) => (args[i] instanceof UndefPrimal ? instantiate(takeCotangent(v)) : null));
}
