import { expectError, expectType } from "tsd";
import type { Dim, Shape, Take, TakeAlongAxis } from "typegrad";

declare const v: <T>() => T;
declare function shape<S extends Shape>(s: S): S;

expectType<[32, 20, 64]>(v<Take<[1000, 64], [32, 20], 0>>());
expectType<[3, 5]>(v<Take<[3, 4], [5], -1>>());
expectType<[3, 4]>(v<Take<[3, 4, 7], [], 2>>());
expectType<[7, 2]>(v<Take<[3, 4], [7, 2], undefined>>());
expectType<["batch", 10]>(v<Take<[1000, 10], ["batch"], 0>>());
expectType<number[]>(v<Take<[3, 4], [5], number>>());
expectType<"take: axis 2 out of range for rank-2 tensor [3, 4]">(v<Take<[3, 4], [5], 2>>());
expectError(shape(v<Take<[3, 4], [5], 2>>()));

expectType<[32, 1]>(v<TakeAlongAxis<[32, 10], [32, 1], 1>>());
expectType<[5, 10]>(v<TakeAlongAxis<[32, 10], [5, 1], 0>>());
expectType<[2, 3]>(v<TakeAlongAxis<[1, 9], [2, 3], -1>>());
expectType<"takeAlongAxis: indices [5] and x [32, 10] differ in rank">(v<TakeAlongAxis<[32, 10], [5], 0>>());
expectType<"takeAlongAxis: cannot broadcast 32 with 3 (shapes [32, 1] and [3, 1])">(v<TakeAlongAxis<[32, 10], [3, 1], 1>>());
expectError(shape(v<TakeAlongAxis<[32, 10], [5], 0>>()));

function generic<B extends Dim>() {
  expectType<[B, 20, 64]>(v<Take<[1000, 64], [B, 20], 0>>());
  expectType<[B, 1]>(v<TakeAlongAxis<[B, 10], [B, 1], 1>>());
}
generic();
