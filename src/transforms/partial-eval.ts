/**
 * @file Partial evaluation (Autodidax Part 3): computes what is known now and stages the rest
 * into a jaxpr. Applied to a JVP, it splits a function into its primal values and a linear map
 * of the tangents, which is what `linearize` and reverse mode are built on.
 */
import { ShapedArray } from "../core/aval.js";
import { Jaxpr, Var, type Atom, type Eqn } from "../core/jaxpr.js";
import type { AnyTensor } from "../core/ops.js";
import type { PartialEvalContext, PrimName, PrimParams } from "../core/primitive.js";
import { primitives } from "../core/rule-table.js";
import { Trace, Tracer, avalOf, bind, fullRaise, newMain, type MainTrace } from "../core/trace.js";
import { TraceError, type ConcreteLike } from "../core/tensor.js";

type T = AnyTensor;

/** What partial evaluation knows of a value: always its aval, and its value when known. */
export class PartialVal {
  private constructor(
    readonly aval: ShapedArray,
    readonly known: T | null,
  ) {}

  static known(x: T): PartialVal {
    return new PartialVal(avalOf(x), x);
  }

  static unknown(aval: ShapedArray): PartialVal {
    return new PartialVal(aval, null);
  }

  get isKnown(): boolean {
    return this.known !== null;
  }
}

/** How an unknown tracer came to be: an input, a constant made unknown, or an equation. */
type Recipe =
  | { readonly kind: "lambda" }
  | { readonly kind: "const"; readonly val: T }
  | { readonly kind: "eqn"; readonly eqn: EqnRecipe };

/** A staged equation, before variables are assigned. */
class EqnRecipe {
  constructor(
    readonly prim: PrimName,
    readonly tracersIn: readonly PartialEvalTracer[],
    readonly params: unknown,
    readonly tracersOut: readonly PartialEvalTracer[],
  ) {}
}

/** A value under partial evaluation. */
export class PartialEvalTracer extends Tracer {
  constructor(
    readonly trace: PartialEvalTrace,
    readonly pval: PartialVal,
    public recipe: Recipe | null,
  ) {
    super();
  }

  override get aval(): ShapedArray {
    return this.pval.aval;
  }

  override fullLower(): T {
    return this.pval.known ?? this;
  }

  override concrete(): ConcreteLike | null {
    return this.pval.known?.concrete() ?? null;
  }
}

/**
 * Evaluates primitives whose inputs are all known; stages the others, or leaves them to the
 * primitive's `partialEval` rule, which can run part of them now.
 */
export class PartialEvalTrace extends Trace implements PartialEvalContext {
  newArg(pval: PartialVal): PartialEvalTracer {
    return new PartialEvalTracer(this, pval, { kind: "lambda" });
  }

  override pure(x: T): T {
    return new PartialEvalTracer(this, PartialVal.known(x), null);
  }

  override lift(x: Tracer): T {
    return this.pure(x);
  }

  /** The value of `x`, a tracer of this trace, when it is known; else `null`. */
  knownValue(x: T): T | null {
    return (x as PartialEvalTracer).pval.known;
  }

  /** An unknown tracer for `tracer`: known values become constants of the staged jaxpr. */
  instantiateConst(tracer: PartialEvalTracer): PartialEvalTracer {
    const known = tracer.pval.known;
    if (known === null) return tracer;
    return new PartialEvalTracer(this, PartialVal.unknown(tracer.aval), { kind: "const", val: known });
  }

  override processPrimitive<P extends PrimName>(prim: P, args: T[], params: PrimParams[P]): T[] {
    const tracers = args as PartialEvalTracer[];
    if (tracers.every((t) => t.pval.isKnown)) {
      return bind(
        prim,
        tracers.map((t) => t.pval.known!),
        params,
      ).map((x) => this.pure(x));
    }
    const rule = primitives[prim].partialEval;
    if (rule !== undefined) return rule(this, tracers, params);
    return this.stage(prim, tracers, params);
  }

