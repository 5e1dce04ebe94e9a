import { expectError, expectType } from "tsd";
import type { Dim, Flatten, ProductDim, Reshape, Shape } from "typegrad";

declare const v: <T>() => T;
declare function shape<S extends Shape>(s: S): S;

expectType<[60000, 28, 28]>(v<Reshape<[60000, 784], [-1, 28, 28]>>());
expectType<[262144]>(v<Reshape<[512, 512], [262144]>>());
expectType<[784, 60000]>(v<Reshape<[60000, 28, 28], [784, -1]>>());
expectType<["batch", 784]>(v<Reshape<["batch", 28, 28], [-1, 784]>>());
expectType<[number, 28, 28]>(v<Reshape<[number, 784], [-1, 28, 28]>>());
expectType<[64, 3072]>(v<Flatten<[64, 3, 32, 32]>>());
expectType<["batch", 784]>(v<Flatten<["batch", 28, 28]>>());
expectType<[number, number]>(v<Flatten<[number, number, 28]>>());
expectType<[5, 1]>(v<Flatten<[5]>>());

expectType<"reshape: cannot reshape [28, 28] (784 elements) to [780] (780 elements)">(v<Reshape<[28, 28], [780]>>());
expectType<"reshape: cannot reshape [28, 28] (784 elements) to [-1, 5] (784 is not a multiple of 5)">(v<Reshape<[28, 28], [-1, 5]>>());
expectType<"reshape: cannot reshape [batch, 784] (batch*784 elements) to [32, 784] (25088 elements)">(
  v<Reshape<["batch", 784], [32, 784]>>(),
);
expectType<"reshape: only one -1 allowed in [-1, -1]">(v<Reshape<[2, 3], [-1, -1]>>());
expectType<"reshape: invalid dim -2 in target shape [-2, 3]">(v<Reshape<[2, 3], [-2, 3]>>());
expectType<"flatten: cannot flatten a scalar (shape [])">(v<Flatten<[]>>());
expectError(shape(v<Reshape<[28, 28], [780]>>()));

function generic<B extends Dim>() {
  expectType<[B, 784]>(v<Flatten<[B, 28, 28]>>());
  expectType<[B, 28, 28]>(v<Reshape<[B, 784], [-1, 28, 28]>>());
}
generic();

// Named dims in the target keep the source's dims at the start and end (issue 11, item 7).
expectType<["batch", 784]>(v<Reshape<["batch", 28, 28], ["batch", 784]>>());
expectType<["b", "s", 8, 64]>(v<Reshape<["b", "s", 512], ["b", "s", 8, 64]>>());
expectType<["b", "s", 512]>(v<Reshape<["b", "s", 8, 64], ["b", "s", -1]>>());
expectType<[12, "n"]>(v<Reshape<[3, 4, "n"], [12, "n"]>>());
expectType<"reshape: target dim batch keeps dim 0 of [64, 28, 28], which is 64">(v<Reshape<[64, 28, 28], ["batch", 784]>>());
expectType<"reshape: target dim s keeps dim 3 of [b, s, 8, 64], which is 64">(v<Reshape<["b", "s", 8, 64], ["b", 512, "s"]>>());
expectType<"reshape: named dim n must be at the start or the end of the target [2, n, 2]">(v<Reshape<[2, "n", 2], [2, "n", 2]>>());
expectType<"reshape: target [a, b] names more dims than [a] has">(v<Reshape<["a"], ["a", "b"]>>());
expectType<"reshape: cannot reshape [28, 28] (784 elements) to [780] (780 elements)">(v<Reshape<["batch", 28, 28], ["batch", 780]>>());

// The -1 absorbs leading dims when the rest regroups the trailing ones, whatever the leading ones are.
export function absorbs<B extends Dim, T extends Dim>() {
  expectType<[ProductDim<[B, T]>, 2, 4]>(v<Reshape<[B, T, 8], [-1, 2, 4]>>());
  expectType<[ProductDim<[B, T]>, 8]>(v<Reshape<[B, T, 8], [-1, 8]>>());
  expectType<[B, 28, 28]>(v<Reshape<[B, 784], readonly [-1, 28, 28]>>());
}
