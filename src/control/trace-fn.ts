/**
 * @file Staging a user's function over pytrees into a closed jaxpr, for the control-flow ops: the
 * tensor leaves of its arguments become the jaxpr's inputs (non-tensor leaves are static and passed
 * as they are), and its result must be a pytree of tensors, whose structure is reported.
 */
import type { ShapedArray } from "../core/aval.js";
import type { ClosedJaxpr } from "../core/jaxpr.js";
import { makeJaxprFlat } from "../core/make-jaxpr.js";
import type { AnyTensor } from "../core/ops.js";
import { Tensor } from "../core/tensor.js";
import { avalOf } from "../core/trace.js";
import { flatten, unflatten, type TreeDef } from "../core/tree.js";
import { ShapeError } from "../shape/errors.js";
import { showValue } from "../internal/check-args.js";
import { ConcreteTensor } from "../core/concrete.js";

type T = AnyTensor;

/** A pytree flattened: its leaves, which of them are tensors, and its structure. */
export interface FlatArgs {
  readonly leaves: readonly unknown[];
  readonly tensors: T[];
  readonly def: TreeDef;
}

/** Flattens `args`; every leaf may be a tensor or a static value. */
export function flattenArgs(args: unknown): FlatArgs {
  const [leaves, def] = flatten(args);
  return { leaves, tensors: leaves.filter((x): x is T => x instanceof Tensor), def };
}

/** Flattens a tree that must hold only tensors (a carry, scanned inputs); `what` names it in the error. */
export function tensorLeaves(op: string, what: string, tree: unknown): { tensors: T[]; def: TreeDef } {
  const [leaves, def] = flatten(tree);
  leaves.forEach((x, i) => {
    if (!(x instanceof Tensor)) {
      throw new TypeError(`${op}: ${what} must be a pytree of tensors, but leaf ${i} is ${typeof x} ${showValue(x)}; wrap numbers with tensor(…)`);
    }
  });
  return { tensors: leaves as T[], def };
}

/** The result of staging a function: its closed jaxpr and the structure of what it returned. */
export interface Staged {
  readonly closed: ClosedJaxpr;
  readonly outDef: TreeDef;
  readonly outAvals: ShapedArray[];
}

/**
 * Stages `fn` called with trees of structure `inDef` whose tensor leaves have `avals` (static
 * leaves taken from `leaves`). `check` sees the raw result before it is flattened.
 */
export function stage(
  op: string,
  fn: (...args: never[]) => unknown,
  input: FlatArgs,
  avals: readonly ShapedArray[],
  check?: (out: unknown) => void,
): Staged {
  let outDef: TreeDef | null = null;
  const closed = makeJaxprFlat((...tracers: T[]) => {
    let k = 0;
    const args = unflatten<unknown[]>(
      input.def,
      input.leaves.map((leaf) => (leaf instanceof Tensor ? tracers[k++] : leaf)),
    );
    const out = (fn as (...a: unknown[]) => unknown)(...args);
    check?.(out);
    const { tensors, def } = tensorLeaves(op, "the function's result", out);
    outDef = def;
    return tensors;
  }, avals);
  return { closed, outDef: outDef!, outAvals: closed.jaxpr.avalsOut };
}

/** The avals of tensor leaves. */
export const avalsOf = (xs: readonly T[]): ShapedArray[] => xs.map(avalOf);

/** A list of avals as messages print them: `(f32[3], i32[])`. */
export const showAvals = (avals: readonly ShapedArray[]): string => `(${avals.join(", ")})`;

/** A scalar value as a concrete tensor; tensors pass through. */
export function scalarTensor(x: T | number | boolean, dtype: "int32" | "bool"): T {
  if (x instanceof Tensor) return x;
  return ConcreteTensor.full([], typeof x === "boolean" ? Number(x) : x, dtype);
}

/** The name of a user's function for messages and printed IR. */
export const fnName = (f: unknown, fallback: string): string => (typeof f === "function" && f.name ? f.name : fallback);

/** Throws unless two staged results have one structure and one type per leaf. */
export function checkSameOutputs(op: string, a: Staged, aName: string, b: Staged, bName: string): void {
  if (!a.outDef.equals(b.outDef)) {
    throw new TypeError(`${op}: ${aName} and ${bName} return different structures: ${a.outDef} vs ${b.outDef}`);
  }
  a.outAvals.forEach((av, i) => {
    if (!av.equals(b.outAvals[i])) {
      throw new ShapeError(`${op}: ${aName} and ${bName} return different types at leaf ${i}: ${av} vs ${b.outAvals[i]} (${aName} returns ${showAvals(a.outAvals)}, ${bName} returns ${showAvals(b.outAvals)})`);
    }
  });
}
