import { expectError, expectType } from "tsd";
import type { Shape, SortAxis, TopK } from "typegrad";

declare const v: <T>() => T;
declare function shape<S extends Shape>(s: S): S;

expectType<[4, 5]>(v<SortAxis<[4, 5], -1>>());
expectType<"argsort: axis 2 out of range for rank-2 tensor [4, 5]">(v<SortAxis<[4, 5], 2, "argsort">>());

expectType<[8, 3]>(v<TopK<[8, 10], 3>>());
expectType<[0]>(v<TopK<[4], 0>>());
expectType<["batch", 3]>(v<TopK<["batch", "vocab"], 3>>());
expectType<"topK: k = 11 is larger than the last axis (10) of [8, 10]">(v<TopK<[8, 10], 11>>());
expectType<"topK: k must be a non-negative integer, got -2">(v<TopK<[8, 10], -2>>());
expectType<"topK: needs at least one axis (shape [])">(v<TopK<[], 1>>());
expectError(shape(v<TopK<[8, 10], 11>>()));
