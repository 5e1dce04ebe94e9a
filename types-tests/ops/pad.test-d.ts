import { expectError, expectType } from "tsd";
import { pad, zeros, type Tensor } from "typegrad";

expectType<Tensor<[32, 32]>>(pad(zeros([28, 28]), [[2, 2], [2, 2]]));
expectType<Tensor<[4, 30, 31, 1]>>(pad(zeros([4, 28, 28, 1]), [[0, 0], [1, 1], [0, 3], [0, 0]]));
declare const runtime: Tensor<[number, 28]>;
expectType<Tensor<[number, 29]>>(pad(runtime, [[1, 0], [0, 1]]));
// One [low, high] pair per axis.
expectError(pad(zeros([28, 28]), [[2, 2]]));
