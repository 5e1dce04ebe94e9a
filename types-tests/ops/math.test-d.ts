import { expectError, expectType } from "tsd";
import * as tg from "typegrad";
import {
  ceil,
  clip,
  elu,
  floor,
  isFinite,
  isNaN,
  logaddexp,
  logit,
  mish,
  mod,
  norm,
  round,
  selu,
  silu,
  std,
  swish,
  variance,
  zeros,
  type Tensor,
} from "typegrad";

declare const v: <T>() => T;

// Rounding keeps shape and dtype (integers pass through).
expectType<Tensor<[2, 3]>>(floor(zeros([2, 3])));
expectType<Tensor<[2, 3], "int32">>(ceil(zeros([2, 3], "int32")));
expectType<Tensor<["batch", 4], "float64">>(round(v<Tensor<["batch", 4], "float64">>()));

// mod and logaddexp broadcast like the arithmetic ops, with the same compile-time errors.
expectType<Tensor<[2, 3]>>(mod(zeros([2, 3]), 3));
expectType<Tensor<[4, 2, 3], "int32">>(mod(zeros([2, 3], "int32"), zeros([4, 1, 3], "int32")));
expectError(mod(zeros([2, 3]), zeros([4])));
expectType<Tensor<[2, 3]>>(logaddexp(zeros([2, 3]), zeros([3])));
expectType<Tensor<[3], "float32">>(logaddexp(zeros([3], "int32"), 1));
expectError(logaddexp(zeros([2, 3]), zeros([2])));

// clip: bounds broadcast against x; a bound that does not is a compile error.
expectType<Tensor<[2, 3]>>(clip(zeros([2, 3]), 0, 1));
expectType<Tensor<[2, 3]>>(clip(zeros([2, 3]), undefined, 1));
expectType<Tensor<[4, 3]>>(clip(zeros([3]), zeros([4, 1]), 1));
expectType<Tensor<[2, 3], "int32">>(clip(zeros([2, 3], "int32"), 0));
expectError(clip(zeros([2, 3]), zeros([2]), 1));
expectError(clip(zeros([2, 3]), 0, zeros([5])));

// Predicates give bool.
expectType<Tensor<[2, 3], "bool">>(isNaN(zeros([2, 3])));
expectType<Tensor<[5], "bool">>(isFinite(zeros([5], "int32")));

// Activations compute in floating point.
expectType<Tensor<[2, 3]>>(silu(zeros([2, 3])));
expectType<Tensor<[2, 3], "float32">>(swish(zeros([2, 3], "int32")));
expectType<Tensor<[2, 3], "float64">>(elu(zeros([2, 3], "float64"), 0.5));
expectType<Tensor<[2]>>(selu(zeros([2])));
expectType<Tensor<[2]>>(mish(zeros([2])));
expectType<Tensor<[2]>>(logit(zeros([2])));

// var/std/norm reduce like mean: axes checked at compile time.
expectType<Tensor<[2]>>(variance(zeros([2, 3]), 1));
expectType<Tensor<[2, 1]>>(variance(zeros([2, 3]), 1, { keepDims: true, ddof: 1 }));
expectType<Tensor<[]>>(tg.var(zeros([2, 3])));
expectType<Tensor<[3], "float32">>(std(zeros([2, 3], "int32"), 0));
expectType<Tensor<[]>>(norm(zeros([2, 3])));
expectType<Tensor<[2]>>(norm(zeros([2, 3]), 1, -1));
expectType<Tensor<[1, 3], "float64">>(norm(zeros([2, 3], "float64"), Infinity, 0, true));
expectError(variance(zeros([2, 3]), 2));
expectError(std(zeros([2, 3]), [0, 0]));
expectError(norm(zeros([2, 3]), 2, 5));
