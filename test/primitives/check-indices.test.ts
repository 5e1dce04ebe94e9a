/**
 * @file Edge cases of `checkIndices`: the error (class, op, value, multi-index) eagerly, inside
 * `jit` and under `vmap`; 0-d and size-0 operands; int32 only; a zero derivative; and the jit
 * simplifier keeps it while its result is used (the harness only draws values in range).
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
import { setBackend } from "../../src/index.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

type T = ops.AnyTensor;
const check = (x: T) => ops.checkIndices(x, "op", "label", 0, 3);
const ints = (values: number[], shape: number[]) => tensor(values, shape, "int32");

describe("checkIndices", () => {
  afterEach(() => setBackend("auto"));

  test("returns its operand when every element is in [lo, hi)", () => {
    expect(valuesOf(check(ints([0, 2, 1], [3])))).toEqual([0, 2, 1]);
    expect(valuesOf(ops.checkIndices(ints([-2, 4], [2]), "op", "index", -2, 5))).toEqual([-2, 4]);
  });

  test("names the op, the first bad value and its multi-index", () => {
    expect(() => check(ints([0, 1, 2, 3, 9, 0], [2, 3]))).toThrow(new RangeError("op: label 3 at position [1, 0] is out of range [0, 3)"));
    expect(() => check(ints([-1], []))).toThrow(new RangeError("op: label -1 at position [] is out of range [0, 3)"));
  });

  test("size 0 passes; the wasm backend runs the same kernel", () => {
    expect(check(ints([], [0, 4])).shape).toEqual([0, 4]);
    setBackend("wasm");
    expect(() => check(ints([0, 5], [2]))).toThrow(/^op: label 5 at position \[1\]/);
  });

  test("int32 only", () => {
    expect(() => check(tensor([0], [1], "float32"))).toThrow(DTypeError);
    expect(() => check(tensor([0], [1], "bool"))).toThrow(/^op: expected int32 indices, got bool$/);
  });

  test("inside jit: raised when the compiled program runs, which stays usable", () => {
    const f = jit((x: T) => ops.add(check(x), x));
    expect(() => f(ints([1, 7], [2]))).toThrow(new RangeError("op: label 7 at position [1] is out of range [0, 3)"));
    expect(valuesOf(f(ints([1, 2], [2])))).toEqual([2, 4]);
  });

  test("the simplifier and dead-code elimination keep it while its result is used", () => {
    const closed = makeJaxprFlat((x) => [ops.cast(check(ops.mul(x, ops.fullLike(x, 1))), "float32")], [new ShapedArray([2], "int32")]);
    const prims = simplify(closed.jaxpr).eqns.map((e) => e.prim);
    expect(prims).toContain("checkIndices");
  });

  test("zero derivative; under vmap the batched operand is checked whole", () => {
    const [, [t]] = jvpFlat((x) => [check(x)], [ints([1], [1])], [ints([0], [1])]);
    expect(valuesOf(t)).toEqual([0]);
    const run = (values: number[]) => vmapFlat((x) => [check(x)], [1], [ints(values, [2, 2])]);
    expect(valuesOf(run([0, 1, 2, 0])[0])).toEqual([0, 2, 1, 0]);
    expect(() => run([0, 1, 2, 4])).toThrow(RangeError);
  });
});
