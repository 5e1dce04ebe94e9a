/**
 * @file `cumulative` and `sort` exported to ONNX and run in ONNX Runtime, beyond the harness's
 * random cases: running sums, products and extrema with NaN, ±∞, −0 and int32 wrapping, forward
 * and reverse, along a symbolic axis; sort, argsort and topK with ties (stable), NaN (last, or
 * first when descending) and ±0, and their gradients; einsum (no primitive of its own) in a graph.
 */
import { describe, test } from "vitest";
import { argsort, cummax, cummin, cumprod, cumsum, einsum, grad, mul, random, sort, sum, tensor, topK, type Tensor } from "../../src/index.js";
import { exportModel } from "../../src/onnx/index.js";
import { expectClose, load, toOrt } from "./ort.js";

const EXACT = { rtol: 0, atol: 0 };
type AnyT = Parameters<typeof toOrt>[0];

/** Exports `f` on `args` and runs it there and in typegrad on each argument list of `runs`; compares every output. */
async function agree(f: (...xs: never[]) => unknown, args: readonly unknown[], runs: readonly (readonly unknown[])[], tol = EXACT, options = {}): Promise<void> {
  const model = await load(exportModel(f as (...xs: unknown[]) => unknown, args as never, options));
  for (const [r, xs] of runs.entries()) {
    const got = await model.run(Object.fromEntries(xs.map((x, i) => [`arg${i}`, toOrt(x as AnyT)])));
    const want = f(...(xs as never[])) as AnyT[];
    want.forEach((w, i) => expectClose(got[`output.${i}`], w, tol, `run ${r}, output ${i}`));
  }
}

const specials = (seed: number, n: number): Tensor<[number, 4]> => {
  const x = random.normal(random.key(seed), [n, 4]);
  const data = Array.from(x.data() as Float32Array).map((v, i) => [NaN, Infinity, -Infinity, -0, 0, 2, 2][(i * 5 + seed) % 11] ?? v);
  return tensor(data).reshape([n, 4]) as never;
};

describe("cumulative", () => {
  test("cumsum, cumprod, cummax, cummin forward and reverse along a symbolic axis, with NaN, ±∞ and −0: bit for bit", async () => {
    const f = (x: Tensor<[number, 4]>) => [
      cumsum(x, 0),
      cumsum(x, 1, { reverse: true }),
      cumprod(x, 0, { reverse: true }),
      cumprod(x, 1),
      cummax(x, 0),
      cummin(x, 1, { reverse: true }),
    ];
    await agree(f, [specials(0, 3)], [[specials(1, 3)], [specials(2, 6)], [specials(3, 1)]], EXACT, { dynamicAxes: { arg0: { 0: "n" } } });
  });

  test("int32 running sums and products wrap modulo 2³²; extrema of int32", async () => {
    const x = tensor([[2147483647, 1, 65536], [65536, -3, 5], [-2147483648, 7, 65537]], "int32");
    const f = (v: Tensor<[3, 3], "int32">) => [cumsum(v, 0), cumprod(v, 0), cumprod(v, 1, { reverse: true }), cummax(v, 1), cummin(v, 0)];
    await agree(f, [x], [[x]]);
  });

  test("the gradient of a cumulative product with zeros in it", async () => {
    const f = (x: Tensor<[5]>) => [grad((v: Tensor<[5]>) => sum(cumprod(v)))(x)];
    const x = tensor([2, 0, 3, -1, 0.5]);
    await agree(f, [x], [[x], [tensor([1, 2, 3, 0, 0])]], { rtol: 1e-6, atol: 0 });
  });
});

describe("sort", () => {
  test("sort, argsort and topK ascending and descending, along either axis: ties stable, NaN last (first descending), bit for bit", async () => {
    const alongRows = (x: Tensor<[number, 4]>) => [sort(x, 1), argsort(x, 1), sort(x, 1, { descending: true }), argsort(x, 1, { descending: true }), ...topK(x, 3)];
    await agree(alongRows, [specials(5, 5)], [[specials(6, 5)], [specials(7, 2)], [specials(8, 9)]], EXACT, { dynamicAxes: { arg0: { 0: "n" } } });
    // argsort's positions are a constant as long as the axis, so that axis cannot be symbolic
    const alongColumns = (x: Tensor<[7, 4]>) => [sort(x, 0), argsort(x, 0), sort(x, 0, { descending: true }), argsort(x, 0, { descending: true })];
    await agree(alongColumns, [specials(9, 7)], [[specials(10, 7)], [specials(11, 7)]]);
  });

  test("int32 and bool sorts", async () => {
    const i = tensor([[3, -1, 3, 0], [2147483647, -2147483648, 0, 0]], "int32");
    const b = tensor([[true, false, true, false], [false, false, true, true]], "bool");
    const f = (x: Tensor<[2, 4], "int32">, y: Tensor<[2, 4], "bool">) => [sort(x), argsort(x, 1, { descending: true }), sort(y), argsort(y)];
    await agree(f, [i, b], [[i, b]]);
  });

  test("the gradient through a sort goes back by the inverse permutation", async () => {
    const w = tensor([1, 2, 3, 4, 5]);
    const f = (x: Tensor<[5]>) => [grad((v: Tensor<[5]>) => sum(mul(sort(v), w)))(x)];
    await agree(f, [tensor([3, 1, 2, 5, 4])], [[tensor([0.5, -1, 0.5, 9, 2])]]);
  });
});

describe("einsum", () => {
  test("einsum (diagonals, reductions and dot products) exports as the primitives it is made of", async () => {
    const f = (a: Tensor<[3, 3]>, b: Tensor<[3, 4]>, c: Tensor<[2, 3, 4]>) => [einsum("ii->i", a), einsum("ij,jk->ik", a, b), einsum("bjk,jk->b", c, b), einsum("ii", a)];
    const args = [random.normal(random.key(1), [3, 3]), random.normal(random.key(2), [3, 4]), random.normal(random.key(3), [2, 3, 4])];
    await agree(f, args, [args], { rtol: 1e-5, atol: 1e-6 });
  });
});
