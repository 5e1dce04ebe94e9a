/**
 * @file Fills the rule table from the primitive definitions. Typed over every primitive name, so
 * a primitive without a definition, or a definition without a rule, fails `tsc`.
 */
import * as prim from "../primitives/index.js";
import type { PrimName, PrimTable } from "./primitive.js";
import { primitives } from "./rule-table.js";

const all: PrimTable = prim;
Object.assign(primitives, all);

/** The names of all primitives. */
export const primitiveNames = Object.keys(all) as PrimName[];

export { primitives };
