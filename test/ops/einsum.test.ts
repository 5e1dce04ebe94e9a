/**
 * @file `einsum` against a float64 loop on random specs (repeated letters, summed letters,
 * implicit outputs, `...` with broadcasting, scalars, size-0 dims), its derivatives by the
 * gradcheck helpers, jit and vmap, dtypes, and every runtime error message.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { einsum, eye, grad, jit, ShapeError, sum, tensor, vmap, zeros, type Tensor } from "../../src/index.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { assertAllclose, F32, F64 } from "../helpers/allclose.js";
import { checkJvp, checkVjp } from "../helpers/gradcheck.js";
import { Rng, drawValues, runs } from "../helpers/random-shapes.js";
import { forEachIndex, ravel } from "../helpers/reference.js";
import { tensor as concrete, valuesOf } from "../helpers/tensors.js";

const call = (spec: string, xs: readonly AnyTensor[]): AnyTensor => (einsum as (s: string, ...o: AnyTensor[]) => AnyTensor)(spec, ...xs);

interface Operand {
  readonly shape: readonly number[];
  readonly data: readonly number[];
}

/**
 * The definition, by loops: every assignment of sizes to the letters (and to the broadcast dims
 * under `...`, named by digits here), the product of the operands' elements at it, summed into
 * the output element it names. Written from NumPy's description, independent of the library.
 */
function reference(spec: string, operands: readonly Operand[]): { shape: number[]; data: number[] } {
  const [lhs, rhs] = spec.replace(/ /g, "").split("->");
  const terms = lhs.split(",");
  const ellRank = Math.max(0, ...terms.map((t, i) => (t.includes("...") ? operands[i].shape.length - t.replace("...", "").length : 0)));
  const ellNames = Array.from({ length: ellRank }, (_, k) => String(k));
  const size = new Map<string, number>();
  // Each operand's dims, named: a letter, or the digit of the broadcast position under `...`.
  const named = terms.map((t, i) => {
    const [before, after = null] = t.split("...");
    if (after === null) return [...t];
    const e = operands[i].shape.length - before.length - after.length;
    return [...before, ...ellNames.slice(ellRank - e), ...after];
  });
  named.forEach((names, i) =>
    names.forEach((n, k) => {
      const d = operands[i].shape[k];
      if (!size.has(n) || size.get(n) === 1) size.set(n, d);
    }),
  );
  let outNames: string[];
  if (rhs !== undefined) outNames = rhs.includes("...") ? [...rhs.split("...")[0], ...ellNames, ...rhs.split("...")[1]] : [...rhs];
  else {
    const letters = terms.join("").replace(/\./g, "");
    outNames = [...ellNames, ...[...new Set(letters)].filter((c) => letters.split(c).length === 2).sort()];
  }
  const all = [...size.keys()];
  const outShape = outNames.map((n) => size.get(n)!);
  const data = new Array<number>(outShape.reduce((a, b) => a * b, 1)).fill(0);
  forEachIndex(
    all.map((n) => size.get(n)!),
    (idx) => {
      const at = new Map(all.map((n, k) => [n, idx[k]]));
      let p = 1;
      named.forEach((names, i) => {
        // A size-1 dim under `...` broadcasts: it is read at 0.
        const pos = names.map((n, k) => (operands[i].shape[k] === 1 ? 0 : at.get(n)!));
        p *= operands[i].data[ravel(pos, operands[i].shape)];
      });
      data[ravel(outNames.map((n) => at.get(n)!), outShape)] += p;
    },
  );
  return { shape: outShape, data };
}

interface SpecCase {
  readonly spec: string;
  readonly shapes: number[][];
}

/**
 * Random valid specs: 1–3 operands over up to 5 letters (sizes 0–3, 1 often), terms of 0–3
 * letters with repeats (diagonals), an explicit output (a random ordered subset) or none, and
 * sometimes `...` at a random place with broadcasting dims (some 1).
 */
