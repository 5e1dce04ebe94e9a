/**
 * @file `at(x, entries)`: reads with NumPy's placement of the index dims (adjacent: in place;
 * split: in front), static integers, broadcasting index tensors; every write (set, add, mul,
 * min, max) with repeats, modes and gradients; inside `jit` and `vmap`; and the errors.
 */
import { describe, expect, test } from "vitest";
import { at, grad, jit, mul, sum, tensor, vmap, zeros, type Tensor } from "../../src/index.js";
import { DTypeError } from "../../src/core/errors.js";
import { ShapeError } from "../../src/shape/errors.js";
import { expectThrown } from "../reliability/expect-error.js";

const cube = tensor(Array.from({ length: 2 }, (_, i) => Array.from({ length: 3 }, (_, j) => Array.from({ length: 4 }, (_, k) => 100 * i + 10 * j + k))));
const i32 = (v: number[] | number[][]) => tensor(v, "int32");

describe("at(...).get", () => {
  test("one index tensor on the first axis; static integers drop axes; null keeps one", () => {
    expect(at(cube, [i32([1, 0, 1])]).get().shape).toEqual([3, 3, 4]);
    expect(at(cube, [1, 2]).get().toArray()).toEqual([120, 121, 122, 123]);
    expect(at(cube, [-1, null, 3]).get().toArray()).toEqual([103, 113, 123]);
    expect(at(cube, []).get().shape).toEqual([2, 3, 4]);
  });

  test("adjacent index tensors put the broadcast index shape in place; split ones put it first (NumPy)", () => {
    const adjacent = at(cube, [null, i32([[0], [2]]), i32([1, 3])]).get();
    expect(adjacent.shape).toEqual([2, 2, 2]);
    expect(adjacent.toArray()).toEqual([[[1, 3], [21, 23]], [[101, 103], [121, 123]]]);
    const split = at(cube, [i32([0, 1]), null, i32([3, 0])]).get();
    expect(split.shape).toEqual([2, 3]);
    expect(split.toArray()).toEqual([[3, 13, 23], [100, 110, 120]]);
    // A static integer among index tensors is an index too: split from the tensor by null, so in front.
    expect(at(cube, [0, null, i32([1, 2])]).get().toArray()).toEqual([[1, 11, 21], [2, 12, 22]]);
  });

  test("modes: check (eager and jit), clip, fill", () => {
    expectThrown(() => at(cube, [null, i32([3])]).get(), RangeError, /^at: index 3 at position \[0\] is out of range \[-3, 3\)$/);
    const f = jit((i: Tensor<[1], "int32">) => at(cube, [null, i]).get());
    expectThrown(() => f(i32([-4])), RangeError, /^at: index -4 at position \[0\] is out of range \[-3, 3\)$/);
    expect(f(i32([-3])).toArray()).toEqual([[[0, 1, 2, 3]], [[100, 101, 102, 103]]]);
    expect(at(cube, [1, i32([7])]).get({ mode: "clip" }).toArray()).toEqual([[120, 121, 122, 123]]);
    expect(at(cube, [1, i32([7])]).get({ mode: "fill", fillValue: 0 }).toArray()).toEqual([[0, 0, 0, 0]]);
  });
});

describe("x.at(...)", () => {
  test("the method is the function", () => {
    const v = tensor([1, 2, 3]);
    expect(v.at([i32([2, 0])]).get().toArray()).toEqual([3, 1]);
    expect(v.at([1]).set(9).toArray()).toEqual([1, 9, 3]);
  });
});

