// The README's example, checked: it compiles, its types are what the comments say, and the
// mistakes it mentions do not compile.
import { expectError, expectType } from "tsd";
import { add, grad, jit, matmul, mean, reshape, square, sub, tanh, concat, sum, zeros, type Tensor } from "typegrad";

type Params = { w: Tensor<[3, 1]>; b: Tensor<[1]> };
const predict = (p: Params, x: Tensor<["batch", 3]>) => tanh(add(matmul(x, p.w), p.b));
const loss = (p: Params, x: Tensor<["batch", 3]>, y: Tensor<["batch", 1]>) => mean(square(sub(predict(p, x), y)));

declare const p: Params;
declare const x: Tensor<["batch", 3]>;
declare const y: Tensor<["batch", 1]>;
expectType<Tensor<["batch", 1]>>(predict(p, x));
expectType<Params>(grad(loss)(p, x, y));
const step = jit((q: Params, xb: Tensor<["batch", 3]>, yb: Tensor<["batch", 1]>) => {
  const g = grad(loss)(q, xb, yb);
  return { w: sub(q.w, g.w), b: sub(q.b, g.b) };
});
expectType<{ w: Tensor<[3, 1]>; b: Tensor<[1]> }>(step(p, x, y));

// The mistakes the README names: each fails tsc with a message naming both shapes.
expectError(matmul(x, p.b)); // wrong inner dimension
expectError(matmul(zeros([32, 784]), zeros([128, 10])));
expectError(add(zeros([32, 10]), zeros([3, 10]))); // bad broadcast
expectError(reshape(zeros([28, 28]), [780])); // element count changes
expectError(sum(zeros([32, 10]), 2)); // axis out of range
expectError(concat([zeros([32, 28]), zeros([16, 27])], 0)); // unequal dims

// The README's training snippet.
import { fit, losses, nn, optim, random } from "typegrad";
const model = nn.serial(nn.dense(784, 256), nn.relu, nn.dense(256, 10));
expectError(nn.serial(nn.dense(784, 256), nn.relu, nn.dense(128, 10)));
type MlpParams = ReturnType<typeof model.init>;
const mlpLoss = (q: MlpParams, xb: Tensor<[number, 784]>, yb: Tensor<[number], "int32">) => losses.softmaxCrossEntropy(model.apply(q, xb), yb);
declare const train: { x: Tensor<[number, 784]>; y: Tensor<[number], "int32"> };
const trained = fit({ params: model.init(random.key(0)), optimizer: optim.adam(1e-3), loss: mlpLoss, data: train, epochs: 5, batchSize: 64 });
expectType<MlpParams>(trained.params);

// The README's Types section.
import { data, fromArray, slice, stack, tupleOf, vmap, withDims, type Dim, type ShapeError } from "typegrad";
import type { Either } from "fp-ts/lib/Either.js";
declare const t48: Tensor<[4, 8]>;
expectType<readonly [4, 8]>(t48.shape);
expectType<readonly [number, 784]>((null! as Tensor<["batch", 784]>).shape);
expectType<32>(t48.size);
expectType<2>(t48.ndim);
expectType<Tensor<[4, 8]>>(zeros(t48.shape));
declare const images: Tensor<[number, 784]>;
declare const labels: Tensor<[number], "int32">;
declare const pixels: Tensor<[number, 28, 28]>;
declare const buffer: Float32Array;
expectType<Tensor<["batch", 784]>>(withDims(images, ["batch", 784]));
expectType<data.Dataset<Tensor<["batch", 784]>, Tensor<["batch"], "int32">>>(data.nameRows({ x: images, y: labels }, "batch"));
expectType<Either<ShapeError, Tensor<["batch", 784]>>>(fromArray(buffer, ["batch", 784]));
expectType<Tensor<["batch", 784]>>(reshape(withDims(pixels, ["batch", 28, 28]), ["batch", 784]));
expectError(reshape(zeros([64, 28, 28]), ["batch", 784]));
declare const x64: Tensor<[64, 784]>;
declare const y32: Tensor<[32], "int32">;
declare function trainStep<B extends Dim>(x: Tensor<[B, 784]>, y: Tensor<[NoInfer<B>], "int32">): void;
expectError(trainStep(x64, y32));
export function generic<B extends Dim, T extends Dim>(xb: Tensor<[B, 784]>, seq: Tensor<[B, T, 8]>, t: number) {
  expectType<Tensor<[B, 28, 28]>>(reshape(xb, [-1, 28, 28]));
  expectType<Tensor<[2, B, 784]>>(stack([xb, xb]));
  expectType<Tensor<[B, number, 8]>>(slice(seq, [null, [t, t + 1]]));
}
declare const f3: (x: Tensor<[3]>) => Tensor<[]>;
expectType<Tensor<[32]>>(vmap(f3, { inAxes: 1 })(zeros([3, 32])));
declare const xs: Tensor<[4, 10, 8]>;
const steps = tupleOf(3, (i) => slice(xs, [null, [i, i + 1]]));
expectType<Tensor<[4, 3, number, 8]>>(stack(steps, 1));
const d64 = nn.dense(4, 8, { dtype: "float64" }).init(random.key(0));
expectType<Tensor<[4, 8], "float64">>(d64.w);
expectType<Tensor<[784, 256], "float64">>(model.init(random.key(0), { dtype: "float64" })[0].w);
expectType<Tensor<[16, 64], "float64">>(nn.lstm(8, 16, { dtype: "float64" }).init(random.key(0)).wh);
const embedStack = nn.serial(nn.embedding(27, 8), nn.flatten, nn.dense(32, 27));
expectType<Tensor<["batch", 27], "float64">>(embedStack.apply(embedStack.init(random.key(0), { dtype: "float64" }), null! as Tensor<["batch", 4], "int32">));
expectError(nn.dense(4, 8).apply(d64, zeros([2, 4])));
export function fullyConvolutional<B extends Dim, H extends Dim, W extends Dim>(img: Tensor<[B, H, W, 3]>) {
  const fcn = nn.serial(nn.conv2d(3, 8, 3, { padding: "same" }), nn.relu, nn.globalAvgPool);
  expectType<Tensor<[B, 8]>>(fcn.apply(fcn.init(random.key(0)), img));
}
// The README's attention snippets.
declare const xsSeq: Tensor<["batch", "seq", 64]>;
const heads = nn.splitHeads(xsSeq, 8);
expectType<Tensor<["batch", 8, "seq", 8]>>(heads);
expectType<Tensor<["batch", "seq", 64]>>(nn.mergeHeads(nn.dotProductAttention(heads, heads, heads)));
expectError(nn.splitHeads(xsSeq, 6));
const charModel = nn.serial(nn.embedding(27, 64), nn.positionalEmbedding(16, 64), nn.transformerBlock(64, 4, 256, { causal: true }), nn.layerNorm(64));
const charParams = charModel.init(random.key(0));
declare const tokens: Tensor<["B", 16], "int32">;
expectType<Tensor<["B", 16, 64]>>(charModel.apply(charParams, tokens));
expectError(charModel.apply(charParams, zeros([2, 17], "int32")));
expectError(nn.transformerBlock(64, 6, 256));
