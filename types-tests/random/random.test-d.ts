import { expectError, expectType } from "tsd";
import { random, type Tensor } from "typegrad";

const key = random.key(0);
expectType<Tensor<[2], "int32">>(key);
expectType<Tensor<[3, 2], "int32">>(random.split(key, 3));
expectType<Tensor<[2, 3]>>(random.uniform(key, [2, 3]));
expectType<Tensor<[4], "float64">>(random.normal(key, [4], { dtype: "float64" }));
expectType<Tensor<[5], "bool">>(random.bernoulli(key, 0.5, [5]));
expectType<Tensor<[10], "int32">>(random.permutation(key, 10));
expectType<Tensor<[8], "int32">>(random.randint(key, [8], 0, 10));
// A key is an int32 pair: a float tensor is not a key.
declare const notKey: Tensor<[2]>;
expectError(random.uniform(notKey, [3]));
expectError(random.normal(key, [3], { dtype: "int32" }));
