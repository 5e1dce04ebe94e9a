/**
 * 08 — Handwritten digits with a convolutional network: two 3×3 convolutions (16 and 32
 * channels, ReLU, 2×2 max pooling each), then a dense layer to 10 classes. Same data split and
 * the same one-pixel-shift augmentation as 07: 8,000 digits (40,000 with shifted copies) to train
 * on, 2,000 held out. Convolutions see neighbouring pixels together, which is why this beats the MLP.
 */
import { fit, jit, losses, metrics, optim, random, reshape, type Tensor } from "../src/index.js";
import { progressBar } from "../src/node.js";
import { digits, withShifts } from "./07-mnist-mlp.js";
import { formatConfusion } from "./lib/term.js";
import { isMain, logger, type RunOptions } from "./lib/run.js";
import { digitCnn } from "./lib/digit-models.js";

export const model = digitCnn;
export type Params = ReturnType<typeof model.init>;

export async function run(options: RunOptions & { epochs?: number; trainSize?: number; testLimit?: number } = {}) {
  const log = logger(options);
  const started = performance.now();
  const flat = digits(options.trainSize ?? 8000, options.testLimit);
  const images = (x: Tensor<[number, 784]>) => reshape(x, [x.shape[0], 28, 28, 1]);
  const augmented = withShifts(flat.train.x, flat.train.y);
  const train = { x: images(augmented.x), y: augmented.y };
  const test = { x: images(flat.test.x), y: flat.test.y };
  log(`training on ${flat.train.x.shape[0]} digits (${train.x.shape[0]} with shifted copies), testing on ${test.x.shape[0]}`);

  const predict = jit((p: Params, x: Tensor<[number, 28, 28, 1]>) => model.apply(p, x));
  const epochs = options.epochs ?? 3;
  const { params, history } = fit({
    params: model.init(random.key(0)),
    optimizer: optim.adam(optim.cosineDecay(2e-3, epochs * Math.floor(train.x.shape[0] / 64), 0.05)),
    loss: (p: Params, x: Tensor<[number, 28, 28, 1]>, y: Tensor<[number], "int32">) => losses.softmaxCrossEntropy(model.apply(p, x), y),
    data: train,
    epochs,
    batchSize: 64,
    key: random.key(1),
    evaluate: (p) => ({ "test accuracy": metrics.accuracy(predict(p, test.x), test.y).item() as number }),
    onProgress: options.quick ? undefined : progressBar(),
  });

  const logits = predict(params, test.x);
  const accuracy = metrics.accuracy(logits, test.y).item() as number;
  log(`\nheld-out accuracy: ${(accuracy * 100).toFixed(2)}% on ${test.x.shape[0]} digits (final training loss ${history[history.length - 1].loss.toFixed(4)})`);
  log("\nconfusion matrix (rows: true digit, columns: predicted):");
  log(formatConfusion(metrics.confusionMatrix(logits, test.y, 10).toArray() as number[][]));
  log(`\ntime: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { accuracy, history };
}

if (isMain(import.meta.url)) await run();
