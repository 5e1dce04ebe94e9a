/**
 * @file What an export rule is: the ONNX nodes of one primitive application. A rule gets the
 * names and abstract values of the equation's inputs, its params and output avals, and returns
 * the names of the values that hold its outputs.
 */
import type { ShapedArray } from "../../core/aval.js";
import type { Jaxpr } from "../../core/jaxpr.js";
import type { PrimName, PrimParams } from "../../core/primitive.js";
import type { GraphBuilder, Value } from "../graph.js";

/** What a rule may ask of the exporter besides the graph itself. */
export interface ExportContext {
  readonly g: GraphBuilder;
  /** Writes `jaxpr` applied to `inputs` into the graph and returns its outputs (for calls). */
  inline(jaxpr: Jaxpr, inputs: readonly Value[]): string[];
  /**
   * A 1-d int64 tensor holding a shape `dims` of the program (a `Reshape` or `Expand` target).
   * With a symbolic dim the exporter computes it from the inputs' shapes at run time; a rule
   * must take every shape-valued param it passes to ONNX from here, never from `g.int64s`.
   */
  shape(dims: readonly number[]): string;
}

/** The ONNX nodes of one primitive: returns the names holding the equation's outputs. */
export type ExportRule<P extends PrimName> = (
  ctx: ExportContext,
  inputs: readonly Value[],
  params: PrimParams[P],
  outs: readonly ShapedArray[],
) => readonly string[];

/**
 * Export rules by primitive name. Partial on purpose: a primitive added to typegrad without an
 * entry here exports as an `OnnxExportError` naming it, not as a compile error elsewhere.
 */
export type ExportRules = { readonly [P in PrimName]?: ExportRule<P> };

/** A rule that reads no params: fits every primitive's entry. */
export type AnyRule = (ctx: ExportContext, inputs: readonly Value[], params: unknown, outs: readonly ShapedArray[]) => readonly string[];
