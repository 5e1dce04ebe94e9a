/**
 * @file Elementwise fusion for the JS backend: a run of float elementwise equations of one shape
 * (and scalar broadcasts feeding them) becomes one generated loop that reads each input once and
 * writes only the values needed after the run. Intermediates never touch memory. For float32 every
 * intermediate is rounded with `Math.fround`, exactly as storing it would, so fused and unfused
 * results are identical.
 */
import { ConcreteTensor } from "../../core/concrete.js";
import { Lit, Var, type Eqn, type Jaxpr } from "../../core/jaxpr.js";
import { allocate, isFloat } from "../../dtype.js";
import { sameShape } from "../../core/aval.js";

/** How each fusible primitive reads as a JS expression of its operands. */
const EXPRESSIONS: Record<string, (args: string[]) => string> = {
  add: ([a, b]) => `${a} + ${b}`,
  sub: ([a, b]) => `${a} - ${b}`,
  mul: ([a, b]) => `${a} * ${b}`,
  div: ([a, b]) => `${a} / ${b}`,
  max: ([a, b]) => `Math.max(${a}, ${b})`,
  min: ([a, b]) => `Math.min(${a}, ${b})`,
  pow: ([a, b]) => `Math.pow(${a}, ${b})`,
  neg: ([a]) => `-${a}`,
  exp: ([a]) => `Math.exp(${a})`,
  log: ([a]) => `Math.log(${a})`,
  sqrt: ([a]) => `Math.sqrt(${a})`,
  tanh: ([a]) => `Math.tanh(${a})`,
  abs: ([a]) => `Math.abs(${a})`,
  sin: ([a]) => `Math.sin(${a})`,
  cos: ([a]) => `Math.cos(${a})`,
  broadcastInDim: ([a]) => a,
};

/** A fused run: which registers it reads and writes, and the generated loop. */
export interface FusedGroup {
  /** Jaxpr inputs the loop reads: full-size arrays or scalars (rank 0), as atoms. */
  readonly inputs: readonly (Var | Lit)[];
  /** Vars the loop writes (needed after the run). */
  readonly outputs: readonly Var[];
  readonly run: (ins: readonly ConcreteTensor[]) => ConcreteTensor[];
}

/** The equations of `jaxpr` partitioned into single equations and fused runs (in order). */
export function fuse(jaxpr: Jaxpr): (Eqn | FusedGroup)[] {
  if (!codegenAvailable()) return [...jaxpr.eqns];
  const consumers = new Map<Var, number[]>();
  jaxpr.eqns.forEach((eqn, e) => {
    for (const x of eqn.inputs) if (x instanceof Var) consumers.set(x, [...(consumers.get(x) ?? []), e]);
  });
  const isOutput = new Set(jaxpr.outs.filter((x): x is Var => x instanceof Var));
  const result: (Eqn | FusedGroup)[] = [];
  let group: number[] = [];
  const flush = () => {
    if (group.length >= 2) result.push(build(jaxpr, group, consumers, isOutput));
    else for (const e of group) result.push(jaxpr.eqns[e]);
    group = [];
  };
  for (let e = 0; e < jaxpr.eqns.length; e++) {
    const eqn = jaxpr.eqns[e];
    if (!fusible(eqn)) {
      flush();
      result.push(eqn);
      continue;
    }
    const out = eqn.outBinders[0].aval;
    if (group.length > 0) {
      const first = jaxpr.eqns[group[0]].outBinders[0].aval;
      if (first.dtype !== out.dtype || !sameShape(first.shape, out.shape)) flush();
    }
    group.push(e);
  }
  flush();
  return result;
}

function fusible(eqn: Eqn): boolean {
  if (!(eqn.prim in EXPRESSIONS) || eqn.outBinders.length !== 1) return false;
  const out = eqn.outBinders[0].aval;
  if (!isFloat(out.dtype)) return false;
  if (eqn.prim === "broadcastInDim") return eqn.inputs[0].aval.ndim === 0;
  return eqn.inputs.every((x) => x.aval.dtype === out.dtype && sameShape(x.aval.shape, out.shape));
}

function build(jaxpr: Jaxpr, group: number[], consumers: Map<Var, number[]>, isOutput: Set<Var>): FusedGroup {
  const members = new Set(group);
  const names = new Map<Var, string>();
  const inputs: (Var | Lit)[] = [];
  const dtype = jaxpr.eqns[group[0]].outBinders[0].aval.dtype;
  const round = (expr: string) => (dtype === "float32" ? `Math.fround(${expr})` : expr);
  const header: string[] = [];
  const body: string[] = [];
  const operand = (x: Var | Lit): string => {
    if (x instanceof Var && names.has(x)) return names.get(x)!;
    const k = inputs.length;
    inputs.push(x);
    if (x.aval.ndim === 0) {
      header.push(`const s${k} = ins[${k}][0];`);
      const name = `s${k}`;
      if (x instanceof Var) names.set(x, name);
      return name;
    }
    header.push(`const a${k} = ins[${k}];`);
    const name = `a${k}[i]`;
    names.set(x as Var, name);
    return name;
  };
  const outputs: Var[] = [];
  const stores: string[] = [];
  group.forEach((e, j) => {
    const eqn = jaxpr.eqns[e];
    const args = eqn.inputs.map(operand);
    const v = eqn.outBinders[0];
    body.push(`const t${j} = ${round(EXPRESSIONS[eqn.prim](args.map((a) => `(${a})`)))};`);
    names.set(v, `t${j}`);
    const neededLater = isOutput.has(v) || (consumers.get(v) ?? []).some((c) => !members.has(c));
    if (neededLater) {
      stores.push(`outs[${outputs.length}][i] = t${j};`);
      outputs.push(v);
    }
  });
  const source = `${header.join("\n")}\nfor (let i = 0; i < n; i++) {\n${body.join("\n")}\n${stores.join("\n")}\n}`;
  const loop = new Function("ins", "outs", "n", source) as (ins: ArrayLike<number>[], outs: ArrayLike<number>[], n: number) => void;
  const shape = jaxpr.eqns[group[0]].outBinders[0].aval.shape as number[];
  const n = shape.reduce((a, b) => a * b, 1);
  return {
    inputs,
    outputs,
    run: (ins) => {
      const outs = outputs.map(() => allocate(dtype, n));
      loop(
        ins.map((t) => t.storage),
        outs,
        n,
      );
      return outs.map((o) => ConcreteTensor.wrap(o, shape, dtype));
    },
  };
}

let available: boolean | undefined;

/** Whether this platform lets us generate code (a strict content security policy may not). */
function codegenAvailable(): boolean {
  if (available === undefined) {
    try {
      available = new Function("return 1")() === 1;
    } catch {
      available = false;
    }
  }
  return available;
}
