import { expectError, expectType } from "tsd";
import type { Attention, AttentionLogits, Dim, MergeHeads, Shape, SplitHeads } from "typegrad";

declare const v: <T>() => T;
declare function shape<S extends Shape>(s: S): S;

// ---- attention: [..., Tq, D], [..., Tk, D], [..., Tk, Dv] → [..., Tq, Dv] ----

expectType<[2, 5, 32]>(v<Attention<[2, 5, 64], [2, 7, 64], [2, 7, 32]>>());
expectType<[5, 32]>(v<Attention<[5, 64], [7, 64], [7, 32]>>());
expectType<[2, 5, 7]>(v<AttentionLogits<[2, 5, 64], [2, 7, 64], [2, 7, 32]>>());
// Heads as an extra leading dim; k and v shared by the heads (broadcast).
expectType<["batch", 8, "seq", 16]>(v<Attention<["batch", 8, "seq", 16], ["batch", 1, "seq", 16], ["batch", 1, "seq", 16]>>());
expectType<[number, 4, 5, 2]>(v<Attention<[number, 4, 5, 3], [7, 3], [7, 2]>>());
expectType<number[]>(v<Attention<number[], [7, 3], [7, 2]>>());

expectType<"dotProductAttention: q and k differ in features: 64 vs 32 (q is [2, 5, 64], k is [2, 7, 32], v is [2, 7, 32])">(
  v<Attention<[2, 5, 64], [2, 7, 32], [2, 7, 32]>>(),
);
expectType<"dotProductAttention: k and v differ in length: 7 vs 6 (q is [2, 5, 32], k is [2, 7, 32], v is [2, 6, 8])">(
  v<Attention<[2, 5, 32], [2, 7, 32], [2, 6, 8]>>(),
);
expectType<"dotProductAttention: the batch dims of q, k and v do not broadcast (q is [2, 5, 32], k is [3, 7, 32], v is [7, 8])">(
  v<Attention<[2, 5, 32], [3, 7, 32], [7, 8]>>(),
);
expectType<"dotProductAttention: q, k and v need at least 2 dims, [..., seq, features] (q is [32], k is [7, 32], v is [7, 8])">(
  v<Attention<[32], [7, 32], [7, 8]>>(),
);
expectType<"dotProductAttention: q and k differ in features: d vs e (q is [seq, d], k is [seq, e], v is [seq, 8])">(
  v<Attention<["seq", "d"], ["seq", "e"], ["seq", 8]>>(),
);
expectError(shape(v<Attention<[2, 5, 64], [2, 7, 32], [2, 7, 32]>>()));

// Generic over the batch dim.
function generic<B extends Dim, T extends Dim>() {
  expectType<[B, 4, T, 8]>(v<Attention<[B, 4, T, 16], [B, 4, 9, 16], [B, 4, 9, 8]>>());
}
generic();

// ---- heads: names survive the split and the merge ----

expectType<["batch", 8, "seq", 8]>(v<SplitHeads<["batch", "seq", 64], 8>>());
expectType<["batch", "seq", 64]>(v<MergeHeads<["batch", 8, "seq", 8]>>());
expectType<[2, 4, 10, 16]>(v<SplitHeads<[2, 10, 64], 4>>());
expectType<[10, 64]>(v<MergeHeads<[4, 10, 16]>>());
expectType<["b", 4, "t", number]>(v<SplitHeads<["b", "t", number], 4>>());
expectType<["b", 4, "t", number]>(v<SplitHeads<["b", "t", "features"], 4>>());
expectType<["b", "t", number]>(v<MergeHeads<["b", number, "t", 8]>>());
expectType<["b", number, "t", number]>(v<SplitHeads<["b", "t", 64], number>>());

expectType<"splitHeads: 6 heads do not divide features 64 (shape [batch, seq, 64])">(v<SplitHeads<["batch", "seq", 64], 6>>());
expectType<"splitHeads: heads must be a positive integer, got 0">(v<SplitHeads<["batch", "seq", 64], 0>>());
expectType<"splitHeads: heads must be a positive integer, got -2">(v<SplitHeads<["batch", "seq", 64], -2>>());
expectType<"splitHeads: expects [..., seq, features] but got [64]">(v<SplitHeads<[64], 8>>());
expectType<"mergeHeads: expects [..., heads, seq, features] but got [10, 64]">(v<MergeHeads<[10, 64]>>());
expectError(shape(v<SplitHeads<["batch", "seq", 64], 6>>()));

function genericHeads<B extends Dim>() {
  expectType<[B, 4, "seq", 16]>(v<SplitHeads<[B, "seq", 64], 4>>());
  expectType<[B, "seq", 64]>(v<MergeHeads<[B, 4, "seq", 16]>>());
}
genericHeads();
