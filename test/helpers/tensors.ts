/**
 * @file Small tensor utilities for tests: building concrete tensors, reading their values, and
 * stacking/slicing row-major value arrays along an axis (the "JS loop" side of vmap checks).
 */
import type { DType } from "../../src/dtype.js";
import { ConcreteTensor } from "../../src/core/concrete.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { grad as gradTyped } from "../../src/transforms/vjp.js";
import { forEachIndex, ravel } from "./reference.js";

/** A concrete tensor holding `values` (row-major) converted to `dtype`. */
export function tensor(values: readonly number[], shape: readonly number[], dtype: DType = "float64"): ConcreteTensor {
  return ConcreteTensor.fromValues(values, shape, dtype);
}

/** A scalar tensor. */
export function scalar(value: number, dtype: DType = "float64"): ConcreteTensor {
  return ConcreteTensor.fromValues([value], [], dtype);
}

/** The elements of a concrete tensor as plain numbers. */
export function valuesOf(t: AnyTensor): number[] {
  const c = t.concrete();
  if (c === null) throw new Error("valuesOf: the tensor is not concrete");
  return Array.from(c.storage);
}

/** The shape with `n` inserted at `axis`. */
export function insertAxis(shape: readonly number[], axis: number, n: number): number[] {
  const out = shape.slice();
  out.splice(axis, 0, n);
  return out;
}

/** Stacks `parts` (each row-major of `shape`) along a new axis `axis`: the batched values. */
export function stackValues(parts: readonly (readonly number[])[], shape: readonly number[], axis: number): number[] {
  const outShape = insertAxis(shape, axis, parts.length);
  const out: number[] = [];
  forEachIndex(outShape, (idx) => {
    const b = idx[axis];
    const rest = idx.filter((_, i) => i !== axis);
    out.push(parts[b][ravel(rest, shape)]);
  });
  return out;
}

/** Slice `b` along `axis` of a row-major array of `shape` (the axis is removed). */
export function takeValues(values: readonly number[], shape: readonly number[], axis: number, b: number): number[] {
  const rest = shape.filter((_, i) => i !== axis);
  const out: number[] = [];
  forEachIndex(rest, (idx) => out.push(values[ravel(insertAxis(idx, axis, b), shape)]));
  return out;
}

/** The elements with −0 read as +0: for `toEqual`, which tells the two zeros apart. */
export function plainValues(t: AnyTensor): number[] {
  return valuesOf(t).map((v) => (v === 0 ? 0 : v));
}

/**
 * `grad` of a one-argument tensor function, without the compile-time scalar check (the tests
 * build their functions from untyped core ops, whose results are not typed as scalars).
 */
export const grad1 = gradTyped as unknown as (f: (x: AnyTensor) => AnyTensor) => (x: AnyTensor) => AnyTensor;
