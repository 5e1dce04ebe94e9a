/**
 * @file Loop fusion: partitions a jaxpr's equations into single equations and fused kernels. A
 * fused kernel is one loop over the elements of one shape: elementwise equations (and broadcasts
 * of scalars feeding them) become expressions of the loop body, full reductions (`reduceSum`,
 * `reduceMax` over every axis) of values in the loop become accumulators, and only values needed
 * after the kernel are written to memory. Backends lower a `FusedKernel` to code (JS source in
 * backend/js/fuse.ts, WebAssembly SIMD in backend/wasm/elementwise.ts).
 *
 * Equations that do not touch the open kernel's values may be scheduled before it, so an
 * unrelated matmul between two elementwise chains does not split them.
 */
import { sameShape } from "../core/aval.js";
import { Lit, Var, type Atom, type Eqn, type Jaxpr } from "../core/jaxpr.js";
import { isFloat, type DType } from "../dtype.js";

/** Elementwise primitives a fused loop can evaluate, with their arity. */
export const FUSIBLE_ELEMENTWISE = {
  add: 2,
  sub: 2,
  mul: 2,
  div: 2,
  max: 2,
  min: 2,
  pow: 2,
  neg: 1,
  exp: 1,
  log: 1,
  sqrt: 1,
  tanh: 1,
  abs: 1,
  sin: 1,
  cos: 1,
} as const;

export type FusibleElementwise = keyof typeof FUSIBLE_ELEMENTWISE;

/** One operation of the loop body: `prim` applied to earlier values (by index). */
export interface FusedOp {
  readonly prim: FusibleElementwise | "broadcast";
  readonly args: readonly number[];
}

/** A full reduction accumulated by the loop. */
export interface FusedReduction {
  readonly prim: "reduceSum" | "reduceMax";
  /** The reduced value. */
  readonly value: number;
  /** The rank-0 result. */
  readonly out: Var;
}

/**
 * A fused loop. Values are numbered: first the inputs (`inputs[k]` is value k), then one per op.
 * A value is a scalar when it is a rank-0 input or an op of scalars only (a broadcast is the op
 * that turns a scalar into the loop's shape, and is free).
 */
export interface FusedKernel {
  readonly kind: "fused";
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Elements per loop. */
  readonly size: number;
  readonly inputs: readonly Atom[];
  readonly ops: readonly FusedOp[];
  /** Per value: whether it is a scalar (the same for every element). */
  readonly scalar: readonly boolean[];
  /** Values written to memory, with the vars they define. */
  readonly outputs: readonly { readonly value: number; readonly out: Var }[];
  readonly reductions: readonly FusedReduction[];
}

/** Every var a step defines, in the order its kernel returns them. */
export function definedBy(step: Eqn | FusedKernel): Var[] {
  return "prim" in step ? [...step.outBinders] : [...step.outputs.map((o) => o.out), ...step.reductions.map((r) => r.out)];
}

/** Every atom a step reads. */
export function readBy(step: Eqn | FusedKernel): readonly Atom[] {
  return "prim" in step ? step.inputs : step.inputs;
}

function elementwise(eqn: Eqn): boolean {
  if (!(eqn.prim in FUSIBLE_ELEMENTWISE) || eqn.outBinders.length !== 1) return false;
  const out = eqn.outBinders[0].aval;
  return isFloat(out.dtype) && eqn.inputs.every((x) => x.aval.dtype === out.dtype && sameShape(x.aval.shape, out.shape));
}

function scalarBroadcast(eqn: Eqn): boolean {
  return eqn.prim === "broadcastInDim" && eqn.inputs[0].aval.ndim === 0 && isFloat(eqn.inputs[0].aval.dtype);
}

function fullReduction(eqn: Eqn): boolean {
  if (eqn.prim !== "reduceSum" && eqn.prim !== "reduceMax") return false;
  const x = eqn.inputs[0].aval;
  return isFloat(x.dtype) && eqn.outBinders[0].aval.ndim === 0 && x.ndim > 0;
}

/** A kernel under construction. */
class Builder {
  readonly members: Eqn[] = [];
  readonly produced = new Set<Var>();
  readonly reduced = new Set<Var>();
  constructor(
    readonly dtype: DType,
    readonly shape: readonly number[],
  ) {}

  accepts(eqn: Eqn): boolean {
    const out = eqn.outBinders[0].aval;
    if (out.dtype !== this.dtype) return false;
    if (eqn.inputs.some((x) => x instanceof Var && this.reduced.has(x))) return false;
    if (fullReduction(eqn)) return sameShape(eqn.inputs[0].aval.shape, this.shape);
    return sameShape(out.shape, this.shape);
  }

  add(eqn: Eqn): void {
    this.members.push(eqn);
    for (const v of eqn.outBinders) (fullReduction(eqn) ? this.reduced : this.produced).add(v);
  }

  touches(eqn: Eqn): boolean {
    return eqn.inputs.some((x) => x instanceof Var && (this.produced.has(x) || this.reduced.has(x)));
  }

