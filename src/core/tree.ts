/**
 * @file Pytrees: nested arrays, tuples and plain records whose leaves are tensors. Transforms
 * flatten their arguments to a list of leaves plus a `TreeDef`, and rebuild results from one.
 */
import type { DType } from "../dtype.js";
import { Tensor } from "./tensor.js";

type AnyT = Tensor<readonly (number | string)[], DType>;

/**
 * A leaf of a pytree: a tensor, or a plain number, boolean or string (static data: `jit` keys its
 * cache on their values; differentiation and `vmap` need tensors).
 * @category Pytrees
 */
export type Leaf = AnyT | number | boolean | string;

/**
 * Any pytree.
 * @category Pytrees
 */
export type Tree = Leaf | null | undefined | readonly Tree[] | { readonly [key: string]: Tree };

/**
 * The structure of a pytree without its leaves. Equal structures print to equal strings.
 * @category Pytrees
 */
export class TreeDef {
  private constructor(
    /** What the node is: a leaf (a tensor or static scalar), `null`/`undefined`, an array or a record. */
    readonly kind: "leaf" | "none" | "array" | "object",
    /** The structures of the elements of an array, or of the values of a record (in `keys` order). */
    readonly children: readonly TreeDef[],
    /** A record's keys, sorted; empty for other kinds. */
    readonly keys: readonly string[],
    /** How many leaves the structure holds. */
    readonly numLeaves: number,
  ) {}

  /** The structure of a single leaf. */
  static readonly leaf = new TreeDef("leaf", [], [], 1);
  /** The structure of `null` (no leaves). */
  static readonly none = new TreeDef("none", [], [], 0);
  /**
   * An explicit `undefined`: a "none" node like `null`, but rebuilt as `undefined` and printed
   * apart, so `jit` does not hand a function `null` where it was called with `undefined` (nor
   * share one trace between the two).
   */
  static readonly undefined = new TreeDef("none", [], [], 0);

  /** The structure of an array (or tuple) whose elements have `children`'s structures. */
  static array(children: TreeDef[]): TreeDef {
    return new TreeDef("array", children, [], sumLeaves(children));
  }

  /** The structure of a record with `keys`, whose values have `children`'s structures. */
  static object(keys: string[], children: TreeDef[]): TreeDef {
    return new TreeDef("object", children, keys, sumLeaves(children));
  }

  private text: string | undefined;

  /** A canonical string of the structure (memoized: jit keys its cache on it every call). */
  toString(): string {
    return (this.text ??= this.describe());
  }

  private describe(): string {
    switch (this.kind) {
      case "leaf":
        return "*";
      case "none":
        return this === TreeDef.undefined ? "undefined" : "null";
      case "array":
        return `[${this.children.join(",")}]`;
      case "object":
        return `{${this.keys.map((k, i) => `${JSON.stringify(k)}:${this.children[i]}`).join(",")}}`;
    }
  }

  /** Whether `other` describes the same structure (same kinds, keys and lengths throughout). */
  equals(other: TreeDef): boolean {
    return this === other || this.toString() === other.toString();
  }
}

function sumLeaves(children: readonly TreeDef[]): number {
  let n = 0;
  for (const c of children) n += c.numLeaves;
  return n;
}

/** True for the values a pytree holds at its leaves. */
export function isLeaf(x: unknown): x is Leaf {
  return x instanceof Tensor || typeof x === "number" || typeof x === "boolean" || typeof x === "string";
}

/**
 * The leaves of `tree` in order (record keys sorted, as JAX does) and its structure.
 * @category Pytrees
 */
export function flatten<L = Leaf>(tree: unknown): [L[], TreeDef] {
  const leaves: L[] = [];
  const go = (node: unknown): TreeDef => {
    if (isLeaf(node)) {
      leaves.push(node as L);
      return TreeDef.leaf;
    }
    if (node === null) return TreeDef.none;
    if (node === undefined) return TreeDef.undefined;
    if (Array.isArray(node)) return TreeDef.array(node.map(go));
    if (isPlainObject(node)) {
      const keys = Object.keys(node).sort();
      return TreeDef.object(
        keys,
        keys.map((k) => go((node as Record<string, unknown>)[k])),
      );
    }
    throw new TypeError(`pytree: unsupported node ${describe(node)}; use tensors, numbers, arrays and plain objects`);
  };
  const def = go(tree);
  return [leaves, def];
}

/**
 * Rebuilds a tree of structure `def` from its leaves.
 * @category Pytrees
 */
export function unflatten<T = unknown>(def: TreeDef, leaves: readonly unknown[]): T {
  if (leaves.length !== def.numLeaves) {
    throw new TypeError(`pytree: structure ${def} needs ${def.numLeaves} leaves, got ${leaves.length}`);
  }
  let i = 0;
  const go = (d: TreeDef): unknown => {
    switch (d.kind) {
      case "leaf":
        return leaves[i++];
      case "none":
        return d === TreeDef.undefined ? undefined : null;
      case "array":
        return d.children.map(go);
      case "object": {
        const out: Record<string, unknown> = {};
        d.keys.forEach((k, j) => (out[k] = go(d.children[j])));
        return out;
      }
    }
  };
  return go(def) as T;
}

/**
 * A tree of the same structure with every leaf replaced by `fn(leaf)`.
 * @category Pytrees
 */
export type MapTree<T, To> = T extends Leaf
  ? To
  : T extends null | undefined
    ? T
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: MapTree<T[K], To> }
      : { -readonly [K in keyof T]: MapTree<T[K], To> };

/**
 * Applies `fn` to every leaf (of `tree` and, in step, of `rest`, which must share its structure).
 * @category Pytrees
 */
export function map<T, R>(tree: T, fn: (leaf: Leaf, ...rest: Leaf[]) => R, ...rest: unknown[]): MapTree<T, R> {
  const [leaves, def] = flatten(tree);
  const others = rest.map((r) => {
    const [ls, d] = flatten(r);
    if (!d.equals(def)) throw new TypeError(`tree.map: structures differ: ${def} vs ${d}`);
    return ls;
  });
  return unflatten(
    def,
    leaves.map((leaf, i) => fn(leaf, ...others.map((ls) => ls[i]))),
  );
}

/**
 * The leaves of a tree in order.
 * @category Pytrees
 */
export function leaves(tree: unknown): Leaf[] {
  return flatten(tree)[0];
}

function isPlainObject(x: unknown): x is object {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function describe(x: unknown): string {
  if (typeof x === "object" && x !== null) return `of class ${x.constructor?.name ?? "unknown"}`;
  return `of type ${typeof x}`;
}

/**
 * `f` over pytrees as a function of flat leaf lists (Autodidax `flatten_fun`): its arguments are
 * rebuilt with `inDef`, and the structure of its result is kept in `outDef()` once it has run.
 */
export function flattenFun<A extends readonly unknown[], L = unknown>(
  f: (...args: A) => unknown,
  inDef: TreeDef,
): { fFlat: (...flat: L[]) => L[]; outDef: () => TreeDef } {
  let outDef: TreeDef | null = null;
  const fFlat = (...flat: L[]): L[] => {
    const [outs, def] = flatten<L>(f(...unflatten<A>(inDef, flat)));
    outDef = def;
    return outs;
  };
  return {
    fFlat,
    outDef: () => {
      if (outDef === null) throw new Error("flattenFun: the function has not run yet");
      return outDef;
    },
  };
}
