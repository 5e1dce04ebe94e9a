import { expectError, expectType } from "tsd";
import type { Add, Sub, Mul, DivMod, FloorDiv, CeilDiv, Compare, Product } from "typegrad";

declare function natural<N extends number>(n: N): N;
declare const v: <T>() => T;

// Digit-string arithmetic is exact far beyond tuple-length tricks (which stop at 999).
expectType<1000>(v<Add<999, 1>>());
expectType<262144>(v<Mul<512, 512>>());
expectType<47040000>(v<Mul<60000, 784>>());
expectType<1099511627776>(v<Product<[1024, 1024, 1024, 1024]>>());
expectType<9007199136250225>(v<Mul<94906265, 94906265>>());
expectType<-3>(v<Sub<5, 8>>());
expectType<999>(v<Sub<1000, 1>>());
expectType<[60000, 0]>(v<DivMod<47040000, 784>>());
expectType<[40187, 2325]>(v<DivMod<123456789, 3072>>());
expectType<3>(v<FloorDiv<7, 2>>());
expectType<4>(v<CeilDiv<10, 3>>());
expectType<"gt">(v<Compare<100, 99>>());
expectType<1>(v<Product<[]>>());

// Past 2^53, and for wide or non-integer inputs, results degrade to `number` (no error).
expectType<number>(v<Mul<94906267, 94906267>>());
expectType<number>(v<Add<number, 1>>());
expectType<number>(v<Add<2.5, 1>>());
expectType<number>(v<Product<number[]>>());
expectType<[number, number]>(v<DivMod<5, 0>>());

// Results are literal types, so a wrong expectation is an error.
expectError(natural<Mul<12, 12>>(145));
