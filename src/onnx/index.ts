/**
 * Export of typegrad functions, training steps included, as ONNX models that ONNX Runtime runs.
 *
 * @file The `typegrad/onnx` entry: export of typegrad functions as ONNX models. It is an entry of
 * its own so that the protobuf writer it needs (protobufjs) stays out of the core bundle; it
 * shares the core with `typegrad` (one module graph), which it loads first so that the primitives
 * are registered even when this is the first entry imported.
 * @module typegrad/onnx
 */
import "../index.js";

export { exportModel, DEFAULT_OPSET, MIN_OPSET, MAX_OPSET } from "./export-model.js";
export type { ExportOptions } from "./export-model.js";
export { OnnxExportError } from "./errors.js";
export { decodeModel } from "./encode.js";
