/**
 * @file Fills the rule table from the primitive definitions. Typed over every primitive name, so
 * a primitive without a definition, or a definition without a rule, fails `tsc`. An elementwise
 * primitive's eager kernel is its `lower` rule run by the current backend.
 */
import * as prim from "../primitives/index.js";
import type { PrimName, PrimTable, PrimitiveDef, PrimitiveRules, RuleTable } from "./primitive.js";
import { primitives } from "./rule-table.js";
import { arg } from "../compiler/alu.js";
import { currentBackend } from "../backend/backend.js";

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
  return {
    ...def,
    impl: (args, params) => [currentBackend().elementwise(lower(args.map((x, i) => arg(i, x.dtype)), params), args)],
  };
}

export { primitives };
