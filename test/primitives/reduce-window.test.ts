/**
 * @file Edge cases of the window primitives (`reduceWindow`, `selectAndScatterAdd`,
 * `selectAndGatherAdd`): worked pooling examples, ties split evenly, overlapping windows, padding
 * and windows of padding only, NaN, windows that do not fit, bad params.
 */
import { describe, expect, test } from "vitest";
import { DTypeError } from "../../src/core/errors.js";
import { ShapeError } from "../../src/shape/errors.js";
import { jit } from "../../src/transforms/jit.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { makeJaxpr } from "../../src/transforms/jit.js";
import type { AnyTensor } from "../../src/core/ops.js";
import type { WindowParams } from "../../src/core/primitive.js";
import { reduceWindowOf, selectAndGatherAddOf, selectAndScatterAddOf } from "../../src/primitives/_window.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

/** A 2×2 window with stride 2 over the middle dims of NHWC (a 2×2 max pool). */
const pool2: WindowParams = { window: [1, 2, 2, 1], strides: [1, 2, 2, 1], padding: [[0, 0], [0, 0], [0, 0], [0, 0]] };
const win = (window: number[], strides: number[], padding: [number, number][]): WindowParams => ({ window, strides, padding });

describe("reduceWindow", () => {
  test("2×2 max and sum pooling of a 4×4 image", () => {
    const x = tensor(Array.from({ length: 16 }, (_, i) => (i * 7) % 16), [1, 4, 4, 1]);
    // rows: [0 7 14 5] [12 3 10 1] [8 15 6 13] [4 11 2 9]
    expect(valuesOf(reduceWindowOf(x, "Max", pool2))).toEqual([12, 14, 15, 13]);
    expect(valuesOf(reduceWindowOf(x, "Add", pool2))).toEqual([22, 30, 38, 30]);
    expect(reduceWindowOf(x, "Max", pool2).shape).toEqual([1, 2, 2, 1]);
  });

  test("overlapping windows (stride 1) and a window that does not divide the input", () => {
    const x = tensor([1, 5, 2, 4, 3], [5]);
    expect(valuesOf(reduceWindowOf(x, "Max", win([2], [1], [[0, 0]])))).toEqual([5, 5, 4, 4]);
    expect(valuesOf(reduceWindowOf(x, "Add", win([2], [2], [[0, 0]])))).toEqual([6, 6]); // the last element is in no window
  });

  test("padding adds nothing to a sum and is never a maximum; a window of padding only gives 0, −∞ or the least int32", () => {
    const x = tensor([-3, -1], [2]);
    expect(valuesOf(reduceWindowOf(x, "Max", win([2], [1], [[1, 1]])))).toEqual([-3, -1, -1]);
    expect(valuesOf(reduceWindowOf(x, "Add", win([2], [1], [[1, 1]])))).toEqual([-3, -4, -1]);
    expect(valuesOf(reduceWindowOf(x, "Max", win([1], [1], [[1, 0]])))).toEqual([-Infinity, -3, -1]);
    expect(valuesOf(reduceWindowOf(x, "Add", win([1], [1], [[1, 0]])))).toEqual([0, -3, -1]);
    const i = tensor([-3, -1], [2], "int32");
    expect(valuesOf(reduceWindowOf(i, "Max", win([1], [1], [[0, 1]])))).toEqual([-3, -1, -(2 ** 31)]);
  });

  test("NaN wins a maximum; ±∞ are ordinary values", () => {
    const x = tensor([1, NaN, 2, Infinity, -Infinity, -Infinity], [6]);
    expect(valuesOf(reduceWindowOf(x, "Max", win([2], [2], [[0, 0]])))).toEqual([NaN, Infinity, -Infinity]);
  });

  test("a window larger than the padded input gives no windows; zero-size operands give zero-size results", () => {
    expect(reduceWindowOf(tensor([1, 2], [2]), "Max", win([3], [1], [[0, 0]])).shape).toEqual([0]);
    expect(reduceWindowOf(tensor([], [0, 3]), "Add", win([1, 2], [1, 1], [[0, 0], [0, 0]])).shape).toEqual([0, 2]);
  });

  test("bad params and dtypes are typed errors naming the op", () => {
    const x = tensor([1, 2, 3, 4], [2, 2]);
    expect(() => reduceWindowOf(x, "Max", win([2], [1], [[0, 0]]))).toThrow(ShapeError);
    expect(() => reduceWindowOf(x, "Max", win([2], [1], [[0, 0]]))).toThrow("reduceWindow: window must be 2 integers ≥ 1, got [2] (operand is [2, 2])");
    expect(() => reduceWindowOf(x, "Max", win([1, 1], [1, 0], [[0, 0], [0, 0]]))).toThrow("reduceWindow: strides must be 2 integers ≥ 1, got [1,0]");
    expect(() => reduceWindowOf(x, "Max", win([1, 1], [1, 1], [[0, 0], [-1, 0]]))).toThrow(/padding must be 2 pairs \[lo, hi\] of integers ≥ 0/);
    expect(() => reduceWindowOf(x, "Max", win([1.5, 1], [1, 1], [[0, 0], [0, 0]]))).toThrow(ShapeError);
    expect(() => reduceWindowOf(tensor([1, 0], [2], "bool"), "Add", win([2], [1], [[0, 0]]))).toThrow(DTypeError);
    expect(() => reduceWindowOf(x, "Min" as "Max", win([2, 1], [1, 1], [[0, 0], [0, 0]]))).toThrow(TypeError);
  });

  test("the gradient of a max pool splits a window's cotangent evenly among tied maxima", () => {
    const x = tensor([1, 1, 0, 2, 1, 1, 2, 0], [1, 2, 4, 1]);
    const [[y], pullback] = vjpFlat((a) => [reduceWindowOf(a, "Max", pool2)], [x]);
    expect(valuesOf(y)).toEqual([1, 2]);
    // window 1 holds 1 1 / 1 1 (all four tie), window 2 holds 0 2 / 2 0 (two tie)
    expect(valuesOf(pullback([tensor([8, 6], [1, 1, 2, 1])])[0])).toEqual([2, 2, 0, 3, 2, 2, 3, 0]);
    const [, [t]] = jvpFlat((a) => [reduceWindowOf(a, "Max", pool2)], [x], [tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 4, 1])]);
    expect(valuesOf(t)).toEqual([(1 + 2 + 5 + 6) / 4, (4 + 7) / 2]);
  });

  test("overlapping windows add their shares; padding receives nothing", () => {
    const x = tensor([1, 3, 2], [3]);
    const params = win([2], [1], [[1, 1]]); // windows [pad 1] [1 3] [3 2] [2 pad]
    const [[y], pullback] = vjpFlat((a) => [reduceWindowOf(a, "Max", params)], [x]);
    expect(valuesOf(y)).toEqual([1, 3, 3, 2]);
    expect(valuesOf(pullback([tensor([1, 10, 100, 1000], [4])])[0])).toEqual([1, 110, 1000]);
  });

  test("the gradient of a window sum counts each element once per window holding it", () => {
    const [, pullback] = vjpFlat((a) => [reduceWindowOf(a, "Add", win([3], [2], [[1, 2]]))], [tensor([1, 2, 3, 4], [4])]);
    // padded: p 1 2 3 4 p p; windows [p 1 2] [2 3 4] [4 p p]
    expect(valuesOf(pullback([tensor([1, 10, 100], [3])])[0])).toEqual([1, 11, 10, 110]);
  });

  test("a NaN maximum sends the cotangent to the NaN elements", () => {
    const [, pullback] = vjpFlat((a) => [reduceWindowOf(a, "Max", win([3], [3], [[0, 0]]))], [tensor([1, NaN, 5], [3])]);
    expect(valuesOf(pullback([tensor([4], [1])])[0])).toEqual([0, 4, 0]);
  });

  test("max-pool gradient is one selectAndScatterAdd in the jaxpr, and jit agrees with eager", () => {
    const f = (a: AnyTensor) => reduceWindowOf(a, "Max", pool2);
    const x = tensor([3, 1, 4, 1, 5, 9, 2, 6], [1, 2, 4, 1]);
    const ct = tensor([1, 2], [1, 1, 2, 1]);
    const pull = (a: AnyTensor) => vjpFlat((b) => [f(b)], [a])[1]([ct])[0];
    const text = makeJaxpr((a: AnyTensor) => pull(a))(x).toString();
    expect(text).toMatch(/selectAndScatterAdd/);
    expect(text).not.toMatch(/\b(pad|slice)\[/);
    expect(valuesOf(jit((a: AnyTensor) => pull(a))(x))).toEqual(valuesOf(pull(x)));
    expect(valuesOf(pull(x))).toEqual([0, 0, 0, 0, 0, 1, 0, 2]);
  });
});

