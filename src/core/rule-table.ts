/**
 * @file The table of primitive definitions, filled in by `registry.ts`. It has no imports of its
 * own so that the tracing machinery can depend on it without an import cycle through the
 * primitives (which themselves use the tracing machinery).
 */
import type { PrimTable } from "./primitive.js";

/** Every primitive's definition, by name (complete once `registry.ts` has run). */
export const primitives = {} as PrimTable;
