/**
 * @file Loop fusion: partitions a jaxpr's equations into single equations and fused kernels. A
 * fused kernel is one loop over the elements of one shape: elementwise equations, comparisons and
 * selects become expressions of the loop body; broadcasts stay virtual (the loop reads their
 * source as a scalar, a repeating row or a repeating column) and are materialized only for an
 * equation outside any loop; `reduceSum`/`reduceMax` over trailing axes of values in the loop
 * become accumulators (one result per run); and only values needed after the kernel are written
 * to memory. Backends lower a `FusedKernel` to code (JS source in
 * backend/js/fuse.ts, WebAssembly SIMD in backend/wasm/elementwise.ts).
 *
 * Equations that do not touch the open kernel's values may be scheduled before it, so an
 * unrelated matmul between two elementwise chains does not split them.
 */
import { sameShape } from "../core/aval.js";
import { Lit, Var, type Atom, type Eqn, type Jaxpr } from "../core/jaxpr.js";
import { isFloat, type DType } from "../dtype.js";
import type { CompareOp } from "../core/primitive.js";
import { product } from "../shape/arith.js";

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
  /** An elementwise primitive; `compare` (float operands, a bool value); `select` (bool
   * condition, then float branches); `cast` (bool to the loop's float dtype). */
  readonly prim: FusibleElementwise | "compare" | "select" | "cast";
  readonly args: readonly number[];
  /** The comparison of a `compare`. */
  readonly cmp?: CompareOp;
}

/**
 * A reduction accumulated by the loop over its trailing axes: `rows` results, each combining
 * `length` consecutive elements (one result of every element for a full reduction).
 */
export interface FusedReduction {
  readonly prim: "reduceSum" | "reduceMax";
  /** The reduced value. */
  readonly value: number;
  /** The result (rank 0 for a full reduction). */
  readonly out: Var;
  readonly rows: number;
  readonly length: number;
}

/**
 * How the loop reads an input at element i: `flat` (an array of the loop's shape, at i), `scalar`
 * (its one element), `row` (an array repeated along leading axes, at i mod period, e.g. a bias
 * broadcast over a batch) or `column` (each element repeated over trailing axes, at ⌊i/repeat⌋).
 */
export type Access =
  | { readonly kind: "flat" }
  | { readonly kind: "scalar" }
  | { readonly kind: "row"; readonly period: number }
  | { readonly kind: "column"; readonly repeat: number };

/**
 * A fused loop. Values are numbered: first the inputs (`inputs[k]` is value k), then one per op.
 * A value is a scalar when it is a scalar input or an op of scalars only; a value is bool when it
 * is a comparison or a bool input (conditions of selects).
 */
export interface FusedKernel {
  readonly kind: "fused";
  /** The float dtype of the loop's values (bool values aside). */
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Elements per loop. */
  readonly size: number;
  readonly inputs: readonly Atom[];
  readonly access: readonly Access[];
  readonly ops: readonly FusedOp[];
  /** Per value: whether it is a scalar (the same for every element). */
  readonly scalar: readonly boolean[];
  /** Per value: whether it is bool. */
  readonly bool: readonly boolean[];
  /** Values written to memory, with the vars they define. */
  readonly outputs: readonly { readonly value: number; readonly out: Var }[];
  readonly reductions: readonly FusedReduction[];
}

/** Every var a step defines, in the order its kernel returns them. */
export function definedBy(step: Eqn | FusedKernel): Var[] {
  return "prim" in step ? [...step.outBinders] : [...step.outputs.map((o) => o.out), ...step.reductions.map((r) => r.out)];
}

/** The loop an equation can join (float dtype and shape), whether it reduces, or null. */
interface LoopSite {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly reduction: boolean;
  /** For a broadcast of an array: how the loop reads it. */
  readonly access?: Access;
}

