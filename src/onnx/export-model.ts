/**
 * @file `exportModel`: a typegrad function, traced on example arguments, as an ONNX model file.
 * Inputs and outputs are named by their pytree paths; dims named in `dynamicAxes` become symbolic
 * (`symbolic.ts`); the bytes are written by protobufjs (`encode.ts`).
 */
import { ShapedArray } from "../core/aval.js";
import { Tensor } from "../core/tensor.js";
import { flatten, type TreeDef } from "../core/tree.js";
import type { DType } from "../dtype.js";
import { encodeModel, type DimProto, type ValueInfoProto } from "./encode.js";
import { avalOf, emitGraph, traceForExport, type Traced } from "./emit.js";
import { OnnxExportError } from "./errors.js";
import { GraphBuilder, ONNX_TYPE } from "./graph.js";
import { joinPath, leafPaths } from "./paths.js";
import { DATA_TYPE } from "./schema.js";
import { checkJoint, computeInitializers, dimParam, solve, type DimSource, type Sample } from "./symbolic.js";

type AnyT = Tensor<readonly (number | string)[], DType>;

/**
 * The opsets an export can target (`ai.onnx` domain).
 * @category ONNX
 */
export const MIN_OPSET = 13;
/**
 * The newest opset an export can target.
 * @category ONNX
 */
export const MAX_OPSET = 21;
/**
 * The opset of an export that names none: the first with the bitwise ops `random` needs.
 * @category ONNX
 */
export const DEFAULT_OPSET = 18;

/**
 * Options of `exportModel`.
 * @category ONNX
 */
export interface ExportOptions {
  /** ONNX opset version, 13 to 21 (default 18; `random`'s Threefry needs 18 or later). */
  readonly opset?: number;
  /** A name per argument of `f`: its tensor leaves are inputs named `name.path` (default `arg0`, `arg1`, …). */
  readonly inputNames?: readonly string[];
  /**
   * A name per element of `f`'s result when it is an array (or one name for a single tensor):
   * its leaves are outputs named `name.path`. By default a single tensor is `output`, an array's
   * leaves `output.0…`, and a record's leaves are named by their paths.
   */
  readonly outputNames?: readonly string[];
  /**
   * Symbolic dims, by input name and axis: `{ x: { 0: "batch" }, y: { 0: "batch" } }` makes axis
   * 0 of inputs `x` and `y` the symbolic dim `batch` (ONNX `dim_param`), so that the model runs on
   * any batch size. The example arguments give one size; the program must treat the dim as a
   * size (reshape targets and counts that follow it linearly), or the export says which
   * primitive does not.
   */
  readonly dynamicAxes?: Readonly<Record<string, Readonly<Record<number, string>>>>;
  /** The graph's name (default `typegrad`). */
  readonly name?: string;
}

/** One tensor input of the graph. */
interface Input {
  readonly name: string;
  readonly aval: ShapedArray;
  readonly dims: ReadonlyMap<number, string>;
}

/**
 * Exports `f` as an ONNX model: traces it on `exampleArgs` (their shapes and dtypes; other leaves
 * are static), inlines jitted calls, and writes every primitive as ONNX ops. Returns the bytes of
 * the `.onnx` file, which ONNX Runtime (or any ONNX consumer) runs. A whole training step exports
 * too: loss, gradient and optimizer update are one program.
 * Throws `OnnxExportError` for a primitive with no ONNX form (naming it), a non-tensor output or
 * a symbolic dim the program does not follow; `RangeError`/`TypeError` for bad options.
 * @example
 * const model = nn.serial(nn.dense(784, 10));
 * const params = model.init(random.key(0));
 * const bytes = exportModel((p: typeof params, x: Tensor<[number, 784]>) => model.apply(p, x), [params, zeros([1, 784])], {
 *   inputNames: ["params", "x"], outputNames: ["logits"], dynamicAxes: { x: { 0: "batch" } },
 * });
 * @typeParam F - The function's type; `exampleArgs` are its parameters.
 * @category ONNX
 */
