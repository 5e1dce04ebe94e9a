/**
 * @file `vmap`'s `inAxes` as JAX's `in_axes`: one axis for every argument, or one entry per
 * argument, each an axis, `null`, or an axis tree: a prefix of the argument's pytree (an array
 * where the argument has an array of the same length, a record with the same keys where it has a
 * record) whose axis or `null` applies to every tensor below it. Resolved, per call, to one axis per
 * tensor leaf in the order `flatten` lists them; a mismatch names both paths. `outAxes` is the
 * same, as JAX's `out_axes`: one axis for every output, or an axis tree that is a prefix of the
 * result's tree, resolved once the result is traced.
 */
import type { AnyTensor } from "../core/ops.js";
import type { BatchDim } from "../core/primitive.js";
import { Tensor } from "../core/tensor.js";
import { flatten } from "../core/tree.js";
import { showValue } from "../internal/check-args.js";

type T = AnyTensor;

/**
 * An axis tree: an axis (`null`: not mapped) for a whole subtree, or an array or record of axis
 * trees matching an array or record of the argument.
 * @category Transforms
 */
export type AxisTree = BatchDim | readonly AxisTree[] | { readonly [key: string]: AxisTree };

/**
 * What `vmap` accepts as `inAxes`: one axis for all arguments, or one axis tree per argument.
 * @category Transforms
 */
export type InAxesOption = BatchDim | readonly AxisTree[];

