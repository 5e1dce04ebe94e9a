/**
 * The trace-time half of issue 15, item 2: functions generic over their dims type-check once, for
 * every instantiation, so a dim the compiler cannot know (a type parameter, or `number` at the call
 * site) is checked when the function runs. Each relation below is written as in
 * types-tests/shape/generic*.test-d.ts and called with runtime shapes that do not fit: the result is
 * a `ShapeError` naming the op and both shapes, never a wrong answer.
 */
import { describe, expect, test } from "vitest";
import {
  add,
  avgPool1d,
  concat,
  cond,
  conv2d,
  dynamicSlice,
  einsum,
  flatten,
  matmul,
  maxPool2d,
  nn,
  random,
  reshape,
  scan,
  ShapeError,
  slice,
  stack,
  sum,
  tanh,
  tensor,
  zeros,
  type Dim,
  type Tensor,
} from "../../src/index.js";

/** A tensor of `shape` typed with unknown dims, as untyped data arrives. */
const data = <S extends Dim[]>(shape: number[]) => zeros(shape) as unknown as Tensor<S>;

describe("relations with type-parameter dims are checked at trace time", () => {
  test("matmul over generic outer dims", () => {
    const f = <B extends Dim, T extends Dim>(x: Tensor<[B, T, 8]>, w: Tensor<[8, 4]>) => matmul(x, w);
    expect(f(data([2, 3, 8]), data([8, 4])).shape).toEqual([2, 3, 4]);
    expect(() => f(data([2, 3, 7]), data([8, 4]))).toThrow(new ShapeError("matmul: inner dimensions differ: 7 vs 8 (a is [2, 3, 7], b is [8, 4])"));
  });

  test("broadcasting a generic dim against itself", () => {
    const f = <B extends Dim, T extends Dim>(x: Tensor<[B, T, 8]>, y: Tensor<[B, T, 8]>) => add(x, y);
    expect(() => f(data([2, 3, 8]), data([2, 4, 8]))).toThrow(ShapeError);
    expect(() => f(data([2, 3, 8]), data([2, 4, 8]))).toThrow("add: cannot broadcast 3 with 4 (shapes [2, 3, 8] and [2, 4, 8])");
  });

  test("reshape and flatten with generic leading dims", () => {
    const f = <B extends Dim, T extends Dim>(x: Tensor<[B, T, 8]>) => reshape(x, [-1, 3, 4]);
    expect(f(data([2, 3, 8])).shape).toEqual([4, 3, 4]);
    expect(() => f(data([1, 1, 8]))).toThrow(ShapeError);
    const g = <B extends Dim, T extends Dim>(x: Tensor<[B, T, 8]>) => flatten(x);
    expect(g(data([2, 3, 8])).shape).toEqual([2, 24]);
  });

  test("slice of a generic-length axis (bounds clamp as in NumPy; a bad step is an error)", () => {
    const f = <B extends Dim, T extends Dim>(x: Tensor<[B, T, 8]>, t: number) => slice(x, [null, [t, t + 1]]);
    expect(f(data([2, 5, 8]), 4).shape).toEqual([2, 1, 8]);
    expect(f(data([2, 5, 8]), 7).shape).toEqual([2, 0, 8]);
    expect(() => f(data([2, 5, 8]), 0.5)).toThrow(ShapeError);
  });

  test("concat and stack of generic shapes", () => {
    const f = <B extends Dim, T extends Dim>(x: Tensor<[B, T, 8]>, y: Tensor<[B, T, 8]>) => concat([x, y], 2);
    expect(() => f(data([2, 3, 8]), data([2, 4, 8]))).toThrow(ShapeError);
    const g = <B extends Dim, T extends Dim>(x: Tensor<[B, T, 8]>, y: Tensor<[B, T, 8]>) => stack([x, y]);
    expect(() => g(data([2, 3, 8]), data([2, 4, 8]))).toThrow(ShapeError);
  });

  test("reductions keep working; an axis is checked against the runtime rank", () => {
    const f = <B extends Dim, T extends Dim>(x: Tensor<[B, T, 8]>) => sum(x, 1);
    expect(f(data([2, 3, 8])).shape).toEqual([2, 8]);
    expect(() => f(data([2]) as never)).toThrow(ShapeError);
  });

  test("conv2d and pooling over generic or runtime spatial dims", () => {
    const c = <B extends Dim>(x: Tensor<[B, number, number, 3]>) => conv2d(x, zeros([3, 3, 3, 5]));
    expect(c(data([1, 5, 5, 3])).shape).toEqual([1, 3, 3, 5]);
    expect(() => c(data([1, 2, 2, 3]))).toThrow(ShapeError);
    // "same" with stride 1 keeps generic spatial dims in the type; the kernel's channels are checked when it runs
    const same = <B extends Dim, H extends Dim, W extends Dim>(x: Tensor<[B, H, W, 3]>) => conv2d(x, zeros([3, 3, 3, 5]), { padding: "same" });
    expect(same(data([1, 7, 5, 3])).shape).toEqual([1, 7, 5, 5]);
    expect(() => same(data([1, 7, 5, 2]))).toThrow(ShapeError);
    const p = <B extends Dim>(x: Tensor<[B, number, 3]>) => avgPool1d(x, 4);
    expect(() => p(data([1, 3, 3]))).toThrow(ShapeError);
    const q = <B extends Dim>(x: Tensor<[B, number, number, 3]>) => maxPool2d(x, 2);
    expect(q(data([1, 5, 4, 3])).shape).toEqual([1, 2, 2, 3]);
    expect(() => q(data([1, 1, 4, 3]))).toThrow(ShapeError);
  });

  test("dynamicSlice sizes against runtime dims", () => {
    const f = (x: Tensor<[number, number, 8]>) => dynamicSlice(x, [0, 0, 0], [1, 4, 8]);
    expect(f(data([2, 5, 8])).shape).toEqual([1, 4, 8]);
    expect(() => f(data([2, 3, 8]))).toThrow(ShapeError);
  });

  test("einsum with generic dims", () => {
    const f = <B extends Dim, T extends Dim>(x: Tensor<[B, T, 8]>, w: Tensor<[8, 4]>) => einsum("btd,de->bte", x, w);
    expect(f(data([2, 3, 8]), data([8, 4])).shape).toEqual([2, 3, 4]);
    expect(() => f(data([2, 3, 7]), data([8, 4]))).toThrow(ShapeError);
  });

  test("scan and cond carries with generic dims", () => {
    const run = <B extends Dim, T extends Dim>(h0: Tensor<[B, 8]>, xs: Tensor<[T, B, 8]>) =>
      scan((h: Tensor<[B, 8]>, x: Tensor<[B, 8]>) => [tanh(add(h, x)), h] as const, h0, xs);
    expect(run(data([2, 8]), data([5, 2, 8]))[1].shape).toEqual([5, 2, 8]);
    expect(() => run(data([2, 8]), data([5, 3, 8]))).toThrow(ShapeError);
    const pick = <B extends Dim>(x: Tensor<[B, 8]>, y: Tensor<[B, 8]>) => cond(tensor(true), () => x, () => y);
    expect(() => pick(data([2, 8]), data([3, 8]))).toThrow(ShapeError);
  });

  test("layers and stacks on a generic batch and sequence", () => {
    const model = nn.serial(nn.embedding(30, 8), nn.lstm(8, 4), nn.layerNorm(4));
    const params = model.init(random.key(0));
    const f = <B extends Dim, T extends Dim>(ids: Tensor<[B, T], "int32">) => model.apply(params, ids);
    expect(f(zeros([2, 5], "int32") as never).shape).toEqual([2, 5, 4]);
    const dense = nn.dense(8, 4);
    const g = <B extends Dim>(x: Tensor<[B, 8]>) => dense.apply(dense.init(random.key(1)), x);
    expect(() => g(data([2, 7]))).toThrow(new ShapeError("dense(8, 4) expects input [8] but got [7]"));
  });
});
