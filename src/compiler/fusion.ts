/**
 * @file Loop fusion: partitions a jaxpr's equations into single equations and fused kernels. A
 * fused kernel is one loop over the elements of one shape. Fusion knows no primitive by name: it
 * asks each equation's primitive. Elementwise equations (those with a `lower` rule) become kernel-
 * IR instructions of the loop body (compiler/alu.ts); broadcasts (`loopBroadcast`) stay virtual
 * (the loop reads their source as a scalar, a repeating row or a repeating column) and are
 * materialized only for an equation outside any loop; reductions (`loopReduction`) over trailing
 * axes of values in the loop become accumulators (one result per run), and sums over leading axes
 * (bias gradients) strided accumulators (one per element of the kept trailing axes); and only
 * values needed after the kernel are written to memory. Backends lower a `FusedKernel` to code (JS source in
 * backend/js/fuse.ts, WebAssembly SIMD in backend/wasm/elementwise.ts and task-loop.ts).
 *
 * Equations that do not touch an open kernel's values may be scheduled before it, so an
 * unrelated matmul between two elementwise chains does not split them; and a kernel stays open
 * while chains over other shapes are built, so interleaved chains (an optimizer's moments and
 * update, leaf after leaf) each become one loop.
 */
import { sameShape } from "../core/aval.js";
import { Lit, Var, type Atom, type Eqn, type Jaxpr } from "../core/jaxpr.js";
import { primitives } from "../core/rule-table.js";
import { isFloat, SHORT_NAME, type DType } from "../dtype.js";
import { product } from "../shape/arith.js";
import { arg, flatten, showInstr, type AluInstr } from "./alu.js";

/**
 * One operation of the loop body: an ALU instruction on earlier values (by index), or a constant.
 * Values of dtype bool are comparisons (lane masks in SIMD code); the rest have the loop's dtype.
 */
export type FusedOp = AluInstr;

/**
 * A reduction accumulated by the loop: `rows` results, each combining `length` elements. Over
 * trailing axes (`strided` false), each result combines `length` consecutive elements (one result
 * of every element for a full reduction); over leading axes (`strided`, sums only), result j
 * combines the elements i ≡ j (mod rows).
 */
export interface FusedReduction {
  /** How elements combine: `add` (a sum, accumulated in float64) or `max`. */
  readonly op: "Add" | "Max";
  /** The reduced value. */
  readonly value: number;
  /** The result (rank 0 for a full reduction). */
  readonly out: Var;
  readonly rows: number;
  readonly length: number;
  readonly strided: boolean;
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
  const def = primitives[eqn.prim];
  const out = eqn.outBinders[0].aval;
  if (def.loopBroadcast !== undefined) {
    const x = eqn.inputs[0].aval;
    if (x.dtype !== out.dtype || !isFloat(out.dtype)) return null;
    if (x.ndim === 0) return { dtype: out.dtype, shape: out.shape, reduction: false, access: { kind: "scalar" } };
    const access = broadcastAccess(x.shape as number[], out.shape as number[], def.loopBroadcast(eqn.params as never));
    return access === null ? null : { dtype: out.dtype, shape: out.shape, reduction: false, access };
  }
  if (def.loopReduction !== undefined) {
    const x = eqn.inputs[0].aval;
    return isFloat(x.dtype) && (trailingLength(eqn) > 0 || leadingPeriod(eqn) > 0) ? { dtype: x.dtype, shape: x.shape, reduction: true } : null;
  }
  if (def.lower === undefined) return null;
  // Elementwise: every operand has the result's shape, and every value is of the loop's float
  // dtype or bool (a condition or comparison, kept as a mask).
  const dtypes = [out.dtype, ...eqn.inputs.map((x) => x.aval.dtype)];
  const dtype = dtypes.find(isFloat);
  if (dtype === undefined || dtypes.some((d) => d !== dtype && d !== "bool")) return null;
  return eqn.inputs.every((x) => sameShape(x.aval.shape, out.shape)) ? { dtype, shape: out.shape, reduction: false } : null;
}

