/**
 * @file Edge cases of `scatter` that the harness cannot reach: the last of repeated `set` updates
 * wins and only it gets a gradient; `mul` gradients with zero updates (one, two); `min`/`max`
 * ties share the tangent evenly; dropped updates get no gradient; and the errors.
 */
import { describe, expect, test } from "vitest";
import type { ScatterCombine } from "../../src/core/primitive.js";
import { DTypeError } from "../../src/core/errors.js";
import { scatterOf } from "../../src/primitives/_indexing.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

const ints = (values: number[], shape: number[]) => tensor(values, shape, "int32");
const dims = { axes: [0], collapsed: [0], mode: "fill" } as const;
const at = ints([1, 1, 2, 7], [4, 1]); // two updates to place 1, one to place 2, one dropped

/** Value and gradients (w.r.t. x and u, of Σ ct·y) of a scatter of 4 scalar updates into `x`. */
function run(combine: ScatterCombine, x: number[], u: number[], ct = x.map(() => 1)) {
  const [[y], pullback] = vjpFlat((a, b) => [scatterOf(a, at, b, dims, combine)], [tensor(x, [x.length]), tensor(u, [4])]);
  const [xBar, uBar] = pullback([tensor(ct, [x.length])]);
  return { y: valuesOf(y), xBar: valuesOf(xBar), uBar: valuesOf(uBar) };
}

describe("scatter", () => {
  test("set: the last repeated update wins, and only it and untouched places get gradient", () => {
    expect(run("set", [1, 2, 3], [10, 20, 30, 40], [1, 2, 3])).toEqual({ y: [1, 20, 30], xBar: [1, 0, 0], uBar: [0, 2, 3, 0] });
  });

  test("mul: each update's gradient is x times the other updates at its place, also when some are 0", () => {
    expect(run("mul", [1, 2, 3], [4, 5, 6, 7])).toEqual({ y: [1, 40, 18], xBar: [1, 20, 6], uBar: [10, 8, 3, 0] });
    // one zero: only it has a nonzero gradient at place 1; two zeros: none has.
    expect(run("mul", [1, 2, 3], [0, 5, 6, 7])).toEqual({ y: [1, 0, 18], xBar: [1, 0, 6], uBar: [10, 0, 3, 0] });
    expect(run("mul", [1, 2, 3], [0, 0, 6, 7]).uBar).toEqual([0, 0, 3, 0]);
  });

  test("max and min: the winner gets the tangent; tied winners share it evenly", () => {
    expect(run("max", [1, 2, 3], [0, 5, 1, 9])).toEqual({ y: [1, 5, 3], xBar: [1, 0, 1], uBar: [0, 1, 0, 0] });
    // place 1: x = 5 and both updates 5 tie three ways; place 2: x and the update tie.
    expect(run("max", [1, 5, 3], [5, 5, 3, 9])).toEqual({ y: [1, 5, 3], xBar: [1, 1 / 3, 0.5], uBar: [1 / 3, 1 / 3, 0.5, 0] });
    expect(run("min", [1, 2, 3], [0, 5, 1, -9])).toEqual({ y: [1, 0, 1], xBar: [1, 0, 0], uBar: [1, 0, 1, 0] });
    const [, [t]] = jvpFlat((a, b) => [scatterOf(a, at, b, dims, "max")], [tensor([1, 5, 3], [3]), tensor([5, 5, 3, 9], [4])], [tensor([0, 3, 0], [3]), tensor([6, 0, 2, 100], [4])]);
    expect(valuesOf(t)).toEqual([0, 3, 1]);
  });

  test("NaN wins min and max (and gets no tangent rather than NaN)", () => {
    const r = run("max", [1, 2, 3], [NaN, 5, 1, 9]);
    expect(r.y).toEqual([1, NaN, 3]);
    expect(r.uBar).toEqual([0, 0, 0, 0]);
  });

  test("errors: bool only for set; an unknown combination", () => {
    const flags = tensor([0, 1, 0], [3], "bool");
    const u = tensor([1, 1, 1, 1], [4], "bool");
    expect(valuesOf(scatterOf(flags, at, u, dims, "set"))).toEqual([0, 1, 1]);
    expect(() => scatterOf(flags, at, u, dims, "max")).toThrow(new DTypeError("scatter[max]: bool operands are not supported; cast to int32 or float first"));
    expect(() => scatterOf(tensor([1], [1]), at, tensor([1, 1, 1, 1], [4]), dims, "or" as never)).toThrow(/^scatter: combine must be one of set, mul, min, max, got or$/);
  });
});