  /** Records `prim` applied to `tracers` (of this trace) as an equation of unknown outputs. */
  stage<Q extends PrimName>(prim: Q, tracers: readonly T[], params: PrimParams[Q]): PartialEvalTracer[] {
    const tracersIn = tracers.map((t) => this.instantiateConst(t as PartialEvalTracer));
    const avalsOut = primitives[prim].shape(
      tracersIn.map((t) => t.aval),
      params as never,
    );
    const tracersOut = avalsOut.map((aval) => new PartialEvalTracer(this, PartialVal.unknown(aval), null));
    const eqn = new EqnRecipe(prim, tracersIn, params, tracersOut);
    for (const t of tracersOut) t.recipe = { kind: "eqn", eqn };
    return tracersOut;
  }
}

/**
 * Runs `f` with some inputs known and the rest unknown. Returns the jaxpr of the unknown part
 * (inputs: its constants, then the unknown inputs), what is known of every output, and the
 * constants' values. Outputs flagged in `instantiate` are made unknown even when known.
 */
export function partialEvalFlat(
  f: (...args: T[]) => T[],
  pvalsIn: readonly PartialVal[],
  instantiate: (i: number) => boolean = () => false,
): { jaxpr: Jaxpr; pvalsOut: PartialVal[]; consts: T[] } {
  return newMain(PartialEvalTrace, null, (main: MainTrace) => {
    const trace = new PartialEvalTrace(main);
    const tracersIn = pvalsIn.map((pval) => trace.newArg(pval));
    const tracersOut = f(...tracersIn).map((x, i) => {
      const t = fullRaise(trace, x) as PartialEvalTracer;
      return instantiate(i) ? trace.instantiateConst(t) : t;
    });
    const pvalsOut = tracersOut.map((t) => t.pval);
    const { jaxpr, consts } = tracersToJaxpr(
      tracersIn.filter((t) => !t.pval.isKnown),
      tracersOut.filter((t) => !t.pval.isKnown),
    );
    return { jaxpr, pvalsOut, consts };
  });
}

/** Assigns variables to the recipes reachable from `tracersOut`, in dependency order. */
function tracersToJaxpr(
  tracersIn: readonly PartialEvalTracer[],
  tracersOut: readonly PartialEvalTracer[],
): { jaxpr: Jaxpr; consts: T[] } {
  const vars = new Map<PartialEvalTracer, Var>();
  for (const t of tracersIn) vars.set(t, new Var(t.aval));
  const constVars = new Map<T, Var>();
  const eqns: Eqn[] = [];
  const done = new Set<EqnRecipe>();
  for (const t of toposort(tracersOut)) {
    const recipe = t.recipe;
    if (recipe === null) throw new TraceError("partial eval: known tracer reached the staged jaxpr");
    if (recipe.kind === "lambda") {
      if (!vars.has(t)) throw new TraceError("partial eval: tracer is not an input of this function");
    } else if (recipe.kind === "const") {
      let v = constVars.get(recipe.val);
      if (v === undefined) {
        v = new Var(t.aval);
        constVars.set(recipe.val, v);
      }
      vars.set(t, v);
    } else if (!done.has(recipe.eqn)) {
      const eqn = recipe.eqn;
      done.add(eqn);
      const outBinders = eqn.tracersOut.map((o) => {
        const v = new Var(o.aval);
        vars.set(o, v);
        return v;
      });
      eqns.push({ prim: eqn.prim, inputs: eqn.tracersIn.map((x) => vars.get(x)!), params: eqn.params as never, outBinders });
    }
  }
  const inBinders = [...constVars.values(), ...tracersIn.map((t) => vars.get(t)!)];
  const outs: Atom[] = tracersOut.map((t) => vars.get(t)!);
  return { jaxpr: new Jaxpr(inBinders, eqns, outs), consts: [...constVars.keys()] };
}

