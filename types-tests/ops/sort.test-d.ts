import { expectError, expectType } from "tsd";
import { argsort, sort, topK, type Dim, type Tensor } from "typegrad";

declare const x: Tensor<[8, 10]>;
declare const i32: Tensor<[5], "int32">;
declare const sym: Tensor<["batch", "vocab"]>;
declare const wide: Tensor<[number, number]>;
declare const k: number;

expectType<Tensor<[8, 10]>>(sort(x));
expectType<Tensor<[8, 10]>>(sort(x, 0, { descending: true }));
expectType<Tensor<[5], "int32">>(sort(i32));
expectType<Tensor<[8, 10], "int32">>(argsort(x));
expectType<Tensor<[8, 10], "int32">>(argsort(x, -2));
expectType<Tensor<["batch", "vocab"], "int32">>(argsort(sym, 1));

// topK: values and int32 indices; k is checked against the last dim where it is known.
expectType<[values: Tensor<[8, 3]>, indices: Tensor<[8, 3], "int32">]>(topK(x, 3));
expectType<[values: Tensor<[8, 10]>, indices: Tensor<[8, 10], "int32">]>(topK(x, 10));
expectType<[values: Tensor<["batch", 5]>, indices: Tensor<["batch", 5], "int32">]>(topK(sym, 5));
expectType<[values: Tensor<[number, 4]>, indices: Tensor<[number, 4], "int32">]>(topK(wide, 4));
expectType<[values: Tensor<[8, number]>, indices: Tensor<[8, number], "int32">]>(topK(x, k));

function generic<B extends Dim>(t: Tensor<[B, 6]>) {
  expectType<Tensor<[B, 6]>>(sort(t));
  expectType<Tensor<[B, 2]>>(topK(t, 2)[0]);
}
generic(x as unknown as Tensor<[3, 6]>);

expectError(topK(x, 11));
expectError(topK(x, -1));
expectError(topK(x, 1.5));
expectError(topK(i32 as unknown as Tensor<[]>, 1));
expectError(sort(x, 2));
expectError(argsort(x, -3));
