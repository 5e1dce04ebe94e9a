/** Snapshot tests: the printed IR of a few functions and of their gradients. A change to partial
 * evaluation or transposition shows up here as a readable diff. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { grad, jit, makeJaxpr, vmap } from "../../src/index.js";

type T = AnyTensor;
const x3 = ops.full([3], 0.5, "float32");
const sumAll = (x: T): T => ops.reduceSum(x, x.shape.map((_, i) => i));

describe("printed IR", () => {
  test("a forward function", () => {
    expect(String(makeJaxpr((x: T) => sumAll(ops.exp(x)))(x3))).toMatchSnapshot();
  });
  test("grad of sum(exp x)", () => {
    expect(String(makeJaxpr(grad(((x: T) => sumAll(ops.exp(x))) as never))(x3 as never))).toMatchSnapshot();
  });
  test("grad of sum(sin(x) · x)", () => {
    const f = (x: T) => sumAll(ops.mul(ops.sin(x), x));
    expect(String(makeJaxpr(grad(f as never))(x3 as never))).toMatchSnapshot();
  });
  test("grad of sum(tanh(x @ w)) with respect to w", () => {
    const x = ops.full([2, 3], 1, "float32");
    const w = ops.full([3, 4], 0.1, "float32");
    const f = (w: T, x: T) => sumAll(ops.tanh(ops.dotGeneral(x, w, { contract: [[1], [0]], batch: [[], []] })));
    expect(String(makeJaxpr(grad(f as never))(w as never, x as never))).toMatchSnapshot();
  });
  test("grad of a jitted function keeps the jit call", () => {
    const f = jit((x: T) => sumAll(ops.mul(x, x)), { name: "square" });
    expect(String(makeJaxpr(grad(f as never))(x3 as never))).toMatchSnapshot();
  });
  test("vmap of a matrix-vector product", () => {
    const w = ops.full([3, 2], 1, "float32");
    const f = (v: T) => ops.dotGeneral(v, w, { contract: [[0], [0]], batch: [[], []] });
    expect(String(makeJaxpr(vmap(f as never))(ops.full([5, 3], 1, "float32") as never))).toMatchSnapshot();
  });
});
