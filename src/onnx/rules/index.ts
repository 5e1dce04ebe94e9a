/**
 * @file The export table: for each primitive, the rule that writes it as ONNX nodes. Adding a
 * primitive's export is one entry in one of the files merged here (or a new file for a new
 * family); a primitive without an entry exports as an `OnnxExportError` naming it.
 */
import { elementwiseRules } from "./elementwise.js";
import { layoutRules } from "./layout.js";
import { linalgRules } from "./linalg.js";
import { randomRules } from "./random.js";
import { reduceRules } from "./reduce.js";
import type { ExportRules } from "./types.js";

/** Every export rule, by primitive name (`jitCall` is inlined by the exporter itself). */
export const exportRules: ExportRules = {
  ...elementwiseRules,
  ...reduceRules,
  ...layoutRules,
  ...linalgRules,
  ...randomRules,
  // The exporter inlines calls before simplifying (so CSE and dead-code elimination see through
  // them); this entry writes any call still met, e.g. in a program a future rule emits itself.
  jitCall: (ctx, inputs, { jaxpr }) => ctx.inline(jaxpr, inputs),
};

export type { ExportContext, ExportRule, ExportRules } from "./types.js";