describe("at(...).set/add/mul/min/max", () => {
  const v = tensor([1, 2, 3, 4]);
  const idx = i32([1, 1, 3]);

  test("set: the last repeated write wins; add: repeats add up; mul, min, max combine", () => {
    expect(at(v, [idx]).set(tensor([10, 20, 30])).toArray()).toEqual([1, 20, 3, 30]);
    expect(at(v, [idx]).add(1).toArray()).toEqual([1, 4, 3, 5]);
    expect(at(v, [idx]).mul(tensor([2, 3, 4])).toArray()).toEqual([1, 12, 3, 16]);
    expect(at(v, [idx]).min(tensor([5, 0, 9])).toArray()).toEqual([1, 0, 3, 4]);
    expect(at(v, [idx]).max(tensor([5, 0, 9])).toArray()).toEqual([1, 5, 3, 9]);
  });

  test("values broadcast to the read shape, in the result layout", () => {
    const y = at(zeros([2, 3, 4]), [null, i32([0, 2]), 1]).set(tensor([[1, 2], [3, 4]]));
    expect(at(y, [null, null, 1]).get().toArray()).toEqual([[1, 0, 2], [3, 0, 4]]);
    expect(sum(at(zeros([2, 3]), [0]).add(tensor([1, 2, 3]))).item()).toBe(6);
    expectThrown(() => at(zeros([2, 3]), [0]).set(tensor([1, 2]) as never), ShapeError, /^at: cannot broadcast 2 to 3/);
  });

  test("modes: check raises; clip clamps; fill drops", () => {
    expectThrown(() => at(v, [i32([4])]).set(0), RangeError, /^at: index 4 at position \[0\] is out of range \[-4, 4\)$/);
    expect(at(v, [i32([4, -1])]).set(0, { mode: "clip" }).toArray()).toEqual([1, 2, 3, 0]);
    expect(at(v, [i32([4, 0])]).add(10, { mode: "fill" }).toArray()).toEqual([11, 2, 3, 4]);
  });

  test("gradients: set zeroes the overwritten places; add passes through; mul, max as JAX", () => {
    const w = tensor([1, 2, 3, 4]);
    const gSet = grad((x: Tensor<[4]>, u: Tensor<[3]>) => sum(mul(at(x, [idx]).set(u), w)), { argnums: [0, 1] })(v, tensor([10, 20, 30]));
    expect(gSet[0].toArray()).toEqual([1, 0, 3, 0]);
    expect(gSet[1].toArray()).toEqual([0, 2, 4]);
    const gAdd = grad((x: Tensor<[4]>, u: Tensor<[3]>) => sum(mul(at(x, [idx]).add(u), w)), { argnums: [0, 1] })(v, tensor([10, 20, 30]));
    expect(gAdd[0].toArray()).toEqual([1, 2, 3, 4]);
    expect(gAdd[1].toArray()).toEqual([2, 2, 4]);
    const gMul = grad((u: Tensor<[3]>) => sum(at(v, [idx]).mul(u)))(tensor([2, 3, 4]));
    expect(gMul.toArray()).toEqual([6, 4, 4]);
    const gMax = grad((x: Tensor<[4]>) => sum(at(x, [idx]).max(tensor([2, 0, 9]))))(v);
    expect(gMax.toArray()).toEqual([1, 0.5, 1, 0]);
  });

  test("under vmap, each example writes its own row", () => {
    const f = vmap((row: Tensor<[4]>, i: Tensor<[], "int32">) => at(row, [i]).set(-1));
    expect(f(tensor([[1, 2, 3, 4], [5, 6, 7, 8]]), i32([0, 3])).toArray()).toEqual([[-1, 2, 3, 4], [5, 6, 7, -1]]);
  });

  test("errors: entries of the wrong kind, too many entries, a static integer out of range, bool arithmetic", () => {
    expectThrown(() => at(v, [tensor([0]) as never]).get(), DTypeError, /^at: index entry 0 must be int32, got float32$/);
    expectThrown(() => at(v, ["a" as never]).get(), TypeError, /^at: index entry 0 must be an integer, null or an int32 tensor$/);
    expectThrown(() => at(v, [0, 0] as never).get(), ShapeError, /^at: 2 indices for rank-1 tensor \[4\]$/);
    expectThrown(() => at(v, [4] as never).get(), RangeError, /^at: index 4 is out of range for axis 0 of size 4 \(tensor \[4\]\)$/);
    expectThrown(() => at(tensor([true, false]), [0]).add(1), DTypeError, /^at: add on a bool tensor is not defined/);
    expectThrown(() => at(v, [idx]).get({ mode: "wrap" } as never), RangeError, /^at: mode must be one of "check", "clip", "fill", got "wrap"$/);
  });
});
