/**
 * A dim shared by several arguments is never inferred as a union of mismatched sizes (issue 10,
 * item 5): the library's multi-argument functions take each argument's shape as its own type
 * parameter and check them dim by dim (a `number` matches anything), and functions written by
 * users take the shared dim from one argument with `NoInfer` on its other uses.
 */
import { expectError, expectType } from "tsd";
import {
  data,
  fit,
  jvp,
  losses,
  matmul,
  metrics,
  nn,
  optim,
  random,
  withDims,
  type Dim,
  type Tensor,
} from "typegrad";

declare const logits64: Tensor<[64, 10]>;
declare const logits32: Tensor<[32, 10]>;
declare const labels64: Tensor<[64], "int32">;
declare const labels32: Tensor<[32], "int32">;
declare const labelsN: Tensor<[number], "int32">;
declare const logitsN: Tensor<[number, 10]>;

// The trap, and the pattern that avoids it. Naively generic: B = 64 | 32, it compiles.
declare function naive<B extends Dim>(x: Tensor<[B, 10]>, y: Tensor<[B], "int32">): Tensor<[B]>;
expectType<Tensor<[64 | 32]>>(naive(logits64, labels32));
// With NoInfer on the later uses, B comes from x alone and y must have it.
declare function step<B extends Dim>(x: Tensor<[B, 10]>, y: Tensor<[NoInfer<B>], "int32">): Tensor<[B]>;
expectType<Tensor<[64]>>(step(logits64, labels64));
expectError(step(logits64, labels32));

// Losses: targets and labels checked against the predictions, never unified with them.
expectType<Tensor<[], "float32">>(losses.softmaxCrossEntropy(logits64, labels64));
expectError(losses.softmaxCrossEntropy(logits64, labels32));
expectType<Tensor<[], "float32">>(losses.softmaxCrossEntropy(logits64, labelsN));
expectType<Tensor<[], "float32">>(losses.softmaxCrossEntropy(logitsN, labels64));
expectError(losses.softmaxCrossEntropy(logits64, null! as Tensor<[64, 10], "float64">));
expectError(losses.softmaxCrossEntropy(logits64, null! as Tensor<[64], "bool">));
expectType<Tensor<[2, 5], "float32">>(losses.softmaxCrossEntropy(null! as Tensor<[2, 5, 10]>, null! as Tensor<[2, 5], "int32">, "none"));
declare const p64: Tensor<[64, 1]>;
declare const t32: Tensor<[32, 1]>;
declare const tN: Tensor<[number, 1]>;
expectError(losses.mse(p64, t32));
expectError(losses.mae(p64, t32));
expectError(losses.huber(p64, t32));
expectError(losses.binaryCrossEntropy(p64, t32));
expectType<Tensor<[], "float32">>(losses.mse(p64, tN));
expectType<Tensor<[], "float32">>(losses.mse(tN, p64));
expectError(losses.mse(p64, null! as Tensor<[64, 1], "float64">));

// Metrics: predictions and labels checked dim by dim.
expectError(metrics.accuracy(logits64, labels32));
expectError(metrics.accuracy(null! as Tensor<[64], "int32">, labels32));
expectError(metrics.confusionMatrix(logits64, labels32, 10));
expectType<Tensor<[], "float32">>(metrics.accuracy(logits64, labelsN));
expectType<Tensor<[], "float32">>(metrics.accuracy(null! as Tensor<[64], "int32">, labels64));
expectError(metrics.accuracy(null! as Tensor<[64, 10, 2]>, labels64));

// Functions generic over the batch keep working.
export function genericStep<B extends Dim>(x: Tensor<[B, 10]>, y: Tensor<[NoInfer<B>], "int32">) {
  expectType<Tensor<[], "float32">>(losses.softmaxCrossEntropy(x, y));
  expectType<Tensor<[], "float32">>(metrics.accuracy(x, y));
  expectType<Tensor<[], "float32">>(losses.mse(x, x));
  return matmul(x, null! as Tensor<[10, 3]>);
}

// jvp: tangents have the primals' types.
declare const f: (x: Tensor<[3]>) => Tensor<[]>;
expectError(jvp(f, [null! as Tensor<[3]>], [null! as Tensor<[4]>]));

// fit: types come from params and data; the loss is checked against a batch of the data.
const model = nn.serial(nn.dense(784, 10));
type Params = ReturnType<typeof model.init>;
const params = model.init(random.key(0));
const opt = optim.sgd(0.1);
declare const images: Tensor<[number, 784]>;
declare const digits: Tensor<[number], "int32">;
const named = { x: withDims(images, ["batch", 784]), y: withDims(digits, ["batch"]) };
expectType<{ x: Tensor<["batch", 784]>; y: Tensor<["batch"], "int32"> }>(named);
const lossNamed = (p: Params, x: Tensor<["batch", 784]>, y: Tensor<["batch"], "int32">) => losses.softmaxCrossEntropy(model.apply(p, x), y);
const lossWide = (p: Params, x: Tensor<[number, 784]>, y: Tensor<[number], "int32">) => losses.softmaxCrossEntropy(model.apply(p, x), y);
fit({ params, optimizer: opt, loss: lossNamed, data: named, epochs: 1, batchSize: 8 });
// …a name is not a number: a loss for `number` rows does not take named rows (make it generic, or use the name).
expectError(fit({ params, optimizer: opt, loss: lossWide, data: named, epochs: 1, batchSize: 8 }));
fit({ params, optimizer: opt, loss: lossWide, data: { x: images, y: digits }, epochs: 1, batchSize: 8 });
// …data whose rows are unnamed does not fit a loss written for named rows: name them once.
expectError(fit({ params, optimizer: opt, loss: lossNamed, data: { x: images, y: digits }, epochs: 1, batchSize: 8 }));
fit({ params, optimizer: opt, loss: lossNamed, data: data.nameRows({ x: images, y: digits }, "batch"), epochs: 1, batchSize: 8 });
// …a batch is not the whole data: a loss for 60000 rows does not fit batches of it.
declare const full: { x: Tensor<[60000, 784]>; y: Tensor<[60000], "int32"> };
const lossFull = (p: Params, x: Tensor<[60000, 784]>, y: Tensor<[60000], "int32">) => losses.softmaxCrossEntropy(model.apply(p, x), y);
expectError(fit({ params, optimizer: opt, loss: lossFull, data: full, epochs: 1, batchSize: 8 }));
fit({ params, optimizer: opt, loss: lossWide, data: full, epochs: 1, batchSize: 8 });
// …x and y must have the same number of rows.
expectError(fit({ params, optimizer: opt, loss: lossWide, data: { x: full.x, y: null! as Tensor<[59999], "int32"> }, epochs: 1, batchSize: 8 }));
expectError(data.nameRows({ x: full.x, y: null! as Tensor<[59999], "int32"> }, "batch"));
// …and params must be what the loss takes (not guessed from the loss).
expectError(fit({ params: model.init(random.key(0), { dtype: "float64" }), optimizer: opt, loss: lossWide, data: full, epochs: 1, batchSize: 8 }));

// Batches and splits keep a named row dim.
for (const b of data.batches(named, 32)) expectType<data.Dataset<Tensor<["batch", 784]>, Tensor<["batch"], "int32">>>(b);
for (const b of data.batches(full, 32)) expectType<data.Dataset<Tensor<[number, 784]>, Tensor<[number], "int32">>>(b);
expectType<data.Dataset<Tensor<["batch", 784]>, Tensor<["batch"], "int32">>>(data.trainTestSplit(named, 0.8).train);
