import { expectError, expectType } from "tsd";
import type { ShowShape, ShowDim } from "typegrad";

declare const v: <T>() => T;
declare function text<T extends string>(t: T): T;

expectType<"[32, 784]">(v<ShowShape<[32, 784]>>());
expectType<"[]">(v<ShowShape<[]>>());
expectType<"[batch, number, 10]">(v<ShowShape<["batch", number, 10]>>());
expectType<"[...]">(v<ShowShape<number[]>>());
expectType<"number">(v<ShowDim<number>>());
expectError(text<ShowShape<[32, 784]>>("[32,784]"));
