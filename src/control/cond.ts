/**
 * @file `cond` and `switchCase`: a branch chosen by a traced value, as one `cond` primitive whose
 * params hold every branch as a jaxpr. Under `jit` only the taken branch runs; under `vmap` with a
 * batched predicate every branch runs and a select merges them; `grad` goes through the taken one.
 */
import { joinConsts } from "../transforms/jaxpr-rules.js";
import * as core from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { Tensor } from "../core/tensor.js";
import { bind } from "../core/trace.js";
import { unflatten } from "../core/tree.js";
import { DTypeError } from "../core/errors.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { showValue } from "../internal/check-args.js";
import { avalsOf, checkSameOutputs, flattenArgs, fnName, scalarTensor, stage, type Staged } from "./trace-fn.js";
import type { SameType } from "./types.js";

type T = AnyTensor;
type Fn = (...args: never[]) => unknown;

/** Stages every branch on the operands and binds one `cond` on `index` (an int32 scalar). */
function branchOn(op: string, index: T, branches: readonly Fn[], names: readonly string[], operands: readonly unknown[]): unknown {
  const input = flattenArgs(operands);
  const avals = avalsOf(input.tensors);
  const staged: Staged[] = branches.map((b) => stage(op, b, input, avals));
  staged.forEach((s, k) => k > 0 && checkSameOutputs(op, staged[0], names[0], s, names[k]));
  const { jaxprs, consts } = joinConsts(staged.map((s) => s.closed));
  const outs = bind("cond", [index, ...consts, ...input.tensors], { branches: jaxprs, name: op });
  return unflatten(staged[0].outDef, outs);
}

/** A branch as messages name it: its role, and its own name when it has one (`onTrue (relu)`). */
const branchName = (role: string, f: unknown): string => {
  const name = fnName(f, "");
  return name === "" || name === role ? role : `${role} (${name})`;
};

/** A scalar predicate as a branch index: 1 when true (or nonzero), 0 otherwise. */
function predicateIndex(pred: unknown): T {
  if (typeof pred === "boolean") return scalarTensor(pred ? 1 : 0, "int32");
  if (!(pred instanceof Tensor)) throw new TypeError(`cond: pred must be a scalar tensor or a boolean, got ${typeof pred} ${showValue(pred)}`);
  const p = pred as T;
  if (p.ndim !== 0) throw new ShapeError(`cond: pred must be a scalar, got shape ${showShape(p.shape)}`);
  const truth = p.dtype === "bool" ? p : core.compare(p, core.full([], 0, p.dtype), "ne");
  return core.cast(truth, "int32");
}

/**
 * `cond(pred, onTrue, onFalse, ...operands)` is `onTrue(...operands)` when the scalar `pred` is
 * true and `onFalse(...operands)` otherwise, as one traced operation (a JS `if` on a traced value
 * cannot work under `jit` or `vmap`). Both branches must return the same pytree type; a mismatch is
 * a compile error naming both. Under `jit` only the taken branch runs; under `vmap` with a batched
 * `pred`, both run and a select merges them. Values the branches use should be passed as
 * operands or closed over; both work under every transform.
 * @example
 * const relu1 = (x: Tensor<[]>) => cond(greater(x, 0), (v) => v, (v) => mul(v, 0.01), x);
 * @typeParam FT - The true branch; its return type is `cond`'s.
 * @typeParam FF - The false branch; it must return the same type as `FT`.
 * @category Control flow
 */
export function cond<const Ops extends readonly unknown[], FT extends (...operands: Ops) => unknown, FF extends (...operands: Ops) => unknown>(
  pred: Tensor<[], "bool"> | Tensor<[]> | boolean,
  onTrue: FT,
  onFalse: FF & SameType<"cond", "the branches' results", ReturnType<FT>, ReturnType<FF>>,
  ...operands: Ops
): ReturnType<FT> {
  if (typeof onTrue !== "function" || typeof onFalse !== "function") {
    throw new TypeError(`cond: onTrue and onFalse must be functions, got ${typeof onTrue} and ${typeof onFalse}`);
  }
  const index = predicateIndex(pred);
  return branchOn("cond", index, [onFalse as Fn, onTrue as Fn], [branchName("onFalse", onFalse), branchName("onTrue", onTrue)], operands) as ReturnType<FT>;
}

/**
 * The results of a list of branches when all have one type, else a message naming the first that differs.
 * @typeParam Fs - The branches, as a tuple of functions.
 * @category Control flow
 */
export type SwitchResult<Fs extends readonly ((...args: never[]) => unknown)[]> = Fs extends readonly [infer F0 extends (...args: never[]) => unknown, ...infer Rest]
  ? Rest extends readonly ((...args: never[]) => unknown)[]
    ? SameAcross<ReturnType<F0>, Rest>
    : never
  : unknown;

type SameAcross<R, Rest> = Rest extends readonly [infer F extends (...args: never[]) => unknown, ...infer More]
  ? SameType<"switchCase", "the branches' results", R, ReturnType<F>> extends infer Message extends string
    ? Message
    : SameAcross<R, More>
  : unknown;

/**
 * `switchCase(index, branches, ...operands)` is `branches[index](...operands)` as one traced
 * operation. The int32 `index` is clamped into `[0, branches.length)`, as JAX's `switch` does: an
 * index out of range inside a compiled program takes the first or last branch rather than failing.
 * Every branch must return the same pytree type (a compile error naming two that differ).
 * @example
 * const act = (k: Tensor<[], "int32">, x: Tensor<[4]>) => switchCase(k, [relu, tanh, sigmoid], x);
 * @typeParam Fs - The branches, a non-empty tuple of functions of the operands with one return type.
 * @category Control flow
 */
export function switchCase<const Ops extends readonly unknown[], const Fs extends readonly [(...operands: Ops) => unknown, ...((...operands: Ops) => unknown)[]]>(
  index: Tensor<[], "int32"> | number,
  branches: Fs & SwitchResult<Fs>,
  ...operands: Ops
): ReturnType<Fs[0]> {
  if (!Array.isArray(branches) || branches.length === 0 || branches.some((b) => typeof b !== "function")) {
    throw new TypeError(`switchCase: branches must be a non-empty array of functions, got ${showValue(branches)}`);
  }
  if (typeof index === "number" && !Number.isInteger(index)) throw new TypeError(`switchCase: index must be an integer, got ${index}`);
  const idx = scalarTensor(index as T | number, "int32");
  if (idx.ndim !== 0 || idx.dtype !== "int32") {
    throw new DTypeError(`switchCase: index must be an int32 scalar, got ${idx.dtype} of shape ${showShape(idx.shape)}`);
  }
  const names = branches.map((b: Fn, k: number) => branchName(`branch ${k}`, b));
  return branchOn("switchCase", idx, branches as readonly Fn[], names, operands) as ReturnType<Fs[0]>;
}
