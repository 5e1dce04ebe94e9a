/** @file Edge cases of `jitCall`: signature errors, nested calls under every transform, closures over constants and tracers, int outputs. */
import { afterEach, describe, expect, test, vi } from "vitest";
import { ShapedArray } from "../../src/core/aval.js";
import { makeJaxprFlat } from "../../src/core/make-jaxpr.js";
import * as ops from "../../src/core/ops.js";
import { primitives } from "../../src/core/registry.js";
import { ShapeError } from "../../src/shape/errors.js";
import { jit } from "../../src/transforms/jit.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { vmapFlat } from "../../src/transforms/vmap.js";
import { scalar, tensor, valuesOf, grad1 } from "../helpers/tensors.js";

type T = ops.AnyTensor;

const sinJaxpr = makeJaxprFlat((x) => [ops.sin(x)], [new ShapedArray([3], "float64")]).jaxpr;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("jitCall", () => {
  test("a call whose arguments do not match the traced signature is a ShapeError naming both", () => {
    const call = (x: T) => ops.bind("jitCall", [x], { jaxpr: sinJaxpr, numConsts: 0, name: "f" });
    expect(valuesOf(call(tensor([0, 0, 0], [3]))[0])).toEqual([0, 0, 0]);
    expect(() => call(tensor([0, 0], [2]))).toThrow(ShapeError);
    expect(() => call(tensor([0, 0], [2]))).toThrow("jit(f): called with (f64[2]) but traced for (f64[3])");
    expect(() => call(tensor([0, 0, 0], [3], "float32"))).toThrow(/called with \(f32\[3\]\)/);
  });

  test("a jit of a jit evaluates, and differentiates forward", () => {
    const inner = jit((a: T) => ops.sin(a));
    const outer = jit((x: T) => ops.neg(inner(x)));
    expect(valuesOf(outer(scalar(1)))[0]).toBeCloseTo(-Math.sin(1), 15);
    const [, [t]] = jvpFlat((x) => [outer(x)], [scalar(1)], [scalar(1)]);
    expect(valuesOf(t)[0]).toBeCloseTo(-Math.cos(1), 15);
  });

  test("reverse mode through a jit that calls a jit: the nested call is split by jitCall's own partial-eval rules", () => {
    // jitCall's JVP stages jvp(inner) as ONE jitCall returning primals and tangents together. Were
    // that equation staged whole when the outer jaxpr is split (one input, the tangent, being
    // unknown), the primal output would become unknown too ('a primal output depends on the
    // tangents'); jitCall's partialEvalEqn splits it instead, so the primal stays known.
    const onTrace = vi.spyOn(primitives.jitCall, "partialEval");
    const onEqn = vi.spyOn(primitives.jitCall, "partialEvalEqn");
    const inner = jit((a: T) => ops.sin(a));
    const outer = jit((x: T) => ops.neg(inner(x)));
    const g = grad1(outer)(scalar(1));
    expect(valuesOf(g)[0]).toBeCloseTo(-Math.cos(1), 15);
    expect(onTrace).toHaveBeenCalled();
    expect(onEqn).toHaveBeenCalled();
  });

  test("grad of a jitted function closing over a non-scalar constant", () => {
    const c = tensor([1, 2, 3], [3]);
    const f = jit((x: T) => ops.reduceSum(ops.mul(ops.sin(x), c), [0]));
    const g = grad1(f)(tensor([0, 0, 0], [3]));
    expect(valuesOf(g)).toEqual([1, 2, 3]);
  });

  test("a jit inside grad that closes over the differentiated value", () => {
    const c = tensor([2, 3], [2]);
    const g = grad1((x: T) => ops.reduceSum(jit((y: T) => ops.mul(y, x))(c), [0]))(tensor([1, 1], [2]));
    expect(valuesOf(g)).toEqual([2, 3]);
  });

  test("jit of grad and grad of jit agree", () => {
    const f = (x: T) => ops.reduceSum(ops.mul(ops.tanh(x), x), [0]);
    const x = tensor([0.5, -1, 2], [3]);
    const a = valuesOf(jit(grad1(f))(x));
    const b = valuesOf(grad1(jit(f))(x));
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 14));
  });

  test("int and bool outputs of a jit under jvp and vjp", () => {
    const f = jit((x: T) => [ops.argmax(x, 0), ops.compare(x, x, "eq"), ops.exp(x)]);
    const [[i, , e], [ti, tb, te]] = jvpFlat((x) => f(x), [tensor([1, 3, 2], [3])], [tensor([1, 1, 1], [3])]);
    expect(valuesOf(i)).toEqual([1]);
    expect([ti.dtype, tb.dtype]).toEqual(["int32", "bool"]);
    expect(valuesOf(te)).toEqual(valuesOf(e));
    const [, pullback] = vjpFlat((x) => f(x), [tensor([1, 3, 2], [3])]);
    const [xBar] = pullback([tensor([0], [], "int32"), tensor([0, 0, 0], [3], "bool"), tensor([1, 1, 1], [3])]);
    expect(valuesOf(xBar)).toEqual(valuesOf(e));
  });

  test("vmap of a jit with an output that does not depend on the mapped argument", () => {
    const f = jit((x: T, y: T) => [ops.mul(x, y), ops.exp(y)]);
    const [a, b] = vmapFlat((x, y) => f(x, y), [0, null], [tensor([1, 2, 3, 4], [2, 2]), tensor([0, 1], [2])]);
    expect(a.shape).toEqual([2, 2]);
    expect(b.shape).toEqual([2, 2]);
    expect(valuesOf(b)).toEqual([1, Math.E, 1, Math.E]);
  });

  test("a jit returning its argument unchanged (no equations) transposes", () => {
    const id = jit((x: T) => x);
    const [, pullback] = vjpFlat((x) => [id(x)], [tensor([1, 2], [2])]);
    expect(valuesOf(pullback([tensor([5, 6], [2])])[0])).toEqual([5, 6]);
  });
});
