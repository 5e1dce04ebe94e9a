import { expectError, expectType } from "tsd";
import type { Dim, Reduce, Shape } from "typegrad";

declare const v: <T>() => T;
declare function shape<S extends Shape>(s: S): S;

expectType<[32, 5]>(v<Reduce<[32, 10, 5], 1>>());
expectType<[32, 10]>(v<Reduce<[32, 10, 5], -1>>());
expectType<[32, 10, 1]>(v<Reduce<[32, 10, 5], -1, true>>());
expectType<[10]>(v<Reduce<[32, 10, 5], [0, -1]>>());
expectType<[1, 10, 1]>(v<Reduce<[32, 10, 5], [0, 2], true>>());
expectType<[]>(v<Reduce<[32, 10, 5]>>());
expectType<[1, 1, 1]>(v<Reduce<[32, 10, 5], undefined, true>>());
expectType<["batch"]>(v<Reduce<["batch", 10], 1>>());
// A runtime-only axis keeps the rank but not the dims.
expectType<[number, number]>(v<Reduce<[32, 10, 5], number>>());
expectType<number[]>(v<Reduce<[32, 10, 5], number[]>>());

expectType<"sum: axis 2 out of range for rank-2 tensor [32, 10]">(v<Reduce<[32, 10], 2, false, "sum">>());
expectType<"sum: axis -3 out of range for rank-2 tensor [32, 10]">(v<Reduce<[32, 10], -3, false, "sum">>());
expectType<"sum: axis 1.5 out of range for rank-2 tensor [32, 10]">(v<Reduce<[32, 10], 1.5, false, "sum">>());
expectType<"sum: repeated axis -2 in [1, -2] for rank-3 tensor [32, 10, 5]">(v<Reduce<[32, 10, 5], [1, -2], false, "sum">>());
expectError(shape(v<Reduce<[32, 10], 2>>()));

function generic<B extends Dim>() {
  expectType<[B]>(v<Reduce<[B, 10], 1>>());
  expectType<[1, 10]>(v<Reduce<[B, 10], 0, true>>());
}
generic();
