/**
 * @file Test utilities for `nn`: deterministic float64 data, float64 copies of parameter trees,
 * a scalar probe loss, a full elementwise finite-difference gradient check over parameter trees,
 * and direct nested-loop references for convolution and pooling.
 */
import { expect } from "vitest";
import * as core from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { flatten, map, unflatten } from "../../src/core/tree.js";
import { grad } from "../../src/transforms/vjp.js";

export type T = AnyTensor;

/** Deterministic pseudo-random values in [-1, 1) (a small LCG; independent of `random`). */
export function values(n: number, seed = 1): number[] {
  let s = seed * 2654435761 + 12345;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

/** A float64 tensor of `shape` with deterministic values. */
export function data(shape: number[], seed = 1): T {
  return core.fromValues(values(shape.reduce((a, b) => a * b, 1), seed), shape, "float64");
}

/** A float64 copy of every float leaf of a tree. */
export function toF64<P>(tree: P): P {
  return map(tree, (leaf) => core.cast(leaf as T, "float64")) as P;
}

/** The elements of a concrete tensor. */
export function vals(x: unknown): number[] {
  return Array.from((x as T).data());
}

/** `Σ y · r` with fixed weights `r`: a scalar loss that probes every output element. */
export function probe(y: T, seed = 99): T {
  const r = core.fromValues(values(y.size, seed), y.shape, y.dtype);
  return core.reduceSum(core.mul(y, r), y.shape.map((_, i) => i));
}

/** Expects arrays equal within `tol` (absolute, scaled by max(1, |expected|)). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-10): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= tol * Math.max(1, Math.abs(expected[i])))) {
      throw new Error(`element ${i}: actual ${actual[i]}, expected ${expected[i]} (|diff| ${err}, tol ${tol})`);
    }
  }
}

/**
 * Checks `grad(loss)` at `params` against central finite differences, element by element, in
 * float64. Leaves must be float64 concrete tensors.
 */
export function checkGrad<P>(loss: (p: P) => T, params: P, { eps = 1e-6, tol = 1e-6 } = {}): void {
  const g = grad(loss as never)(params as never) as P;
  const [leaves, def] = flatten<T>(params);
  const [gLeaves] = flatten<T>(g);
  leaves.forEach((leaf, li) => {
    const base = vals(leaf);
    const numeric = base.map((_, i) => {
      const at = (delta: number) => {
        const v = base.slice();
        v[i] += delta;
        const ls = leaves.slice();
        ls[li] = core.fromValues(v, leaf.shape, leaf.dtype);
        return (loss(unflatten(def, ls)) as T).item() as number;
      };
      return (at(eps) - at(-eps)) / (2 * eps);
    });
    try {
      expectClose(vals(gLeaves[li]), numeric, tol);
    } catch (e) {
      throw new Error(`leaf ${li} (shape [${leaf.shape}]): ${(e as Error).message}`);
    }
  });
}

/** Explicit padding `[lo, hi]` of one spatial dim (TensorFlow's "same" rule, or none). */
export function padding(n: number, k: number, s: number, mode: "same" | "valid"): [number, number] {
  if (mode === "valid") return [0, 0];
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + k - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** Direct NHWC × HWIO convolution (cross-correlation) plus bias, by nested loops. */
export function convReference(
  x: number[],
  [b, h, w, c]: number[],
  k: number[],
  [kh, kw, , o]: number[],
  bias: number[],
  [sh, sw]: [number, number],
  mode: "same" | "valid",
): { out: number[]; shape: number[] } {
  const [ph] = padding(h, kh, sh, mode);
  const [pw] = padding(w, kw, sw, mode);
  const oh = mode === "same" ? Math.ceil(h / sh) : Math.floor((h - kh) / sh) + 1;
  const ow = mode === "same" ? Math.ceil(w / sw) : Math.floor((w - kw) / sw) + 1;
  const out: number[] = [];
  for (let n = 0; n < b; n++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let q = 0; q < o; q++) {
          let acc = bias[q];
          for (let di = 0; di < kh; di++)
            for (let dj = 0; dj < kw; dj++) {
              const y = i * sh + di - ph;
              const z = j * sw + dj - pw;
              if (y < 0 || y >= h || z < 0 || z >= w) continue;
              for (let ci = 0; ci < c; ci++) acc += x[((n * h + y) * w + z) * c + ci] * k[((di * kw + dj) * c + ci) * o + q];
            }
          out.push(acc);
        }
  return { out, shape: [b, oh, ow, o] };
}

/** Direct "valid" max or average pooling of an NHWC array, by nested loops. */
export function poolReference(
  x: number[],
  [b, h, w, c]: number[],
  [kh, kw]: [number, number],
  [sh, sw]: [number, number],
  kind: "max" | "avg",
): { out: number[]; shape: number[] } {
  const oh = Math.floor((h - kh) / sh) + 1;
  const ow = Math.floor((w - kw) / sw) + 1;
  const out: number[] = [];
  for (let n = 0; n < b; n++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let ci = 0; ci < c; ci++) {
          let acc = kind === "max" ? -Infinity : 0;
          for (let di = 0; di < kh; di++)
            for (let dj = 0; dj < kw; dj++) {
              const v = x[((n * h + i * sh + di) * w + j * sw + dj) * c + ci];
              acc = kind === "max" ? Math.max(acc, v) : acc + v / (kh * kw);
            }
          out.push(acc);
        }
  return { out, shape: [b, oh, ow, c] };
}
