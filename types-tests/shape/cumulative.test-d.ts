import { expectError, expectType } from "tsd";
import type { Cumulative, Shape } from "typegrad";

declare const v: <T>() => T;
declare function shape<S extends Shape>(s: S): S;

expectType<[2, 3]>(v<Cumulative<[2, 3], 1>>());
expectType<[2, 3]>(v<Cumulative<[2, 3], -2>>());
expectType<[6]>(v<Cumulative<[2, 3]>>());
expectType<["batch"]>(v<Cumulative<["batch", 1]>>());
expectType<[number]>(v<Cumulative<[number, 3]>>());
expectType<"cumsum: axis 2 out of range for rank-2 tensor [2, 3]">(v<Cumulative<[2, 3], 2, "cumsum">>());
expectError(shape(v<Cumulative<[2, 3], 2>>()));
