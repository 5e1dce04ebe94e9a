import { expectError, expectType } from "tsd";
import { fromArray, reshape, withDims, type ShapeError, type Tensor } from "typegrad";
import * as E from "fp-ts/lib/Either.js";

declare const wide: Tensor<[number, 784]>;
declare const lit: Tensor<[64, 28, 28]>;
declare const any: Tensor<number[], "int32">;

expectType<Tensor<["batch", 784]>>(withDims(wide, ["batch", 784]));
expectType<Tensor<["batch", 28, 28]>>(withDims(lit, ["batch", 28, 28]));
expectType<Tensor<[64, 28, 28]>>(withDims(lit, [64, 28, 28]));
expectType<Tensor<["batch"], "int32">>(withDims(any, ["batch"]));
expectType<Tensor<["batch", 784]>>(withDims(reshape(withDims(lit, ["batch", 28, 28]), ["batch", 784]), ["batch", 784]));
// A static shape that contradicts the dims is a compile error (a literal, or the rank).
expectError(withDims(wide, ["batch", 785]));
expectError(withDims(lit, ["batch", 784]));
expectError(withDims(lit, [32, 28, 28]));
// Read-only dims (another tensor's names are types, so only literals and names here).
const dims = ["batch", 784] as const;
expectType<Tensor<["batch", 784]>>(withDims(wide, dims));
// With fromArray, names are given directly.
expectType<E.Either<ShapeError, Tensor<["batch", 784]>>>(fromArray(new Float32Array(784), ["batch", 784]));
