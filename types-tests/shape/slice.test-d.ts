import { expectError, expectType } from "tsd";
import type { Dim, Shape, Slice } from "typegrad";

declare const v: <T>() => T;
declare function shape<S extends Shape>(s: S): S;

expectType<[3, 10]>(v<Slice<[10, 20], [[2, 5], [null, null, 2]]>>());
expectType<[3]>(v<Slice<[10], [[-3]]>>());
expectType<[10, 18]>(v<Slice<[10, 20], [null, [1, -1]]>>());
expectType<[0, 20]>(v<Slice<[10, 20], [[5, 2]]>>());
expectType<[10, 20]>(v<Slice<[10, 20], [[-100, 100]]>>());
expectType<[3, 20]>(v<Slice<[10, 20], [[1, 10, 3]]>>());
expectType<["batch", 2]>(v<Slice<["batch", 20], [null, [1, 3]]>>());
expectType<[number, 20]>(v<Slice<["batch", 20], [[1, 3]]>>());
expectType<[number, 20]>(v<Slice<[10, 20], [[0, number]]>>());

expectType<"slice: 3 ranges for rank-2 tensor [3, 4]">(v<Slice<[3, 4], [null, null, null]>>());
expectType<"slice: step must be a positive integer, got 0 (axis 0 of [10, 20])">(v<Slice<[10, 20], [[0, 5, 0]]>>());
expectType<"slice: index 0.5 is not an integer (axis 0 of [10, 20])">(v<Slice<[10, 20], [[0.5, 5]]>>());
expectError(shape(v<Slice<[3, 4], [null, null, null]>>()));

function generic<B extends Dim>() {
  expectType<[B, 10]>(v<Slice<[B, 28], [null, [0, 10]]>>());
}
generic();
