/**
 * @file Reliability: transform options (`argnums`, `hasAux`, jit's `donate`, vmap's `inAxes` and
 * `outAxes`) and vjp cotangents are checked where they are given, with errors naming the
 * transform, the option and the bad value, instead of being ignored or failing inside some op.
 */
import { describe, expect, test } from "vitest";
import { expectThrown } from "./expect-error.js";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { DTypeError, ShapeError, TraceError, grad, jit, valueAndGrad, vjp, vmap } from "../../src/index.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

type T = AnyTensor;
type Case = { name: string; run: () => unknown; error: new (...a: never[]) => Error; message: RegExp };
const any = (x: unknown) => x as never;

const x = tensor([1, 2, 3], [3]);
const y = tensor([4, 5, 6], [3]);
const m = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
const sum = (a: T) => ops.reduceSum(a, [0]);
const dot = (a: T, b: T) => sum(ops.mul(a, b));
const g = (opts: unknown) => grad(any(dot), any(opts)) as unknown as (...a: T[]) => unknown;
const vg = (opts: unknown) => valueAndGrad(any(dot), any(opts)) as unknown as (...a: T[]) => unknown;
const jd = (donate: unknown) => jit(dot, any({ donate })) as (...a: T[]) => unknown;
const vm = (f: (...a: T[]) => unknown, opts: unknown) => vmap(any(f), any(opts)) as unknown as (...a: T[]) => unknown;

/** A tracer that escaped its transform: stored in an outer variable inside `jit`, `vmap` or `grad` (of a function of x). */
function leak(kind: "jit" | "vmap" | "grad"): T {
  let leaked: T | null = null;
  const keep = (a: T) => {
    leaked = a;
    return ops.mul(a, a);
  };
  if (kind === "jit") jit(keep)(x);
  else if (kind === "vmap") vmap(any(keep))(x);
  else grad(any((a: T) => sum(keep(a))))(x);
  return leaked!;
}