  /** The kernel, keeping as outputs the values that `liveAfter` says are read later. */
  build(liveAfter: (v: Var) => boolean): FusedKernel {
    const inputs: Atom[] = [];
    const ops: FusedOp[] = [];
    const scalar: boolean[] = [];
    const valueOf = new Map<Var, number>();
    const litValue = new Map<Lit, number>();
    const operand = (x: Atom): number => {
      const known = x instanceof Var ? valueOf.get(x) : litValue.get(x);
      if (known !== undefined) return known;
      const k = inputs.length;
      // Inputs come first: renumber ops later by offsetting (built below in a second pass).
      inputs.push(x);
      if (x instanceof Var) valueOf.set(x, -1 - k);
      else litValue.set(x, -1 - k);
      return -1 - k;
    };
    // First pass: ops refer to inputs by negative ids, to ops by index.
    const raw: { prim: FusedOp["prim"]; args: number[] }[] = [];
    const reductionsRaw: { prim: FusedReduction["prim"]; value: number; out: Var }[] = [];
    for (const eqn of this.members) {
      const args = eqn.inputs.map(operand);
      if (fullReduction(eqn)) {
        reductionsRaw.push({ prim: eqn.prim as FusedReduction["prim"], value: args[0], out: eqn.outBinders[0] });
        continue;
      }
      raw.push({ prim: eqn.prim === "broadcastInDim" ? "broadcast" : (eqn.prim as FusibleElementwise), args });
      valueOf.set(eqn.outBinders[0], raw.length - 1);
    }
    const n = inputs.length;
    const id = (a: number) => (a < 0 ? -1 - a : n + a);
    for (const x of inputs) scalar.push(x.aval.ndim === 0);
    for (const op of raw) {
      const args = op.args.map(id);
      ops.push({ prim: op.prim, args });
      scalar.push(op.prim !== "broadcast" && args.every((a) => scalar[a]));
    }
    const outputs: { value: number; out: Var }[] = [];
    for (const eqn of this.members) {
      const v = eqn.outBinders[0];
      if (!fullReduction(eqn) && liveAfter(v)) outputs.push({ value: id(valueOf.get(v)!), out: v });
    }
    const reductions = reductionsRaw.map((r) => ({ ...r, value: id(r.value) }));
    return { kind: "fused", dtype: this.dtype, shape: this.shape, size: this.shape.reduce((a, b) => a * b, 1), inputs, ops, scalar, outputs, reductions };
  }
}

/**
 * The equations of `jaxpr` as a schedule of single equations and fused kernels. A kernel is kept
 * only if it holds at least two operations or one that `worthAlone` accepts.
 */
export function fuse(jaxpr: Jaxpr, worthAlone: (k: FusedKernel) => boolean): (Eqn | FusedKernel)[] {
  const isOutput = new Set(jaxpr.outs.filter((x): x is Var => x instanceof Var));
  // Who reads each var: a kernel writes a value only if something outside it reads it.
  const readers = new Map<Var, Eqn[]>();
  for (const eqn of jaxpr.eqns) for (const x of eqn.inputs) if (x instanceof Var) readers.set(x, [...(readers.get(x) ?? []), eqn]);
  const schedule: (Eqn | FusedKernel)[] = [];
  let open = null as Builder | null;
  const flush = () => {
    if (open === null) return;
    const members = new Set(open.members);
    const kernel = open.build((v) => isOutput.has(v) || (readers.get(v) ?? []).some((r) => !members.has(r)));
    const work = kernel.ops.filter((op) => op.prim !== "broadcast").length + kernel.reductions.length;
    if (work >= 2 || (work === 1 && worthAlone(kernel))) schedule.push(kernel);
    else schedule.push(...open.members);
    open = null;
  };

  for (const eqn of jaxpr.eqns) {
    const joins = elementwise(eqn) || scalarBroadcast(eqn) || fullReduction(eqn);
    if (joins && open !== null && open.accepts(eqn)) {
      open.add(eqn);
      continue;
    }
    if (joins && !fullReduction(eqn)) {
      flush();
      const out = eqn.outBinders[0].aval;
      open = new Builder(out.dtype, out.shape as number[]);
      open.add(eqn);
      continue;
    }
    // Not fusible here: it runs before the open kernel if it reads none of its values.
    if (open !== null && open.touches(eqn)) flush();
    schedule.push(eqn);
  }
  flush();
  return schedule;
}

/** A readable listing of a fused kernel, in the style of the jaxpr printer. */
export function printKernel(k: FusedKernel, nameOf: (v: Var) => string, binderOf: (v: Var) => string, literal: (l: Lit) => string): string {
  const ref = (i: number): string => (i < k.inputs.length ? atomName(k.inputs[i]) : `t${i - k.inputs.length}`);
  const atomName = (x: Atom) => (x instanceof Var ? nameOf(x) : literal(x));
  const lines = k.ops.map((op, j) => `    t${j} = ${op.prim} ${op.args.map(ref).join(" ")}${k.scalar[k.inputs.length + j] ? "  (scalar)" : ""}`);
  for (const r of k.reductions) lines.push(`    ${binderOf(r.out)} = ${r.prim} ${ref(r.value)}  (over the loop)`);
  const outs = k.outputs.map((o) => `${binderOf(o.out)} = ${ref(o.value)}`);
  return [`  fused loop over ${k.dtype}[${k.shape.join(",")}] (${k.size} elements)`, ...lines, `    write ${outs.join(", ") || "nothing"}`].join("\n");
}