function loopSite(eqn: Eqn): LoopSite | null {
  if (eqn.outBinders.length !== 1) return null;
  const out = eqn.outBinders[0].aval;
  const same = (x: Atom, dtype: DType) => x.aval.dtype === dtype && sameShape(x.aval.shape, out.shape);
  const site = (dtype: DType, shape: readonly number[] = out.shape, reduction = false): LoopSite | null =>
    isFloat(dtype) ? { dtype, shape, reduction } : null;
  switch (eqn.prim) {
    case "compare": {
      const [x, y] = eqn.inputs;
      return same(x, x.aval.dtype) && same(y, x.aval.dtype) ? site(x.aval.dtype) : null;
    }
    case "select": {
      const [c, a, b] = eqn.inputs;
      return same(c, "bool") && same(a, out.dtype) && same(b, out.dtype) ? site(out.dtype) : null;
    }
    case "cast":
      return same(eqn.inputs[0], "bool") ? site(out.dtype) : null;
    case "broadcastInDim": {
      const x = eqn.inputs[0].aval;
      if (x.dtype !== out.dtype) return null;
      if (x.ndim === 0) return isFloat(out.dtype) ? { dtype: out.dtype, shape: out.shape, reduction: false, access: { kind: "scalar" } } : null;
      const access = broadcastAccess(x.shape as number[], out.shape as number[], (eqn.params as { broadcastDims: readonly number[] }).broadcastDims);
      return access === null || !isFloat(out.dtype) ? null : { dtype: out.dtype, shape: out.shape, reduction: false, access };
    }
    case "reduceSum":
    case "reduceMax": {
      const x = eqn.inputs[0].aval;
      return trailingLength(eqn) > 0 ? site(x.dtype, x.shape, true) : null;
    }
    default:
      if (!(eqn.prim in FUSIBLE_ELEMENTWISE)) return null;
      return eqn.inputs.every((x) => same(x, out.dtype)) ? site(out.dtype) : null;
  }
}

/**
 * Elements per result of a reduction over trailing axes (the axes k…ndim−1 for some k); 0 when
 * the axes are not trailing or a result would combine no element (reduceMax of nothing throws
 * in its own kernel).
 */
function trailingLength(eqn: Eqn): number {
  const x = eqn.inputs[0].aval;
  const axes = [...(eqn.params as { axes: readonly number[] }).axes].sort((a, b) => a - b);
  if (x.ndim === 0 || axes.length === 0 || axes.some((a, i) => a !== x.ndim - axes.length + i)) return 0;
  return product(x.shape.slice(x.ndim - axes.length));
}

/**
 * How a loop over `out` reads an operand broadcast into it along `dims`: axes where the operand
 * has the output's size are kept, the others repeat. Kept axes that are a suffix make a `row`
 * read, a prefix a `column` read; anything else cannot be read by a flat loop.
 */
function broadcastAccess(shape: readonly number[], out: readonly number[], dims: readonly number[]): Access | null {
  const kept = out.map(() => false);
  dims.forEach((d, i) => {
    if (shape[i] === out[d] && shape[i] !== 1) kept[d] = true;
  });
  const first = kept.indexOf(true);
  const last = kept.lastIndexOf(true);
  if (first < 0) return { kind: "scalar" };
  if (kept.slice(first, last + 1).some((k) => !k)) return null;
  const size = (from: number, to: number) => product(out.slice(from, to));
  if (last === out.length - 1) return { kind: "row", period: size(first, out.length) };
  if (first === 0) return { kind: "column", repeat: size(last + 1, out.length) };
  return null;
}

/**
 * The read of a broadcast of a broadcast, as one read of the inner source: `outer` reads the
 * inner broadcast's value at some index, which `inner` maps to its source. Null when the two do
 * not make one pattern (a row of columns, a column of rows).
 */
function composed(inner: Access, outer: Access): Access | null {
  if (inner.kind === "scalar" || outer.kind === "scalar") return { kind: "scalar" };
  // (i mod P) mod p = i mod p, since the inner period p divides the outer one P
  if (inner.kind === "row" && outer.kind === "row") return inner;
  if (inner.kind === "column" && outer.kind === "column") return { kind: "column", repeat: inner.repeat * outer.repeat };
  return null;
}

/** A broadcast left virtual: kernels read `source` with `access` instead of a materialized array. */
interface Broadcast {
  readonly eqn: Eqn;
  readonly source: Atom;
  readonly access: Access;
}

/** A kernel under construction. */
class Builder {
  readonly members: Eqn[] = [];
  readonly produced = new Set<Var>();
  readonly reduced = new Set<Var>();
  constructor(
    readonly dtype: DType,
    readonly shape: readonly number[],
    /** Broadcasts not materialized: their vars are read from the source with an access pattern. */
    private readonly virtual: ReadonlyMap<Var, Broadcast>,
  ) {}

