import { expectError, expectType } from "tsd";
import { arange, eye, fromArray, full, linspace, ones, tensor, zeros, type ShapeError, type Tensor } from "typegrad";
import type { Either } from "fp-ts/lib/Either.js";

declare const n: number;

expectType<Tensor<[2, 2]>>(tensor([[1, 2], [3, 4]]));
expectType<Tensor<[3]>>(tensor([1, 2, 3]));
expectType<Tensor<[]>>(tensor(3));
expectType<Tensor<[2], "bool">>(tensor([true, false]));
expectType<Tensor<[2], "int32">>(tensor([1, 2], "int32"));
expectType<Tensor<[32, 784]>>(zeros([32, 784]));
expectType<Tensor<[128], "float64">>(ones([128], "float64"));
expectType<Tensor<[2, 3], "int32">>(full([2, 3], 7, "int32"));
expectType<Tensor<[number, 3]>>(zeros([n, 3]));
expectType<Tensor<[5]>>(arange(5));
expectType<Tensor<[3]>>(arange(2, 10, 3));
expectType<Tensor<[3]>>(arange(10, 2, -3));
expectType<Tensor<[number]>>(arange(0, 1, 0.1));
expectType<Tensor<[5]>>(linspace(0, 1, 5));
expectType<Tensor<[3, 3]>>(eye(3));
expectType<Tensor<[3, 4]>>(eye(3, 4));
expectType<Either<ShapeError, Tensor<["batch", 784]>>>(fromArray(new Float32Array(784), ["batch", 784]));
expectType<Either<ShapeError, Tensor<["batch", 4], "float64">>>(fromArray(new Float64Array(8), ["batch", 4]));
expectType<Either<ShapeError, Tensor<[2, number], "int32">>>(fromArray(new Int32Array(6), [2, n]));
expectType<Either<ShapeError, Tensor<[2, 3]>>>(fromArray([[1, 2, 3], [4, 5, 6]], [2, 3]));

// Ragged literals, invalid dims and a zero step are compile errors.
expectError(tensor([[1, 2], [3]]));
expectError(tensor([[[1], [2]], [[3], [4, 5]]]));
expectError(zeros([2.5, 3]));
expectError(ones([-1]));
expectError(arange(1, 5, 0));
