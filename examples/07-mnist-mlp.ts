/**
 * 07 — Handwritten digits with a multilayer perceptron: 784 → 256 (ReLU) → 10, softmax
 * cross-entropy, Adam with a cosine learning-rate decay, trained on 8,000 digits of the `mnist`
 * package and tested on the other 2,000. The 8,000 training images are augmented with copies
 * shifted by one pixel up, down, left and right (40,000 in all): an MLP has no notion of
 * neighbouring pixels, so showing it slightly moved digits is what makes it generalize.
 * Prints a progress bar, held-out accuracy, the confusion matrix, a few test digits with their
 * predicted labels, and the time taken. (This is `npm start`.)
 */
import * as E from "fp-ts/lib/Either.js";
import { argmax, data, fit, jit, losses, metrics, optim, random, reshape, type Tensor } from "../src/index.js";
import { loadMnistPackage, progressBar } from "../src/node.js";
import { withShifts } from "./lib/shifts.js";
import { drawDigits, formatConfusion } from "./lib/term.js";
import { isMain, logger, type RunOptions } from "./lib/run.js";
import { digitMlp } from "./lib/digit-models.js";

export const model = digitMlp;
export type Params = ReturnType<typeof model.init>;
export { withShifts };

/** The digits as [N, 784] images and [N] labels, shuffled and split 8,000 / 2,000. */
export function digits(trainSize = 8000, testLimit = Infinity) {
  const mnist = E.getOrElseW((e: Error) => {
    throw e;
  })(loadMnistPackage());
  const x = reshape(mnist.x, [mnist.x.shape[0], 784]);
  const all = { x, y: mnist.y };
  const { train, test } = data.trainTestSplit(all, trainSize / mnist.x.shape[0], random.key(2024));
  if (test.x.shape[0] <= testLimit) return { train, test };
  const keep = Array.from({ length: testLimit }, (_, i) => i);
  return { train, test: { x: data.takeRows(test.x, keep), y: data.takeRows(test.y, keep) } };
}

export async function run(options: RunOptions & { epochs?: number; trainSize?: number; testLimit?: number } = {}) {
  const log = logger(options);
  const started = performance.now();
  const { train: original, test } = digits(options.trainSize ?? 8000, options.testLimit);
  // Name the row dim once, where the data enters: the loss below is written for batches of "batch" rows.
  const train = data.nameRows(withShifts(original.x, original.y), "batch");
  log(`training on ${original.x.shape[0]} digits (${train.x.shape[0]} with shifted copies), testing on ${test.x.shape[0]} (the mnist package's 10,000)`);

  const loss = (p: Params, x: Tensor<["batch", 784]>, y: Tensor<["batch"], "int32">) => losses.softmaxCrossEntropy(model.apply(p, x), y);
  const epochs = options.epochs ?? 5;
  const predict = jit((p: Params, x: Tensor<[number, 784]>) => model.apply(p, x));
  const accuracyOn = (p: Params) => metrics.accuracy(predict(p, test.x), test.y).item() as number;

  const { params, history } = fit({
    params: model.init(random.key(0)),
    optimizer: optim.adam(optim.cosineDecay(2e-3, epochs * Math.floor(train.x.shape[0] / 64), 0.05)),
    loss,
    data: train,
    epochs,
    batchSize: 64,
    key: random.key(1),
    evaluate: (p) => ({ "test accuracy": accuracyOn(p) }),
    onProgress: options.quick ? undefined : progressBar(),
  });

  const logits = predict(params, test.x);
  const accuracy = metrics.accuracy(logits, test.y).item() as number;
  const confusion = metrics.confusionMatrix(logits, test.y, 10).toArray() as number[][];
  const predicted = argmax(logits, 1).data();
  log(`\nheld-out accuracy: ${(accuracy * 100).toFixed(2)}% on ${test.x.shape[0]} digits (final training loss ${history[history.length - 1].loss.toFixed(4)})`);
  log("\nconfusion matrix (rows: true digit, columns: predicted):");
  log(formatConfusion(confusion));
  const pixels = test.x.data();
  const shown = [0, 1, 2, 3, 4, 5].map((i) => ({ pixels, offset: i * 784, caption: `predicted ${predicted[i]} (true ${test.y.data()[i]})` }));
  log("\n" + drawDigits(shown));
  log(`\ntime: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { accuracy, history };
}

if (isMain(import.meta.url)) await run();
