/**
 * @file The table of primitive rules, filled in once by `registerPrimitives` (core/registry.ts,
 * called from the package entry). It has no imports of its own so that the tracing machinery can
 * depend on it without an import cycle through the primitives (which themselves use the tracing
 * machinery).
 */
import type { RuleTable } from "./primitive.js";

/** Every primitive's rules, by name (complete once `registerPrimitives` has run). */
export const primitives = {} as RuleTable;
