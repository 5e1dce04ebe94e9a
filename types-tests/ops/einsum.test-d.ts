import { expectError, expectType } from "tsd";
import { einsum, type Dim, type Tensor } from "typegrad";

declare const a: Tensor<[8, 3, 4]>;
declare const b: Tensor<[8, 4, 5]>;
declare const m: Tensor<[3, 3], "float64">;
declare const i32: Tensor<[4, 5], "int32">;
declare const x: Tensor<["batch", 784]>;
declare const w: Tensor<[784, 10]>;
declare const wrong: Tensor<[128, 10]>;
declare const wide: Tensor<[number, number]>;
declare const spec: string;

expectType<Tensor<[8, 3, 5]>>(einsum("bij,bjk->bik", a, b));
expectType<Tensor<[3, 5]>>(einsum("bij,bjk", a, b));
expectType<Tensor<[], "float64">>(einsum("ii", m));
expectType<Tensor<[3], "float64">>(einsum("ii->i", m));
expectType<Tensor<["batch", 10]>>(einsum("bi,ij->bj", x, w));
expectType<Tensor<[8, 4, 5], "float32">>(einsum("bjk,jk->bjk", b, i32));
expectType<Tensor<[number, 10]>>(einsum("ij,jk->ik", wide, w));
expectType<Tensor<number[]>>(einsum(spec, a, b));

function generic<B extends Dim>(q: Tensor<[B, 4, 16]>, k: Tensor<[B, 4, 16]>) {
  expectType<Tensor<[B, 4, 4]>>(einsum("bqd,bkd->bqk", q, k));
}
generic(a as unknown as Tensor<[2, 4, 16]>, a as unknown as Tensor<[2, 4, 16]>);

expectError(einsum("bi,ij->bj", x, wrong));
expectError(einsum("bij,bjk->bik", a));
expectError(einsum("bij,bjk->bix", a, b));
expectError(einsum("ij,jk->ik", a, b));
expectError(einsum("ij->ii", m));
expectError(einsum("i2", m));