/** The reduction an equation performs in a loop (its primitive's `loopReduction`), or undefined. */
function reductionOf(eqn: Eqn): { readonly op: "Add" | "Max"; readonly axes: readonly number[] } | undefined {
  return primitives[eqn.prim].loopReduction?.(eqn.params as never);
}

/**
 * Elements per result of a reduction over trailing axes (the axes k…ndim−1 for some k); 0 when
 * the axes are not trailing or a result would combine no element (reduceMax of nothing throws
 * in its own kernel).
 */
function trailingLength(eqn: Eqn): number {
  const x = eqn.inputs[0].aval;
  const axes = [...(reductionOf(eqn)?.axes ?? [])].sort((a, b) => a - b);
  if (x.ndim === 0 || axes.length === 0 || axes.some((a, i) => a !== x.ndim - axes.length + i)) return 0;
  return product(x.shape.slice(x.ndim - axes.length));
}

/**
 * Elements of the kept trailing axes of a sum over leading axes (the axes 0…k−1 for some k below
 * the rank): the results of the strided accumulation; 0 for any other reduction or an empty operand.
 */
function leadingPeriod(eqn: Eqn): number {
  const x = eqn.inputs[0].aval;
  const reduction = reductionOf(eqn);
  if (reduction?.op !== "Add" || x.size === 0) return 0;
  const axes = [...reduction.axes].sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= x.ndim || axes.some((a, i) => a !== i)) return 0;
  return product(x.shape.slice(axes.length));
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

  /** This kernel without the strided reductions (they read its values, so they can follow it as equations). */
  withoutStrided(): { kernel: Builder; dropped: Eqn[] } | null {
    const dropped = this.members.filter((eqn) => leadingPeriod(eqn) > 0 && trailingLength(eqn) === 0);
    if (dropped.length === 0) return null;
    const kernel = new Builder(this.dtype, this.shape, this.virtual);
    for (const eqn of this.members) if (!dropped.includes(eqn)) kernel.add(eqn, loopSite(eqn)!);
    return { kernel, dropped };
  }

  /** The kernel, keeping as outputs the values that `liveAfter` says are read later. */
  build(liveAfter: (v: Var) => boolean): FusedKernel {
    const inputs: Atom[] = [];
    const access: Access[] = [];
    const inputKey = new Map<string, number>();
    const atomIds = new Map<Atom, number>();
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
      return k;
    };
    // Inputs first, in the order the members read them, so that values k < inputs.length are
    // the inputs and the body's instructions follow.
    const made = (x: Atom) => x instanceof Var && this.produced.has(x);
    const inputOf = (x: Atom): number => {
      const b = x instanceof Var ? this.virtual.get(x) : undefined;
      if (b !== undefined) return input(b.source, b.access);
      return input(x, x.aval.ndim === 0 ? { kind: "scalar" } : { kind: "flat" });
    };
    for (const eqn of this.members) for (const x of eqn.inputs) if (!made(x)) inputOf(x);
    const n = inputs.length;
    const valueOf = new Map<Var, number>();
    const operand = (x: Atom): number => valueOf.get(x as Var) ?? inputOf(x);
    const ops: FusedOp[] = [];
    const seen = new Map<string, number>();
    const reductionsRaw: Omit<FusedReduction, "rows">[] = [];
    for (const eqn of this.members) {
      const out = eqn.outBinders[0];
      const reduction = reductionOf(eqn);
      if (reduction !== undefined) {
        const trailing = trailingLength(eqn);
        const length = trailing > 0 ? trailing : product(this.shape) / leadingPeriod(eqn);
        reductionsRaw.push({ op: reduction.op, value: operand(eqn.inputs[0]), out, length, strided: trailing === 0 });
        continue;
      }
      const lower = primitives[eqn.prim].lower!;
      const expr = lower(eqn.inputs.map((x, i) => arg(i, x.aval.dtype)), eqn.params as never);
      valueOf.set(out, flatten(expr, eqn.inputs.map(operand), ops, n, seen));
    }
    const scalar = access.map((a) => a.kind === "scalar");
    const bool = inputs.map((x) => x.aval.dtype === "bool");
    for (const op of ops) {
      scalar.push(op.args.every((a) => scalar[a]));
      bool.push(op.dtype === "bool");
    }
    const outputs: { value: number; out: Var }[] = [];
    for (const eqn of this.members) {
      const v = eqn.outBinders[0];
      if (reductionOf(eqn) === undefined && liveAfter(v)) outputs.push({ value: valueOf.get(v)!, out: v });
    }
    const size = product(this.shape);
    const reductions = reductionsRaw.map((r) => ({ ...r, rows: size / r.length }));
    return { kind: "fused", dtype: this.dtype, shape: this.shape, size, inputs, access, ops, scalar, bool, outputs, reductions };
  }
}