function isRecord(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** `[k]` or `.k`, as a path in messages reads. */
const step = (key: number | string): string => (typeof key === "number" ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

function checkAxis(x: unknown, where: string): BatchDim {
  if (x === null) return null;
  if (typeof x !== "number") throw new TypeError(`vmap: ${where} must be an integer axis or null, got ${typeof x} ${showValue(x)}`);
  if (!Number.isInteger(x)) throw new RangeError(`vmap: ${where} must be an integer axis or null, got ${x}`);
  return x;
}

/** Checks an axis tree's kinds where the option is given (integers or null at its leaves). */
function checkTree(x: unknown, where: string): AxisTree {
  if (Array.isArray(x)) return x.map((a, k) => checkTree(a, where + step(k)));
  if (isRecord(x)) return Object.fromEntries(Object.keys(x).map((k) => [k, checkTree(x[k], where + step(k))]));
  return checkAxis(x, where);
}

/**
 * Checks `outAxes` where it is given: an axis or null, or an axis tree (arrays and records, the
 * shape of the result's tree or a prefix of it).
 */
export function checkOutAxes(value: unknown): AxisTree {
  return checkTree(value, "outAxes");
}

/** Checks `inAxes` where it is given: an axis or null, or an array with one axis tree per argument. */
export function checkInAxes(value: unknown): InAxesOption {
  if (Array.isArray(value)) return value.map((x, i) => checkTree(x, `inAxes[${i}]`));
  if (isRecord(value)) {
    throw new TypeError(`vmap: inAxes must be an integer axis, null, or an array with one entry (an axis or an axis tree) per argument, got object ${showValue(value)}`);
  }
  return checkAxis(value, "inAxes");
}

/** How an argument's node reads in a mismatch message. */
function describeNode(node: unknown): string {
  if (node instanceof Tensor) return `${node.dtype === "int32" ? "an" : "a"} ${node.dtype}[${node.shape.join(", ")}] tensor`;
  if (Array.isArray(node)) return `an array of ${node.length}`;
  if (isRecord(node)) return `a record with keys {${Object.keys(node).sort().join(", ")}}`;
  return `${node === null || node === undefined ? "" : `${typeof node} `}${showValue(node)}`;
}

/** The tensor leaves of one argument and the axis of each (in `[0, rank)`, or null). */
export interface LeafAxes {
  readonly leaves: T[];
  readonly axes: BatchDim[];
}

/**
 * Walks axis tree `axes` (named `name` in messages) over the value `node` (`what(path)` names a
 * part of it, `whose` says whose tree it must prefix), calling `leaf` for every value below an
 * axis, in `flatten` order, with the axis and where it was given.
 */
function walkTree(
  axes: AxisTree,
  node: unknown,
  name: string,
  what: (path: string) => string,
  whose: string,
  leaf: (a: BatchDim, x: unknown, where: string, path: string) => void,
): void {
  const walk = (a: AxisTree, node: unknown, path: string): void => {
    const where = `${name}${path}`;
    if (a === null || typeof a === "number") {
      for (const x of flatten(node)[0]) leaf(a, x, where, path);
      return;
    }
    if (Array.isArray(a)) {
      if (!Array.isArray(node) || node.length !== a.length) {
        throw new TypeError(`vmap: ${where} is an array of ${a.length} axis trees where ${what(path)} is ${describeNode(node)} (an axis tree must be a prefix of ${whose} tree)`);
      }
      a.forEach((child, k) => walk(child, node[k], path + step(k)));
      return;
    }
    const keys = Object.keys(a).sort();
    if (!isRecord(node) || Object.keys(node).sort().join("\0") !== keys.join("\0")) {
      throw new TypeError(`vmap: ${where} is a record with keys {${keys.join(", ")}} where ${what(path)} is ${describeNode(node)} (an axis tree must be a prefix of ${whose} tree)`);
    }
    for (const k of keys) walk((a as Record<string, AxisTree>)[k], node[k], path + step(k));
  };
  walk(axes, node, "");
}

/**
 * The leaves of argument `i` with their axes under `axes` (named `name` in messages: `inAxes` or
 * `inAxes[i]`), appended to `out` in `flatten` order. Negative axes count from the end.
 */
export function resolveAxes(axes: AxisTree, arg: unknown, i: number, name: string, out: LeafAxes): void {
  const argument = (path: string) => `argument ${i}${path ? ` at ${path}` : ""}`;
  walkTree(axes, arg, name, argument, "its argument's", (a, leaf, where, path) => {
    if (!(leaf instanceof Tensor)) throw new TypeError(`vmap: arguments must hold tensors, got ${typeof leaf} ${showValue(leaf)} in argument ${i}`);
    if (a !== null && !(a >= -leaf.ndim && a < leaf.ndim)) {
      throw new RangeError(`vmap: ${where} = ${a} is out of range for ${argument(path)} of shape [${leaf.shape.join(", ")}] (valid: ${-leaf.ndim} to ${leaf.ndim - 1}, or null)`);
    }
    out.leaves.push(leaf as T);
    out.axes.push(a === null || a >= 0 ? a : a + leaf.ndim);
  });
}

/** The out axis of every output leaf (in `[0, rank]` of its batched shape, or null), and how messages name each. */
export interface OutLeafAxes {
  readonly axes: BatchDim[];
  readonly names: string[];
}

/**
 * The axis of every tensor leaf of the traced result `out` under `axes` (named `name` in
 * messages), in `flatten` order. An axis counts in the batched shape: in `[-(r+1), r]` for a
 * per-example rank r, negative ones from the end.
 */
export function resolveOutAxes(axes: AxisTree, out: unknown, name: string): OutLeafAxes {
  const result: OutLeafAxes = { axes: [], names: [] };
  const output = (path: string) => `the output${path ? ` at ${path}` : ""}`;
  walkTree(axes, out, name, output, "the result's", (a, leaf, where, path) => {
    const rank = (leaf as T).ndim;
    if (a !== null && !(a >= -(rank + 1) && a <= rank)) {
      const shape = `[${(leaf as T).shape.join(", ")}]`;
      throw new RangeError(`vmap: ${where} = ${a} is out of range for ${output(path)} of per-example shape ${shape} (valid: ${-(rank + 1)} to ${rank}, or null)`);
    }
    result.axes.push(a === null || a >= 0 ? a : a + rank + 1);
    result.names.push(`${output(path)} (${where} = null)`);
  });
  return result;
}
