/**
 * @file Bad input to `einsum`, the running reductions and the sorting ops, eagerly and under the
 * transforms: the exact error class and a message naming the op, what was expected and what came.
 */
import { describe, test } from "vitest";
import { argsort, cummax, cumsum, einsum, jit, ones, ShapeError, sort, tensor, topK, vmap, zeros } from "../../src/index.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { expectThrown } from "./expect-error.js";

const einsumAny = einsum as (spec: unknown, ...xs: unknown[]) => AnyTensor;

describe("einsum", () => {
  const a = zeros([2, 3]);
  const b = zeros([4, 5]);
  test("a letter bound to two dims, eagerly, under jit and under vmap", () => {
    const message = /^einsum: "j" is 3 in operand 0 and 4 in operand 1 \(spec "ij,jk", operand shapes \[2, 3\], \[4, 5\]\)$/;
    expectThrown(() => einsumAny("ij,jk", a, b), ShapeError, message);
    expectThrown(() => jit((x: AnyTensor, y: AnyTensor) => einsumAny("ij,jk", x, y))(a, b), ShapeError, message);
    expectThrown(
      () => vmap((x: AnyTensor) => einsumAny("j,jk", x, b))(a),
      ShapeError,
      /^einsum: "j" is 3 in operand 0 and 4 in operand 1 \(spec "j,jk", operand shapes \[3\], \[4, 5\]\)$/,
    );
  });
  test("operand count, rank, output letters, subscripts", () => {
    expectThrown(() => einsumAny("ij,jk->ik", a), ShapeError, /^einsum: spec "ij,jk->ik" takes 2 operands, got 1$/);
    expectThrown(() => einsumAny("ijk->i", a), ShapeError, /^einsum: "ijk" names 3 dims but operand 0 is \[2, 3\] \(spec "ijk->i"\)$/);
    expectThrown(() => einsumAny("ij->iz", a), ShapeError, /^einsum: output subscript "z" is not in any input \(spec "ij->iz"\)$/);
    expectThrown(() => einsumAny("i_", a), ShapeError, /^einsum: invalid subscript "_" in "i_"/);
  });
  test("a spec or an operand of the wrong kind", () => {
    expectThrown(() => einsumAny(3, a), TypeError, /^einsum: the spec must be a string, got number$/);
    expectThrown(() => einsumAny("ij", [[1, 2]]), TypeError, /^einsum: operand 0 must be a tensor, got object$/);
  });
  test("a result too large for any tensor", () => {
    expectThrown(() => einsumAny("i,j->ij", ones([100000]), ones([100000])), RangeError, /^einsum: size 10000000000 exceeds the 2147483647 elements/);
  });
});

describe("topK, sort, argsort", () => {
  test("k larger than the last axis, eagerly and under jit and vmap", () => {
    const x = ones([2, 3]);
    const message = /^topK: k = 5 is larger than the last axis \(3\) of \[2, 3\]$/;
    expectThrown(() => topK(x, 5 as never), ShapeError, message);
    expectThrown(() => jit((t: typeof x) => topK(t, 5 as never))(x), ShapeError, message);
    expectThrown(() => vmap((t: AnyTensor) => topK(t as never, 5 as never))(x), ShapeError, /^topK: k = 5 is larger than the last axis \(3\) of \[3\]$/);
  });
  test("a bad k", () => {
    expectThrown(() => topK(ones([3]), -1 as never), ShapeError, /^topK: k must be a non-negative integer, got -1$/);
    expectThrown(() => topK(ones([3]), 1.5 as never), ShapeError, /^topK: k must be a non-negative integer, got 1.5$/);
    expectThrown(() => topK(ones([3]), "2" as never), TypeError, /^topK: k must be a number, got string$/);
  });
  test("axes out of range and options of the wrong kind", () => {
    expectThrown(() => sort(ones([2, 3]), 2 as never), ShapeError, /^sort: axis 2 out of range for rank-2 tensor \[2, 3\]$/);
    expectThrown(() => argsort(tensor(1)), ShapeError, /^argsort: axis -1 out of range for rank-0 tensor \[\]$/);
    expectThrown(() => sort(ones([3]), -1, { descending: "yes" as never }), TypeError, /^sort: options.descending must be true or false, got string "yes"$/);
    expectThrown(() => argsort(ones([3]), -1, 1 as never), TypeError, /^argsort: options must be an options object, got 1$/);
  });
});

describe("running reductions", () => {
  test("axes out of range and options of the wrong kind", () => {
    expectThrown(() => cumsum(ones([2, 3]), 2 as never), ShapeError, /^cumsum: axis 2 out of range for rank-2 tensor \[2, 3\]$/);
    expectThrown(() => jit((t: AnyTensor) => cummax(t as never, -3 as never))(ones([2, 3])), ShapeError, /^cummax: axis -3 out of range for rank-2 tensor \[2, 3\]$/);
    expectThrown(() => cumsum(ones([3]), 0, { reverse: 1 as never }), TypeError, /^cumsum: options.reverse must be true or false, got number 1$/);
  });
});
