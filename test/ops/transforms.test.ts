import { describe, expect, test } from "vitest";
import { grad, jit, vmap, type Tensor } from "../../src/index.js";
import {
  add, logSumExp, matmul, mean, mul, reshape, arange, relu, softmax, sum, tensor, where, greater, logSoftmax,
} from "../../src/ops/index.js";

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
const close = (a: { toArray(): unknown }, b: { toArray(): unknown }, digits = 5) => {
  const x = flat(a.toArray());
  const y = flat(b.toArray());
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => expect(v).toBeCloseTo(y[i], digits));
};

describe("typed ops under transforms", () => {
  const x = tensor([[0.5, -1, 2], [3, 0, -2]], "float64");
  test("grad of logSumExp is softmax (the stop-gradient shift does not change the derivative)", () => {
    close(grad((v: Tensor<[2, 3], "float64">) => sum(logSumExp(v, 1)))(x), softmax(x));
  });
  test("grad through broadcasting with numbers; relu's derivative at 0 is 0", () => {
    close(grad((v: Tensor<[2, 3], "float64">) => sum(add(1, mul(v, v))))(x), mul(x, 2));
    const g = grad((v: Tensor<[2, 3], "float64">) => mean(relu(v)))(x);
    close(g, where(greater(x, 0), 1 / 6, 0));
  });
  test("grad of logSoftmax rows sums to zero for a uniform target", () => {
    const g = grad((v: Tensor<[2, 3], "float64">) => sum(logSoftmax(v)))(x);
    close(sum(g, 1), tensor([0, 0], "float64"));
  });
  test("jit gives the eager values", () => {
    const w = reshape(arange(6), [3, 2]);
    const f = (v: Tensor<[2, 3]>) => softmax(add(matmul(v, w), tensor([1, -1])));
    const v = tensor([[1, 2, 3], [4, 5, 6]]);
    close(jit(f)(v), f(v));
  });
  test("vmap of matmul equals the batched matmul", () => {
    const w = reshape(arange(6), [3, 2]);
    const batch = reshape(arange(24), [4, 2, 3]);
    const perExample = (v: Tensor<[2, 3]>) => matmul(v, w);
    close(vmap(perExample)(batch as never) as Tensor, matmul(batch, w));
  });
});
