import { expectError, expectType } from "tsd";
import { add, concat, flatten, matmul, mean, relu, reshape, softmax, sub, sum, transpose, type Dim, type Tensor } from "typegrad";

declare const w1: Tensor<[784, 128]>;
declare const b1: Tensor<[128]>;
declare const w2: Tensor<[128, 10]>;
declare const wrong: Tensor<[256, 10]>;

// A function generic over the batch dim: every op resolves with `B` in place.
function mlp<B extends Dim>(x: Tensor<[B, 784]>): Tensor<[B, 10]> {
  const h = relu(add(matmul(x, w1), b1));
  expectType<Tensor<[B, 128]>>(h);
  expectType<Tensor<[B, 128]>>(matmul(x, w1));
  expectType<Tensor<[B, 128]>>(x.matmul(w1).add(b1));
  expectType<Tensor<[B]>>(sum(h, 1));
  expectType<Tensor<[B, 128]>>(sub(h, mean(h, 0, true)));
  expectType<Tensor<[B, 256]>>(concat([h, h], 1));
  expectType<Tensor<[128, B]>>(transpose(h));
  expectType<Tensor<[B, 28, 28]>>(reshape(x, [-1, 28, 28]));
  expectType<Tensor<[B, 784]>>(flatten(reshape(x, [-1, 28, 28])));
  expectError(matmul(h, wrong));
  return softmax(matmul(h, w2));
}

// A contracted dim that is itself a type parameter also checks.
function layer<B extends Dim, H extends Dim>(x: Tensor<[B, H]>, w: Tensor<[H, 3]>): Tensor<[B, 3]> {
  return matmul(x, w);
}

declare const x32: Tensor<[32, 784]>;
declare const xs: Tensor<["batch", 784]>;
declare const xn: Tensor<[number, 784]>;
expectType<Tensor<[32, 10]>>(mlp(x32));
expectType<Tensor<["batch", 10]>>(mlp(xs));
expectType<Tensor<[number, 10]>>(mlp(xn));
expectType<Tensor<[32, 3]>>(layer(zeros32(), null! as Tensor<[5, 3]>));
declare function zeros32(): Tensor<[32, 5]>;
