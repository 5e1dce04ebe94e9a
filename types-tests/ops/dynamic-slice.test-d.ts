import { expectError, expectType } from "tsd";
import { dynamicSlice, dynamicUpdateSlice, type Dim, type Tensor } from "typegrad";

declare const x: Tensor<[100, 64]>;
declare const i: Tensor<[], "int32">;
declare const starts: Tensor<[2], "int32">;
declare const row: Tensor<[1, 64]>;

expectType<Tensor<[3, 64]>>(dynamicSlice(x, [i, 0], [3, 64]));
expectType<Tensor<[3, 64]>>(dynamicSlice(x, starts, [3, 64]));
expectType<Tensor<[100, 64]>>(dynamicUpdateSlice(x, row, [i, 0]));
expectType<Tensor<[100, 64]>>(dynamicUpdateSlice(x, row, starts));

expectError(dynamicSlice(x, [i, 0], [3]));
expectError(dynamicSlice(x, [i, 0], [101, 1]));
expectError(dynamicSlice(x, [i], [3, 64]));
expectError(dynamicSlice(x, ({} as Tensor<[3], "int32">), [3, 64]));
expectError(dynamicSlice(x, [({} as Tensor<[]>), 0], [3, 64]));
expectError(dynamicUpdateSlice(x, ({} as Tensor<[64]>), [i, 0]));
expectError(dynamicUpdateSlice(x, ({} as Tensor<[1, 65]>), [i, 0]));

function generic<B extends Dim>(t: Tensor<[100, B]>, r: Tensor<[1, B]>) {
  expectType<Tensor<[100, B]>>(dynamicUpdateSlice(t, r, [i, 0]));
}
generic;
