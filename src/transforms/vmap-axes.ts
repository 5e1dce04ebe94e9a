/**
 * @file `vmap`'s `inAxes` as JAX's `in_axes`: one axis for every argument, or one entry per
 * argument, each an axis, `null`, or an axis tree: a prefix of the argument's pytree (an array
 * where the argument has an array of the same length, a record with the same keys where it has a
 * record) whose axis or `null` applies to every tensor below it. Resolved, per call, to one axis per
 * tensor leaf in the order `flatten` lists them; a mismatch names both paths.
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
 * The leaves of argument `i` with their axes under `axes` (named `name` in messages: `inAxes` or
 * `inAxes[i]`), appended to `out` in `flatten` order. Negative axes count from the end.
 */
export function resolveAxes(axes: AxisTree, arg: unknown, i: number, name: string, out: LeafAxes): void {
  const walk = (a: AxisTree, node: unknown, path: string): void => {
    const where = `${name}${path}`;
    const argument = `argument ${i}${path ? ` at ${path}` : ""}`;
    if (a === null || typeof a === "number") {
      for (const leaf of flatten(node)[0]) {
        if (!(leaf instanceof Tensor)) throw new TypeError(`vmap: arguments must hold tensors, got ${typeof leaf} ${showValue(leaf)} in argument ${i}`);
        if (a !== null && !(a >= -leaf.ndim && a < leaf.ndim)) {
          throw new RangeError(`vmap: ${where} = ${a} is out of range for ${argument} of shape [${leaf.shape.join(", ")}] (valid: ${-leaf.ndim} to ${leaf.ndim - 1}, or null)`);
        }
        out.leaves.push(leaf as T);
        out.axes.push(a === null || a >= 0 ? a : a + leaf.ndim);
      }
      return;
    }
    if (Array.isArray(a)) {
      if (!Array.isArray(node) || node.length !== a.length) {
        throw new TypeError(`vmap: ${where} is an array of ${a.length} axis trees where ${argument} is ${describeNode(node)} (an axis tree must be a prefix of its argument's tree)`);
      }
      a.forEach((child, k) => walk(child, node[k], path + step(k)));
      return;
    }
    const keys = Object.keys(a).sort();
    if (!isRecord(node) || Object.keys(node).sort().join("\0") !== keys.join("\0")) {
      throw new TypeError(`vmap: ${where} is a record with keys {${keys.join(", ")}} where ${argument} is ${describeNode(node)} (an axis tree must be a prefix of its argument's tree)`);
    }
    for (const k of keys) walk((a as Record<string, AxisTree>)[k], node[k], path + step(k));
  };
  walk(axes, arg, "");
}
