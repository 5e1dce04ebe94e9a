/** @file The `random` namespace: keys and samplers. */
export { key, split, splitList, foldIn, randomBits } from "./key.js";
export type { Key, Keys } from "./key.js";
export { uniform, normal, truncatedNormal, bernoulli, randint, categorical, permutation, choice } from "./sample.js";
export type { FloatOptions } from "./sample.js";