describe("selectAndScatterAdd and selectAndGatherAdd", () => {
  test("shapes must fit the windows; float operands of one dtype", () => {
    const x = tensor([1, 2, 3, 4], [4]);
    const params = win([2], [2], [[0, 0]]);
    expect(() => selectAndScatterAddOf(tensor([1, 2, 3], [3]), x, params)).toThrow(
      "selectAndScatterAdd: source [3] is not one value per window [2] of operand [4]",
    );
    expect(() => selectAndGatherAddOf(tensor([1, 2], [2]), x, params)).toThrow("selectAndGatherAdd: shapes differ: [2] vs [4]");
    expect(() => selectAndScatterAddOf(tensor([1, 2], [2], "float32"), x, params)).toThrow(DTypeError);
    expect(() => selectAndGatherAddOf(tensor([1, 2, 3, 4], [4], "int32"), tensor([1, 2, 3, 4], [4], "int32"), params)).toThrow(DTypeError);
  });

  test("each is the other's transpose: ⟨scatter(s), t⟩ = ⟨s, gather(t)⟩ with ties and overlaps", () => {
    const x = tensor([2, 2, 1, 3, 3, 3, 0], [7]);
    const params = win([3], [2], [[1, 1]]);
    const s = tensor([0.5, -1, 2, 4], [4]);
    const t = tensor([1, -2, 3, 0.25, 5, -6, 7], [7]);
    const dot = (a: AnyTensor, b: AnyTensor) => valuesOf(a).reduce((acc, v, i) => acc + v * valuesOf(b)[i], 0);
    expect(dot(selectAndScatterAddOf(s, x, params), t)).toBeCloseTo(dot(s, selectAndGatherAddOf(t, x, params)), 12);
  });
});

describe("reduceWindow, more corners", () => {
  test("a window far larger than the operand, with as much padding, needs no large scratch memory", () => {
    const big = 2 ** 30;
    const y = reduceWindowOf(tensor([1, 7, 3], [3]), "Max", win([big], [1], [[big - 1, 0]]));
    expect(valuesOf(y)).toEqual([1, 7, 7]);
  });

  test("an int32 max pool has a zero tangent", () => {
    const x = tensor([1, 7, 3, 2], [4], "int32");
    const [[y], [t]] = jvpFlat((a) => [reduceWindowOf(a, "Max", win([2], [2], [[0, 0]]))], [x], [tensor([0, 0, 0, 0], [4], "int32")]);
    expect(valuesOf(y)).toEqual([7, 3]);
    expect(valuesOf(t)).toEqual([0, 0]);
  });
});
