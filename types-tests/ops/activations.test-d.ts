import { expectError, expectType } from "tsd";
import { logSoftmax, logSumExp, relu, sigmoid, softmax, type Tensor } from "typegrad";

declare const x: Tensor<[32, 10]>;
declare const i32: Tensor<[4], "int32">;
declare const sym: Tensor<["batch", 10]>;

expectType<Tensor<[32, 10]>>(relu(x));
expectType<Tensor<[32, 10]>>(sigmoid(x));
expectType<Tensor<[4]>>(sigmoid(i32));
expectType<Tensor<[32, 10]>>(softmax(x));
expectType<Tensor<[32, 10]>>(softmax(x, 0));
expectType<Tensor<[32, 10]>>(logSoftmax(x, -1));
expectType<Tensor<[]>>(logSumExp(x));
expectType<Tensor<[32]>>(logSumExp(x, 1));
expectType<Tensor<[32, 1]>>(logSumExp(x, -1, true));
expectType<Tensor<["batch"]>>(logSumExp(sym, 1));

expectError(softmax(x, 2));
expectError(logSoftmax(x, -3));
expectError(logSumExp(x, [0, 0]));
