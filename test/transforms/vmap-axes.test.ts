/**
 * @file `vmap` with axis trees in `inAxes` (JAX's `in_axes` pytrees): per leaf of an argument an
 * axis or `null`, following the argument's records and arrays, with records matched by key
 * (whatever the order keys were written in) and an axis applying to a whole subtree. Each result
 * is checked against a loop over the examples; then under `jit` and with `grad` inside.
 */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { grad, jit, vmap } from "../../src/index.js";
import { valuesOf } from "../helpers/tensors.js";

type T = AnyTensor;
const any = (x: unknown) => x as never;
const f64 = (values: number[], shape: number[]): T => ops.fromValues(values, shape, "float64");
const seq = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);
const sum = (x: T) => ops.reduceSum(x, x.shape.map((_, i) => i));
const row = (x: T, i: number) => ops.reshape(ops.slice(x, [i, 0], [i + 1, x.shape[1]]), [x.shape[1]]);
const col = (x: T, j: number) => ops.reshape(ops.slice(x, [0, j], [x.shape[0], j + 1]), [x.shape[0]]);

/** y = w·x + b for one example: w [2, 3], x [3], b [2]. */
const affine = (p: { w: T; b: T }, x: T): T => ops.add(ops.dotGeneral(p.w, x, { contract: [[1], [0]], batch: [[], []] }), p.b);

const w = f64([1, 0, -1, 2, 1, 0], [2, 3]);
const xs = f64(seq(12), [4, 3]); // 4 examples
const bs = f64([0.5, -0.5, 1, 2, -1, 0, 3, 3], [4, 2]); // a bias per example

describe("vmap: inAxes as axis trees", () => {
  test("a record with a shared weight and a mapped bias, and mapped inputs: equal to a loop", () => {
    const out = vmap(affine, { inAxes: [{ w: null, b: 0 }, 0] })(any({ w, b: bs }), any(xs)) as T;
    expect(out.shape).toEqual([4, 2]);
    const expected = seq(4, 0).flatMap((i) => valuesOf(affine({ w, b: row(bs, i) }, row(xs, i))));
    expect(valuesOf(out)).toEqual(expected);
  });

  test("keys are matched by name, not by the order they are written in", () => {
    const out = vmap(affine, { inAxes: [{ b: 0, w: null }, 0] })(any({ b: bs, w }), any(xs)) as T;
    const expected = seq(4, 0).flatMap((i) => valuesOf(affine({ w, b: row(bs, i) }, row(xs, i))));
    expect(valuesOf(out)).toEqual(expected);
  });

  test("an axis for a whole subtree, and null for one: the same as per leaf", () => {
    const perLeaf = vmap(affine, { inAxes: [{ w: null, b: null }, 0] })(any({ w, b: row(bs, 0) }), any(xs)) as T;
    const whole = vmap(affine, { inAxes: [null, 0] })(any({ w, b: row(bs, 0) }), any(xs)) as T;
    expect(valuesOf(perLeaf)).toEqual(valuesOf(whole));
  });

  test("arrays inside records, other axes than 0 and negative axes: each leaf mapped along its own axis", () => {
    // pair[0] is mapped along axis 1 (columns: 3 examples of 4), pair[1] along its last axis, s is shared.
    const a = f64(seq(12), [4, 3]);
    const c = f64(seq(6, 20), [2, 3]);
    const s = f64([10], []);
    const f = (t: { pair: [T, T]; s: T }) => ops.add(ops.mul(sum(t.pair[0]), t.s), sum(t.pair[1]));
    const out = vmap(f, { inAxes: [{ pair: [1, -1], s: null }] })(any({ pair: [a, c], s })) as T;
    const expected = seq(3, 0).map((j) => sum(col(a, j)).item() as number * 10 + (sum(col(c, j)).item() as number));
    expect(valuesOf(out)).toEqual(expected);
  });

  test("null and undefined nodes of an argument hold no leaves under any axis", () => {
    const f = (t: { x: T; none: null; maybe?: T }) => ops.mul(t.x, t.x);
    const out = vmap(f, { inAxes: [{ x: 0, none: 0, maybe: null }] })(any({ x: f64([1, 2, 3], [3]), none: null, maybe: undefined })) as T;
    expect(valuesOf(out)).toEqual([1, 4, 9]);
  });

  test("under jit, and per-example gradients with shared parameters", () => {
    const jitted = jit(vmap(affine, { inAxes: [{ w: null, b: 0 }, 0] }) as (p: unknown, x: T) => T);
    const expected = seq(4, 0).flatMap((i) => valuesOf(affine({ w, b: row(bs, i) }, row(xs, i))));
    expect(valuesOf(jitted({ w, b: bs }, xs))).toEqual(expected);
    // d/dw of sum(w·x + b) is 1 ⊗ x, per example; d/db is 1.
    const loss = (p: { w: T; b: T }, x: T) => sum(affine(p, x));
    const perExample = vmap(grad(loss) as (p: { w: T; b: T }, x: T) => { w: T; b: T }, { inAxes: [{ w: null, b: 0 }, 0] });
    const g = perExample(any({ w, b: bs }), any(xs)) as unknown as { w: T; b: T };
    expect(g.w.shape).toEqual([4, 2, 3]);
    expect(valuesOf(g.w)).toEqual(seq(4, 0).flatMap((i) => [...valuesOf(row(xs, i)), ...valuesOf(row(xs, i))]));
    expect(valuesOf(g.b)).toEqual(new Array(8).fill(1));
  });
});
