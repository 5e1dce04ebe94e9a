/**
 * @file One training run of the page's model, as the worker runs it: `fit` with Adam and a
 * cosine decay, held-out accuracy after each epoch, and reports as plain data (numbers and
 * safetensors bytes) that cross to the page by `postMessage`. Free of the worker's globals, so
 * that the tests run it in Node.
 */
import { fit, jit, losses, metrics, optim, random, type Tensor } from "../../src/index.js";
import { withShifts } from "../lib/shifts.js";
import type { Digits } from "./digits.js";
import { initial, logits, toBytes, type Kind, type Weights } from "./models.js";

/** What the page asks for. */
export interface TrainRequest {
  readonly kind: Kind;
  readonly epochs: number;
  /** Digits to train on (before the shifted copies). */
  readonly trainSize: number;
  /** Held-out digits to measure accuracy on. */
  readonly testSize: number;
  /** Add copies of each digit moved by a pixel (five times the data, and better on drawings). */
  readonly shifts: boolean;
  readonly batchSize: number;
  readonly learningRate: number;
}

/** What the worker reports while it trains. */
export type TrainReport =
  | { readonly type: "start"; readonly kind: Kind; readonly trainDigits: number; readonly examples: number; readonly testDigits: number; readonly steps: number }
  | { readonly type: "step"; readonly epoch: number; readonly step: number; readonly stepsPerEpoch: number; readonly loss: number }
  | { readonly type: "epoch"; readonly epoch: number; readonly epochs: number; readonly loss: number; readonly accuracy: number; readonly bytes: Uint8Array };

/**
 * Trains a fresh model as `request` says on `train`, measuring accuracy on `test`; reports each
 * step's loss and each epoch's weights (safetensors bytes). Returns the last epoch's report.
 */
export function train(request: TrainRequest, digits: { train: Digits; test: Digits }, report: (r: TrainReport) => void): Extract<TrainReport, { type: "epoch" }> {
  checkRequest(request);
  const data = request.shifts ? withShifts(digits.train.x, digits.train.y) : digits.train;
  const stepsPerEpoch = Math.floor(data.x.shape[0] / request.batchSize);
  const steps = request.epochs * stepsPerEpoch;
  report({ type: "start", kind: request.kind, trainDigits: digits.train.x.shape[0], examples: data.x.shape[0], testDigits: digits.test.x.shape[0], steps });
  const optimizer = optim.adam(optim.cosineDecay(request.learningRate, steps, 0.05));
  const fresh = initial(request.kind);
  let last: Extract<TrainReport, { type: "epoch" }> | null = null;
  const run = <P>(params: P, net: (p: P, x: Tensor<[number, 784]>) => Tensor<[number, 10]>, wrap: (p: P) => Weights) => {
    const predict = jit(net);
    // The running mean that fit reports, turned back into each step's own loss for the plot.
    let before = 0;
    let ended = { loss: NaN, accuracy: NaN };
    fit({
      params,
      optimizer,
      loss: (p: P, x: Tensor<[number, 784]>, y: Tensor<[number], "int32">) => losses.softmaxCrossEntropy(net(p, x), y),
      data,
      epochs: request.epochs,
      batchSize: request.batchSize,
      key: random.key(1),
      evaluate: (p) => ({ accuracy: metrics.accuracy(predict(p, digits.test.x), digits.test.y).item() as number }),
      onProgress: (p) => {
        if (p.metrics === undefined) {
          const loss = p.loss * p.step - before * (p.step - 1);
          before = p.loss;
          report({ type: "step", epoch: p.epoch, step: p.step, stepsPerEpoch: p.steps, loss });
        } else {
          before = 0;
          ended = { loss: p.loss, accuracy: p.metrics.accuracy };
        }
      },
      // Called right after the epoch's last onProgress, with what it reported.
      onEpochEnd: (s) => {
        const { loss, accuracy } = ended;
        const bytes = toBytes(wrap(s.params), { epochs: String(s.epoch), steps: String(s.step), accuracy: accuracy.toFixed(4) });
        last = { type: "epoch", epoch: s.epoch, epochs: request.epochs, loss, accuracy, bytes };
        report(last);
      },
    });
  };
  if (fresh.kind === "mlp") run(fresh.params, logits.mlp, (params) => ({ kind: "mlp", params }));
  else run(fresh.params, logits.cnn, (params) => ({ kind: "cnn", params }));
  if (last === null) throw new RangeError("train: no epoch ran");
  return last;
}

function checkRequest(r: TrainRequest): void {
  const whole = (name: string, v: number, lo: number, hi: number) => {
    if (!(Number.isInteger(v) && v >= lo && v <= hi)) throw new RangeError(`train: ${name} must be an integer from ${lo} to ${hi}, got ${v}`);
  };
  whole("epochs", r.epochs, 1, 50);
  whole("batchSize", r.batchSize, 1, 4096);
  whole("trainSize", r.trainSize, r.batchSize, 1_000_000);
  whole("testSize", r.testSize, 1, 1_000_000);
  if (!(r.learningRate > 0 && r.learningRate < 1)) throw new RangeError(`train: learningRate must be in (0, 1), got ${r.learningRate}`);
}
