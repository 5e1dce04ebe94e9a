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

// The README's attention snippets.
declare const xs: Tensor<["batch", "seq", 64]>;
const heads = nn.splitHeads(xs, 8);
expectType<Tensor<["batch", 8, "seq", 8]>>(heads);
expectType<Tensor<["batch", "seq", 64]>>(nn.mergeHeads(nn.dotProductAttention(heads, heads, heads)));
expectError(nn.splitHeads(xs, 6));
const charModel = nn.serial(nn.embedding(27, 64), nn.positionalEmbedding(16, 64), nn.transformerBlock(64, 4, 256, { causal: true }), nn.layerNorm(64));
const charParams = charModel.init(random.key(0));
declare const tokens: Tensor<["B", 16], "int32">;
expectType<Tensor<["B", 16, 64]>>(charModel.apply(charParams, tokens));
expectError(charModel.apply(charParams, zeros([2, 17], "int32")));
expectError(nn.transformerBlock(64, 6, 256));
