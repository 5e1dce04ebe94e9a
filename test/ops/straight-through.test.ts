/** @file The straight-through estimator of stopGradient's doc comment and the README: step forward, identity backward. */
import { expect, test } from "vitest";
import { add, grad, jit, mul, sign, stopGradient, sub, sum, tensor, type Tensor } from "../../src/index.js";

const binarize = (x: Tensor<[4], "float64">) => add(x, stopGradient(sub(sign(x), x)));

test("forward: sign(x); backward: the identity's gradient, eagerly and under jit", () => {
  const x = tensor([-0.5, 0.25, 2, -3], "float64");
  expect(Array.from(binarize(x).data())).toEqual([-1, 1, 1, -1]);
  const loss = (a: Tensor<[4], "float64">) => sum(mul(binarize(a), tensor([1, 2, 3, 4], "float64")));
  expect(Array.from(grad(loss)(x).data())).toEqual([1, 2, 3, 4]);
  expect(Array.from(jit(grad(loss))(x).data())).toEqual([1, 2, 3, 4]);
  // without the estimator, sign's gradient is 0 everywhere
  expect(Array.from(grad((a: Tensor<[4], "float64">) => sum(mul(sign(a), tensor([1, 2, 3, 4], "float64"))))(x).data())).toEqual([0, 0, 0, 0]);
});
