import { expectError, expectType } from "tsd";
import { broadcastTo, concat, expandDims, flatten, ones, reshape, slice, squeeze, stack, transpose, zeros, type Tensor } from "typegrad";

declare const x: Tensor<[60000, 784]>;
declare const img: Tensor<[64, 3, 32, 32]>;
declare const sym: Tensor<["batch", 28, 28]>;
declare const wide: Tensor<[number, 784]>;
declare const a: Tensor<[32, 28]>;
declare const b: Tensor<[16, 28]>;
declare const c: Tensor<[32, 4], "float64">;
declare const s: Tensor<[]>;
declare const list: Tensor<[3, 4]>[];

expectType<Tensor<[60000, 28, 28]>>(reshape(x, [-1, 28, 28]));
expectType<Tensor<[784, 60000]>>(reshape(x, [784, 60000]));
expectType<Tensor<["batch", 784]>>(reshape(sym, [-1, 784]));
expectType<Tensor<[number, 28, 28]>>(reshape(wide, [-1, 28, 28]));
expectType<Tensor<[64, 3072]>>(flatten(img));
expectType<Tensor<["batch", 784]>>(flatten(sym));
expectType<Tensor<[784, 60000]>>(transpose(x));
expectType<Tensor<[64, 32, 32, 3]>>(transpose(img, [0, 2, 3, 1]));
expectType<Tensor<[1, 60000, 784]>>(expandDims(x, 0));
expectType<Tensor<[60000, 784]>>(squeeze(expandDims(x, -1), -1));
expectType<Tensor<[48, 28]>>(concat([a, b]));
expectType<Tensor<[32, 32], "float64">>(concat([a, c], 1));
expectType<Tensor<[number, 4]>>(concat(list));
expectType<Tensor<[2, 32, 28]>>(stack([a, a]));
expectType<Tensor<[3, 4, 2]>>(stack([zeros([3, 4]), ones([3, 4])], -1));
expectType<Tensor<[3, 392]>>(slice(x, [[2, 5], [null, null, 2]]));
expectType<Tensor<[60000, 10]>>(slice(x, [null, [-10]]));
expectType<Tensor<[2, 60000, 784]>>(broadcastTo(expandDims(x, 0), [2, 60000, 784]));
expectType<Tensor<[2, 3, 4]>>(broadcastTo(zeros([3, 1]), [2, 3, 4]));

expectError(reshape(x, [780]));
expectError(reshape(x, [-1, -1]));
expectError(flatten(s));
expectError(transpose(img, [0, 2, 2, 1]));
expectError(expandDims(x, 3));
expectError(squeeze(x, 1));
expectError(concat([a, b], 1));
expectError(stack([a, b]));
expectError(slice(x, [null, null, null]));
expectError(broadcastTo(zeros([3, 2]), [3, 4]));

// Named dims in a reshape target, and a target read from another tensor's shape.
declare const seq: Tensor<["batch", "seq", 512]>;
expectType<Tensor<["batch", 784]>>(reshape(sym, ["batch", 784]));
expectType<Tensor<["batch", 784]>>(sym.reshape(["batch", 784]));
expectType<Tensor<["batch", "seq", 8, 64]>>(reshape(seq, ["batch", "seq", 8, 64]));
expectType<Tensor<["batch", "seq", 512]>>(reshape(reshape(seq, ["batch", "seq", 8, 64]), ["batch", "seq", -1]));
expectError(reshape(x, ["batch", 784]));
expectError(reshape(sym, [784, "batch"]));
expectType<Tensor<[60000, 784]>>(reshape(zeros([60000, 28, 28]), x.shape));
expectType<Tensor<[3, 4]>>(broadcastTo(ones([4]), zeros([3, 4]).shape));
