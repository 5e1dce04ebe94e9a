/**
 * @file The IR (a "jaxpr", Autodidax Part 2): variables, literals, equations and a typed, printable
 * program; `evalJaxpr` interprets it by binding each equation, so it runs under any transform.
 */
import { ShapedArray } from "./aval.js";
import { ConcreteTensor } from "./concrete.js";
import type { PrimName, PrimParams } from "./primitive.js";
import { primitives } from "./rule-table.js";
import { bind } from "./trace.js";
import type { Tensor } from "./tensor.js";
import type { DType } from "../dtype.js";

type AnyT = Tensor<readonly (number | string)[], DType>;

/** A variable of the IR; identity is object identity. */
export class Var {
  constructor(readonly aval: ShapedArray) {}
}

/** A scalar constant written inline in the IR. */
export class Lit {
  readonly aval: ShapedArray;
  constructor(readonly val: ConcreteTensor) {
    this.aval = val.aval;
  }
}

/** An operand of an equation. */
export type Atom = Var | Lit;

/** One primitive application: `outBinders = prim[params] inputs`. */
export interface Eqn<P extends PrimName = PrimName> {
  readonly prim: P;
  readonly inputs: readonly Atom[];
  readonly params: PrimParams[P];
  readonly outBinders: readonly Var[];
}

/**
 * A first-order program over tensors: inputs, equations in order, outputs.
 * @category Transforms
 */
export class Jaxpr {
  constructor(
    /** The input variables, in argument order (a closed jaxpr's constants first). */
    readonly inBinders: readonly Var[],
    /** The equations, each one primitive applied to earlier variables or literals, in order. */
    readonly eqns: readonly Eqn[],
    /** The outputs: variables bound above, or literals. */
    readonly outs: readonly Atom[],
  ) {}

  /** The shape and dtype of each input. */
  get avalsIn(): ShapedArray[] {
    return this.inBinders.map((v) => v.aval);
  }

  /** The shape and dtype of each output. */
  get avalsOut(): ShapedArray[] {
    return this.outs.map((x) => x.aval);
  }

  /** The program as text, e.g. `{ lambda a:f32[3] . let b:f32[3] = exp a in ( b ) }` over several lines. */
  toString(): string {
    return printJaxpr(this);
  }
}

/**
 * A jaxpr with the values of its leading `consts.length` inputs: what `makeJaxpr` returns.
 * @category Transforms
 */
export class ClosedJaxpr {
  constructor(
    /** The program; its first `consts.length` inputs are the constants. */
    readonly jaxpr: Jaxpr,
    /** The values of the constants the traced function closed over, in input order. */
    readonly consts: readonly AnyT[],
  ) {}

  /** The program as text, constants listed in brackets before the arguments. */
  toString(): string {
    return printJaxpr(this.jaxpr, this.consts.length);
  }
}

/** Checks that every equation's output types follow from its inputs by the shape rules. */
export function typecheckJaxpr(jaxpr: Jaxpr): void {
  const env = new Set<Var>(jaxpr.inBinders);
  const known = (x: Atom): ShapedArray => {
    if (x instanceof Var && !env.has(x)) throw new Error("typecheckJaxpr: variable used before it is bound");
    return x.aval;
  };
  for (const eqn of jaxpr.eqns) {
    const avalsOut = primitives[eqn.prim].shape(eqn.inputs.map(known), eqn.params as never);
    eqn.outBinders.forEach((v, i) => {
      if (!v.aval.equals(avalsOut[i])) {
        throw new Error(`typecheckJaxpr: ${eqn.prim} gives ${avalsOut[i]} but binds ${v.aval}`);
      }
      if (env.has(v)) throw new Error("typecheckJaxpr: variable bound twice");
      env.add(v);
    });
  }
  jaxpr.outs.forEach(known);
}