export function exportModel<F extends (...args: any[]) => any>(f: F, exampleArgs: Parameters<F>, options: ExportOptions = {}): Uint8Array {
  const opset = options.opset ?? DEFAULT_OPSET;
  if (!(Number.isInteger(opset) && opset >= MIN_OPSET && opset <= MAX_OPSET)) {
    throw new RangeError(`exportModel: opset ${opset} is not supported; use ${MIN_OPSET} to ${MAX_OPSET}`);
  }
  if (!Array.isArray(exampleArgs)) throw new TypeError("exportModel: exampleArgs must be an array of the function's arguments");
  const inputs = graphInputs(exampleArgs, options);
  const sources = dimSources(inputs);
  const at = (sizes: Readonly<Record<string, number>>, share: boolean): Sample & { traced: Traced; outputs: string[] } => {
    const avals = inputs.map(({ aval, dims }) => new ShapedArray(aval.shape.map((d, axis) => (dims.has(axis) ? sizes[dims.get(axis)!] : d)), aval.dtype));
    const traced = traceAt(f, exampleArgs, avals, sizes);
    const outputs = outputNames(traced.outDef, options.outputNames);
    const g = new GraphBuilder(opset, share);
    [...inputs.map((i) => i.name), ...outputs].forEach((name) => {
      if (!g.reserve(name)) throw new OnnxExportError(`exportModel: two inputs or outputs are both named "${name}"; pass inputNames/outputNames that differ`);
    });
    emitGraph(g, traced, inputs.map((i) => i.name), outputs);
    const outShapes = traced.jaxpr.outs.map((x) => x.aval.shape);
    return { sizes, g, outShapes, traced, outputs };
  };

  const names = [...new Set(sources.map((s) => s.name))];
  // The sizes tried keep clear of every fixed dim of the inputs: a symbolic size equal to one (a
  // batch of 10 beside 10 classes) can let CSE merge values that differ at other sizes.
  const fixed = new Set(inputs.flatMap(({ aval, dims }) => aval.shape.filter((_, axis) => !dims.has(axis))));
  const base: Record<string, number> = {};
  for (const s of sources) {
    let n = Math.max(inputs.find((i) => i.name === s.input)!.aval.shape[s.axis], 2);
    while ([0, 1, 2, 3].some((k) => fixed.has(n + k) || Object.values(base).includes(n + k))) n++;
    base[s.name] = n;
  }
  const first = at(base, names.length === 0);
  let outDims: DimProto[][] = first.outShapes.map((shape) => shape.map((d) => ({ dimValue: d })));
  if (names.length > 0) {
    const moved: Record<string, [Sample, Sample]> = {};
    for (const name of names) moved[name] = [at({ ...base, [name]: base[name] + 1 }, false), at({ ...base, [name]: base[name] + 2 }, false)];
    const solved = solve(first, moved);
    if (names.length > 1) checkJoint(first, solved, at(Object.fromEntries(names.map((n) => [n, base[n] + 1])), false));
    computeInitializers(first.g, solved.inits, sources);
    outDims = solved.outDims.map((dims) => dims.map((f) => (Object.keys(f.a).length === 0 ? { dimValue: f.c } : { dimParam: dimParam(f) })));
  }

  const valueInfo = (name: string, dtype: DType, dims: readonly DimProto[]): ValueInfoProto => ({
    name,
    type: { tensorType: { elemType: DATA_TYPE[ONNX_TYPE[dtype]], shape: { dim: dims } } },
  });
  const outAvals = first.traced.jaxpr.outs.map((x) => x.aval);
  return encodeModel({
    irVersion: opset <= 18 ? 8 : opset <= 20 ? 9 : 10,
    producerName: "typegrad",
    producerVersion: "0.1.0",
    opsetImport: [{ domain: "", version: opset }],
    graph: {
      name: options.name ?? "typegrad",
      node: first.g.nodes,
      initializer: first.g.initializers,
      input: inputs.map(({ name, aval, dims }) =>
        valueInfo(name, aval.dtype, aval.shape.map((d, axis) => (dims.has(axis) ? { dimParam: dims.get(axis)! } : { dimValue: d }))),
      ),
      output: first.outputs.map((name, i) => valueInfo(name, outAvals[i].dtype, outDims[i])),
    },
  });
}

