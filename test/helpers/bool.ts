/** @file A check of the bool storage invariant (dtype.ts: "`bool` is stored as bytes holding 0 or 1") for ops given bool operands. */
import { expect } from "vitest";
import { DTypeError } from "../../src/core/errors.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { valuesOf } from "./tensors.js";

/** `op` either refuses bools with a DTypeError, or returns a tensor whose bool storage holds only 0 and 1. */
export function expectValidBoolOrDTypeError(op: () => AnyTensor): void {
  let y: AnyTensor;
  try {
    y = op();
  } catch (e) {
    expect(e).toBeInstanceOf(DTypeError);
    return;
  }
  if (y.dtype === "bool") expect(valuesOf(y).every((v) => v === 0 || v === 1), `bool storage holds [${valuesOf(y)}]`).toBe(true);
}
