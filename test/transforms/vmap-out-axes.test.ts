/**
 * `vmap`'s `outAxes` as axis trees (JAX's `out_axes` pytrees, issue 13): each subtree of the result
 * gets its own axis; `null` returns an output that does not vary as it is; an axis on an output that
 * does not vary broadcasts it along the mapped dim. Values against a loop over the examples; the
 * static types are in types-tests/transforms/vmap-out-axes.test-d.ts.
 */
import { describe, expect, test } from "vitest";
import { add, jit, mul, stack, sum, tensor, vmap, type Tensor } from "../../src/index.js";

const x = tensor([
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 9],
  [10, 11, 12],
]);
const w = tensor([0.5, -1, 2]);
const rows = [0, 1, 2, 3].map((i) => tensor(x.toArray()[i]));

/** The result a per-example function gives: a scaled row, its sum, and the shared weight's norm. */
const f = (r: Tensor<[3]>, v: Tensor<[3]>) => [mul(r, v), { total: sum(mul(r, v)), weight: sum(mul(v, v)) }] as const;

describe("outAxes as an axis tree", () => {
  test("[1, { total: 0, weight: null }]: scaled rows stacked along axis 1, totals along 0, the weight unbatched", () => {
    const [scaled, { total, weight }] = vmap(f, { inAxes: [0, null], outAxes: [1, { total: 0, weight: null }] })(x, w);
    const loop = rows.map((r) => f(r, w));
    expect(scaled.shape).toEqual([3, 4]);
    expect(scaled.toArray()).toEqual(stack(loop.map(([s]) => s), 1).toArray());
    expect(total.toArray()).toEqual(loop.map(([, o]) => o.total.item()));
    expect(weight.shape).toEqual([]);
    expect(weight.item()).toBe(0.25 + 1 + 4);
  });

  test("an axis on an output that does not vary broadcasts it along the mapped dim", () => {
    const [, { weight }] = vmap(f, { inAxes: [0, null], outAxes: [0, { total: 0, weight: -1 }] })(x, w);
    expect(weight.shape).toEqual([4]);
    expect(weight.toArray()).toEqual([5.25, 5.25, 5.25, 5.25]);
  });

  test("a subtree takes one axis for all its tensors; negative axes count in the batched shape", () => {
    const g = (r: Tensor<[3]>) => ({ a: [r, add(r, 1)] as const, b: { c: mul(r, 2) } });
    const { a, b } = vmap(g, { outAxes: { a: -1, b: { c: 0 } } })(x);
    expect([a[0].shape, a[1].shape, b.c.shape]).toEqual([[3, 4], [3, 4], [4, 3]]);
    expect(a[1].toArray()).toEqual(stack(rows.map((r) => add(r, 1)), 1).toArray());
    expect(b.c.toArray()).toEqual(stack(rows.map((r) => mul(r, 2))).toArray());
  });

  test("the same under jit, and with one axis for a tensor result given as a list of one", () => {
    const jitted = jit((m: Tensor<[4, 3]>, v: Tensor<[3]>) => vmap(f, { inAxes: [0, null], outAxes: [1, { total: 0, weight: null }] })(m, v));
    const [scaled, { total, weight }] = jitted(x, w);
    expect(scaled.shape).toEqual([3, 4]);
    expect(total.shape).toEqual([4]);
    expect(weight.item()).toBe(5.25);
    expect(vmap((r: Tensor<[3]>) => mul(r, r), { outAxes: [1] })(x).shape).toEqual([3, 4]);
  });
});
