import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { ceilDiv, divMod, isNatural, product } from "../../src/shape/arith.js";
import { assertShape } from "../../src/shape/dim.js";
import { ShapeError, showShape } from "../../src/shape/errors.js";

describe("runtime arithmetic twins", () => {
  test("product, divMod, ceilDiv", () => {
    expect(product([])).toBe(1);
    expect(product([60000, 784])).toBe(47040000);
    expect(divMod(123456789, 3072)).toEqual([40187, 2325]);
    expect(ceilDiv(10, 3)).toBe(4);
  });
  test("divMod agrees with integer division", () => {
    fc.assert(
      fc.property(fc.nat(1e9), fc.integer({ min: 1, max: 1e5 }), (a, d) => {
        const [q, r] = divMod(a, d);
        return q * d + r === a && r >= 0 && r < d;
      }),
    );
  });
  test("dims are non-negative safe integers", () => {
    expect(isNatural(3)).toBe(true);
    expect(isNatural(-1)).toBe(false);
    expect(isNatural(2.5)).toBe(false);
    expect(isNatural(NaN)).toBe(false);
    expect(() => assertShape("zeros", [2.5, 3])).toThrow(
      new ShapeError("zeros: invalid dim 2.5 in shape [2.5, 3] (dims are non-negative integers)"),
    );
    expect(() => assertShape("ones", [-1])).toThrow("ones: invalid dim -1 in shape [-1] (dims are non-negative integers)");
    expect(() => assertShape("ones", [NaN])).toThrow("ones: invalid dim NaN in shape [NaN] (dims are non-negative integers)");
    expect(showShape([32, 784])).toBe("[32, 784]");
    expect(showShape([])).toBe("[]");
  });
});
