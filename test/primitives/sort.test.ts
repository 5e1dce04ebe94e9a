/**
 * @file Edge cases of `sort` beyond the harness: NaN placement and stability (ties, −0 and +0)
 * in both directions, several keys, int32 and bool keys, a non-last dimension, long lines
 * against a plain JS sort, errors; the derivative on long lines (the tangent is permuted along,
 * the cotangent goes back by the inverse permutation) and under `jit`, `vmap` and second order.
 */
import { describe, expect, test } from "vitest";
import { sortOf, iotaLike } from "../../src/primitives/sort.js";
import type { PrimParams } from "../../src/core/primitive.js";
import { ShapeError } from "../../src/shape/errors.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { vmapFlat } from "../../src/transforms/vmap.js";
import { jit } from "../../src/transforms/jit.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { checkVjp } from "../helpers/gradcheck.js";
import { Rng } from "../helpers/random-shapes.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

const along = (dimension: number, descending = false, numKeys = 1): PrimParams["sort"] => ({ dimension, numKeys, descending });

describe("sort values", () => {
  test("NaN after every number ascending, before when descending; ties keep their order", () => {
    const x = tensor([2, NaN, -Infinity, 1, NaN, 2, Infinity], [7]);
    const [asc, ascIdx] = sortOf([x, iotaLike(x, 0)], along(0));
    expect(valuesOf(asc)).toEqual([-Infinity, 1, 2, 2, Infinity, NaN, NaN]);
    expect(valuesOf(ascIdx)).toEqual([2, 3, 0, 5, 6, 1, 4]);
    const [desc, descIdx] = sortOf([x, iotaLike(x, 0)], along(0, true));
    expect(valuesOf(desc)).toEqual([NaN, NaN, Infinity, 2, 2, 1, -Infinity]);
    expect(valuesOf(descIdx)).toEqual([1, 4, 6, 0, 5, 3, 2]);
  });

  test("−0 and +0 are equal keys: their order is kept", () => {
    const x = tensor([0, -0, -1, -0, 0], [5]);
    const [y, i] = sortOf([x, iotaLike(x, 0)], along(0));
    expect(valuesOf(i)).toEqual([2, 0, 1, 3, 4]);
    expect(valuesOf(y).map((v) => Object.is(v, -0))).toEqual([false, false, true, true, false]);
  });

  test("several keys order lexicographically; payloads follow", () => {
    const k0 = tensor([1, 0, 1, 0], [4], "int32");
    const k1 = tensor([5, 7, 3, 7], [4]);
    const p = tensor([10, 11, 12, 13], [4]);
    const [a, b, c] = sortOf([k0, k1, p], along(0, false, 2));
    expect(valuesOf(a)).toEqual([0, 0, 1, 1]);
    expect(valuesOf(b)).toEqual([7, 7, 3, 5]);
    expect(valuesOf(c)).toEqual([11, 13, 12, 10]);
    expect(a.dtype).toBe("int32");
  });

  test("bool keys: false first", () => {
    const [y] = sortOf([tensor([1, 0, 1, 0], [4], "bool")], along(0));
    expect(valuesOf(y)).toEqual([0, 0, 1, 1]);
  });

  test("along a non-last dimension", () => {
    const [y] = sortOf([tensor([3, 1, 1, 5, 2, 0], [3, 2])], along(0));
    expect(valuesOf(y)).toEqual([1, 0, 2, 1, 3, 5]);
  });

  test("long lines agree with a plain JS sort, size-0 lines are fine", () => {
    const rng = new Rng(3);
    const n = 1000;
    const x = Array.from({ length: 2 * n }, () => rng.int(-50, 50) + (rng.next() < 0.5 ? 0.5 : 0));
    const [y] = sortOf([tensor(x, [2, n])], along(1));
    const expected = [...x.slice(0, n).sort((a, b) => a - b), ...x.slice(n).sort((a, b) => a - b)];
    expect(valuesOf(y)).toEqual(expected);
    expect(sortOf([tensor([], [3, 0])], along(1))[0].shape).toEqual([3, 0]);
  });

  test("errors name the op and the values", () => {
    expect(() => sortOf([tensor([1, 2], [2]), tensor([1, 2, 3], [3])], along(0))).toThrow("sort: operands differ in shape: [2] vs [3]");
    expect(() => sortOf([tensor([1, 2], [2])], along(1))).toThrow("sort: dimension 1 out of range for rank-1 tensor [2]");
    expect(() => sortOf([tensor([1], [])], along(0))).toThrow(ShapeError);
    expect(() => sortOf([tensor([1, 2], [2])], along(0, false, 2))).toThrow("sort: numKeys must be in [1, 1] for 1 operands, got 2");
  });
});

describe("sort derivatives", () => {
  const sortValues = (a: AnyTensor) => [sortOf([a], along(0))[0]];

  test("on a long line the tangent is permuted along and the cotangent goes back (ties included)", () => {
    const rng = new Rng(5);
    const n = 300;
    const x = Array.from({ length: n }, () => rng.int(0, 60));
    const v = Array.from({ length: n }, () => rng.uniform(-1, 1));
    const order = x.map((_, i) => i).sort((p, q) => x[p] - x[q] || p - q);
    const [, [yDot]] = jvpFlat(sortValues, [tensor(x, [n])], [tensor(v, [n])]);
    expect(valuesOf(yDot)).toEqual(order.map((j) => v[j]));
    const ct = Array.from({ length: n }, () => rng.uniform(-1, 1));
    const [, pullback] = vjpFlat(sortValues, [tensor(x, [n])]);
    const expected = new Array<number>(n);
    order.forEach((j, place) => (expected[j] = ct[place]));
    expect(valuesOf(pullback([tensor(ct, [n])])[0])).toEqual(expected);
    checkVjp(sortValues, [tensor(x, [n])], [tensor(v, [n])], [tensor(ct, [n])]);
  });

  test("the pullback under jit and vmapped over cotangents", () => {
    const x = tensor([3, 1, 2], [3]);
    const [, pullback] = vjpFlat(sortValues, [x]);
    const jitted = jit((ct: AnyTensor) => pullback([ct]));
    expect(valuesOf(jitted(tensor([10, 20, 30], [3]))[0])).toEqual([30, 10, 20]);
    const [batched] = vmapFlat((ct) => pullback([ct]), [0], [tensor([10, 20, 30, 1, 2, 3], [2, 3])]);
    expect(valuesOf(batched)).toEqual([30, 10, 20, 3, 1, 2]);
  });

  test("a payload's derivative: keys fixed, the payload permuted; the keys' own derivative too", () => {
    const keys = tensor([2, 0, 1], [3]);
    const payload = tensor([5, 6, 7], [3]);
    const [, tangents] = jvpFlat((k, p) => sortOf([k, p], along(0)), [keys, payload], [tensor([1, 2, 3], [3]), tensor([10, 20, 30], [3])]);
    expect(tangents.map(valuesOf)).toEqual([
      [2, 3, 1],
      [20, 30, 10],
    ]);
  });
});
