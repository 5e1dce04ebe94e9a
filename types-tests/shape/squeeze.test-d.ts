import { expectError, expectType } from "tsd";
import type { Dim, ExpandDims, Shape, Squeeze } from "typegrad";

declare const v: <T>() => T;
declare function shape<S extends Shape>(s: S): S;

expectType<[3, 1, 4]>(v<ExpandDims<[3, 4], 1>>());
expectType<[3, 4, 1]>(v<ExpandDims<[3, 4], -1>>());
expectType<[1]>(v<ExpandDims<[], 0>>());
expectType<[3, 4]>(v<Squeeze<[3, 1, 4], 1>>());
expectType<[3, 4]>(v<Squeeze<[1, 3, 1, 4]>>());
expectType<[3, 4]>(v<Squeeze<[1, 3, 1, 4], [0, -2]>>());
expectType<number[]>(v<Squeeze<[1, number, 4]>>());
expectType<[3]>(v<Squeeze<[3, number], 1>>());

expectType<"expandDims: axis 3 out of range for rank-2 tensor [3, 4]">(v<ExpandDims<[3, 4], 3>>());
expectType<"squeeze: cannot squeeze axis 1 of size 4 (shape [3, 4])">(v<Squeeze<[3, 4], 1>>());
expectType<"squeeze: cannot squeeze axis 0 of size batch (shape [batch, 1])">(v<Squeeze<["batch", 1], 0>>());
expectType<"squeeze: axis 2 out of range for rank-2 tensor [3, 1]">(v<Squeeze<[3, 1], 2>>());
expectError(shape(v<Squeeze<[3, 4], 1>>()));

function generic<B extends Dim>() {
  expectType<[B]>(v<Squeeze<[B, 1], 1>>());
  expectType<[B, 1, 3]>(v<ExpandDims<[B, 3], 1>>());
}
generic();
