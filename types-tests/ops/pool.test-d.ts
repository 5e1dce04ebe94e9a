import { expectError, expectType } from "tsd";
import {
  avgPool1d,
  avgPool2d,
  globalAvgPool,
  globalMaxPool,
  maxPool1d,
  maxPool2d,
  reduceWindow,
  zeros,
  type GlobalPoolShape,
  type Pool1dShape,
  type Pool2dShape,
  type ReduceWindowShape,
  type Tensor,
} from "typegrad";

declare const v: <T>() => T;

// 2-d: the window is the default stride; strides, "same" and explicit padding are computed.
expectType<Tensor<[8, 14, 14, 16]>>(maxPool2d(zeros([8, 28, 28, 16]), 2));
expectType<Tensor<[8, 13, 13, 16]>>(maxPool2d(zeros([8, 28, 28, 16]), 3, { strides: 2 }));
expectType<Tensor<[8, 14, 14, 16]>>(maxPool2d(zeros([8, 28, 28, 16]), 3, { strides: 2, padding: "same" }));
expectType<Tensor<[1, 4, 2, 2]>>(maxPool2d(zeros([1, 7, 5, 2]), [2, 3], { padding: [[1, 0], [0, 1]] }));
expectType<Tensor<[2, 5, 5, 3], "int32">>(maxPool2d(zeros([2, 10, 10, 3], "int32"), 2));
expectType<Tensor<[2, 5, 5, 3], "float32">>(avgPool2d(zeros([2, 10, 10, 3], "int32"), 2));
expectType<Tensor<[2, 5, 5, 3], "float64">>(avgPool2d(zeros([2, 10, 10, 3], "float64"), 2, { countIncludePad: false }));
// Run-time and named dims pass through; run-time spatial dims give run-time output dims.
declare const batch: Tensor<["batch", 28, 28, 1]>;
expectType<Tensor<["batch", 14, 14, 1]>>(maxPool2d(batch, 2));
declare const image: Tensor<[number, number, number, 4]>;
expectType<Tensor<[number, number, number, 4]>>(avgPool2d(image, 3));

// Mistakes are compile errors naming x.
expectType<"maxPool2d: kernel 5 is larger than padded input 4 (input 4, padding 0+0) (x is [1, 4, 4, 3])">(
  v<Pool2dShape<[1, 4, 4, 3], 5, undefined, "valid", "maxPool2d">>(),
);
expectType<"maxPool2d: x must be [N, H, W, C], got [28, 28, 1]">(v<Pool2dShape<[28, 28, 1], 2, undefined, "valid", "maxPool2d">>());
expectError(maxPool2d(zeros([1, 4, 4, 3]), 5));
expectError(avgPool2d(zeros([28, 28, 1]), 2));
expectError(maxPool2d(zeros([1, 4, 4, 3]), 2, { strides: 0 }));

// 1-d over [N, L, C].
expectType<Tensor<[4, 25, 8]>>(maxPool1d(zeros([4, 100, 8]), 4));
expectType<Tensor<[4, 49, 8]>>(avgPool1d(zeros([4, 100, 8]), 4, { strides: 2 }));
expectType<Tensor<[4, 50, 8]>>(maxPool1d(zeros([4, 100, 8]), 3, { strides: 2, padding: "same" }));
expectType<Tensor<[4, 34, 8]>>(maxPool1d(zeros([4, 100, 8]), 3, { padding: [1, 1], strides: 3 }));
expectType<"maxPool1d: x must be [N, L, C], got [4, 100]">(v<Pool1dShape<[4, 100], 2, undefined, "valid", "maxPool1d">>());
expectError(maxPool1d(zeros([4, 100]), 2));
expectError(avgPool1d(zeros([4, 3, 8]), 4));

// Global pools: [N, ...spatial, C] to [N, C].
expectType<Tensor<[8, 64]>>(globalMaxPool(zeros([8, 7, 7, 64])));
expectType<Tensor<[8, 64], "float32">>(globalAvgPool(zeros([8, 7, 7, 64], "int32")));
expectType<Tensor<["batch", 16]>>(globalAvgPool(v<Tensor<["batch", 100, 16]>>()));
expectType<"globalMaxPool: x must be [N, ...spatial, C] with at least one spatial dim, got [8, 64]">(v<GlobalPoolShape<[8, 64], "globalMaxPool">>());
expectError(globalMaxPool(zeros([8, 64])));

// reduceWindow over every dim.
expectType<Tensor<[2, 3, 4]>>(reduceWindow(zeros([2, 9, 4]), "max", [1, 3, 1], { strides: [1, 3, 1] }));
expectType<Tensor<[2, 7, 4]>>(reduceWindow(zeros([2, 9, 4]), "sum", [1, 3, 1]));
expectType<Tensor<[2, 9, 4]>>(reduceWindow(zeros([2, 9, 4]), "sum", [1, 3, 1], { padding: "same" }));
expectType<"reduceWindow: kernel [3] has 1 spatial dims but the input has 2">(v<ReduceWindowShape<[2, 9], [3], undefined, "valid">>());
expectError(reduceWindow(zeros([2, 9]), "max", [3]));
expectError(reduceWindow(zeros([2, 9]), "max", [1, 10]));
