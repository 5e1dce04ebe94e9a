/**
 * @file Names of graph inputs and outputs from pytree paths: each leaf is named by its path,
 * joined with dots (`params.0.w`, `state.mu.1.b`), in the order `tree.flatten` lists leaves.
 */
import type { TreeDef } from "../core/tree.js";

/** The path of every leaf of `def`, in flattening order (array indices and record keys). */
export function leafPaths(def: TreeDef): string[][] {
  const out: string[][] = [];
  const go = (d: TreeDef, path: string[]): void => {
    if (d.kind === "leaf") out.push(path);
    else d.children.forEach((c, i) => go(c, [...path, d.kind === "array" ? String(i) : d.keys[i]]));
  };
  go(def, []);
  return out;
}

/** `prefix` and `path` joined with dots (the prefix alone for a leaf at the root). */
export function joinPath(prefix: string | null, path: readonly string[]): string {
  return [...(prefix === null ? [] : [prefix]), ...path].join(".");
}
