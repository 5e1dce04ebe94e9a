import { describe, expect, test } from "vitest";
import { attentionShape } from "../../src/shape/attention.js";
import { ShapeError } from "../../src/shape/errors.js";
import { headSize, mergeHeadsShape, splitHeadsShape } from "../../src/shape/heads.js";

describe("attentionShape", () => {
  test("[..., Tq, D], [..., Tk, D], [..., Tk, Dv]: batch dims broadcast", () => {
    expect(attentionShape("a", [2, 5, 64], [2, 7, 64], [2, 7, 32])).toEqual({ batch: [2], tq: 5, tk: 7, dv: 32 });
    expect(attentionShape("a", [5, 64], [7, 64], [7, 32])).toEqual({ batch: [], tq: 5, tk: 7, dv: 32 });
    expect(attentionShape("a", [2, 8, 5, 16], [2, 1, 7, 16], [7, 4])).toEqual({ batch: [2, 8], tq: 5, tk: 7, dv: 4 });
    expect(attentionShape("a", [1, 5, 16], [3, 7, 16], [1, 7, 4])).toEqual({ batch: [3], tq: 5, tk: 7, dv: 4 });
    expect(attentionShape("a", [0, 3], [0, 3], [0, 2])).toEqual({ batch: [], tq: 0, tk: 0, dv: 2 });
  });
  test("errors say what the type checker says", () => {
    const ops = "(q is [2, 5, 64], k is [2, 7, 32], v is [2, 7, 32])";
    expect(() => attentionShape("dotProductAttention", [2, 5, 64], [2, 7, 32], [2, 7, 32])).toThrow(
      new ShapeError(`dotProductAttention: q and k differ in features: 64 vs 32 ${ops}`),
    );
    expect(() => attentionShape("dotProductAttention", [2, 5, 32], [2, 7, 32], [2, 6, 8])).toThrow(
      "dotProductAttention: k and v differ in length: 7 vs 6 (q is [2, 5, 32], k is [2, 7, 32], v is [2, 6, 8])",
    );
    expect(() => attentionShape("dotProductAttention", [2, 5, 32], [3, 7, 32], [7, 8])).toThrow(
      "dotProductAttention: the batch dims of q, k and v do not broadcast (q is [2, 5, 32], k is [3, 7, 32], v is [7, 8])",
    );
    expect(() => attentionShape("dotProductAttention", [32], [7, 32], [7, 8])).toThrow(
      "dotProductAttention: q, k and v need at least 2 dims, [..., seq, features] (q is [32], k is [7, 32], v is [7, 8])",
    );
    expect(() => attentionShape("dotProductAttention", [2.5, 3], [7, 3], [7, 8])).toThrow(ShapeError);
  });
});

describe("splitHeadsShape, mergeHeadsShape", () => {
  test("[..., T, D] ↔ [..., H, T, D/H]", () => {
    expect(splitHeadsShape("s", [4, 10, 64], 8)).toEqual([4, 8, 10, 8]);
    expect(splitHeadsShape("s", [10, 64], 1)).toEqual([1, 10, 64]);
    expect(splitHeadsShape("s", [2, 3, 0, 6], 3)).toEqual([2, 3, 3, 0, 2]);
    expect(mergeHeadsShape("m", [4, 8, 10, 8])).toEqual([4, 10, 64]);
    expect(mergeHeadsShape("m", [8, 10, 8])).toEqual([10, 64]);
  });
  test("errors say what the type checker says", () => {
    expect(() => splitHeadsShape("splitHeads", [4, 10, 64], 6)).toThrow(
      new ShapeError("splitHeads: 6 heads do not divide features 64 (shape [4, 10, 64])"),
    );
    expect(() => splitHeadsShape("splitHeads", [64], 8)).toThrow("splitHeads: expects [..., seq, features] but got [64]");
    expect(() => splitHeadsShape("splitHeads", [4, 10, 64], 0)).toThrow(new RangeError("splitHeads: heads must be a positive integer, got 0"));
    expect(() => splitHeadsShape("splitHeads", [4, 10, 64], 2.5)).toThrow(RangeError);
    expect(() => mergeHeadsShape("mergeHeads", [10, 64])).toThrow("mergeHeads: expects [..., heads, seq, features] but got [10, 64]");
    expect(() => headSize("multiHeadAttention(64, 6)", 64, 6, "dModel")).toThrow(
      new ShapeError("multiHeadAttention(64, 6): 6 heads do not divide dModel 64"),
    );
    expect(headSize("x", 64, 4, "dModel")).toBe(16);
  });
});
