/**
 * @file The part of the ONNX protobuf schema (`onnx.proto`, IR version 10) that an exported model
 * uses, as a protobufjs JSON descriptor: field numbers and wire types are the format's, field
 * names are camelCased. Fields the exporter never writes (training info, sparse tensors, external
 * data, functions) are left out; a reader skips nothing it needs, since absent fields are valid.
 */

const repeated = "repeated";

/** protobufjs JSON descriptor of the `onnx` package (the messages a model file is made of). */
export const ONNX_SCHEMA = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: "int64", id: 1 },
            producerName: { type: "string", id: 2 },
            producerVersion: { type: "string", id: 3 },
            domain: { type: "string", id: 4 },
            modelVersion: { type: "int64", id: 5 },
            docString: { type: "string", id: 6 },
            graph: { type: "GraphProto", id: 7 },
            opsetImport: { rule: repeated, type: "OperatorSetIdProto", id: 8 },
            metadataProps: { rule: repeated, type: "StringStringEntryProto", id: 14 },
          },
        },
        OperatorSetIdProto: {
          fields: {
            domain: { type: "string", id: 1 },
            version: { type: "int64", id: 2 },
          },
        },
        StringStringEntryProto: {
          fields: {
            key: { type: "string", id: 1 },
            value: { type: "string", id: 2 },
          },
        },
        GraphProto: {
          fields: {
            node: { rule: repeated, type: "NodeProto", id: 1 },
            name: { type: "string", id: 2 },
            initializer: { rule: repeated, type: "TensorProto", id: 5 },
            docString: { type: "string", id: 10 },
            input: { rule: repeated, type: "ValueInfoProto", id: 11 },
            output: { rule: repeated, type: "ValueInfoProto", id: 12 },
            valueInfo: { rule: repeated, type: "ValueInfoProto", id: 13 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: repeated, type: "string", id: 1 },
            output: { rule: repeated, type: "string", id: 2 },
            name: { type: "string", id: 3 },
            opType: { type: "string", id: 4 },
            attribute: { rule: repeated, type: "AttributeProto", id: 5 },
            docString: { type: "string", id: 6 },
            domain: { type: "string", id: 7 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: "string", id: 1 },
            f: { type: "float", id: 2 },
            i: { type: "int64", id: 3 },
            s: { type: "bytes", id: 4 },
            t: { type: "TensorProto", id: 5 },
            g: { type: "GraphProto", id: 6 },
            floats: { rule: repeated, type: "float", id: 7 },
            ints: { rule: repeated, type: "int64", id: 8 },
            strings: { rule: repeated, type: "bytes", id: 9 },
            tensors: { rule: repeated, type: "TensorProto", id: 10 },
            graphs: { rule: repeated, type: "GraphProto", id: 11 },
            docString: { type: "string", id: 13 },
            type: { type: "int32", id: 20 },
          },
        },
        ValueInfoProto: {
          fields: {
            name: { type: "string", id: 1 },
            type: { type: "TypeProto", id: 2 },
            docString: { type: "string", id: 3 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: repeated, type: "int64", id: 1 },
            dataType: { type: "int32", id: 2 },
            name: { type: "string", id: 8 },
            rawData: { type: "bytes", id: 9 },
            docString: { type: "string", id: 12 },
          },
        },
        TensorShapeProto: {
          fields: {
            dim: { rule: repeated, type: "Dimension", id: 1 },
          },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ["dimValue", "dimParam"] } },
              fields: {
                dimValue: { type: "int64", id: 1 },
                dimParam: { type: "string", id: 2 },
                denotation: { type: "string", id: 3 },
              },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ["tensorType"] } },
          fields: {
            tensorType: { type: "Tensor", id: 1 },
            denotation: { type: "string", id: 6 },
          },
          nested: {
            Tensor: {
              fields: {
                elemType: { type: "int32", id: 1 },
                shape: { type: "TensorShapeProto", id: 2 },
              },
            },
          },
        },
      },
    },
  },
} as const;

/** `TensorProto.DataType` codes of the element types an export uses. */
export const DATA_TYPE = { float32: 1, uint8: 2, int32: 6, int64: 7, bool: 9, float64: 11, uint32: 12 } as const;

/** An ONNX element type this exporter writes. */
export type OnnxType = keyof typeof DATA_TYPE;

/** `AttributeProto.AttributeType` codes. */
export const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, tensor: 4, graph: 5, floats: 6, ints: 7 } as const;
