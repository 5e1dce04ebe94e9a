import { expectError, expectType } from "tsd";
import { gelu, leakyRelu, logSoftmax, logSumExp, relu, sigmoid, softmax, softplus, type Tensor } from "typegrad";

declare const x: Tensor<[32, 10]>;
declare const i32: Tensor<[4], "int32">;
declare const sym: Tensor<["batch", 10]>;
declare const f64: Tensor<[2, 3], "float64">;

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

// gelu, softplus and leakyRelu keep the shape and compute in FloatOf<D>.
expectType<Tensor<[32, 10]>>(gelu(x));
expectType<Tensor<[2, 3], "float64">>(gelu(f64));
expectType<Tensor<[4]>>(gelu(i32));
expectType<Tensor<[32, 10]>>(gelu(x, { approximate: false }));
expectType<Tensor<["batch", 10]>>(softplus(sym));
expectType<Tensor<[2, 3], "float64">>(softplus(f64));
expectType<Tensor<[4]>>(softplus(i32));
expectType<Tensor<[32, 10]>>(leakyRelu(x));
expectType<Tensor<[2, 3], "float64">>(leakyRelu(f64, 0.2));
expectType<Tensor<[4]>>(leakyRelu(i32, 0.5));

expectError(softmax(x, 2));
expectError(gelu(1));
expectError(softplus([1, 2]));
expectError(leakyRelu(x, "0.1"));
expectError<Tensor<[32, 10], "float64">>(gelu(x));
expectError(logSoftmax(x, -3));
expectError(logSumExp(x, [0, 0]));
expectError(gelu(x, { approximate: "no" }));
