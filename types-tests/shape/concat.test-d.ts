import { expectError, expectType } from "tsd";
import type { Concat, Dim, Shape, Stack } from "typegrad";

declare const v: <T>() => T;
declare function shape<S extends Shape>(s: S): S;

expectType<[60000, 784]>(v<Concat<[[600, 784], [59400, 784]], 0>>());
expectType<[50, 28]>(v<Concat<[[32, 28], [16, 28], [2, 28]], -2>>());
expectType<["batch", 32]>(v<Concat<[["batch", 28], ["batch", 4]], 1>>());
expectType<["batch", 32]>(v<Concat<[["batch", 28], [number, 4]], 1>>());
expectType<[number, 28]>(v<Concat<[32, 28][], 0>>());
expectType<[2, 3, 4]>(v<Stack<[[3, 4], [3, 4]], 0>>());
expectType<[3, 4, 3]>(v<Stack<[[3, 4], [3, 4], [3, 4]], -1>>());

expectType<"concat: dim 0 differs: 32 vs 16 (shapes [32, 28] and [16, 28])">(v<Concat<[[32, 28], [16, 28]], 1>>());
expectType<"concat: rank differs: 2 vs 3 (shapes [32, 28] and [16, 28, 3])">(v<Concat<[[32, 28], [16, 28, 3]], 1>>());
expectType<"concat: axis 2 out of range for rank-2 tensor [32, 28]">(v<Concat<[[32, 28], [16, 28]], 2>>());
expectType<"concat: needs at least one tensor">(v<Concat<[], 0>>());
expectType<"stack: dim 1 differs: 4 vs 5 (shapes [3, 4] and [3, 5])">(v<Stack<[[3, 4], [3, 5]], 0>>());
expectType<"stack: axis 3 out of range for rank-2 tensor [3, 4]">(v<Stack<[[3, 4], [3, 4]], 3>>());
expectError(shape(v<Concat<[[32, 28], [16, 28]], 1>>()));

function generic<B extends Dim>() {
  expectType<[B, 32]>(v<Concat<[[B, 28], [B, 4]], 1>>());
  expectType<[B, 2, 28]>(v<Stack<[[B, 28], [B, 28]], 1>>());
}
generic();
