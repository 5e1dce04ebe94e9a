/**
 * @file The `io` namespace: parameter trees and training states as safetensors bytes, checked
 * against the expected tree on load. Bytes in and out only; `typegrad/node` adds files.
 */
export { IoError } from "../data/errors.js";
export { saveSafetensors } from "./encode.js";
export type { Metadata, NotATensor, Saveable, TensorTreeOf } from "./encode.js";
export { loadSafetensors, readSafetensors, readMetadata, spec, TensorSpec } from "./load.js";
export type { Loaded, NotATemplateLeaf, SafetensorsContents, Template, TemplateLeaf, TemplateOf } from "./load.js";
export type { Bytes } from "./decode.js";
export { saveTrainState, loadTrainState } from "./train-state.js";
export type { TrainState } from "../train/state.js";
