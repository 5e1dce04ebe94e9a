import { expectError, expectType } from "tsd";
import type { AdvancedIndex, Dim, Shape } from "typegrad";

declare const v: <T>() => T;
declare function shape<S extends Shape>(s: S): S;

expectType<[32, 20, 64]>(v<AdvancedIndex<[1000, 64], [[32, 20]]>>());
expectType<[7]>(v<AdvancedIndex<[5, 6, 7], [1, -2]>>());
expectType<[6]>(v<AdvancedIndex<[5, 6, 7], [0, null, 3]>>());
expectType<[5, 3]>(v<AdvancedIndex<[5, 6, 7], [null, [3], [3]]>>());
expectType<[5, 2, 3]>(v<AdvancedIndex<[5, 6, 7], [null, [2, 1], [3]]>>());
expectType<[3, 6]>(v<AdvancedIndex<[5, 6, 7], [[3], null, 0]>>());
expectType<[5, 6, 7]>(v<AdvancedIndex<[5, 6, 7], []>>());
expectType<["batch", 7]>(v<AdvancedIndex<[5, 6, 7], [["batch"], 2]>>());
expectType<"at: 3 indices for rank-2 tensor [3, 4]">(v<AdvancedIndex<[3, 4], [0, 0, 0]>>());
expectType<"at: index 5 is out of range for axis 0 of size 3 (tensor [3, 4])">(v<AdvancedIndex<[3, 4], [5]>>());
expectType<"at: index -4 is out of range for axis 1 of size 3 (tensor [2, 3])">(v<AdvancedIndex<[2, 3], [null, -4]>>());
expectType<"at: index 0.5 is not an integer (axis 0 of [3, 4])">(v<AdvancedIndex<[3, 4], [0.5]>>());
expectType<"at: cannot broadcast 2 with 3 (shapes [2] and [3])">(v<AdvancedIndex<[5, 6], [[2], [3]]>>());
expectError(shape(v<AdvancedIndex<[3, 4], [5]>>()));

function generic<B extends Dim>() {
  expectType<[B, 64]>(v<AdvancedIndex<[1000, 64], [[B]]>>());
}
generic();
