import { expectError, expectType } from "tsd";
import type { Dim, Dot, MatMul, Shape } from "typegrad";

declare const v: <T>() => T;
declare function shape<S extends Shape>(s: S): S;

expectType<[32, 128]>(v<MatMul<[32, 784], [784, 128]>>());
expectType<[128]>(v<MatMul<[784], [784, 128]>>());
expectType<[32]>(v<MatMul<[32, 784], [784]>>());
expectType<[]>(v<MatMul<[784], [784]>>());
// Batched, with broadcast batch dims.
expectType<[7, 3, 32, 10]>(v<MatMul<[7, 1, 32, 784], [3, 784, 10]>>());
expectType<[5, 32, 10]>(v<MatMul<[5, 32, 784], [784, 10]>>());
expectType<[2, 4, 5]>(v<MatMul<[4, 3], [2, 3, 5]>>());
// Symbolic and runtime dims.
expectType<["batch", 10]>(v<MatMul<["batch", "features"], ["features", 10]>>());
expectType<[number, 128]>(v<MatMul<[number, number], [784, 128]>>());
expectType<[]>(v<Dot<[3], [3]>>());

// Errors.
expectType<"matmul: inner dimensions differ: 784 vs 128 (a is [32, 784], b is [128, 10])">(v<MatMul<[32, 784], [128, 10]>>());
expectType<"matmul: inner dimensions differ: features vs hidden (a is [batch, features], b is [hidden, 10])">(
  v<MatMul<["batch", "features"], ["hidden", 10]>>(),
);
expectType<"matmul: batch dims do not broadcast: 2 with 3 (a is [7, 2, 32, 784], b is [3, 784, 10])">(
  v<MatMul<[7, 2, 32, 784], [3, 784, 10]>>(),
);
expectType<"matmul: operands must have at least 1 dim (a is [], b is [3])">(v<MatMul<[], [3]>>());
expectType<"dot: expects two 1-D tensors (a is [2, 3], b is [3])">(v<Dot<[2, 3], [3]>>());
expectError(shape(v<MatMul<[32, 784], [128, 10]>>()));

// Generic over the batch dim, and over a contracted dim that is the same type parameter.
function generic<B extends Dim, H extends Dim>() {
  expectType<[B, 128]>(v<MatMul<[B, 784], [784, 128]>>());
  expectType<[B, 5, 128]>(v<MatMul<[B, 5, 784], [784, 128]>>());
  expectType<[B, 3]>(v<MatMul<[B, H], [H, 3]>>());
}
generic();