/**
 * The equations of `jaxpr` as a schedule of single equations and fused kernels. A kernel is kept
 * only if `keep` accepts it (the planner: the backend compiles it, and it holds enough work);
 * otherwise its equations run one by one. Sums over leading axes leave a kernel (and run after it)
 * where it is not kept with them, or where they would cost it the lowering `vectorized` says is
 * the fast one.
 */
export function fuse(jaxpr: Jaxpr, keep: (k: FusedKernel) => boolean, vectorized: (k: FusedKernel) => boolean = () => false): (Eqn | FusedKernel)[] {
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
  // Kernels under construction, oldest first: one per loop site at most. Several stay open at once
  // so that interleaved chains over different shapes (an optimizer's update, written leaf by leaf
  // for each of its moments) each gather into one loop instead of a loop per step of the chain.
  const open: Builder[] = [];
  const built = (b: Builder) => {
    const members = new Set(b.members);
    return b.build((v) => isOutput.has(v) || (readers.get(v) ?? []).some((r) => !members.has(r)));
  };
  const emit = (b: Builder) => {
    const kernel = built(b);
    const fallback = b.withoutStrided();
    const rest = fallback === null ? null : built(fallback.kernel);
    // A lowering that cannot take the strided accumulators (a period off its vectors) still gets
    // the loop, with the sums after it as equations.
    if (rest === null || (keep(kernel) && (vectorized(kernel) || !vectorized(rest)))) {
      if (keep(kernel)) schedule.push(kernel);
      else b.members.forEach(plain);
    } else {
      if (keep(rest)) schedule.push(rest);
      else fallback!.kernel.members.forEach(plain);
      fallback!.dropped.forEach(plain);
    }
  };
  // No open kernel reads another open kernel's values: an equation that reads a kernel's values
  // closes that kernel first (below), so any open kernel can close at any time.
  const flush = (b: Builder) => {
    open.splice(open.indexOf(b), 1);
    emit(b);
  };
  // Where each equation stands, and the later reductions taken into kernels ahead of their turn.
  const position = new Map<Eqn, number>(jaxpr.eqns.map((eqn, i) => [eqn, i]));
  const pulled = new Set<Eqn>();
  /**
   * Takes into `b`, before it closes at equation `at`, the later reductions that read only its
   * values (a bias gradient summing the masked cotangent that a scatter or a product, which cannot
   * join the loop, also reads): they accumulate as the loop writes, instead of reading the values
   * back in a loop of their own. Moving a sum earlier is safe: its inputs are all made by then.
   */
  const pullReductions = (b: Builder, at: number) => {
    for (const v of [...b.produced]) {
      for (const r of readers.get(v) ?? []) {
        if (pulled.has(r) || position.get(r)! <= at || r.outBinders.length !== 1) continue;
        const site = loopSite(r);
        if (site === null || !site.reduction || !r.inputs.every((x) => !(x instanceof Var) || b.produced.has(x))) continue;
        if (!b.accepts(r, site)) continue;
        b.add(r, site);
        pulled.add(r);
      }
    }
  };
  /** Closes every open kernel whose values `eqn` (equation `at` of the program) reads. */
  const flushReadBy = (eqn: Eqn, at: number) => {
    for (const b of [...open]) {
      if (!b.touches(eqn)) continue;
      pullReductions(b, at);
      flush(b);
    }
  };

  for (const [at, eqn] of jaxpr.eqns.entries()) {
    if (pulled.has(eqn)) continue;
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
      flushReadBy(eqn, at);
      plain(eqn);
      continue;
    }
    if (site !== null) {
      // The kernel of this site, once the other kernels this equation reads are closed.
      const target = open.find((b) => b.dtype === site.dtype && sameShape(b.shape, site.shape)) ?? null;
      for (const b of [...open]) if (b !== target && b.touches(eqn)) flush(b);
      if (target !== null && target.accepts(eqn, site)) {
        target.add(eqn, site);
        continue;
      }
      // A reduction opens a loop of its own too: a sum over leading axes of an array (a bias
      // gradient) is a strided accumulation, faster in a loop than in the general reduce kernel.
      if (target === null || !site.reduction) {
        if (target !== null) flush(target);
        const fresh = new Builder(site.dtype, site.shape, virtual);
        if (fresh.accepts(eqn, site)) {
          fresh.add(eqn, site);
          open.push(fresh);
          if (open.length > MAX_OPEN_KERNELS) flush(open[0]);
          continue;
        }
      }
    }
    // Not fusible here: it runs before the open kernels whose values it does not read.
    flushReadBy(eqn, at);
    plain(eqn);
  }
  while (open.length > 0) flush(open[0]);
  materialize(jaxpr.outs);
  return schedule;
}

