import { describe, expect, test } from "vitest";
import { einsumPlan, einsumShape } from "../../src/shape/einsum.js";

describe("einsumShape / einsumPlan", () => {
  test("explicit and implicit outputs, diagonals, sums, broadcasting under ...", () => {
    expect(einsumShape("bij,bjk->bik", [[8, 3, 4], [8, 4, 5]])).toEqual([8, 3, 5]);
    expect(einsumShape("bij,bjk", [[8, 3, 4], [8, 4, 5]])).toEqual([3, 5]);
    expect(einsumShape("aB,Bb", [[2, 7], [7, 7]])).toEqual([2, 7]);
    expect(einsumShape("ii", [[3, 3]])).toEqual([]);
    expect(einsumShape("ii->i", [[3, 3]])).toEqual([3]);
    expect(einsumShape(",i->i", [[], [4]])).toEqual([4]);
    expect(einsumShape(" i j , j k -> i k ", [[2, 3], [3, 5]])).toEqual([2, 5]);
    expect(einsumShape("...ij,...jk->...ik", [[2, 1, 3, 4], [5, 4, 6]])).toEqual([2, 5, 3, 6]);
    expect(einsumShape("...ij,...jk->ij", [[2, 3, 4], [4, 6]])).toEqual([3, 4]);
  });
  test("the plan labels every dim; a size-1 dim under ... broadcast away is dropped", () => {
    const plan = einsumPlan("...ij,...jk->...ik", [[2, 1, 3, 4], [5, 4, 6]]);
    expect(plan.inputs).toEqual([
      ["…0", null, "i", "j"],
      ["…1", "j", "k"],
    ]);
    expect(plan.output).toEqual(["…0", "…1", "i", "k"]);
    expect(plan.sizes.get("…1")).toBe(5);
  });
  test("errors say what the type checker says", () => {
    expect(() => einsumShape("ij,jk", [[2, 3], [4, 5]])).toThrow('einsum: "j" is 3 in operand 0 and 4 in operand 1 (spec "ij,jk", operand shapes [2, 3], [4, 5])');
    expect(() => einsumShape("ij,jk->ik", [[2, 3]])).toThrow('einsum: spec "ij,jk->ik" takes 2 operands, got 1');
    expect(() => einsumShape("...ijk", [[2, 3]])).toThrow('einsum: "...ijk" names at least 3 dims but operand 0 is [2, 3] (spec "...ijk")');
    expect(() => einsumShape("ij->ix", [[2, 3]])).toThrow('einsum: output subscript "x" is not in any input (spec "ij->ix")');
    expect(() => einsumShape("ij->ii", [[2, 3]])).toThrow('einsum: output subscript "i" appears twice (spec "ij->ii")');
    expect(() => einsumShape("i1", [[2, 3]])).toThrow('einsum: invalid subscript "1" in "i1" (subscripts are letters a-z, A-Z and "...")');
    expect(() => einsumShape("i...j...", [[2, 3]])).toThrow('einsum: more than one "..." in "i...j..." (spec "i...j...")');
    expect(() => einsumShape("...i,...i", [[2, 4], [3, 4]])).toThrow(
      'einsum: dims under "..." do not broadcast: 2 with 3 (spec "...i,...i", operand shapes [2, 4], [3, 4])',
    );
    expect(() => einsumShape("i", [[-1]])).toThrow("einsum: invalid dim -1 in shape [-1] (dims are non-negative integers)");
  });
});
