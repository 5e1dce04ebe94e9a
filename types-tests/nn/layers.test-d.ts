import { expectError, expectType } from "tsd";
import { nn, random, type Tensor } from "typegrad";

declare const v: <T>() => T;
const k = random.key(0);

// ---- LeNet-like conv stack (NHWC) ----

const lenet = nn.serial(
  nn.conv2d(1, 6, 5, { padding: "same" }), nn.relu, nn.maxPool2d(2),
  nn.conv2d(6, 16, 5), nn.relu, nn.maxPool2d(2),
  nn.flatten, nn.dense(400, 120), nn.relu, nn.dense(120, 84), nn.relu, nn.dense(84, 10),
);
const lp = lenet.init(k);
expectType<Tensor<[64, 10]>>(lenet.apply(lp, v<Tensor<[64, 28, 28, 1]>>()));
expectType<Tensor<["batch", 10]>>(lenet.apply(lp, v<Tensor<["batch", 28, 28, 1]>>()));
expectType<{ w: Tensor<[5, 5, 1, 6]>; b: Tensor<[6]> }>(lp[0]);

// A dense after conv/pool/flatten with the wrong size: an error at apply time (the input size is
// only known there) …
const wrong = nn.serial(nn.conv2d(1, 6, 5, { padding: "same" }), nn.relu, nn.maxPool2d(2), nn.conv2d(6, 16, 5), nn.maxPool2d(2), nn.flatten, nn.dense(256, 120));
expectError(wrong.apply(wrong.init(k), v<Tensor<[64, 28, 28, 1]>>()));
expectType<"layer 6: dense(256, 120) expects input [256] but got [400]">(v<nn.CheckInput<nn.FnOf<typeof wrong>, Tensor<[64, 28, 28, 1]>>>());
// … or at construction, on that layer's argument, when the stack starts with input(shape).
expectError(nn.serial(nn.input([28, 28, 1]), nn.conv2d(1, 6, 5, { padding: "same" }), nn.maxPool2d(2), nn.conv2d(6, 16, 5), nn.maxPool2d(2), nn.flatten, nn.dense(256, 120)));

// ---- individual layers ----

expectType<Tensor<[8, 16, 16, 8]>>(nn.conv2d(3, 8, 3, { stride: 2, padding: "same" }).apply(v(), v<Tensor<[8, 32, 32, 3]>>()));
expectType<Tensor<[8, 30, 28, 8]>>(nn.conv2d(3, 8, [3, 5]).apply(v(), v<Tensor<[8, 32, 32, 3]>>()));
expectType<Tensor<[2, 13, 13, 4]>>(nn.maxPool2d(3, 2).apply({}, v<Tensor<[2, 28, 28, 4]>>()));
expectType<Tensor<[2, 14, 14, 4]>>(nn.avgPool2d(2).apply({}, v<Tensor<[2, 28, 28, 4]>>()));
expectType<Tensor<[2, 3072]>>(nn.flatten.apply({}, v<Tensor<[2, 32, 32, 3]>>()));
expectType<Tensor<[2, "time"]>>(nn.flatten.apply({}, v<Tensor<[2, "time", 1]>>()));
expectType<Tensor<[2, 5, 7]>>(nn.dropout(0.5).apply({}, v<Tensor<[2, 5, 7]>>(), { training: true, key: k }));
expectType<Tensor<["batch", 20, 64]>>(nn.embedding(1000, 64).apply(v(), v<Tensor<["batch", 20], "int32">>()));
expectType<{ table: Tensor<[1000, 64]> }>(nn.embedding(1000, 64).init(k));
expectType<Tensor<["batch", 20, 64]>>(nn.embedding(1000, 64, { checked: false }).apply(v(), v<Tensor<["batch", 20], "int32">>()));
expectType<{ scale: Tensor<[32]>; bias: Tensor<[32]> }>(nn.batchNorm(32).init(k));
expectType<{ mean: Tensor<[32]>; var: Tensor<[32]> }>(nn.batchNorm(32).initState());
expectType<Tensor<[4, 8, 8, 32]>>(nn.batchNorm(32).apply(v(), v<Tensor<[4, 8, 8, 32]>>(), { training: true }));
expectType<Tensor<[4, 10, 512]>>(nn.layerNorm(512).apply(v(), v<Tensor<[4, 10, 512]>>()));
expectType<Tensor<[3, 4]>>(nn.leakyRelu(0.2).apply({}, v<Tensor<[3, 4]>>()));
// The activation layers wrap the ops of the same name but keep their own types (shape and dtype kept).
expectType<nn.Activation<"relu">>(nn.relu);
expectType<nn.Activation<"gelu">>(nn.gelu);
expectType<nn.Activation<"softplus">>(nn.softplus);
expectType<nn.Activation<"softmax">>(nn.softmax);
expectType<nn.Activation<"leakyRelu">>(nn.leakyRelu());
expectType<Tensor<["batch", 10], "float64">>(nn.gelu.apply({}, v<Tensor<["batch", 10], "float64">>()));
expectType<Tensor<[2, 5]>>(nn.softmax.apply({}, v<Tensor<[2, 5]>>()));
expectType<{ w: Tensor<[3, 2]>; b: Tensor<[2]> }>(nn.dense(3, 2, { init: nn.heNormal }).init(k));

// ---- rejected inputs ----

expectError(nn.conv2d(3, 8, 3).apply(v(), v<Tensor<[8, 32, 32, 1]>>()));
expectError(nn.conv2d(3, 8, 5).apply(v(), v<Tensor<[8, 4, 4, 3]>>()));
expectError(nn.conv2d(3, 8, 3).apply(v(), v<Tensor<[8, 784]>>()));
expectError(nn.maxPool2d(2).apply({}, v<Tensor<[8, 784]>>()));
expectError(nn.embedding(10, 4).apply(v(), v<Tensor<[8, 3]>>()));
expectError(nn.layerNorm(64).apply(v(), v<Tensor<[8, 32]>>()));
expectType<"conv2d(3, 8, 5): kernel 5 is larger than padded input 4 (input 4, padding 0+0)">(
  v<nn.CheckInput<nn.FnOf<ReturnType<typeof nn.conv2d<3, 8, 5>>>, Tensor<[8, 4, 4, 3]>>>(),
);
expectType<"embedding(10, 4) expects int32 indices but got float32">(
  v<nn.CheckInput<nn.FnOf<ReturnType<typeof nn.embedding<10, 4>>>, Tensor<[8, 3]>>>(),
);

// ---- initializers keep the shape type ----

expectType<Tensor<[784, 128]>>(nn.glorotUniform(k, [784, 128]));
expectType<Tensor<[5, 5, 1, 6]>>(nn.heNormal(k, [5, 5, 1, 6]));