/**
 * `traceForExport` at the sizes given to the symbolic dims. A function that fails at a size other
 * than its example's (it fixed the dim somewhere) gets an `OnnxExportError` saying so, with the
 * original error as its cause.
 */
function traceAt(f: (...args: any[]) => unknown, args: readonly unknown[], avals: readonly ShapedArray[], sizes: Readonly<Record<string, number>>): Traced {
  try {
    return traceForExport(f, args, avals);
  } catch (e) {
    if (e instanceof OnnxExportError || Object.keys(sizes).length === 0) throw e;
    const at = Object.entries(sizes).map(([name, n]) => `${name} = ${n}`).join(", ");
    const error = new OnnxExportError(`exportModel: the function fails when traced with symbolic dims at ${at}, so they cannot be symbolic: ${e instanceof Error ? e.message : String(e)}`);
    throw Object.assign(error, { cause: e });
  }
}

/** The tensor leaves of the arguments, named by path, with the symbolic dims asked for. */
function graphInputs(args: readonly unknown[], options: ExportOptions): Input[] {
  const { inputNames, dynamicAxes = {} } = options;
  if (inputNames !== undefined && inputNames.length !== args.length) {
    throw new RangeError(`exportModel: inputNames has ${inputNames.length} names for ${args.length} arguments`);
  }
  const inputs: Input[] = [];
  args.forEach((arg, i) => {
    const [leaves, def] = flatten(arg);
    const paths = leafPaths(def);
    leaves.forEach((leaf, j) => {
      if (!(leaf instanceof Tensor)) return;
      const name = joinPath(inputNames?.[i] ?? `arg${i}`, paths[j]);
      inputs.push({ name, aval: avalOf(leaf as AnyT), dims: new Map() });
    });
  });
  for (const [name, axes] of Object.entries(dynamicAxes)) {
    const input = inputs.find((x) => x.name === name);
    if (input === undefined) {
      throw new RangeError(`exportModel: dynamicAxes names input "${name}", which is not one of ${inputs.map((x) => `"${x.name}"`).join(", ")}`);
    }
    for (const [axisText, dim] of Object.entries(axes)) {
      const axis = Number(axisText);
      if (!(Number.isInteger(axis) && axis >= 0 && axis < input.aval.ndim)) {
        throw new RangeError(`exportModel: dynamicAxes gives axis ${axisText} of input "${name}", which has rank ${input.aval.ndim}`);
      }
      if (typeof dim !== "string" || dim === "") throw new TypeError(`exportModel: dynamicAxes: the dim name of "${name}" axis ${axis} must be a non-empty string`);
      (input.dims as Map<number, string>).set(axis, dim);
    }
  }
  return inputs;
}

/** Where each symbolic dim is read when the graph runs; one dim name must have one size. */
function dimSources(inputs: readonly Input[]): DimSource[] {
  const sources: DimSource[] = [];
  for (const input of inputs) {
    for (const [axis, name] of input.dims) {
      const size = input.aval.shape[axis];
      const known = sources.find((s) => s.name === name);
      if (known === undefined) sources.push({ name, input: input.name, axis });
      else {
        const other = inputs.find((x) => x.name === known.input)!.aval.shape[known.axis];
        if (other !== size) {
          throw new OnnxExportError(`exportModel: symbolic dim "${name}" is ${other} in input "${known.input}" but ${size} in input "${input.name}"`);
        }
      }
    }
  }
  return sources;
}

/** Output names from the result's structure and the names the caller gave. */
function outputNames(def: TreeDef, names: readonly string[] | undefined): string[] {
  const paths = leafPaths(def);
  if (names === undefined) {
    if (def.kind === "leaf") return ["output"];
    return paths.map((p) => joinPath(def.kind === "array" ? "output" : null, p));
  }
  if (def.kind === "leaf") {
    if (names.length !== 1) throw new RangeError(`exportModel: outputNames has ${names.length} names for a single output tensor`);
    return [names[0]];
  }
  if (def.kind !== "array" || def.children.length !== names.length) {
    throw new RangeError(`exportModel: outputNames has ${names.length} names, but the result is ${def.kind === "array" ? `an array of ${def.children.length}` : "not an array"}`);
  }
  return paths.map((p) => joinPath(names[Number(p[0])], p.slice(1)));
}
