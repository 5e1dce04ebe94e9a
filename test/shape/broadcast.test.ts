import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { broadcastShapes, broadcastToShape } from "../../src/shape/broadcast.js";
import { ShapeError } from "../../src/shape/errors.js";

/** A deliberately simple reference: pad with ones on the left, then dim by dim. */
function reference(a: number[], b: number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const pa = [...Array(n - a.length).fill(1), ...a];
  const pb = [...Array(n - b.length).fill(1), ...b];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (pa[i] === pb[i] || pb[i] === 1) out.push(pa[i]);
    else if (pa[i] === 1) out.push(pb[i]);
    else return null;
  }
  return out;
}

const dims = fc.array(fc.constantFrom(1, 2, 3, 5), { maxLength: 5 });

describe("broadcastShapes", () => {
  test("NumPy examples", () => {
    expect(broadcastShapes("add", [8, 1, 6, 1], [7, 1, 5])).toEqual([8, 7, 6, 5]);
    expect(broadcastShapes("add", [32, 10], [10])).toEqual([32, 10]);
    expect(broadcastShapes("add", [], [3])).toEqual([3]);
    expect(broadcastShapes("add", [0, 1], [1, 4])).toEqual([0, 4]);
  });
  test("errors say what the type checker says", () => {
    expect(() => broadcastShapes("add", [32, 10], [3, 10])).toThrow(
      new ShapeError("add: cannot broadcast 32 with 3 (shapes [32, 10] and [3, 10])"),
    );
    expect(() => broadcastShapes("mul", [2, 3], [4])).toThrow("mul: cannot broadcast 3 with 4 (shapes [2, 3] and [4])");
    expect(() => broadcastShapes("add", [2.5], [1])).toThrow("add: invalid dim 2.5 in shape [2.5] (dims are non-negative integers)");
  });
  test("is commutative and agrees with a simple reference", () => {
    fc.assert(
      fc.property(dims, dims, (a, b) => {
        const ref = reference(a, b);
        if (ref === null) {
          expect(() => broadcastShapes("add", a, b)).toThrow(ShapeError);
          expect(() => broadcastShapes("add", b, a)).toThrow(ShapeError);
        } else {
          expect(broadcastShapes("add", a, b)).toEqual(ref);
          expect(broadcastShapes("add", b, a)).toEqual(ref);
        }
      }),
    );
  });
});

describe("broadcastToShape", () => {
  test("results and errors", () => {
    expect(broadcastToShape("broadcastTo", [3, 1], [2, 3, 4])).toEqual([2, 3, 4]);
    expect(() => broadcastToShape("broadcastTo", [3, 1], [4, 1])).toThrow(
      "broadcastTo: cannot broadcast 3 to 4 (shape [3, 1] to [4, 1])",
    );
    expect(() => broadcastToShape("broadcastTo", [3, 1], [1])).toThrow(
      "broadcastTo: cannot broadcast rank-2 shape [3, 1] to rank-1 shape [1]",
    );
  });
});
