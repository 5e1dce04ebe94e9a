/** @file The `losses` namespace. */
export { mse, mae, huber } from "./regression.js";
export { binaryCrossEntropy, softmaxCrossEntropy } from "./cross-entropy.js";
export type { Reduction, Reduced } from "./reduce.js";
export type { LabelsCheck } from "./cross-entropy.js";
export type { SameAs } from "./reduce.js";