const specArb: fc.Arbitrary<SpecCase> = fc
  .record({
    sizes: fc.array(fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.constant(1) }, { weight: 8, arbitrary: fc.integer({ min: 2, max: 3 }) }), {
      minLength: 5,
      maxLength: 5,
    }),
    terms: fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }), { minLength: 1, maxLength: 3 }),
    explicit: fc.boolean(),
    outOrder: fc.shuffledSubarray([0, 1, 2, 3, 4]),
    ell: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    ellUse: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }).map((k) => k === 0), fc.nat(), fc.nat(), fc.array(fc.boolean(), { minLength: 2, maxLength: 2 })), { minLength: 3, maxLength: 3 }),
    outEll: fc.nat(),
  })
  .map(({ sizes, terms, explicit, outOrder, ell, ellUse, outEll }) => {
    const letters = "abXcd";
    const shapes: number[][] = [];
    let anyEll = false;
    const written = terms.map((t, i) => {
      const [useEll, at, drop, ones] = ellUse[i];
      const own = t.map((k) => sizes[k]);
      if (!useEll) {
        shapes.push(own);
        return t.map((k) => letters[k]).join("");
      }
      anyEll = true;
      const e = ell.slice(drop % (ell.length + 1)).map((d, k) => (ones[k] ? 1 : d));
      const p = at % (t.length + 1);
      shapes.push([...own.slice(0, p), ...e, ...own.slice(p)]);
      return `${t.slice(0, p).map((k) => letters[k]).join("")}...${t.slice(p).map((k) => letters[k]).join("")}`;
    });
    const used = [...new Set(terms.flat())];
    let spec = written.join(",");
    if (explicit) {
      const out = [...new Set(outOrder.filter((k) => used.includes(k)))].map((k) => letters[k]);
      if (anyEll) out.splice(outEll % (out.length + 1), 0, "...");
      spec += `->${out.join("")}`;
    }
    return { spec, shapes };
  });

