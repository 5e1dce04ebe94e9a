/**
 * @file Tensor names from tree paths: the leaf at `params[0].w` is `"0.w"`, the one at
 * `encoder.layers[1].b` is `"encoder.layers.1.b"` (the names PyTorch's `state_dict` uses for the
 * same nesting). Trees are the pytrees of `core/tree.ts`: arrays, plain objects, `null` and
 * `undefined` (which hold no leaves).
 */

/** A leaf of a tree and its dotted path. */
export interface NamedLeaf<L> {
  readonly name: string;
  readonly leaf: L;
}

/**
 * Rebuilds `tree` with every leaf (what `isLeaf` accepts) replaced by `fn(leaf, name)`. Anything
 * else that is neither a container nor a leaf is a `TypeError` naming its path, as is a leaf at
 * the root (it has no name) and two leaves with one name (possible when a key holds a dot).
 */
export function mapNamed<L>(
  op: string,
  tree: unknown,
  isLeaf: (x: unknown) => x is L,
  what: string,
  fn: (leaf: L, name: string) => unknown,
): unknown {
  const seen = new Set<string>();
  const go = (node: unknown, path: readonly string[]): unknown => {
    if (isLeaf(node)) {
      if (path.length === 0) throw new TypeError(`${op}: the tree is a single ${what} with no name; put it in a record, e.g. { w: tensor }`);
      const name = path.join(".");
      if (seen.has(name)) throw new TypeError(`${op}: two leaves are both named "${name}" (a key with a dot in it?)`);
      seen.add(name);
      return fn(node, name);
    }
    if (node === null || node === undefined) return node;
    if (Array.isArray(node)) return node.map((child, i) => go(child, [...path, String(i)]));
    if (isPlainObject(node)) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(node)) {
        Object.defineProperty(out, key, { value: go((node as Record<string, unknown>)[key], [...path, key]), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    const where = path.length === 0 ? "the tree" : `"${path.join(".")}"`;
    throw new TypeError(`${op}: ${where} is ${describe(node)}, not a ${what} or a record or array of them`);
  };
  return go(tree, []);
}

/** The leaves of `tree` with their names (see `mapNamed`). */
export function namedLeaves<L>(op: string, tree: unknown, isLeaf: (x: unknown) => x is L, what: string): NamedLeaf<L>[] {
  const out: NamedLeaf<L>[] = [];
  mapNamed(op, tree, isLeaf, what, (leaf, name) => out.push({ name, leaf }));
  return out;
}

function isPlainObject(x: unknown): x is object {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function describe(x: unknown): string {
  if (typeof x === "object" && x !== null) return `an object of class ${x.constructor?.name ?? "unknown"}`;
  if (typeof x === "string") return `the string ${JSON.stringify(x)}`;
  return `${typeof x === "function" ? "a function" : `the ${typeof x} ${String(x)}`}`;
}

/**
 * `T` with each leaf of type `Leaf` kept as `Leaf`, `null` and `undefined` kept, and every other
 * leaf (a number, a string, a function) replaced by `Fault`: a tree type that `T` satisfies only
 * when all its leaves are `Leaf`s, so that a compile error names the faulty leaf by `Fault`.
 */
export type LeavesOf<T, Leaf, Fault> = T extends Leaf
  ? Leaf
  : T extends null | undefined
    ? T
    : T extends (...args: never[]) => unknown
      ? Fault
      : T extends object
        ? { readonly [K in keyof T]: LeavesOf<T[K], Leaf, Fault> }
        : Fault;