const cases: Case[] = [
  // ---- grad / valueAndGrad: argnums ----
  { name: "grad argnums 0.5", run: () => g({ argnums: 0.5 }), error: RangeError, message: /^grad: argnums must be an integer position, got 0\.5$/ },
  { name: "grad argnums '1'", run: () => g({ argnums: "1" }), error: TypeError, message: /^grad: argnums must be .*got string "1"$/ },
  { name: "grad argnums [0, '1']", run: () => g({ argnums: [0, "1"] }), error: TypeError, message: /^grad: argnums\[1\] must be an integer position, got string "1"$/ },
  { name: "grad argnums [0, 1.5]", run: () => g({ argnums: [0, 1.5] }), error: RangeError, message: /^grad: argnums\[1\] .*got 1\.5$/ },
  { name: "grad argnums [0, 0]", run: () => g({ argnums: [0, 0] }), error: RangeError, message: /^grad: argnums names position 0 twice: \[0,0\]$/ },
  { name: "grad argnums 2 of 2", run: () => g({ argnums: 2 })(x, y), error: RangeError, message: /^grad: argnums = 2 is out of range for 2 arguments \(valid: 0 to 1\)$/ },
  { name: "grad argnums -1", run: () => g({ argnums: -1 })(x, y), error: RangeError, message: /^grad: argnums must be a position ≥ 0, got -1$/ },
  { name: "grad argnums [1, -1] (negative)", run: () => g({ argnums: [1, -1] })(x, y), error: RangeError, message: /^grad: argnums\[1\] must be a position ≥ 0, got -1$/ },
  { name: "grad argnums [1, 1] (same argument)", run: () => g({ argnums: [1, 1] })(x, y), error: RangeError, message: /^grad: argnums names position 1 twice: \[1,1\]$/ },
  { name: "jit donate [-1]", run: () => jd([-1])(tensor([1, 2, 3], [3]), tensor([4, 5, 6], [3])), error: RangeError, message: /^jit: donate\[0\] must be a position ≥ 0, got -1$/ },
  { name: "valueAndGrad argnums [0, 5]", run: () => vg({ argnums: [0, 5] })(x, y), error: RangeError, message: /^valueAndGrad: argnums\[1\] = 5 is out of range for 2 arguments/ },
  { name: "valueAndGrad argnums null", run: () => vg({ argnums: null }), error: TypeError, message: /^valueAndGrad: argnums must be .*got object null$/ },
  { name: "grad options not an object", run: () => g(1), error: TypeError, message: /^grad: options must be an options object, got 1$/ },
  // ---- hasAux ----
  { name: "grad hasAux 'yes'", run: () => g({ hasAux: "yes" }), error: TypeError, message: /^grad: hasAux must be true or false, got string "yes"$/ },
  { name: "grad hasAux, f returns a scalar", run: () => g({ hasAux: true })(x, y), error: TypeError, message: /^grad: with hasAux, f must return a pair \[output, aux\], but it returned a float64 tensor of shape \[\]$/ },
  { name: "grad hasAux, f returns undefined", run: () => (grad(any(() => undefined), { hasAux: true }) as (a: T) => unknown)(x), error: TypeError, message: /^grad: with hasAux, f must return a pair \[output, aux\], but it returned undefined undefined$/ },
  { name: "valueAndGrad hasAux, f returns [loss]", run: () => (valueAndGrad(any((a: T) => [sum(a)]), { hasAux: true }) as (a: T) => unknown)(x), error: TypeError, message: /^valueAndGrad: with hasAux, f must return a pair \[output, aux\], but it returned an array of length 1$/ },
  // ---- jit: donate ----
  { name: "jit donate [0.5]", run: () => jd([0.5]), error: RangeError, message: /^jit: donate\[0\] must be an integer position, got 0\.5$/ },
  { name: "jit donate ['0']", run: () => jd(["0"]), error: TypeError, message: /^jit: donate\[0\] must be an integer position, got string "0"$/ },
  { name: "jit donate 0 (not an array)", run: () => jd(0), error: TypeError, message: /^jit: donate must be an array of argument positions, got number 0$/ },
  { name: "jit donate [0, 0]", run: () => jd([0, 0]), error: RangeError, message: /^jit: donate names position 0 twice: \[0,0\]$/ },
  { name: "jit donate [2] of 2", run: () => jd([2])(x, y), error: RangeError, message: /^jit: donate\[0\] = 2 is out of range for 2 arguments/ },
  { name: "jit donate [2] of 2", run: () => jd([2])(x, y), error: RangeError, message: /^jit: donate\[0\] = 2 is out of range for 2 arguments \(valid: 0 to 1\)$/ },
  { name: "jit donate [0, 0] (same argument)", run: () => jd([0, 0])(x, y), error: RangeError, message: /^jit: donate names position 0 twice: \[0,0\]$/ },
  // ---- vmap: inAxes / outAxes ----
  { name: "vmap inAxes 0.5", run: () => vm(sum, { inAxes: 0.5 }), error: RangeError, message: /^vmap: inAxes must be an integer axis or null, got 0\.5$/ },
  { name: "vmap inAxes '0'", run: () => vm(sum, { inAxes: "0" }), error: TypeError, message: /^vmap: inAxes must be an integer axis or null, got string "0"$/ },
  { name: "vmap inAxes [0, '1']", run: () => vm(dot, { inAxes: [0, "1"] }), error: TypeError, message: /^vmap: inAxes\[1\] .*got string "1"$/ },
  { name: "vmap inAxes [{ a: 0 }] for a tensor", run: () => vm(sum, { inAxes: [{ a: 0 }] })(m), error: TypeError, message: /^vmap: inAxes\[0\] is a record with keys \{a\} where argument 0 is a float64\[2, 3\] tensor \(an axis tree must be a prefix of its argument's tree\)$/ },
  { name: "vmap inAxes [{ a: 0 }] for { a, b }", run: () => vm((p: T) => p, { inAxes: [{ a: 0 }] })(any({ a: x, b: y })), error: TypeError, message: /^vmap: inAxes\[0\] is a record with keys \{a\} where argument 0 is a record with keys \{a, b\}/ },
  { name: "vmap inAxes [[0, 0, 0]] for a pair", run: () => vm((p: T) => p, { inAxes: [[0, 0, 0]] })(any([x, y])), error: TypeError, message: /^vmap: inAxes\[0\] is an array of 3 axis trees where argument 0 is an array of 2/ },
  { name: "vmap inAxes [{ w: '1' }]", run: () => vm(sum, { inAxes: [{ w: "1" }] }), error: TypeError, message: /^vmap: inAxes\[0\]\.w must be an integer axis or null, got string "1"$/ },
  { name: "vmap inAxes [{ l: [0, 0.5] }]", run: () => vm(sum, { inAxes: [{ l: [0, 0.5] }] }), error: RangeError, message: /^vmap: inAxes\[0\]\.l\[1\] must be an integer axis or null, got 0\.5$/ },
  { name: "vmap inAxes [{ w: 2 }] for w of rank 1", run: () => vm((p: T) => p, { inAxes: [{ w: 2 }] })(any({ w: x })), error: RangeError, message: /^vmap: inAxes\[0\]\.w = 2 is out of range for argument 0 at \.w of shape \[3\] \(valid: -1 to 0, or null\)$/ },
  { name: "vmap inAxes { a: 0 } (a record for all arguments)", run: () => vm(sum, { inAxes: { a: 0 } }), error: TypeError, message: /^vmap: inAxes must be an integer axis, null, or an array with one entry .* per argument, got object \{"a":0\}$/ },
  { name: "vmap outAxes [{ a: 0 }] for a tensor result", run: () => vm(sum, { outAxes: [{ a: 0 }] })(m), error: TypeError, message: /^vmap: outAxes\[0\] is a record with keys \{a\} where the output is a float64\[\] tensor \(an axis tree must be a prefix of the result's tree\)$/ },
  { name: "vmap inAxes 2 for rank 2", run: () => vm(sum, { inAxes: 2 })(m), error: RangeError, message: /^vmap: inAxes = 2 is out of range for argument 0 of shape \[2, 3\] \(valid: -2 to 1, or null\)$/ },
  { name: "vmap inAxes -3 for rank 2", run: () => vm(sum, { inAxes: -3 })(m), error: RangeError, message: /^vmap: inAxes = -3 is out of range for argument 0 of shape \[2, 3\]/ },
  { name: "vmap inAxes [0, 1] for rank 1", run: () => vm(dot, { inAxes: [0, 1] })(x, y), error: RangeError, message: /^vmap: inAxes\[1\] = 1 is out of range for argument 1 of shape \[3\]/ },
  { name: "vmap inAxes [0] for 2 arguments", run: () => vm(dot, { inAxes: [0] })(x, y), error: RangeError, message: /^vmap: inAxes has 1 entries for 2 arguments: \[0\]$/ },
  { name: "vmap outAxes 1.5", run: () => vm(sum, { outAxes: 1.5 }), error: RangeError, message: /^vmap: outAxes must be an integer axis or null, got 1\.5$/ },
  { name: "vmap outAxes '1'", run: () => vm(sum, { outAxes: "1" }), error: TypeError, message: /^vmap: outAxes must be .*got string "1"$/ },
  { name: "vmap outAxes 1 for scalar outputs", run: () => vm(sum, { outAxes: 1 })(m), error: RangeError, message: /^vmap: outAxes = 1 is out of range for the output of per-example shape \[\] \(valid: -1 to 0, or null\)$/ },
  { name: "vmap outAxes [0, 1] for one output", run: () => vm(sum, { outAxes: [0, 1] })(m), error: TypeError, message: /^vmap: outAxes is an array of 2 axis trees where the output is a float64\[\] tensor \(an axis tree must be a prefix of the result's tree\)$/ },
  // ---- vmap: outAxes as axis trees (JAX's out_axes pytrees) ----
  { name: "vmap outAxes { a: 0.5 }", run: () => vm(sum, { outAxes: { a: 0.5 } }), error: RangeError, message: /^vmap: outAxes\.a must be an integer axis or null, got 0\.5$/ },
  { name: "vmap outAxes [0, { b: '1' }]", run: () => vm(sum, { outAxes: [0, { b: "1" }] }), error: TypeError, message: /^vmap: outAxes\[1\]\.b must be an integer axis or null, got string "1"$/ },
  { name: "vmap outAxes [0, { s: 2 }] out of range at .s", run: () => vm((a: T) => [a, { s: sum(a) }], { outAxes: [0, { s: 2 }] })(m), error: RangeError, message: /^vmap: outAxes\[1\]\.s = 2 is out of range for the output at \[1\]\.s of per-example shape \[\] \(valid: -1 to 0, or null\)$/ },
  { name: "vmap outAxes { a: -3 } out of range", run: () => vm((a: T) => ({ a }), { outAxes: { a: -3 } })(m), error: RangeError, message: /^vmap: outAxes\.a = -3 is out of range for the output at \.a of per-example shape \[3\] \(valid: -2 to 1, or null\)$/ },
  { name: "vmap outAxes { a: 0, c: 0 } for a result { a, b }", run: () => vm((a: T) => ({ a, b: a }), { outAxes: { a: 0, c: 0 } })(m), error: TypeError, message: /^vmap: outAxes is a record with keys \{a, c\} where the output is a record with keys \{a, b\} \(an axis tree must be a prefix of the result's tree\)$/ },
  { name: "vmap outAxes [[0, 0]] for a result [a, b]", run: () => vm((a: T) => [a, a], { outAxes: [[0, 0]] })(m), error: TypeError, message: /^vmap: outAxes is an array of 1 axis trees where the output is an array of 2 \(an axis tree must be a prefix of the result's tree\)$/ },
  { name: "vmap outAxes [0, [0, 1]] where the output at [1] is a tensor", run: () => vm((a: T) => [a, a], { outAxes: [0, [0, 1]] })(m), error: TypeError, message: /^vmap: outAxes\[1\] is an array of 2 axis trees where the output at \[1\] is a float64\[3\] tensor/ },
  { name: "vmap outAxes [0, null] where the output at [1] varies", run: () => vm((a: T) => [a, ops.mul(a, a)], { outAxes: [0, null] })(m), error: RangeError, message: /^vmap: the output at \[1\] \(outAxes\[1\] = null\) varies along the mapped axis, so out axis null is impossible$/ },
  { name: "vmap outAxes { p: [null, 0] } where the output at .p[0] varies", run: () => vm((a: T) => ({ p: [a, a] }), { outAxes: { p: [null, 0] } })(m), error: RangeError, message: /^vmap: the output at \.p\[0\] \(outAxes\.p\[0\] = null\) varies along the mapped axis/ },
  // ---- tracers that escaped their transform, used eagerly afterwards ----
  { name: "a tracer escaped from jit, in an eager add", run: () => ops.add(leak("jit"), x), error: TraceError, message: /^a traced value escaped the transform that made it \(for example a tracer stored in an outer variable/ },
  { name: "a tracer escaped from vmap, in an eager method call", run: () => (leak("vmap") as T).mul(2 as never), error: TraceError, message: /^a traced value escaped the transform/ },
  { name: "a tracer escaped from grad, in an eager sum", run: () => sum(leak("grad")), error: TraceError, message: /^a traced value escaped the transform/ },
  { name: "a tracer escaped from jit, read with data()", run: () => leak("jit").data(), error: TraceError, message: /^data\(\) needs a concrete value, but this tensor \(float64\[3\]\) is a tracer that escaped the transform that made it \(jit, grad or vmap, which has returned/ },
  { name: "a tracer escaped from vmap, read with item()", run: () => leak("vmap").item(), error: TraceError, message: /^item\(\) needs a concrete value, but this tensor \(float64\[\]\) is a tracer that escaped/ },
  // ---- vjp: cotangents ----
  { name: "vjp cotangent of the wrong shape", run: () => vjp((a: T) => ops.mul(a, a), x)[1](tensor([1, 1], [2])), error: ShapeError, message: /^vjp: cotangent 0 has shape \[2\], expected \[3\]/ },
  { name: "vjp cotangent of rank 0 for [3]", run: () => vjp((a: T) => ops.mul(a, a), x)[1](tensor([1], [])), error: ShapeError, message: /^vjp: cotangent 0 has shape \[\], expected \[3\]/ },
  { name: "vjp cotangent of the wrong dtype", run: () => vjp((a: T) => ops.mul(a, a), x)[1](tensor([1, 1, 1], [3], "float32")), error: DTypeError, message: /^vjp: cotangent 0 has dtype float32, expected float64/ },
  { name: "vjp cotangent of the second output", run: () => vjp((a: T) => [a, sum(a)] as T[], x)[1]([x, tensor([1, 2], [2])]), error: ShapeError, message: /^vjp: cotangent 1 has shape \[2\], expected \[\]/ },
];

describe("transform options and cotangents are checked where given", () => {
  test.each(cases)("$name", ({ run, error, message }) => {
    expectThrown(run, error, message);
  });
});

describe("valid options still give the right answers", () => {
  test("grad with argnums 1 and [0, 1]; valueAndGrad; hasAux", () => {
    expect(valuesOf(g({ argnums: 1 })(x, y) as T)).toEqual([1, 2, 3]);
    const [gx, gy] = g({ argnums: [0, 1] })(x, y) as T[];
    expect([valuesOf(gx), valuesOf(gy)]).toEqual([[4, 5, 6], [1, 2, 3]]);
    const [value, grads] = vg({})(x, y) as [T, T];
    expect(value.item()).toBe(32);
    expect(valuesOf(grads)).toEqual([4, 5, 6]);
    const [ga, aux] = (grad(any((a: T) => [dot(a, a), "note"]), { hasAux: true }) as (a: T) => [T, string])(x);
    expect(valuesOf(ga)).toEqual([2, 4, 6]);
    expect(aux).toBe("note");
  });

  test("jit with donate [1] and [0] computes the same value", () => {
    expect((jd([1])(tensor([1, 2, 3], [3]), tensor([4, 5, 6], [3])) as T).item()).toBe(32);
    expect((jd([0])(tensor([1, 2, 3], [3]), y) as T).item()).toBe(32);
  });

  test("vmap with inAxes -1, [1, null], outAxes -1 and [1]", () => {
    expect(valuesOf(vm(sum, { inAxes: -1 })(m) as T)).toEqual([5, 7, 9]);
    expect(valuesOf(vm(dot, { inAxes: [1, null] })(ops.reshape(m, [3, 2]), tensor([1, 1, 1], [3])) as T)).toEqual([9, 12]);
    const rows = (a: T) => ops.mul(a, a);
    expect(valuesOf(vm(rows, { outAxes: -1 })(m) as T)).toEqual([1, 16, 4, 25, 9, 36]);
    expect(valuesOf(vm(rows, { outAxes: [1] })(m) as T)).toEqual([1, 16, 4, 25, 9, 36]);
  });

  test("vjp with a cotangent of the right shape and dtype", () => {
    const [out, pullback] = vjp((a: T) => ops.mul(a, a), x);
    expect(valuesOf(out)).toEqual([1, 4, 9]);
    expect(valuesOf(pullback(tensor([1, 1, 2], [3]))[0] as T)).toEqual([2, 4, 12]);
  });
});
