import { expectError, expectType } from "tsd";
import { argmax, take, takeAlongAxis, type Dim, type Tensor } from "typegrad";

declare const table: Tensor<[1000, 64]>;
declare const ids: Tensor<[32, 20], "int32">;
declare const symIds: Tensor<["batch"], "int32">;
declare const floats: Tensor<[32]>;
declare const scores: Tensor<[32, 10], "float64">;

expectType<Tensor<[32, 20, 64]>>(take(table, ids, 0));
expectType<Tensor<[1000, 32, 20]>>(take(table, ids, -1));
expectType<Tensor<[32, 20]>>(take(table, ids));
expectType<Tensor<["batch", 64]>>(take(table, symIds, 0, { mode: "clip" }));
expectType<Tensor<["batch", 64]>>(take(table, symIds, 0, { mode: "fill", fillValue: 0 }));
expectError(take(table, floats, 0));
expectError(take(table, ids, 2));
expectError(take(table, ids, 0, { mode: "wrap" }));
expectError(take(table, ids, 0, { mode: "clip", fillValue: 0 }));

expectType<Tensor<[32, 1], "float64">>(takeAlongAxis(scores, argmax(scores, 1, true), 1));
expectError(takeAlongAxis(scores, argmax(scores, 1), 1));
expectError(takeAlongAxis(scores, argmax(scores, 1, true), 2));

function generic<B extends Dim>(x: Tensor<[B, 10]>, i: Tensor<[B, 1], "int32">) {
  expectType<Tensor<[B, 1]>>(takeAlongAxis(x, i, 1));
  expectType<Tensor<[3, 10]>>(take(x, ({} as Tensor<[3], "int32">), 0));
}
generic;
