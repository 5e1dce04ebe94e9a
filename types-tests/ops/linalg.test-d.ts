import { expectError, expectType } from "tsd";
import { dot, matmul, type Tensor } from "typegrad";

declare const x: Tensor<[32, 784]>;
declare const w: Tensor<[784, 128]>;
declare const w2: Tensor<[128, 10]>;
declare const v: Tensor<[784]>;
declare const batched: Tensor<[7, 1, 32, 784]>;
declare const wb: Tensor<[3, 784, 10]>;
declare const w64: Tensor<[784, 128], "float64">;
declare const sym: Tensor<["batch", "features"]>;
declare const symW: Tensor<["features", 10]>;
declare const wrongSym: Tensor<["hidden", 10]>;
declare const wide: Tensor<[number, number]>;
declare const batched2: Tensor<[7, 2, 32, 784]>;
declare const v128: Tensor<[128]>;

expectType<Tensor<[32, 128]>>(matmul(x, w));
expectType<Tensor<[128]>>(matmul(v, w));
expectType<Tensor<[32]>>(matmul(x, v));
expectType<Tensor<[]>>(matmul(v, v));
expectType<Tensor<[7, 3, 32, 10]>>(matmul(batched, wb));
expectType<Tensor<[32, 128], "float64">>(matmul(x, w64));
expectType<Tensor<["batch", 10]>>(matmul(sym, symW));
expectType<Tensor<[number, 128]>>(matmul(wide, w));
expectType<Tensor<[]>>(dot(v, v));

expectError(matmul(x, w2));
expectError(matmul(sym, wrongSym));
expectError(matmul(batched2, wb));
expectError(dot(x, v));
expectError(dot(v, v128));