/** Kernels open at once in `fuse` (the oldest closes beyond): bounds how long a loop's operands stay alive. */
const MAX_OPEN_KERNELS = 8;

/** A readable listing of a fused kernel, in the style of the jaxpr printer. */
export function printKernel(k: FusedKernel, nameOf: (v: Var) => string, binderOf: (v: Var) => string, literal: (l: Lit) => string): string {
  const shown = (a: Access) => (a.kind === "row" ? `[i mod ${a.period}]` : a.kind === "column" ? `[i / ${a.repeat}]` : "");
  const ref = (i: number): string => (i < k.inputs.length ? `${atomName(k.inputs[i])}${shown(k.access[i])}` : `t${i - k.inputs.length}`);
  const atomName = (x: Atom) => (x instanceof Var ? nameOf(x) : literal(x));
  const lines = k.ops.map((op, j) => `    t${j} = ${showInstr(op, ref, (d) => SHORT_NAME[d])}${k.scalar[k.inputs.length + j] ? "  (scalar)" : ""}`);
  for (const r of k.reductions) {
    const over = r.rows === 1 ? "over the loop" : r.strided ? `over leading axes: element i into result i mod ${r.rows}` : `over each run of ${r.length}`;
    lines.push(`    ${binderOf(r.out)} = reduce[${r.op}] ${ref(r.value)}  (${over})`);
  }
  const outs = k.outputs.map((o) => `${binderOf(o.out)} = ${ref(o.value)}`);
  return [`  fused loop over ${k.dtype}[${k.shape.join(",")}] (${k.size} elements)`, ...lines, `    write ${outs.join(", ") || "nothing"}`].join("\n");
}

/**
 * The structure of a fused kernel as a string, without its sizes: equal keys compile to the same
 * code (the dtype, the kind of each input read, the instructions with the code generators' own
 * constants, the outputs and the kinds of reductions), whatever program the kernel came from.
 * Scalar inputs, literals included, are read by the code, and the sizes (element count, periods
 * of row and column reads, reduction lengths) are arguments of the compiled loop, so neither is
 * part of the key: kernels that differ only in a constant or a size share one compiled loop.
 */
export function structureKey(k: FusedKernel): string {
  const ops = k.ops.map((op) => (op.op === "Const" ? `c${Object.is(op.value, -0) ? "-0" : op.value}` : `${op.op}:${op.dtype}(${op.args.join(",")})`)).join(";");
  const reads = k.inputs.map((x, i) => `${x.aval.dtype}:${k.access[i].kind}`).join(",");
  const outs = k.outputs.map((o) => o.value).join(",");
  const reductions = k.reductions.map((r) => `${r.op}:${r.value}:${r.strided ? "strided" : r.rows === 1 ? "full" : "trailing"}`).join(",");
  return `${k.dtype}|${reads}|${ops}|${outs}|${reductions}`;
}
