/** @file Edge cases of `compare`: IEEE semantics of NaN and signed zeros for every op, bool and int32 operands, errors. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import type { CompareOp } from "../../src/core/primitive.js";
import { ShapeError } from "../../src/shape/errors.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

const x = tensor([NaN, 1, NaN, 0, -Infinity, 2], [6]);
const y = tensor([1, NaN, NaN, -0, -Infinity, 1], [6]);

describe("compare", () => {
  test.each<[CompareOp, number[]]>([
    ["lt", [0, 0, 0, 0, 0, 0]],
    ["le", [0, 0, 0, 1, 1, 0]],
    ["gt", [0, 0, 0, 0, 0, 1]],
    ["ge", [0, 0, 0, 1, 1, 1]],
    ["eq", [0, 0, 0, 1, 1, 0]],
    ["ne", [1, 1, 1, 0, 0, 1]],
  ])("%s: every comparison with NaN is false except ne; 0 = −0; −∞ = −∞", (op, expected) => {
    const r = ops.compare(x, y, op);
    expect(r.dtype).toBe("bool");
    expect(valuesOf(r)).toEqual(expected);
  });

  test("int32 and bool operands", () => {
    expect(valuesOf(ops.compare(tensor([1, 2], [2], "int32"), tensor([2, 2], [2], "int32"), "lt"))).toEqual([1, 0]);
    expect(valuesOf(ops.compare(tensor([1, 0], [2], "bool"), tensor([0, 0], [2], "bool"), "gt"))).toEqual([1, 0]);
  });

  test("errors name the op", () => {
    expect(() => ops.compare(tensor([1], [1]), tensor([1, 2], [2]), "le")).toThrow(ShapeError);
    expect(() => ops.compare(tensor([1], [1]), tensor([1, 2], [2]), "le")).toThrow("compare(le): shapes differ: [1] vs [2]");
    expect(() => ops.compare(tensor([1], [1]), tensor([1], [1], "int32"), "eq")).toThrow(DTypeError);
  });

  test("the derivative is zero and reverse mode passes back zero cotangents", () => {
    const [, [t]] = jvpFlat((a, b) => [ops.compare(a, b, "lt")], [tensor([1, 2], [2]), tensor([2, 1], [2])], [tensor([1, 1], [2]), tensor([1, 1], [2])]);
    expect(t.dtype).toBe("bool");
    expect(valuesOf(t)).toEqual([0, 0]);
    const [, pullback] = vjpFlat((a, b) => [ops.compare(a, b, "lt")], [tensor([1, 2], [2]), tensor([2, 1], [2])]);
    const [aBar, bBar] = pullback([tensor([0, 0], [2], "bool")]);
    expect([valuesOf(aBar), valuesOf(bBar)]).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });
});
