/**
 * @file The ONNX graph under construction: nodes in topological order, initializers (constants,
 * small ones shared), and fresh value names. Export rules (`rules/`) write their primitive's
 * nodes through it and never see protobuf; `export-model.ts` wraps the result in a model.
 *
 * Values are named strings, as in ONNX itself. Every name made here is fresh; the names of graph
 * inputs and outputs (tree paths) are reserved first, so no internal value can take one.
 */
import type { ShapedArray } from "../core/aval.js";
import type { DType } from "../dtype.js";
import type { AttributeProto, NodeProto, TensorProto } from "./encode.js";
import { ATTRIBUTE_TYPE, DATA_TYPE, type OnnxType } from "./schema.js";

/** An attribute value, tagged with its ONNX attribute type. */
export type Attr =
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "ints"; readonly value: readonly number[] }
  | { readonly kind: "float"; readonly value: number }
  | { readonly kind: "string"; readonly value: string };

/** An `INT` attribute. */
export const int = (value: number): Attr => ({ kind: "int", value });
/** An `INTS` attribute. */
export const ints = (value: readonly number[]): Attr => ({ kind: "ints", value });
/** A `FLOAT` attribute. */
export const float = (value: number): Attr => ({ kind: "float", value });
/** A `STRING` attribute. */
export const str = (value: string): Attr => ({ kind: "string", value });

/** A value of the graph: its name and typegrad's abstract value of it. */
export interface Value {
  readonly name: string;
  readonly aval: ShapedArray;
}

/** The ONNX element type that holds each typegrad dtype. */
export const ONNX_TYPE: Record<DType, OnnxType> = { float32: "float32", float64: "float64", int32: "int32", bool: "bool" };

const BYTES: Record<OnnxType, number> = { float32: 4, float64: 8, int32: 4, int64: 8, bool: 1, uint8: 1, uint32: 4 };

/** Little-endian bytes of `values` as elements of `type` (the format fixes the byte order). */
export function rawData(type: OnnxType, values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * BYTES[type]);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    switch (type) {
      case "float32":
        view.setFloat32(i * 4, v, true);
        break;
      case "float64":
        view.setFloat64(i * 8, v, true);
        break;
      case "int32":
        view.setInt32(i * 4, v, true);
        break;
      case "uint32":
        view.setUint32(i * 4, v, true);
        break;
      case "int64":
        view.setBigInt64(i * 8, BigInt(v), true);
        break;
      case "bool":
      case "uint8":
        out[i] = type === "bool" ? (v ? 1 : 0) : v;
        break;
    }
  }
  return out;
}

/** Nodes, initializers and names of one ONNX graph being written. */
export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly used = new Set<string>();
  private readonly scalars = new Map<string, string>();
  private counter = 0;
  /** The primitive whose rule is writing nodes now: names the nodes (and the constants) it makes. */
  scope = "graph";
  /** The scope that made each initializer, to name the primitive when one is found wanting. */
  readonly origin = new Map<string, string>();

  constructor(
    /** The opset version the graph is written for (`ai.onnx` domain). */
    readonly opset: number,
    /**
     * Whether equal scalar constants share one initializer. Off when the graph is written several
     * times to be compared (symbolic dims): a value that depends on a dim must keep its own.
     */
    private readonly shareScalars = true,
  ) {}

  /** Claims `name` for a graph input or output; false when it is taken already. */
  reserve(name: string): boolean {
    if (this.used.has(name)) return false;
    this.used.add(name);
    return true;
  }

  /** A name no value of this graph has. */
  fresh(hint = "v"): string {
    let name: string;
    do name = `${hint}_${this.counter++}`;
    while (this.used.has(name));
    this.used.add(name);
    return name;
  }

  /** Appends an `op` node and returns the names of its `numOutputs` fresh outputs. */
  node(op: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, numOutputs = 1): string[] {
    const output = Array.from({ length: numOutputs }, () => this.fresh(op));
    this.nodeInto(op, inputs, output, attrs);
    return output;
  }

  /** Appends an `op` node with one output and returns its name. */
  op(op: string, inputs: readonly string[], attrs: Record<string, Attr> = {}): string {
    return this.node(op, inputs, attrs)[0];
  }

  /** Appends an `op` node writing to the given (reserved) names. */
  nodeInto(op: string, inputs: readonly string[], output: readonly string[], attrs: Record<string, Attr> = {}): void {
    const name = `${this.scope}/${output[0]}`;
    this.nodes.push({ opType: op, name, input: inputs, output, attribute: Object.entries(attrs).map(([n, a]) => attribute(n, a)) });
  }

  /** An initializer holding `values` (row-major) of `type` and `shape`; scalars are shared. */
  constant(type: OnnxType, shape: readonly number[], values: ArrayLike<number>): string {
    const key = shape.length === 0 && this.shareScalars ? `${type}:${Object.is(values[0], -0) ? "-0" : String(values[0])}` : null;
    const known = key === null ? undefined : this.scalars.get(key);
    if (known !== undefined) return known;
    const name = this.fresh("c");
    this.initializers.push({ name, dataType: DATA_TYPE[type], dims: shape.slice(), rawData: rawData(type, values) });
    this.origin.set(name, this.scope);
    if (key !== null) this.scalars.set(key, name);
    return name;
  }

  /** A scalar constant. */
  scalar(type: OnnxType, value: number): string {
    return this.constant(type, [], [value]);
  }

  /** A 1-d int64 constant (shapes, axes, starts of `Slice`, …). */
  int64s(values: readonly number[]): string {
    return this.constant("int64", [values.length], values);
  }

  /** `x` converted to `to` (no node when it already has that type). */
  cast(x: string, from: OnnxType, to: OnnxType): string {
    return from === to ? x : this.op("Cast", [x], { to: int(DATA_TYPE[to]) });
  }
}

function attribute(name: string, a: Attr): AttributeProto {
  switch (a.kind) {
    case "int":
      return { name, type: ATTRIBUTE_TYPE.int, i: a.value };
    case "ints":
      return { name, type: ATTRIBUTE_TYPE.ints, ints: a.value };
    case "float":
      return { name, type: ATTRIBUTE_TYPE.float, f: a.value };
    case "string":
      return { name, type: ATTRIBUTE_TYPE.string, s: new TextEncoder().encode(a.value) };
  }
}
