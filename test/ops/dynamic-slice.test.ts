/**
 * @file `dynamicSlice` / `dynamicUpdateSlice`: traced starts (jit, vmap), negative starts, JAX's
 * clamping, gradients through both, and the errors.
 */
import { describe, expect, test } from "vitest";
import { dynamicSlice, dynamicUpdateSlice, grad, jit, mul, sum, tensor, vmap, type Tensor } from "../../src/index.js";
import { DTypeError } from "../../src/core/errors.js";
import { ShapeError } from "../../src/shape/errors.js";
import { expectThrown } from "../reliability/expect-error.js";

const x = tensor([
  [0, 1, 2, 3],
  [10, 11, 12, 13],
  [20, 21, 22, 23],
]);
const i32 = (v: number) => tensor(v, "int32");

describe("dynamicSlice", () => {
  test("static and traced starts; a start vector; negative starts count from the end", () => {
    expect(dynamicSlice(x, [1, 2], [2, 2]).toArray()).toEqual([[12, 13], [22, 23]]);
    expect(dynamicSlice(x, [i32(0), 1], [1, 3]).toArray()).toEqual([[1, 2, 3]]);
    expect(dynamicSlice(x, tensor([2, 0], "int32"), [1, 2]).toArray()).toEqual([[20, 21]]);
    expect(dynamicSlice(x, [-1, -2], [1, 2]).toArray()).toEqual([[22, 23]]);
  });

  test("starts are clamped so that the slice fits (JAX)", () => {
    expect(dynamicSlice(x, [5, -9], [2, 2]).toArray()).toEqual([[10, 11], [20, 21]]);
  });

  test("inside jit and vmap the starts are traced", () => {
    const f = jit((i: Tensor<[], "int32">) => dynamicSlice(x, [i, i], [2, 2]));
    expect(f(i32(1)).toArray()).toEqual([[11, 12], [21, 22]]);
    expect(f(i32(0)).toArray()).toEqual([[0, 1], [10, 11]]);
    const rows = vmap((i: Tensor<[], "int32">) => dynamicSlice(x, [i, 0], [1, 4]));
    expect(rows(tensor([2, 0], "int32")).toArray()).toEqual([[[20, 21, 22, 23]], [[0, 1, 2, 3]]]);
  });

  test("gradient: the cotangent lands on the slice", () => {
    const g = grad((t: Tensor<[3, 4]>) => sum(dynamicSlice(t, [i32(1), 2], [2, 2])))(x);
    expect(g.toArray()).toEqual([[0, 0, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]]);
  });

  test("errors: sizes of the wrong count or too large, starts of the wrong kind", () => {
    expectThrown(() => dynamicSlice(x, [0, 0], [2] as never), ShapeError, /^dynamicSlice: 1 sizes for rank-2 tensor \[3, 4\]$/);
    expectThrown(() => dynamicSlice(x, [0, 0], [4, 1] as never), ShapeError, /^dynamicSlice: sizes \[4, 1\] exceed the dims of \[3, 4\] \(axis 0\)$/);
    expectThrown(() => dynamicSlice(x, [0] as never, [1, 1]), ShapeError, /^dynamicSlice: 1 starts for rank-2 tensor \[3, 4\]$/);
    expectThrown(() => dynamicSlice(x, [tensor(0), 0] as never, [1, 1]), DTypeError, /^dynamicSlice: start 0 must be an integer or an int32 scalar tensor$/);
    expectThrown(() => dynamicSlice(x, [0.5, 0], [1, 1]), RangeError, /^dynamicSlice: start of axis 0: value 0.5 is not an integer$/);
  });
});

describe("dynamicUpdateSlice", () => {
  test("writes the update at the (clamped) starts; inside jit", () => {
    const row = tensor([[-1, -2]]);
    expect(dynamicUpdateSlice(x, row, [2, 1]).toArray()).toEqual([[0, 1, 2, 3], [10, 11, 12, 13], [20, -1, -2, 23]]);
    expect(dynamicUpdateSlice(x, row, [9, 9]).toArray()[2]).toEqual([20, 21, -1, -2]);
    const f = jit((i: Tensor<[], "int32">) => dynamicUpdateSlice(x, row, [i, 0]));
    expect(f(i32(0)).toArray()[0]).toEqual([-1, -2, 2, 3]);
  });

  test("gradients: zero where overwritten for x; the cotangent's slice for the update", () => {
    const w = tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
    const [gx, gu] = grad((t: Tensor<[3, 4]>, u: Tensor<[1, 2]>) => sum(mul(dynamicUpdateSlice(t, u, [1, i32(2)]), w)), { argnums: [0, 1] })(
      x,
      tensor([[0, 0]]),
    );
    expect(gx.toArray()).toEqual([[1, 2, 3, 4], [5, 6, 0, 0], [9, 10, 11, 12]]);
    expect(gu.toArray()).toEqual([[7, 8]]);
  });

  test("errors: an update of another rank or larger than x", () => {
    expectThrown(() => dynamicUpdateSlice(x, tensor([1]) as never, [0, 0]), ShapeError, /^dynamicUpdateSlice: update \[1\] and x \[3, 4\] differ in rank$/);
    expectThrown(() => dynamicUpdateSlice(x, tensor([[1], [1], [1], [1]]) as never, [0, 0]), ShapeError, /^dynamicUpdateSlice: update dims \[4, 1\] exceed the dims of \[3, 4\] \(axis 0\)$/);
  });
});
