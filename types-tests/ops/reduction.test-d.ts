import { expectError, expectType } from "tsd";
import { argmax, argmin, max, mean, min, sum, type Tensor } from "typegrad";

declare const x: Tensor<[32, 10, 5]>;
declare const i32: Tensor<[4, 2], "int32">;
declare const flags: Tensor<[4], "bool">;
declare const sym: Tensor<["batch", 10]>;
declare const wide: Tensor<[number, 10]>;
declare const axis: number;

expectType<Tensor<[]>>(sum(x));
expectType<Tensor<[32, 5]>>(sum(x, 1));
expectType<Tensor<[32, 10]>>(sum(x, -1));
expectType<Tensor<[32, 10, 1]>>(sum(x, -1, true));
expectType<Tensor<[10]>>(sum(x, [0, 2]));
expectType<Tensor<[1, 10, 1]>>(sum(x, [0, -1], true));
expectType<Tensor<[1, 1, 1]>>(sum(x, undefined, true));
expectType<Tensor<[], "int32">>(sum(flags));
expectType<Tensor<[2]>>(mean(i32, 0));
expectType<Tensor<[32, 5]>>(max(x, 1));
expectType<Tensor<[4], "int32">>(min(i32, -1));
expectType<Tensor<[32, 10], "int32">>(argmax(x, 2));
expectType<Tensor<[], "int32">>(argmax(x));
expectType<Tensor<[32, 1, 5], "int32">>(argmin(x, 1, true));
expectType<Tensor<["batch"]>>(sum(sym, 1));
expectType<Tensor<[10]>>(mean(wide, 0));
expectType<Tensor<[number, number]>>(sum(x, axis));

expectError(sum(x, 3));
expectError(mean(x, -4));
expectError(max(x, [1, -2]));
expectError(min(x, 1.5));
expectError(argmax(x, 3));
expectError(argmin(x, [0, 1]));
