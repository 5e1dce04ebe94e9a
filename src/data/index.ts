/** @file The `data` namespace: file formats and in-memory datasets. */
export { IoError } from "./errors.js";
export { parseIdx, decodeIdx, encodeIdx, IDX_MAX_BYTES } from "./idx.js";
export type { DecodeIdxOptions, IdxTensor } from "./idx.js";
export { takeRows, batches, trainTestSplit, standardize } from "./dataset.js";
export type { BatchOptions, Dataset, Standardizer, WithRows } from "./dataset.js";
export { mnistFromDigitArrays } from "./mnist.js";
export type { Mnist } from "./mnist.js";
export type { PartOf, PartRows, RowsAgree } from "./dataset.js";
export { nameRows } from "./named.js";
