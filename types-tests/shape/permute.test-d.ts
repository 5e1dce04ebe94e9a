import { expectError, expectType } from "tsd";
import type { Dim, Permute, Shape } from "typegrad";

declare const v: <T>() => T;
declare function shape<S extends Shape>(s: S): S;

expectType<[2, 4, 5, 3]>(v<Permute<[2, 3, 4, 5], [0, 2, 3, 1]>>());
expectType<[3, 2]>(v<Permute<[2, 3]>>());
expectType<[4, 2, 3]>(v<Permute<[2, 3, 4], [-1, 0, 1]>>());
expectType<[number, number, number]>(v<Permute<[2, 3, 4], number[]>>());
expectType<"transpose: [0, 2, 2, 1] is not a permutation of 4 axes (shape [2, 3, 4, 5])">(v<Permute<[2, 3, 4, 5], [0, 2, 2, 1]>>());
expectType<"transpose: [0, 1] is not a permutation of 3 axes (shape [2, 3, 4])">(v<Permute<[2, 3, 4], [0, 1]>>());
expectType<"transpose: [0, 3] is not a permutation of 2 axes (shape [2, 3])">(v<Permute<[2, 3], [0, 3]>>());
expectError(shape(v<Permute<[2, 3], [1, 1]>>()));

function generic<B extends Dim>() {
  expectType<[10, B]>(v<Permute<[B, 10]>>());
  expectType<[B, 3, 10]>(v<Permute<[B, 10, 3], [0, 2, 1]>>());
}
generic();
