import { expectError, expectType } from "tsd";
import { at, type Dim, type Tensor } from "typegrad";

declare const table: Tensor<[1000, 64]>;
declare const cube: Tensor<[5, 6, 7], "int32">;
declare const ids: Tensor<[32], "int32">;
declare const pairs: Tensor<[32, 2], "int32">;
declare const floats: Tensor<[32]>;
declare const rows: Tensor<[32, 64]>;

expectType<Tensor<[32, 64]>>(at(table, [ids]).get());
expectType<Tensor<[32, 2, 64]>>(at(table, [pairs]).get({ mode: "fill", fillValue: 0 }));
expectType<Tensor<[64]>>(at(table, [3]).get());
expectType<Tensor<[1000]>>(at(table, [null, -1]).get());
expectType<Tensor<[5, 32], "int32">>(at(cube, [null, ids, ids]).get());
expectType<Tensor<[32, 6], "int32">>(at(cube, [ids, null, 0]).get());
expectType<Tensor<[1000, 64]>>(at(table, [ids]).set(rows));
expectType<Tensor<[1000, 64]>>(at(table, [ids]).add(1));
expectType<Tensor<[1000, 64]>>(at(table, [ids]).mul(({} as Tensor<[64]>)));
expectType<Tensor<[1000, 64]>>(at(table, [ids]).max(rows, { mode: "clip" }));
expectType<Tensor<[5, 6, 7], "int32">>(at(cube, [0, 0]).min(3));

expectType<Tensor<[32, 64]>>(table.at([ids]).get());
expectType<Tensor<[1000, 64]>>(table.at([ids]).add(rows));

expectError(at(table, [floats]));
expectError(table.at([1000]));
expectError(at(table, [1000]));
expectError(at(table, [0, 0, 0]));
expectError(at(table, [ids]).set(({} as Tensor<[31, 64]>)));
expectError(at(table, [ids]).add(rows, { mode: "wrap" }));

function generic<B extends Dim>(x: Tensor<[B, 10]>, i: Tensor<[B], "int32">) {
  expectType<Tensor<[B]>>(at(x, [null, 3]).get());
  expectType<Tensor<[5, 10]>>(at(x, [({} as Tensor<[5], "int32">)]).get());
  expectType<Tensor<[10, 10]>>(at(({} as Tensor<[10, 10]>), [i]).set(0));
}
generic;
