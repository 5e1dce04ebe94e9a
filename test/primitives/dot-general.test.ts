/** @file Edge cases of `dotGeneral`: the familiar products as dimension numbers, size-0 contractions, NaN/∞, int32, errors. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import type { DotDims } from "../../src/core/primitive.js";
import { ShapeError } from "../../src/shape/errors.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { vmapFlat } from "../../src/transforms/vmap.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

const dims = (xc: number[], yc: number[], xb: number[] = [], yb: number[] = []): DotDims => ({ contract: [xc, yc], batch: [xb, yb] });
const a = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
const b = tensor([1, 0, 0, 1, 1, 1], [3, 2]);

describe("dotGeneral", () => {
  test("matrix product, vector dot (0-d), outer product (nothing contracted)", () => {
    expect(valuesOf(ops.dotGeneral(a, b, dims([1], [0])))).toEqual([4, 5, 10, 11]);
    const dot = ops.dotGeneral(tensor([1, 2, 3], [3]), tensor([4, 5, 6], [3]), dims([0], [0]));
    expect(dot.shape).toEqual([]);
    expect(valuesOf(dot)).toEqual([32]);
    const outer = ops.dotGeneral(tensor([1, 2], [2]), tensor([3, 4, 5], [3]), dims([], []));
    expect(outer.shape).toEqual([2, 3]);
    expect(valuesOf(outer)).toEqual([3, 4, 5, 6, 8, 10]);
  });

  test("batch axes come first, then x's free axes, then y's", () => {
    // x: [batch 2, free 1, contract 2]; y: [batch 2, contract 2]; r[b, f] = Σ_c x[b, f, c] · y[b, c].
    const x = tensor([1, 2, 3, 4], [2, 1, 2]);
    const y = tensor([1, 0, 0, 1], [2, 2]);
    const r = ops.dotGeneral(x, y, dims([2], [1], [0], [0]));
    expect(r.shape).toEqual([2, 1]);
    expect(valuesOf(r)).toEqual([1, 4]);
    // With y's free axis: r[b, f, g] has batch first, then x's free axes, then y's.
    const r2 = ops.dotGeneral(x, tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 3, 2]), dims([2], [2], [0], [0]));
    expect(r2.shape).toEqual([2, 1, 3]);
    expect(valuesOf(r2)).toEqual([1 + 4, 3 + 8, 5 + 12, 3 * 7 + 4 * 8, 3 * 9 + 4 * 10, 3 * 11 + 4 * 12]);
  });

  test("contracting a size-0 axis gives zeros", () => {
    const r = ops.dotGeneral(tensor([], [2, 0]), tensor([], [0, 3]), dims([1], [0]));
    expect(r.shape).toEqual([2, 3]);
    expect(valuesOf(r)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  test("NaN and 0 · ∞ propagate into the sums", () => {
    const r = ops.dotGeneral(tensor([0, 1, NaN, 1], [2, 2]), tensor([Infinity, 1], [2]), dims([1], [0]));
    expect(valuesOf(r)).toEqual([NaN, NaN]);
  });

  test("int32 products", () => {
    expect(valuesOf(ops.dotGeneral(tensor([1, -2], [2], "int32"), tensor([3, 4], [2], "int32"), dims([0], [0])))).toEqual([-5]);
  });

  test("BUG: int32 products beyond 2⁵³ lose their low bits instead of wrapping", () => {
    const m = 2 ** 31 - 1;
    expect(valuesOf(ops.dotGeneral(tensor([m], [1], "int32"), tensor([m], [1], "int32"), dims([0], [0])))).toEqual([Math.imul(m, m)]);
  });

  test("errors", () => {
    const fail = (d: DotDims, y = b) => () => ops.dotGeneral(a, y, d);
    expect(fail(dims([1], []))).toThrow("dotGeneral: unpaired axes (x is [2, 3], y is [3, 2])");
    expect(fail(dims([2], [0]))).toThrow("dotGeneral: axis out of range (x is [2, 3], y is [3, 2])");
    expect(fail(dims([1, 1], [0, 1]))).toThrow(/an axis is used twice/);
    expect(fail(dims([0], [0]))).toThrow("dotGeneral: contracted dims differ: 2 vs 3 (x is [2, 3], y is [3, 2])");
    expect(fail(dims([], [], [1], [1]))).toThrow(/batch dims differ: 3 vs 2/);
    expect(fail(dims([1], [0]), tensor([1, 0, 0, 1, 1, 1], [3, 2], "float32"))).toThrow(DTypeError);
    expect(fail(dims([1], [0]), tensor([1], [1]))).toThrow(ShapeError);
  });

  test("cotangents of a product with permuted contraction pairs", () => {
    // x: [2, 3, 4] contracting axes (2, 0) with y: [4, 2, 5] axes (0, 1): out [3, 5].
    const x = tensor(Array.from({ length: 24 }, (_, i) => i / 7), [2, 3, 4]);
    const y = tensor(Array.from({ length: 40 }, (_, i) => (i % 5) - 2), [4, 2, 5]);
    const d = dims([2, 0], [0, 1]);
    const [out, pullback] = vjpFlat((p, q) => [ops.dotGeneral(p, q, d)], [x, y]);
    expect(out[0].shape).toEqual([3, 5]);
    const ct = tensor(Array.from({ length: 15 }, (_, i) => i - 7), [3, 5]);
    const [xBar, yBar] = pullback([ct]);
    // ⟨ct, dot(x', y)⟩ = ⟨x̄, x'⟩ for x' = e_k, checked on a few k by direct evaluation.
    for (const k of [0, 5, 23]) {
      const e = tensor(Array.from({ length: 24 }, (_, i) => (i === k ? 1 : 0)), [2, 3, 4]);
      const lhs = valuesOf(ops.dotGeneral(e, y, d)).reduce((s, v, i) => s + v * valuesOf(ct)[i], 0);
      expect(valuesOf(xBar)[k]).toBeCloseTo(lhs, 12);
    }
    expect(yBar.shape).toEqual([4, 2, 5]);
  });

  test("vmap with only y mapped puts the mapped axis after x's free axes", () => {
    const ys = tensor([1, 0, 0, 1, 2, 0, 0, 2], [2, 2, 2]);
    const [r] = vmapFlat((x, y) => [ops.dotGeneral(x, y, dims([1], [0]))], [null, 2], [tensor([1, 2, 3, 4], [2, 2]), ys]);
    expect(r.shape).toEqual([2, 2, 2]);
  });
});
