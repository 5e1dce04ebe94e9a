/**
 * @file Fills the rule table from the primitive definitions. Typed over every primitive name, so
 * a primitive without a definition, or a definition without a rule, fails `tsc`. An elementwise
 * primitive's eager kernel is its `lower` rule run by the current backend.
 */
import * as prim from "../primitives/index.js";
import { NO_PARAMS, type PrimName, type PrimParams, type PrimTable, type PrimitiveDef, type PrimitiveRules, type RuleTable } from "./primitive.js";
import type { ConcreteTensor } from "./concrete.js";
import type { DType } from "../dtype.js";
import { primitives } from "./rule-table.js";
import { arg } from "../compiler/alu.js";
import { currentBackend, type Backend } from "../backend/backend.js";

const all: PrimTable = prim;

/** The names of all primitives. */
export const primitiveNames = Object.keys(all) as PrimName[];

/** Fills the rule table (idempotent). The package entry calls it once, before anything runs. */
export function registerPrimitives(): RuleTable {
  if (Object.keys(primitives).length === 0) {
    for (const name of primitiveNames) (primitives as Record<PrimName, unknown>)[name] = complete(all[name] as PrimitiveDef<PrimName>);
  }
  return primitives;
}

function complete<P extends PrimName>(def: PrimitiveDef<P>): PrimitiveRules<P> {
  if (def.impl !== undefined) return def as PrimitiveRules<P>;
  const lower = def.lower;
  // Eager calls repeat: a primitive without params lowers the same way for the same dtypes, so
  // the backend's kernel of the last expression is kept for the next call that matches.
  let last: { backend: Backend; dtypes: DType[]; kernel: (args: readonly ConcreteTensor[]) => ConcreteTensor } | null = null;
  const kernelOf = (args: ConcreteTensor[], params: PrimParams[P]) => {
    const backend = currentBackend();
    const plain = isEmpty(params);
    if (plain && last !== null && last.backend === backend && sameDtypes(last.dtypes, args)) return last.kernel;
    const kernel = backend.elementwise(lower(args.map((x, i) => arg(i, x.dtype)), params));
    if (plain) last = { backend, dtypes: args.map((x) => x.dtype), kernel };
    return kernel;
  };
  return { ...def, impl: (args, params) => [kernelOf(args, params)(args)] };
}

function isEmpty(params: object): boolean {
  if (params === NO_PARAMS) return true;
  for (const _ in params) return false;
  return true;
}

function sameDtypes(dtypes: readonly DType[], args: readonly ConcreteTensor[]): boolean {
  if (dtypes.length !== args.length) return false;
  for (let i = 0; i < args.length; i++) if (args[i].dtype !== dtypes[i]) return false;
  return true;
}

export { primitives };
