/**
 * @file From a function to ONNX nodes: trace it to a jaxpr on given input avals (as `jit` does),
 * inline every `jitCall` (a jitted function is one equation whose params hold its program),
 * simplify (CSE, folding, dead code: the passes `jit` runs), then write each equation through its
 * export rule. The graph's inputs are the tensor leaves in flattening order; its outputs are
 * `Identity` nodes into the names the caller chose.
 */
import { ShapedArray } from "../core/aval.js";
import { ConcreteTensor } from "../core/concrete.js";
import { Jaxpr, Lit, Var, type Atom, type Eqn } from "../core/jaxpr.js";
import { makeJaxprFlat } from "../core/make-jaxpr.js";
import type { PrimName, PrimParams } from "../core/primitive.js";
import { Tensor } from "../core/tensor.js";
import { flatten, unflatten, type TreeDef } from "../core/tree.js";
import { simplify } from "../compiler/simplify.js";
import type { DType } from "../dtype.js";
import { OnnxExportError } from "./errors.js";
import { GraphBuilder, ONNX_TYPE, type Value } from "./graph.js";
import { leafPaths } from "./paths.js";
import { exportRules, type ExportContext } from "./rules/index.js";

type AnyT = Tensor<readonly (number | string)[], DType>;

/** A function traced for export: its flat program, the constants it closed over, its output tree. */
export interface Traced {
  readonly jaxpr: Jaxpr;
  readonly consts: readonly AnyT[];
  readonly outDef: TreeDef;
}

/**
 * Traces `f(...args)` with its tensor leaves replaced by abstract values `avals` (in flattening
 * order; other leaves are passed as they are), inlines its calls and simplifies it.
 */
export function traceForExport(f: (...args: any[]) => unknown, args: readonly unknown[], avals: readonly ShapedArray[]): Traced {
  const [leaves, inDef] = flatten(args);
  let outDef: TreeDef | null = null;
  const closed = makeJaxprFlat((...tracers: AnyT[]) => {
    let k = 0;
    const rebuilt = unflatten<unknown[]>(
      inDef,
      leaves.map((leaf) => (leaf instanceof Tensor ? tracers[k++] : leaf)),
    );
    const [outLeaves, def] = flatten(f(...rebuilt));
    const paths = leafPaths(def);
    outLeaves.forEach((leaf, i) => {
      if (!(leaf instanceof Tensor)) {
        const where = paths[i].length > 0 ? `output ${paths[i].join(".")}` : "the output";
        throw new OnnxExportError(`exportModel: ${where} is a ${typeof leaf} (${String(leaf)}), not a tensor; an ONNX graph outputs tensors only`);
      }
    });
    outDef = def;
    return outLeaves as AnyT[];
  }, avals);
  return { jaxpr: simplify(inlineCalls(closed.jaxpr)), consts: closed.consts, outDef: outDef! };
}

/** `jaxpr` with every `jitCall` replaced by the equations of its program (fresh variables each time). */
function inlineCalls(jaxpr: Jaxpr): Jaxpr {
  const eqns: Eqn[] = [];
  const go = (j: Jaxpr, args: readonly Atom[]): Atom[] => {
    const env = new Map<Var, Atom>();
    j.inBinders.forEach((v, i) => env.set(v, args[i]));
    const read = (x: Atom): Atom => (x instanceof Lit ? x : env.get(x)!);
    for (const eqn of j.eqns) {
      const inputs = eqn.inputs.map(read);
      if (eqn.prim === "jitCall") {
        const outs = go((eqn.params as PrimParams["jitCall"]).jaxpr, inputs);
        eqn.outBinders.forEach((v, i) => env.set(v, outs[i]));
        continue;
      }
      const outBinders = eqn.outBinders.map((v) => new Var(v.aval));
      eqn.outBinders.forEach((v, i) => env.set(v, outBinders[i]));
      eqns.push({ ...eqn, inputs, outBinders });
    }
    return j.outs.map(read);
  };
  const outs = go(jaxpr, jaxpr.inBinders);
  return new Jaxpr(jaxpr.inBinders, eqns, outs);
}

/**
 * Writes `traced` into `g`: its constants as initializers, `inputNames` (one per tensor input,
 * reserved by the caller) as its inputs, and `Identity` nodes into `outputNames`.
 */
export function emitGraph(g: GraphBuilder, traced: Traced, inputNames: readonly string[], outputNames: readonly string[]): void {
  const { jaxpr, consts } = traced;
  const constValues = consts.map((c, i): Value => {
    if (!(c instanceof ConcreteTensor)) {
      throw new OnnxExportError("exportModel: the function closes over a traced value; export it outside any transform");
    }
    return { name: g.constant(ONNX_TYPE[c.dtype], c.shape, c.storage), aval: jaxpr.inBinders[i].aval };
  });
  const inputs = inputNames.map((name, i): Value => ({ name, aval: jaxpr.inBinders[consts.length + i].aval }));
  const ctx: ExportContext = {
    g,
    inline: (inner, args) => emitJaxpr(ctx, inner, args),
    shape: (dims) => g.int64s(dims),
  };
  const outs = emitJaxpr(ctx, jaxpr, [...constValues, ...inputs]);
  outs.forEach((name, i) => g.nodeInto("Identity", [name], [outputNames[i]]));
}

/** Writes the equations of `jaxpr` applied to `inputs`; returns the names of its outputs. */
function emitJaxpr(ctx: ExportContext, jaxpr: Jaxpr, inputs: readonly Value[]): string[] {
  const { g } = ctx;
  const env = new Map<Var, Value>();
  jaxpr.inBinders.forEach((v, i) => env.set(v, inputs[i]));
  const read = (x: Atom): Value =>
    x instanceof Lit ? { name: g.constant(ONNX_TYPE[x.aval.dtype], [], x.val.storage), aval: x.aval } : env.get(x)!;
  for (const eqn of jaxpr.eqns) {
    const outs = applyRule(ctx, eqn, () => eqn.inputs.map(read));
    eqn.outBinders.forEach((v, i) => env.set(v, { name: outs[i], aval: v.aval }));
  }
  return jaxpr.outs.map((x) => read(x).name);
}

/** Applies `eqn`'s rule to its inputs (read in its scope, so that literal constants are its own). */
function applyRule<P extends PrimName>(ctx: ExportContext, eqn: Eqn<P>, readInputs: () => readonly Value[]): readonly string[] {
  const rule = exportRules[eqn.prim];
  if (rule === undefined) {
    throw new OnnxExportError(`exportModel: primitive ${eqn.prim} has no ONNX export rule (src/onnx/rules/)`, eqn.prim);
  }
  const previous = ctx.g.scope;
  ctx.g.scope = eqn.prim;
  try {
    return rule(ctx, readInputs(), eqn.params, eqn.outBinders.map((v) => v.aval));
  } finally {
    ctx.g.scope = previous;
  }
}

/** The abstract value of a tensor leaf. */
export const avalOf = (x: AnyT): ShapedArray => new ShapedArray(x.shape as number[], x.dtype);