/** Runs a jaxpr on tensors (concrete or traced) by binding each equation in order. */
export function evalJaxpr(jaxpr: Jaxpr, args: readonly AnyT[]): AnyT[] {
  const env = new Map<Var, AnyT>();
  const read = (x: Atom): AnyT => (x instanceof Lit ? x.val : env.get(x)!);
  jaxpr.inBinders.forEach((v, i) => env.set(v, args[i]));
  for (const eqn of jaxpr.eqns) {
    const outs = bind(eqn.prim, eqn.inputs.map(read), eqn.params);
    eqn.outBinders.forEach((v, i) => env.set(v, outs[i]));
  }
  return jaxpr.outs.map(read);
}

// ---- printer ----

/** Prints a jaxpr as `{ lambda a:f32[3] . let b:f32[3] = exp a … in ( b ) }`, naming variables a, b, c, … */
export function printJaxpr(jaxpr: Jaxpr, numConsts = 0): string {
  return new Printer().jaxpr(jaxpr, numConsts, 0);
}

/** Names variables a, b, c, … in order of first appearance, and prints atoms, equations and jaxprs. */
export class Printer {
  private readonly names = new Map<Var, string>();

  name(v: Var): string {
    let n = this.names.get(v);
    if (n === undefined) {
      n = varName(this.names.size);
      this.names.set(v, n);
    }
    return n;
  }

  atom(x: Atom): string {
    return x instanceof Lit ? formatLiteral(x.val) : this.name(x);
  }

  binder(v: Var): string {
    return `${this.name(v)}:${v.aval}`;
  }

  jaxpr(jaxpr: Jaxpr, numConsts: number, indent: number): string {
    const pad = " ".repeat(indent);
    const consts = jaxpr.inBinders.slice(0, numConsts).map((v) => this.binder(v));
    const args = jaxpr.inBinders.slice(numConsts).map((v) => this.binder(v));
    const head = consts.length > 0 ? `[${consts.join(", ")}] ; ${args.join(", ")}` : args.join(", ");
    const lines = jaxpr.eqns.map((eqn) => this.eqn(eqn, indent + 6));
    const outs = jaxpr.outs.map((x) => this.atom(x)).join(", ");
    if (lines.length === 0) return `{ lambda ${head} .\n${pad}  let\n${pad}  in ( ${outs} ) }`;
    const body = lines.map((l, i) => (i === 0 ? `${pad}  let ${l}` : `${pad}      ${l}`)).join("\n");
    return `{ lambda ${head} .\n${body}\n${pad}  in ( ${outs} ) }`;
  }

  eqn(eqn: Eqn, indent: number): string {
    const lhs = eqn.outBinders.map((v) => this.binder(v)).join(" ");
    const params = this.params(eqn, indent);
    const rhs = eqn.inputs.map((x) => this.atom(x)).join(" ");
    return `${lhs} = ${eqn.prim}${params} ${rhs}`;
  }

  private params(eqn: Eqn, indent: number): string {
    const entries = Object.entries(eqn.params as object);
    if (entries.length === 0) return "";
    const shown = entries.map(([k, v]) => {
      if (v instanceof Jaxpr) {
        // a call's leading inputs are its constants (params name how many), printed apart
        const numConsts = (eqn.params as { numConsts?: number }).numConsts ?? 0;
        return `${k}=${new Printer().jaxpr(v, numConsts, indent + 2)}`;
      }
      if (Array.isArray(v) && v.length > 0 && v.every((b) => b instanceof Jaxpr)) {
        // the branches of a cond, one per line
        return `${k}=(\n${v.map((b: Jaxpr) => `${" ".repeat(indent + 2)}${new Printer().jaxpr(b, 0, indent + 2)}`).join("\n")} )`;
      }
      return `${k}=${JSON.stringify(v).replace(/"/g, "")}`;
    });
    return `[${shown.join(", ")}]`;
  }
}

function varName(i: number): string {
  let s = "";
  do {
    s = String.fromCharCode(97 + (i % 26)) + s;
    i = Math.floor(i / 26) - 1;
  } while (i >= 0);
  return s;
}

function formatLiteral(t: ConcreteTensor): string {
  const v = t.storage[0];
  if (t.dtype === "bool") return v ? "True" : "False";
  if (t.dtype === "int32") return String(v);
  if (Object.is(v, -0)) return "-0.0";
  return Number.isInteger(v) ? `${v}.0` : String(v);
}
