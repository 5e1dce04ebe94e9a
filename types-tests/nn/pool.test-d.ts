import { expectError, expectType } from "tsd";
import { nn, random, type Tensor } from "typegrad";

declare const v: <T>() => T;
const k = random.key(0);

// 1-d pooling over [length, channels] examples.
expectType<Tensor<[4, 25, 8]>>(nn.maxPool1d(4).apply({}, v<Tensor<[4, 100, 8]>>()));
expectType<Tensor<["batch", 49, 8]>>(nn.avgPool1d(4, 2).apply({}, v<Tensor<["batch", 100, 8]>>()));
expectType<"maxPool1d(4) expects input [length, channels] but got [100]">(v<nn.CheckInput<nn.FnOf<ReturnType<typeof nn.maxPool1d<4>>>, Tensor<[2, 100]>>>());
expectType<"maxPool1d(5): kernel 5 is larger than padded input 3 (input 3, padding 0+0)">(
  v<nn.CheckInput<nn.FnOf<ReturnType<typeof nn.maxPool1d<5>>>, Tensor<[2, 3, 8]>>>(),
);
expectError(nn.maxPool1d(4).apply({}, v<Tensor<[4, 100]>>()));
expectError(nn.avgPool1d(8).apply({}, v<Tensor<[4, 5, 3]>>()));

// Global pooling: [...spatial, channels] to [channels].
expectType<Tensor<[8, 64]>>(nn.globalAvgPool.apply({}, v<Tensor<[8, 7, 7, 64]>>()));
expectType<Tensor<["batch", 16]>>(nn.globalMaxPool.apply({}, v<Tensor<["batch", 100, 16]>>()));
expectError(nn.globalMaxPool.apply({}, v<Tensor<[8, 64]>>()));

// In a stack: conv → global average pool → dense checks the channel count.
const net = nn.serial(nn.conv2d(3, 16, 3, { padding: "same" }), nn.relu, nn.maxPool2d(2), nn.globalAvgPool, nn.dense(16, 10));
expectType<Tensor<[2, 10]>>(net.apply(net.init(k), v<Tensor<[2, 32, 32, 3]>>()));
expectError(nn.serial(nn.conv2d(3, 16, 3), nn.globalMaxPool, nn.dense(8, 10)));
const seq = nn.serial(nn.input([100, 8]), nn.maxPool1d(2), nn.avgPool1d(5), nn.flatten, nn.dense(80, 4));
expectType<Tensor<[3, 4]>>(seq.apply(seq.init(k), v<Tensor<[3, 100, 8]>>()));
expectError(nn.serial(nn.input([100, 8]), nn.maxPool1d(2), nn.flatten, nn.dense(80, 4)));

// Activation-unit layers keep the per-example shape.
expectType<Tensor<[2, 5]>>(nn.serial(nn.dense(3, 5), nn.silu, nn.mish, nn.elu(0.5), nn.selu, nn.swish).apply(v(), v<Tensor<[2, 3]>>()));
