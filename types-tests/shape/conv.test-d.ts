import { expectError, expectType } from "tsd";
import type { ConvOut, ConvSpatial, PoolOut, SamePadding } from "typegrad";

declare const v: <T>() => T;
declare function size<N extends number>(n: N): N;

expectType<24>(v<ConvOut<28, 5>>());
expectType<32>(v<ConvOut<32, 3, 1, 1, 1>>());
expectType<112>(v<ConvOut<224, 7, 2, 3, 3>>());
expectType<28>(v<ConvOut<32, 3, 1, 0, 0, 2>>());
expectType<12>(v<PoolOut<24, 2>>());
expectType<[2, 2]>(v<SamePadding<28, 5>>());
expectType<[2, 3]>(v<SamePadding<224, 7, 2>>());
expectType<[24, 24]>(v<ConvSpatial<[28, 28], [5, 5]>>());
expectType<[16, 16]>(v<ConvSpatial<[32, 32], [3, 3], 2, "same">>());
expectType<[32, 15]>(v<ConvSpatial<[32, 32], [3, 3], [1, 2], [[1, 1], [0, 0]]>>());
expectType<number>(v<ConvOut<number, 3>>());
expectType<number>(v<ConvOut<"height", 3>>());

// A kernel larger than the input is an explicit message, never `never`.
expectType<"conv: kernel 5 is larger than padded input 3 (input 3, padding 0+0)">(v<ConvOut<3, 5>>());
expectType<"pool: kernel 3 is larger than padded input 2 (input 2, padding 0+0)">(v<PoolOut<2, 3>>());
expectType<"conv: stride must be positive, got 0">(v<ConvOut<5, 3, 0>>());
expectType<"conv: kernel [3, 3, 3] has 3 spatial dims but the input has 2">(v<ConvSpatial<[32, 32], [3, 3, 3]>>());
expectError(size(v<ConvOut<3, 5>>()));
