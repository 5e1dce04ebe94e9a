import { expectError, expectType } from "tsd";
import type { DType, Shape, Tensor } from "typegrad";

declare const x: Tensor<[32, 784]>;
declare const w: Tensor<[784, 128]>;
declare const b: Tensor<[128]>;
declare const w2: Tensor<[128, 10]>;

expectType<Tensor<[32, 128]>>(x.matmul(w).add(b).relu());
expectType<Tensor<[32, 10]>>(x.matmul(w).tanh().matmul(w2).softmax());
expectType<Tensor<[32]>>(x.sum(1));
expectType<Tensor<[32, 1]>>(x.mean(-1, true));
expectType<Tensor<[784]>>(x.max(0));
expectType<Tensor<[32], "int32">>(x.argmax(1));
expectType<Tensor<[32, 28, 28]>>(x.reshape([-1, 28, 28]));
expectType<Tensor<[784, 32]>>(x.transpose());
expectType<Tensor<[1, 32, 784]>>(x.expandDims(0));
expectType<Tensor<[32, 784]>>(x.expandDims(0).squeeze(0));
expectType<Tensor<[32, 784]>>(x.reshape([32, 28, 28]).flatten());
expectType<Tensor<[32, 784], "int32">>(x.cast("int32"));
expectType<Tensor<[32, 784]>>(x.neg().exp().log().mul(2).sub(1).div(x).pow(2));

// Methods keep Tensor covariant: literal shapes still widen.
const widened: Tensor<[number, 784]> = x;
const anything: Tensor<Shape, DType> = x;
void widened;
void anything;

expectError(x.matmul(w2));
expectError(x.add(b));
expectError(x.sum(2));
expectError(x.reshape([780]));
expectError(x.transpose([0, 0]));
expectError(x.squeeze(0));
