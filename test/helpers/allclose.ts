/**
 * @file Elementwise closeness of numeric arrays for tests: `|actual − expected| ≤ atol + rtol·|expected|`,
 * with NaN equal to NaN (by default) and infinities equal only to themselves. Failures name the
 * worst element by its multi-index.
 */
import type { AnyTensor } from "../../src/core/ops.js";
import { Tensor } from "../../src/core/tensor.js";

/** Tolerances of a comparison. */
export interface Tol {
  readonly rtol?: number;
  readonly atol?: number;
  /** NaN in both places counts as equal (default true). */
  readonly equalNaN?: boolean;
}

/** Tight tolerance for float64 results computed two ways (different summation order at most). */
export const F64: Tol = { rtol: 1e-12, atol: 1e-12 };
/** Tolerance for float32 kernels against a float64 reference on the same (rounded) inputs. */
export const F32: Tol = { rtol: 2e-5, atol: 2e-5 };
/** Exact equality (NaN equal to NaN). */
export const EXACT: Tol = { rtol: 0, atol: 0 };

/** A flat array with an optional shape, or a concrete tensor. */
export type Numeric = ArrayLike<number> | AnyTensor;

interface Flat {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[] | null;
}

function flat(x: Numeric): Flat {
  if (x instanceof Tensor) {
    const c = x.concrete();
    if (c === null) throw new Error("allclose: the tensor is not concrete (a tracer escaped into the test)");
    return { data: c.storage, shape: c.shape };
  }
  return { data: x, shape: null };
}

/** The multi-index of flat position `i` in a row-major `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = shape[d] === 0 ? 0 : i % shape[d];
    i = shape[d] === 0 ? 0 : Math.floor(i / shape[d]);
  }
  return idx;
}

/** The outcome of a comparison: whether it passed, and a readable description if not. */
export interface CloseReport {
  readonly ok: boolean;
  readonly message: string;
  /** The largest |actual − expected| over elements that are both finite. */
  readonly maxAbsErr: number;
}

function elementOk(a: number, e: number, rtol: number, atol: number, equalNaN: boolean): boolean {
  if (Number.isNaN(a) || Number.isNaN(e)) return equalNaN && Number.isNaN(a) && Number.isNaN(e);
  if (!Number.isFinite(a) || !Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= atol + rtol * Math.abs(e);
}

/** Compares elementwise; never throws. Shapes (when both are known) must match exactly. */
export function compareClose(actual: Numeric, expected: Numeric, tol: Tol = F64): CloseReport {
  const a = flat(actual);
  const e = flat(expected);
  const rtol = tol.rtol ?? 1e-12;
  const atol = tol.atol ?? 1e-12;
  const equalNaN = tol.equalNaN ?? true;
  if (a.shape !== null && e.shape !== null && a.shape.join(",") !== e.shape.join(",")) {
    return { ok: false, message: `shape [${a.shape.join(", ")}] differs from expected [${e.shape.join(", ")}]`, maxAbsErr: Infinity };
  }
  if (a.data.length !== e.data.length) {
    return { ok: false, message: `${a.data.length} elements, expected ${e.data.length}`, maxAbsErr: Infinity };
  }
  const shape = e.shape ?? a.shape ?? [a.data.length];
  let bad = 0;
  let worst = -1;
  let worstScore = -Infinity;
  let maxAbsErr = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = Number(a.data[i]);
    const y = Number(e.data[i]);
    const err = Math.abs(x - y);
    if (Number.isFinite(err)) maxAbsErr = Math.max(maxAbsErr, err);
    if (elementOk(x, y, rtol, atol, equalNaN)) continue;
    bad++;
    // Rank failures by how far past the tolerance they are; NaN/Inf mismatches rank first.
    const score = Number.isFinite(err) ? err / (atol + rtol * Math.abs(y)) : Infinity;
    if (score > worstScore || worst < 0) {
      worstScore = score;
      worst = i;
    }
  }
  if (bad === 0) return { ok: true, message: "", maxAbsErr };
  const x = Number(a.data[worst]);
  const y = Number(e.data[worst]);
  const message =
    `${bad} of ${a.data.length} elements differ (rtol=${rtol}, atol=${atol}); ` +
    `worst at [${unravel(worst, shape).join(", ")}] (flat ${worst}): actual ${x}, expected ${y}, ` +
    `|diff| = ${Math.abs(x - y)}; max |diff| over finite elements = ${maxAbsErr}`;
  return { ok: false, message, maxAbsErr };
}

/** Throws (with `what` in the message) unless `actual` and `expected` are close elementwise. */
export function assertAllclose(actual: Numeric, expected: Numeric, tol: Tol = F64, what = "values"): void {
  const r = compareClose(actual, expected, tol);
  if (!r.ok) throw new Error(`${what}: ${r.message}`);
}

/** True when `actual` and `expected` are close elementwise. */
export function allclose(actual: Numeric, expected: Numeric, tol: Tol = F64): boolean {
  return compareClose(actual, expected, tol).ok;
}