describe("einsum values", () => {
  test("random specs against the loop definition, float64", () => {
    fc.assert(
      fc.property(specArb, fc.integer(), ({ spec, shapes }, seed) => {
        const rng = new Rng(seed);
        const operands = shapes.map((s) => ({ shape: s, data: drawValues(rng, s.reduce((a, b) => a * b, 1), "real") }));
        const y = call(
          spec,
          operands.map((o) => concrete([...o.data], o.shape)),
        );
        const expected = reference(spec, operands);
        expect(y.shape, spec).toEqual(expected.shape);
        assertAllclose(y, expected.data, { rtol: 1e-12, atol: 1e-12 }, spec);
      }),
      runs(300),
    );
  });

  test("known cases: matrix product, batched product, trace, diagonal, outer product, transpose, sum", () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor([
      [5, 6],
      [7, 8],
    ]);
    expect(einsum("ij,jk->ik", a, b).toArray()).toEqual([
      [19, 22],
      [43, 50],
    ]);
    expect(einsum("ij,jk", a, b).toArray()).toEqual([
      [19, 22],
      [43, 50],
    ]);
    expect(einsum("ii", a).toArray()).toBe(5);
    expect(einsum("ii->i", a).toArray()).toEqual([1, 4]);
    expect(einsum("i,j->ij", tensor([1, 2]), tensor([3, 4, 5])).toArray()).toEqual([
      [3, 4, 5],
      [6, 8, 10],
    ]);
    expect(einsum("ij->ji", a).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(einsum("ij->", a).toArray()).toBe(10);
    expect(einsum("ba", a).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(einsum(" i j , j k -> i k ", a, b).shape).toEqual([2, 2]);
    expect(einsum("bij,bjk->bik", zeros([4, 2, 3]), zeros([4, 3, 5])).shape).toEqual([4, 2, 5]);
    expect(einsum("...ij,...jk->...ik", zeros([2, 1, 3, 4]), zeros([5, 4, 6])).shape).toEqual([2, 5, 3, 6]);
    expect(einsum(",i->i", tensor(2), tensor([1, 2])).toArray()).toEqual([2, 4]);
  });

  test("dtypes promote; bool operands give bool (any product true)", () => {
    expect(einsum("i,i->", tensor([1, 2], "int32"), tensor([3, 4], "int32")).dtype).toBe("int32");
    expect(einsum("i,i->", tensor([1, 2], "int32"), tensor([3, 4], "float64")).dtype).toBe("float64");
    const r = einsum("ij,jk->ik", tensor([[true, false], [false, false]]), tensor([[true, false], [true, true]]));
    expect(r.dtype).toBe("bool");
    expect(r.toArray()).toEqual([
      [true, false],
      [false, false],
    ]);
    const f32 = einsum("ij,jk->ik", tensor([[0.1, 0.2]], "float32"), tensor([[0.3], [0.4]], "float32"));
    assertAllclose(f32, [Math.fround(0.1) * Math.fround(0.3) + Math.fround(0.2) * Math.fround(0.4)], F32);
  });
});

describe("einsum derivatives and transforms", () => {
  test("random specs: JVP vs finite differences, VJP vs JVP", () => {
    fc.assert(
      fc.property(specArb, fc.integer(), ({ spec, shapes }, seed) => {
        const rng = new Rng(seed);
        const xs = shapes.map((s) => concrete(drawValues(rng, s.reduce((a, b) => a * b, 1), "real"), s));
        const f = (...args: AnyTensor[]) => [call(spec, args)];
        const dirs = xs.map((x) => concrete(drawValues(rng, x.size, "real"), x.shape));
        checkJvp(f, xs, dirs);
        const y = f(...xs)[0];
        checkVjp(f, xs, dirs, [concrete(drawValues(rng, y.size, "real"), y.shape)]);
      }),
      runs(150),
    );
  });

  test("grad of a bilinear form, under jit and vmap", () => {
    const w = tensor([
      [1, 2],
      [3, 4],
    ]);
    const x = tensor([1, 1]);
    const g = grad((v: Tensor<[2]>) => einsum("i,ij,j->", v, w, v))(x);
    // d(vᵀWv)/dv = (W + Wᵀ)v
    expect(g.toArray()).toEqual([7, 13]);
    const f = jit((a: Tensor<[3, 2]>, b: Tensor<[2, 2]>) => einsum("bi,ij->bj", a, b));
    const a = tensor([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    expect(f(a, w).toArray()).toEqual([
      [1, 2],
      [3, 4],
      [4, 6],
    ]);
    const perRow = vmap((r: Tensor<[2]>) => einsum("i,ij->j", r, w))(a);
    expect(perRow.toArray()).toEqual(f(a, w).toArray());
    const traceGrad = grad((m: Tensor<[3, 3]>) => sum(einsum("ii->i", m)))(eye(3));
    assertAllclose(traceGrad, valuesOf(eye(3)), F64);
  });
});

describe("einsum errors name the op, the spec and both values", () => {
  const x = zeros([2, 3]);
  const y = zeros([4, 5]);
  const bad = (spec: string, ...xs: AnyTensor[]) => () => call(spec, xs);
  test.each([
    [bad("ij,jk", x, y), 'einsum: "j" is 3 in operand 0 and 4 in operand 1 (spec "ij,jk", operand shapes [2, 3], [4, 5])'],
    [bad("ij,jk->ik", x), 'einsum: spec "ij,jk->ik" takes 2 operands, got 1'],
    [bad("i->i", x, y), 'einsum: spec "i->i" takes 1 operand, got 2'],
    [bad("ijk", x), 'einsum: "ijk" names 3 dims but operand 0 is [2, 3] (spec "ijk")'],
    [bad("...ijk", x), 'einsum: "...ijk" names at least 3 dims but operand 0 is [2, 3] (spec "...ijk")'],
    [bad("ij->ix", x), 'einsum: output subscript "x" is not in any input (spec "ij->ix")'],
    [bad("ij->ii", x), 'einsum: output subscript "i" appears twice (spec "ij->ii")'],
    [bad("i1", x), 'einsum: invalid subscript "1" in "i1" (subscripts are letters a-z, A-Z and "...")'],
    [bad("i.j", x), 'einsum: invalid subscript "." in "i.j" (subscripts are letters a-z, A-Z and "...")'],
    [bad("i...j...", x), 'einsum: more than one "..." in "i...j..." (spec "i...j...")'],
    [bad("ij->i->j", x), 'einsum: invalid subscript "-" in "ij->i->j" (subscripts are letters a-z, A-Z and "...")'],
    [bad("ii", x), 'einsum: "i" is 2 in operand 0 and 3 in operand 0 (spec "ii", operand shapes [2, 3])'],
    [bad("...i,...i", zeros([2, 4]), zeros([3, 4])), 'einsum: dims under "..." do not broadcast: 2 with 3 (spec "...i,...i", operand shapes [2, 4], [3, 4])'],
  ])("%#", (f, message) => {
    expect(f).toThrow(ShapeError);
    expect(f).toThrow(message);
  });
  test("a non-tensor operand", () => {
    expect(() => call("i", [[1, 2] as never])).toThrow("einsum: operand 0 must be a tensor, got object");
  });
});
