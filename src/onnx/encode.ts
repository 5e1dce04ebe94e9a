/**
 * @file Serializing an ONNX model with protobufjs: the plain objects the exporter builds (typed
 * below after the schema's messages) become `ModelProto` bytes through the reflected schema.
 */
import protobuf from "protobufjs/light.js";
import { ONNX_SCHEMA } from "./schema.js";

/** `AttributeProto` as the exporter builds it (one value field set, `type` saying which). */
export interface AttributeProto {
  readonly name: string;
  readonly type: number;
  readonly f?: number;
  readonly i?: number;
  readonly s?: Uint8Array;
  readonly t?: TensorProto;
  readonly floats?: readonly number[];
  readonly ints?: readonly number[];
}

/** `NodeProto`: one operator application. */
export interface NodeProto {
  readonly opType: string;
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly name?: string;
  readonly attribute?: readonly AttributeProto[];
}

/** `TensorProto` with its elements as little-endian `rawData`. */
export interface TensorProto {
  readonly name: string;
  readonly dataType: number;
  readonly dims: readonly number[];
  readonly rawData: Uint8Array;
}

/** One dim of a `TensorShapeProto`: a size or a symbolic name. */
export type DimProto = { readonly dimValue: number } | { readonly dimParam: string };

/** `ValueInfoProto` of a graph input or output: name, element type and shape. */
export interface ValueInfoProto {
  readonly name: string;
  readonly type: { readonly tensorType: { readonly elemType: number; readonly shape: { readonly dim: readonly DimProto[] } } };
}

/** `GraphProto`. */
export interface GraphProto {
  readonly name: string;
  readonly node: readonly NodeProto[];
  readonly initializer: readonly TensorProto[];
  readonly input: readonly ValueInfoProto[];
  readonly output: readonly ValueInfoProto[];
  readonly docString?: string;
}

/** `ModelProto`. */
export interface ModelProto {
  readonly irVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly opsetImport: readonly { readonly domain: string; readonly version: number }[];
  readonly graph: GraphProto;
  readonly docString?: string;
}

let modelType: protobuf.Type | null = null;

/** The `onnx.ModelProto` type, reflected from the schema once. */
function modelProto(): protobuf.Type {
  return (modelType ??= protobuf.Root.fromJSON(ONNX_SCHEMA as unknown as protobuf.INamespace).lookupType("onnx.ModelProto"));
}

/** The protobuf bytes of `model` (an `.onnx` file). */
export function encodeModel(model: ModelProto): Uint8Array {
  const type = modelProto();
  return type.encode(type.fromObject(model as unknown as Record<string, unknown>)).finish();
}

/**
 * Decodes `.onnx` bytes back into plain objects (int64 fields as numbers): for tests and inspection.
 * @category ONNX
 */
export function decodeModel(bytes: Uint8Array): Record<string, unknown> {
  const type = modelProto();
  return type.toObject(type.decode(bytes), { longs: Number, defaults: false }) as Record<string, unknown>;
}
