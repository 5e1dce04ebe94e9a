import { expectError, expectType } from "tsd";
import { cummax, cummin, cumprod, cumsum, type Dim, type Tensor } from "typegrad";

declare const x: Tensor<[32, 10, 5]>;
declare const flags: Tensor<[4, 2], "bool">;
declare const i32: Tensor<[4], "int32">;
declare const sym: Tensor<["batch", 10]>;
declare const wide: Tensor<[number, 10]>;
declare const unranked: Tensor<number[]>;
declare const axis: number;

// Along an axis the shape is kept; without one the tensor is flattened (NumPy).
expectType<Tensor<[32, 10, 5]>>(cumsum(x, 1));
expectType<Tensor<[32, 10, 5]>>(cumprod(x, -1, { reverse: true }));
expectType<Tensor<[1600]>>(cumsum(x));
expectType<Tensor<[8], "int32">>(cumsum(flags));
expectType<Tensor<[4, 2], "int32">>(cumprod(flags, 0));
expectType<Tensor<[4, 2], "bool">>(cummax(flags, 1));
expectType<Tensor<[4], "int32">>(cummin(i32, 0));
expectType<Tensor<["batch", 10]>>(cummax(sym, 0));
expectType<Tensor<[number]>>(cumsum(sym, undefined));
expectType<Tensor<[number]>>(cumsum(wide));
expectType<Tensor<[number, 10]>>(cummin(wide, -2));
expectType<Tensor<[32, 10, 5]>>(cumsum(x, axis));
expectType<Tensor<[number]>>(cumsum(unranked));
expectType<Tensor<number[]>>(cumsum(unranked, 3));

function generic<B extends Dim>(t: Tensor<[B, 7]>) {
  expectType<Tensor<[B, 7]>>(cumsum(t, 1));
  expectType<Tensor<[B, 7]>>(cummax(t, -2));
}
generic(sym as unknown as Tensor<[3, 7]>);

expectError(cumsum(x, 3));
expectError(cumprod(x, -4));
expectError(cummax(sym, 2));
expectError(cummin(flags, -3));
