import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { product } from "../../src/shape/arith.js";
import { flattenShape, reshapeShape } from "../../src/shape/reshape.js";

describe("reshapeShape / flattenShape", () => {
  test("results, including -1", () => {
    expect(reshapeShape("reshape", [60000, 784], [-1, 28, 28])).toEqual([60000, 28, 28]);
    expect(reshapeShape("reshape", [512, 512], [262144])).toEqual([262144]);
    expect(reshapeShape("reshape", [60000, 28, 28], [784, -1])).toEqual([784, 60000]);
    expect(reshapeShape("reshape", [0, 3], [3, -1])).toEqual([3, 0]);
    expect(flattenShape("flatten", [64, 3, 32, 32])).toEqual([64, 3072]);
    expect(flattenShape("flatten", [5])).toEqual([5, 1]);
  });
  test("errors say what the type checker says", () => {
    expect(() => reshapeShape("reshape", [28, 28], [780])).toThrow(
      "reshape: cannot reshape [28, 28] (784 elements) to [780] (780 elements)",
    );
    expect(() => reshapeShape("reshape", [28, 28], [-1, 5])).toThrow(
      "reshape: cannot reshape [28, 28] (784 elements) to [-1, 5] (784 is not a multiple of 5)",
    );
    expect(() => reshapeShape("reshape", [0, 3], [-1, 0])).toThrow(
      "reshape: cannot reshape [0, 3] (0 elements) to [-1, 0] (0 is not a multiple of 0)",
    );
    expect(() => reshapeShape("reshape", [2, 3], [-1, -1])).toThrow("reshape: only one -1 allowed in [-1, -1]");
    expect(() => reshapeShape("reshape", [2, 3], [-2, 3])).toThrow("reshape: invalid dim -2 in target shape [-2, 3]");
    expect(() => reshapeShape("reshape", [2, 3], [1.5, 4])).toThrow("reshape: invalid dim 1.5 in target shape [1.5, 4]");
    expect(() => flattenShape("flatten", [])).toThrow("flatten: cannot flatten a scalar (shape [])");
  });
  test("element counts: any factorization reshapes, and -1 recovers the missing factor", () => {
    const shape = fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(shape, shape, (a, b) => {
        const n = product(a);
        if (n === product(b)) expect(reshapeShape("reshape", a, b)).toEqual(b);
        else expect(() => reshapeShape("reshape", a, b)).toThrow(/cannot reshape/);
        const i = b.length - 1;
        const withNeg = [...b.slice(0, i), -1];
        const known = product(b.slice(0, i));
        if (n % known === 0) expect(product(reshapeShape("reshape", a, withNeg))).toBe(n);
        else expect(() => reshapeShape("reshape", a, withNeg)).toThrow(/is not a multiple of/);
      }),
    );
  });
});
