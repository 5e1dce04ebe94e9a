/**
 * @file Pytree arguments of the function-wrapping transforms (`customJvp`, `customVjp`,
 * `checkpoint`): tensor leaves are traced, every other leaf is static and passed through as it
 * came; results must be trees of tensors.
 */
import { DTypeError } from "../core/errors.js";
import type { ShapedArray } from "../core/aval.js";
import type { AnyTensor } from "../core/ops.js";
import { avalOf } from "../core/trace.js";
import { Tensor } from "../core/tensor.js";
import { flatten, unflatten, type TreeDef } from "../core/tree.js";
import { ShapeError } from "../shape/errors.js";

type T = AnyTensor;

/** Arguments split into their tensor leaves and a way to rebuild them from other tensors. */
export interface TreeArgs {
  readonly tensors: T[];
  readonly rebuild: (tensors: readonly T[]) => unknown[];
}

/** Splits `args` into tensor leaves and static leaves. */
export function splitArgs(args: readonly unknown[]): TreeArgs {
  const [leaves, inDef] = flatten(args);
  const tensors = leaves.filter((x): x is T => x instanceof Tensor);
  const rebuild = (xs: readonly T[]): unknown[] => {
    let k = 0;
    return unflatten<unknown[]>(
      inDef,
      leaves.map((leaf) => (leaf instanceof Tensor ? xs[k++] : leaf)),
    );
  };
  return { tensors, rebuild };
}

/** The tensor leaves of a result tree; a `TypeError` naming `what` if a leaf is not a tensor. */
export function tensorLeaves(what: string, tree: unknown): [T[], TreeDef] {
  const [leaves, def] = flatten(tree);
  leaves.forEach((x, i) => {
    if (!(x instanceof Tensor)) throw new TypeError(`${what} must hold only tensors, but leaf ${i} is ${typeof x} ${String(x)}`);
  });
  return [leaves as T[], def];
}

/**
 * Checks that `tree` has structure `def` and leaves of exactly `avals`; a `TypeError`,
 * `ShapeError` or `DTypeError` naming `what` otherwise. Returns its leaves.
 */
export function checkTree(what: string, tree: unknown, def: TreeDef, avals: readonly ShapedArray[]): T[] {
  const [leaves, got] = tensorLeaves(what, tree);
  if (!got.equals(def)) throw new TypeError(`${what} has structure ${got}, expected ${def}`);
  leaves.forEach((x, i) => {
    const aval = avalOf(x);
    const want = avals[i];
    if (aval.ndim !== want.ndim || aval.shape.some((d, k) => d !== want.shape[k])) {
      throw new ShapeError(`${what}: leaf ${i} has shape [${aval.shape.join(", ")}], expected [${want.shape.join(", ")}]`);
    }
    if (aval.dtype !== want.dtype) throw new DTypeError(`${what}: leaf ${i} has dtype ${aval.dtype}, expected ${want.dtype}`);
  });
  return leaves;
}
