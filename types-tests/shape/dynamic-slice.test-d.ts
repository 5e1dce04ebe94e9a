import { expectError, expectType } from "tsd";
import type { Dim, DynamicSlice, DynamicUpdateSlice, Shape } from "typegrad";

declare const v: <T>() => T;
declare function shape<S extends Shape>(s: S): S;

expectType<[3, 64]>(v<DynamicSlice<[10, 64], [3, 64]>>());
expectType<[3, 64]>(v<DynamicSlice<["batch", 64], [3, 64]>>());
expectType<[1, 2]>(v<DynamicSlice<[number, 64], [1, 2]>>());
expectType<"dynamicSlice: 1 sizes for rank-2 tensor [10, 64]">(v<DynamicSlice<[10, 64], [3]>>());
expectType<"dynamicSlice: sizes [11, 1] exceed the dims of [10, 64] (axis 0)">(v<DynamicSlice<[10, 64], [11, 1]>>());
expectType<"dynamicSlice: sizes must be non-negative integers, got [-1, 1]">(v<DynamicSlice<[10, 64], [-1, 1]>>());
expectError(shape(v<DynamicSlice<[10, 64], [3]>>()));

expectType<[10, 64]>(v<DynamicUpdateSlice<[10, 64], [1, 64]>>());
expectType<"dynamicUpdateSlice: update [64] and x [10, 64] differ in rank">(v<DynamicUpdateSlice<[10, 64], [64]>>());
expectType<"dynamicUpdateSlice: update dims [1, 65] exceed the dims of [10, 64] (axis 1)">(v<DynamicUpdateSlice<[10, 64], [1, 65]>>());
expectError(shape(v<DynamicUpdateSlice<[10, 64], [64]>>()));

// A dim that is a type parameter is compared only where it needs no test of its own (see the
// README of src/shape): keeping the dims a slice does not cut is fine.
function generic<B extends Dim>() {
  expectType<[10, B]>(v<DynamicUpdateSlice<[10, B], [1, B]>>());
}
generic();
