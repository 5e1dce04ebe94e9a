/** @file Edge cases of `threefry2x32`: the Random123 known-answer vectors (for the primitive and for the harness's own reference), errors, batching. */
import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { DTypeError } from "../../src/core/errors.js";
import { ShapeError } from "../../src/shape/errors.js";
import { vmapFlat } from "../../src/transforms/vmap.js";
import { threefryBlock } from "../helpers/reference.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

/** Random123's kat_vectors for threefry2x32_20: key, counter, expected output. */
const KAT: [number[], number[], number[]][] = [
  [[0, 0], [0, 0], [0x6b200159, 0x99ba4efe]],
  [[0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x1cb996fc, 0xbb002be7]],
  [[0x13198a2e, 0x03707344], [0x243f6a88, 0x85a308d3], [0xc4923a9c, 0x483df7a0]],
];

const i32 = (v: number[], shape = [v.length]) => tensor(v.map((x) => x | 0), shape, "int32");
const u32 = (t: ops.AnyTensor) => valuesOf(t).map((v) => v >>> 0);

describe("threefry2x32", () => {
  test.each(KAT)("the harness's reference gives the known answer for key %j, counter %j", (key, ctr, expected) => {
    expect(threefryBlock(key[0], key[1], ctr[0], ctr[1])).toEqual(expected);
  });

  test("the primitive gives all three known answers in one batched call", () => {
    const col = (k: number, j: number) => i32(KAT.map((c) => c[k][j]));
    const [y0, y1] = ops.threefry2x32(col(0, 0), col(0, 1), col(1, 0), col(1, 1));
    expect(u32(y0)).toEqual(KAT.map((c) => c[2][0]));
    expect(u32(y1)).toEqual(KAT.map((c) => c[2][1]));
  });

  test("0-d and size-0 words", () => {
    const z = i32([0], []);
    expect(ops.threefry2x32(z, z, z, z)[0].shape).toEqual([]);
    const e = i32([], [0, 2]);
    expect(ops.threefry2x32(e, e, e, e)[1].shape).toEqual([0, 2]);
  });

  test("only int32 words of one shape", () => {
    const w = i32([1, 2]);
    expect(() => ops.threefry2x32(w, w, w, tensor([1, 2], [2]))).toThrow(DTypeError);
    expect(() => ops.threefry2x32(w, w, w, i32([1]))).toThrow(ShapeError);
  });

  test("vmap over counters with the key shared", () => {
    const k = i32([0x13198a2e, 0x03707344].map((v) => v | 0), [2]);
    const ctr0 = i32([0, 0x243f6a88]);
    const ctr1 = i32([0, 0x85a308d3]);
    const [y0] = vmapFlat(
      (c0, c1, k0, k1) => [ops.threefry2x32(k0, k1, c0, c1)[0]],
      [0, 0, null, null],
      [ctr0, ctr1, ops.slice(k, [0], [1]), ops.slice(k, [1], [2])].map((t, i) => (i < 2 ? t : ops.reshape(t, []))),
    );
    expect(u32(y0)[1]).toBe(0xc4923a9c);
  });
});
