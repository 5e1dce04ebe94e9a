/**
 * A user file for measuring type-check cost against the built .d.ts (issue 15):
 * `npm run build && npx tsc -p bench/types/tsconfig.json --extendedDiagnostics`.
 * It uses only the API that existed before the Types II work, so before/after numbers compare
 * the same code: two models (an MLP and a small CNN), a training step, `fit`, and ~100 shaped ops
 * in a function generic over the batch.
 */
import {
  add, concat, data, fit, flatten, grad, jit, losses, matmul, mean, metrics, mul, nn, optim, random, relu, reshape,
  slice, softmax, stack, sub, sum, tanh, transpose, valueAndGrad, vmap, zeros, type Dim, type Tensor,
} from "typegrad";

const mlp = nn.serial(nn.dense(784, 256), nn.relu, nn.dense(256, 128), nn.relu, nn.dense(128, 10));
type MlpParams = ReturnType<typeof mlp.init>;

const cnn = nn.serial(
  nn.input([28, 28, 1]),
  nn.conv2d(1, 16, 3, { padding: "same" }),
  nn.relu,
  nn.maxPool2d(2),
  nn.conv2d(16, 32, 3, { padding: "same" }),
  nn.relu,
  nn.maxPool2d(2),
  nn.flatten,
  nn.dense(7 * 7 * 32, 64),
  nn.relu,
  nn.dense(64, 10),
);
type CnnParams = ReturnType<typeof cnn.init>;

const mlpLoss = (p: MlpParams, x: Tensor<[number, 784]>, y: Tensor<[number], "int32">) =>
  losses.softmaxCrossEntropy(mlp.apply(p, x), y);
const cnnLoss = (p: CnnParams, x: Tensor<[number, 28, 28, 1]>, y: Tensor<[number], "int32">) =>
  losses.softmaxCrossEntropy(cnn.apply(p, x), y);

declare const train: { x: Tensor<[number, 784]>; y: Tensor<[number], "int32"> };
declare const images: { x: Tensor<[number, 28, 28, 1]>; y: Tensor<[number], "int32"> };

const opt = optim.adam(1e-3);
const step = jit((p: MlpParams, s: optim.StateOf<typeof opt, MlpParams>, x: Tensor<[number, 784]>, y: Tensor<[number], "int32">) => {
  const [value, g] = valueAndGrad(mlpLoss)(p, x, y);
  const [updates, s2] = opt.update(g, s, p);
  return [optim.applyUpdates(p, updates), s2, value] as const;
});
export const stepped = step(mlp.init(random.key(0)), opt.init(mlp.init(random.key(0))), train.x, train.y);

export const trained = fit({ params: mlp.init(random.key(0)), optimizer: opt, loss: mlpLoss, data: train, epochs: 1, batchSize: 64 });
export const trainedCnn = fit({ params: cnn.init(random.key(1)), optimizer: optim.sgd(0.1), loss: cnnLoss, data: images, epochs: 1, batchSize: 64 });
export const acc = metrics.accuracy(mlp.apply(trained.params, train.x), train.y);
export const parts = data.trainTestSplit(train, 0.8, random.key(3));

declare const w1: Tensor<[784, 128]>;
declare const b1: Tensor<[128]>;
declare const w2: Tensor<[128, 10]>;

/** ~100 shaped ops in a function generic over the batch. */
export function block<B extends Dim>(x: Tensor<[B, 784]>) {
  const h1 = relu(add(matmul(x, w1), b1));
  const h2 = tanh(add(matmul(x, w1), b1));
  const h3 = sub(h1, mean(h1, 0, true));
  const h4 = mul(h3, h2);
  const s1 = sum(h4, 1);
  const c1 = concat([h1, h2], 1);
  const c2 = concat([h3, h4, h1], 1);
  const t1 = transpose(h1);
  const r1 = reshape(x, [-1, 28, 28]);
  const f1 = flatten(r1);
  const sl = slice(r1, [null, [0, 14], [0, 14]]);
  const o1 = softmax(matmul(h4, w2));
  const o2 = softmax(matmul(relu(add(matmul(f1, w1), b1)), w2));
  const o3 = add(o1, o2);
  const m1 = mean(o3, 1);
  const d1 = sub(s1, m1);
  return { h1, c1, c2, t1, sl, o3, d1 };
}

export function many(x: Tensor<[32, 784]>) {
  const outs = [];
  for (let i = 0; i < 5; i++) {
    const a = relu(add(matmul(x, w1), b1));
    const b = sub(a, mean(a, 0, true));
    const c = matmul(b, w2);
    const d = reshape(c, [4, 8, 10]);
    const e = transpose(d, [2, 0, 1]);
    const f = sum(e, [1, 2]);
    const g = concat([c, c], 0);
    const h = slice(g, [[0, 32], null]);
    outs.push(stack([a, b, a]));
    outs.push(add(h, c), f);
  }
  return outs;
}

const loss2 = (w: Tensor<[784, 10]>, x: Tensor<[64, 784]>, y: Tensor<[64, 10]>) => losses.mse(matmul(x, w), y);
export const g2 = grad(loss2)(zeros([784, 10]), zeros([64, 784]), zeros([64, 10]));
export const v2 = vmap((x: Tensor<[784]>) => sum(mul(x, x)))(zeros([16, 784]));
