/**
 * @file Edge cases of `checkNaN`: the error (class, op, multi-index of the first NaN) eagerly,
 * inside `jit`, under `grad` and under `vmap`; ±∞ and size-0 operands pass; floats only; the
 * derivative is the identity; the jit simplifier keeps it while its result is used (the harness
 * only draws values without NaN).
 */
import { afterEach, describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { ShapedArray } from "../../src/core/aval.js";
import { makeJaxprFlat } from "../../src/core/make-jaxpr.js";
import { DTypeError } from "../../src/core/errors.js";
import { simplify } from "../../src/compiler/simplify.js";
import { jit } from "../../src/transforms/jit.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { vmapFlat } from "../../src/transforms/vmap.js";
import { grad } from "../../src/transforms/vjp.js";
import { checkNaNOf } from "../../src/primitives/check-nan.js";
import { setBackend } from "../../src/index.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

type T = ops.AnyTensor;
const check = (x: T) => checkNaNOf(x, "op", "score");

describe("checkNaN", () => {
  afterEach(() => setBackend("auto"));

  test("returns its operand when no element is NaN (±∞ and ±0 included)", () => {
    expect(valuesOf(check(tensor([0, -0, Infinity, -Infinity, 1.5], [5])))).toEqual([0, -0, Infinity, -Infinity, 1.5]);
    expect(check(tensor([], [0, 3], "float32")).shape).toEqual([0, 3]);
  });

  test("names the op and the multi-index of the first NaN", () => {
    expect(() => check(tensor([0, 1, 2, NaN, 4, NaN], [2, 3]))).toThrow(new RangeError("op: score is NaN at position [1, 0]"));
    expect(() => check(tensor([NaN], [], "float32"))).toThrow(new RangeError("op: score is NaN at position []"));
    setBackend("wasm");
    expect(() => check(tensor([1, NaN], [2], "float32"))).toThrow(/^op: score is NaN at position \[1\]$/);
  });

  test("floats only", () => {
    expect(() => check(tensor([0], [1], "int32"))).toThrow(DTypeError);
    expect(() => check(tensor([0], [1], "bool"))).toThrow(/^op: expected a float tensor to check for NaN, got bool$/);
  });

  test("inside jit: raised when the compiled program runs, which stays usable", () => {
    const f = jit((x: T) => ops.add(check(x), x));
    expect(() => f(tensor([1, NaN], [2], "float32"))).toThrow(new RangeError("op: score is NaN at position [1]"));
    expect(valuesOf(f(tensor([1, 2], [2], "float32")))).toEqual([2, 4]);
  });

  test("the simplifier and dead-code elimination keep it while its result is used", () => {
    const closed = makeJaxprFlat((x) => [check(ops.mul(x, ops.fullLike(x, 1)))], [new ShapedArray([2], "float32")]);
    expect(simplify(closed.jaxpr).eqns.map((e) => e.prim)).toContain("checkNaN");
  });

  test("the derivative is the identity, and grad still checks the primal", () => {
    const [, [t]] = jvpFlat((x) => [check(x)], [tensor([1, 2], [2])], [tensor([3, -4], [2])]);
    expect(valuesOf(t)).toEqual([3, -4]);
    const f = (x: T) => ops.reduceSum(ops.mul(check(x), x), [0]);
    expect(valuesOf(grad(f as never)(tensor([1, 2], [2]) as never) as T)).toEqual([2, 4]);
    expect(() => grad(f as never)(tensor([1, NaN], [2]) as never)).toThrow(/^op: score is NaN at position \[1\]$/);
  });

  test("under vmap the batched operand is checked whole", () => {
    const run = (values: number[]) => vmapFlat((x) => [check(x)], [1], [tensor(values, [2, 2])]);
    expect(valuesOf(run([0, 1, 2, 3])[0])).toEqual([0, 2, 1, 3]);
    expect(() => run([0, 1, 2, NaN])).toThrow(new RangeError("op: score is NaN at position [1, 1]"));
  });
});