  accepts(eqn: Eqn, site: LoopSite): boolean {
    if (site.dtype !== this.dtype || !sameShape(site.shape, this.shape)) return false;
    for (const x of eqn.inputs) {
      if (!(x instanceof Var)) continue;
      if (this.reduced.has(x)) return false;
      // A broadcast's source must come from outside: values made in the loop are already
      // full-size, and reductions are only complete after it.
      const b = this.virtual.get(x);
      if (b !== undefined && b.source instanceof Var && (this.produced.has(b.source) || this.reduced.has(b.source))) return false;
    }
    return true;
  }

  add(eqn: Eqn, site: LoopSite): void {
    this.members.push(eqn);
    for (const v of eqn.outBinders) (site.reduction ? this.reduced : this.produced).add(v);
  }

  touches(eqn: Eqn): boolean {
    const made = (x: Atom) => x instanceof Var && (this.produced.has(x) || this.reduced.has(x));
    return eqn.inputs.some((x) => made(x) || (x instanceof Var && this.virtual.has(x) && made(this.virtual.get(x)!.source)));
  }

  /** The kernel, keeping as outputs the values that `liveAfter` says are read later. */
  build(liveAfter: (v: Var) => boolean): FusedKernel {
    const inputs: Atom[] = [];
    const access: Access[] = [];
    const inputKey = new Map<string, number>();
    const atomIds = new Map<Atom, number>();
    const valueOf = new Map<Var, number>();
    // First pass: inputs get negative ids (−1 − k), ops their index; renumbered below.
    const input = (x: Atom, how: Access): number => {
      if (!atomIds.has(x)) atomIds.set(x, atomIds.size);
      const key = `${atomIds.get(x)}|${JSON.stringify(how)}`;
      let k = inputKey.get(key);
      if (k === undefined) {
        k = inputs.length;
        inputs.push(x);
        access.push(how);
        inputKey.set(key, k);
      }
      return -1 - k;
    };
    const operand = (x: Atom): number => {
      const known = x instanceof Var ? valueOf.get(x) : undefined;
      if (known !== undefined) return known;
      const b = x instanceof Var ? this.virtual.get(x) : undefined;
      if (b !== undefined) return valueOf.get(b.source as Var) ?? input(b.source, b.access);
      return input(x, x.aval.ndim === 0 ? { kind: "scalar" } : { kind: "flat" });
    };
    const raw: { prim: FusedOp["prim"]; args: number[]; cmp?: CompareOp }[] = [];
    const reductionsRaw: { prim: FusedReduction["prim"]; value: number; out: Var; length: number }[] = [];
    for (const eqn of this.members) {
      const out = eqn.outBinders[0];
      if (eqn.prim === "reduceSum" || eqn.prim === "reduceMax") {
        reductionsRaw.push({ prim: eqn.prim, value: operand(eqn.inputs[0]), out, length: trailingLength(eqn) });
        continue;
      }
      const args = eqn.inputs.map(operand);
      const prim = eqn.prim as FusedOp["prim"];
      raw.push(eqn.prim === "compare" ? { prim, args, cmp: (eqn.params as { op: CompareOp }).op } : { prim, args });
      valueOf.set(out, raw.length - 1);
    }
    const n = inputs.length;
    const id = (a: number) => (a < 0 ? -1 - a : n + a);
    const scalar = access.map((a) => a.kind === "scalar");
    const bool = inputs.map((x) => x.aval.dtype === "bool");
    const ops: FusedOp[] = raw.map((op) => {
      const args = op.args.map(id);
      scalar.push(args.every((a) => scalar[a]));
      bool.push(op.prim === "compare");
      return op.cmp === undefined ? { prim: op.prim, args } : { prim: op.prim, args, cmp: op.cmp };
    });
    const outputs: { value: number; out: Var }[] = [];
    for (const eqn of this.members) {
      const v = eqn.outBinders[0];
      if (eqn.prim !== "reduceSum" && eqn.prim !== "reduceMax" && liveAfter(v)) outputs.push({ value: id(valueOf.get(v)!), out: v });
    }
    const size = product(this.shape);
    const reductions = reductionsRaw.map((r) => ({ ...r, value: id(r.value), rows: size / r.length }));
    return { kind: "fused", dtype: this.dtype, shape: this.shape, size, inputs, access, ops, scalar, bool, outputs, reductions };
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
  // Broadcasts stay virtual (kernels read their sources directly) until an equation that is not
  // fused reads them; then they are materialized just before it.
  const virtual = new Map<Var, Broadcast>();
  const materialized = new Set<Var>();
  const materialize = (xs: readonly Atom[]): void => {
    for (const x of xs) {
      const b = x instanceof Var ? virtual.get(x) : undefined;
      if (b === undefined || materialized.has(x as Var)) continue;
      materialized.add(x as Var);
      materialize(b.eqn.inputs);
      schedule.push(b.eqn);
    }
  };
  const plain = (eqn: Eqn) => {
    materialize(eqn.inputs);
    schedule.push(eqn);
  };
  let open = null as Builder | null;
  const flush = () => {
    if (open === null) return;
    const members = new Set(open.members);
    const kernel = open.build((v) => isOutput.has(v) || (readers.get(v) ?? []).some((r) => !members.has(r)));
    const work = kernel.ops.length + kernel.reductions.length;
    // A single cheap operation gains nothing from a generated loop.
    if (work >= 2 || (work === 1 && worthAlone(kernel))) schedule.push(kernel);
    else open.members.forEach(plain);
    open = null;
  };

  for (const eqn of jaxpr.eqns) {
    const site = loopSite(eqn);
    if (site?.access !== undefined) {
      // A broadcast of a virtual broadcast reads the inner source when the two reads compose
      // into one; otherwise the inner one must exist as an array, and this one is an ordinary
      // equation (never a loop member: a loop reads every value at its own index).
      const source = eqn.inputs[0];
      const inner = source instanceof Var ? virtual.get(source) : undefined;
      const access = inner === undefined ? site.access : composed(inner.access, site.access);
      if (access !== null) {
        virtual.set(eqn.outBinders[0], { eqn, source: inner?.source ?? source, access });
        continue;
      }
      if (open !== null && open.touches(eqn)) flush();
      plain(eqn);
      continue;
    }
    if (site !== null && open !== null && open.accepts(eqn, site)) {
      open.add(eqn, site);
      continue;
    }
    if (site !== null && !site.reduction) {
      flush();
      open = new Builder(site.dtype, site.shape, virtual);
      if (open.accepts(eqn, site)) {
        open.add(eqn, site);
        continue;
      }
      open = null;
    }
    // Not fusible here: it runs before the open kernel if it reads none of its values.
    if (open !== null && open.touches(eqn)) flush();
    plain(eqn);
  }
  flush();
  materialize(jaxpr.outs);
  return schedule;
}

/** A readable listing of a fused kernel, in the style of the jaxpr printer. */
export function printKernel(k: FusedKernel, nameOf: (v: Var) => string, binderOf: (v: Var) => string, literal: (l: Lit) => string): string {
  const shown = (a: Access) => (a.kind === "row" ? `[i mod ${a.period}]` : a.kind === "column" ? `[i / ${a.repeat}]` : "");
  const ref = (i: number): string => (i < k.inputs.length ? `${atomName(k.inputs[i])}${shown(k.access[i])}` : `t${i - k.inputs.length}`);
  const atomName = (x: Atom) => (x instanceof Var ? nameOf(x) : literal(x));
  const lines = k.ops.map((op, j) => {
    const name = op.cmp === undefined ? op.prim : `${op.prim}[${op.cmp}]`;
    return `    t${j} = ${name} ${op.args.map(ref).join(" ")}${k.scalar[k.inputs.length + j] ? "  (scalar)" : ""}`;
  });
  for (const r of k.reductions) {
    const over = r.rows === 1 ? "over the loop" : `over each run of ${r.length}`;
    lines.push(`    ${binderOf(r.out)} = ${r.prim} ${ref(r.value)}  (${over})`);
  }
  const outs = k.outputs.map((o) => `${binderOf(o.out)} = ${ref(o.value)}`);
  return [`  fused loop over ${k.dtype}[${k.shape.join(",")}] (${k.size} elements)`, ...lines, `    write ${outs.join(", ") || "nothing"}`].join("\n");
}
