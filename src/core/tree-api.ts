/** @file The public `tree` namespace: pytree utilities. */
export { flatten, unflatten, map, leaves, TreeDef } from "./tree.js";
export type { Leaf, Tree, MapTree } from "./tree.js";