/** Tracers reachable from `outs` through equation inputs, parents before children (iterative DFS). */
function toposort(outs: readonly PartialEvalTracer[]): PartialEvalTracer[] {
  const order: PartialEvalTracer[] = [];
  const visited = new Set<PartialEvalTracer>();
  const stack: [PartialEvalTracer, boolean][] = outs.map((t) => [t, false]);
  stack.reverse();
  while (stack.length > 0) {
    const [t, expanded] = stack.pop()!;
    if (expanded) {
      order.push(t);
      continue;
    }
    if (visited.has(t)) continue;
    visited.add(t);
    stack.push([t, true]);
    if (t.recipe?.kind === "eqn") {
      for (const parent of [...t.recipe.eqn.tracersIn].reverse()) if (!visited.has(parent)) stack.push([parent, false]);
    }
  }
  return order;
}

// ---- partial evaluation of jaxprs (for primitives holding jaxprs) ----

/**
 * Splits a jaxpr by which inputs are unknown: `known` maps the known inputs to the known outputs
 * followed by residuals; `unknown` maps the residuals and the unknown inputs to the unknown outputs.
 * An equation with a `partialEvalEqn` rule and some known inputs is split by that rule, so that its
 * known outputs stay known; any other equation with an unknown input goes to `unknown` whole.
 * Outputs flagged in `instantiate` are outputs of `unknown` even when known (a loop's carry must
 * be unknown on both sides of its body once it is unknown on one).
 */
export function partialEvalJaxpr(
  jaxpr: Jaxpr,
  inUnknowns: readonly boolean[],
  instantiate: readonly boolean[] = [],
): { known: Jaxpr; unknown: Jaxpr; outUnknowns: boolean[]; numResiduals: number } {
  const unknownVars = new Set<Var>();
  jaxpr.inBinders.forEach((v, i) => inUnknowns[i] && unknownVars.add(v));
  const isUnknown = (x: Atom) => x instanceof Var && unknownVars.has(x);
  const residuals = new Set<Var>();
  const knownEqns: Eqn[] = [];
  const unknownEqns: Eqn[] = [];
  for (const eqn of jaxpr.eqns) {
    const unknownIns = eqn.inputs.map(isUnknown);
    if (!unknownIns.some((u) => u)) {
      knownEqns.push(eqn);
      continue;
    }
    const rule = primitives[eqn.prim].partialEvalEqn;
    const split = rule !== undefined && !unknownIns.every((u) => u) ? rule(eqn as never, unknownIns) : null;
    if (split !== null) {
      knownEqns.push(split.known);
      for (const r of split.residuals) residuals.add(r);
      eqn.outBinders.forEach((v, i) => split.outUnknowns[i] && unknownVars.add(v));
      unknownEqns.push(split.unknown);
      continue;
    }
    for (const x of eqn.inputs) if (x instanceof Var && !unknownVars.has(x)) residuals.add(x);
    eqn.outBinders.forEach((v) => unknownVars.add(v));
    unknownEqns.push(eqn);
  }
  const outUnknowns = jaxpr.outs.map((x, i) => {
    if (isUnknown(x)) return true;
    if (instantiate[i] !== true) return false;
    if (x instanceof Var) residuals.add(x);
    return true;
  });
  const residualList = [...residuals];
  const known = new Jaxpr(
    jaxpr.inBinders.filter((_, i) => !inUnknowns[i]),
    knownEqns,
    [...jaxpr.outs.filter((_, i) => !outUnknowns[i]), ...residualList],
  );
  const unknown = new Jaxpr(
    [...residualList, ...jaxpr.inBinders.filter((_, i) => inUnknowns[i])],
    unknownEqns,
    jaxpr.outs.filter((_, i) => outUnknowns[i]),
  );
  return { known, unknown, outUnknowns, numResiduals: residualList.length };
}
