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
import { windowRules } from "./window.js";
import { indexingRules } from "./indexing.js";
import { controlRules } from "./control.js";
import { cumulativeRules } from "./cumulative.js";
import { sortRules } from "./sort.js";
import type { ExportRules } from "./types.js";

/** Every export rule, by primitive name (calls are also inlined by the exporter itself, see `emit.ts`). */
export const exportRules: ExportRules = {
  ...elementwiseRules,
  ...reduceRules,
  ...layoutRules,
  ...linalgRules,
  ...randomRules,
  ...windowRules,
  ...indexingRules,
  ...controlRules,
  ...cumulativeRules,
  ...sortRules,
};

export type { ExportContext, ExportRule, ExportRules } from "./types.js";
