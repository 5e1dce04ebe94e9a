import { expectError, expectType } from "tsd";
import { conv2d, zeros, type Conv2dShape, type Tensor } from "typegrad";

declare const v: <T>() => T;

// SAME and VALID padding, strides, explicit padding: the output shape is computed.
expectType<Tensor<[32, 28, 28, 16]>>(conv2d(zeros([32, 28, 28, 1]), zeros([3, 3, 1, 16]), { padding: "same" }));
expectType<Tensor<[8, 14, 14, 6]>>(conv2d(zeros([8, 32, 32, 3]), zeros([5, 5, 3, 6]), { strides: 2 }));
expectType<Tensor<[1, 3, 3, 5]>>(conv2d(zeros([1, 7, 8, 2]), zeros([3, 2, 2, 5]), { strides: [2, 3], padding: [[0, 1], [2, 0]] }));
expectType<Tensor<[2, 10, 10, 4], "float64">>(conv2d(zeros([2, 12, 12, 3], "float64"), zeros([3, 3, 3, 4], "float64")));
// A run-time batch stays `number`; run-time spatial dims give run-time output dims.
declare const batch: Tensor<[number, 28, 28, 1]>;
expectType<Tensor<[number, 26, 26, 8]>>(conv2d(batch, zeros([3, 3, 1, 8])));
declare const image: Tensor<[2, number, number, 3]>;
expectType<Tensor<[2, number, number, 8]>>(conv2d(image, zeros([3, 3, 3, 8])));

// Mistakes are compile errors whose text names both shapes.
expectType<"conv2d: input channels differ: 3 vs 1 (x is [2, 8, 8, 3], w is [3, 3, 1, 4])">(v<Conv2dShape<[2, 8, 8, 3], [3, 3, 1, 4]>>());
expectType<"conv2d: kernel 5 is larger than padded input 4 (input 4, padding 0+0) (x is [1, 4, 4, 3], w is [5, 5, 3, 8])">(
  v<Conv2dShape<[1, 4, 4, 3], [5, 5, 3, 8]>>(),
);
expectType<"conv2d: x must be [N, H, W, C], got [28, 28, 1]">(v<Conv2dShape<[28, 28, 1], [3, 3, 1, 4]>>());
expectError(conv2d(zeros([2, 8, 8, 3]), zeros([3, 3, 1, 4])));
expectError(conv2d(zeros([1, 4, 4, 3]), zeros([5, 5, 3, 8])));
expectError(conv2d(zeros([28, 28, 1]), zeros([3, 3, 1, 4])));
