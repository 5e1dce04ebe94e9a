/**
 * 06 — Optimizers on one problem: least-squares regression with badly scaled features (so the
 * loss surface is a long, narrow valley). Plain gradient descent uses the full data set each step;
 * SGD, momentum and Adam use mini-batches of 32. The loss on the full data is printed and plotted
 * per step for each.
 */
import * as E from "fp-ts/lib/Either.js";
import { add, fromArray, jit, matmul, mean, mul, optim, random, square, sub, tensor, valueAndGrad, zeros, type Tensor } from "../src/index.js";
import { linePlot } from "./lib/plot.js";
import { isMain, logger, type RunOptions } from "./lib/run.js";

const N = 512;
const D = 4;
type Params = { w: Tensor<[4, 1]>; b: Tensor<[1]> };

function problem() {
  const [kx, kw, kn] = random.splitList(random.key(6), 3);
  // Feature scales 1, 3, 0.3, 2: an ill-conditioned quadratic.
  const x = mul(random.normal(kx, [N, D]), tensor([1, 3, 0.3, 2]));
  const trueW = random.normal(kw, [D, 1]);
  const y = add(add(matmul(x, trueW), 0.5), mul(random.normal(kn, [N, 1]), 0.05));
  return { x, y };
}

export async function run(options: RunOptions = {}) {
  const log = logger(options);
  const { x, y } = problem();
  const lossOn = (p: Params, xb: Tensor<[number, 4]>, yb: Tensor<[number, 1]>) => mean(square(sub(add(matmul(xb, p.w), p.b), yb)));
  const fullLoss = (p: Params) => lossOn(p, x, y).item() as number;
  const steps = options.quick ? 60 : 200;
  const batch = 32;

  const contenders: [string, optim.GradientTransformation<optim.StateFn>, boolean][] = [
    ["GD (full batch)", optim.sgd(0.05), false],
    ["SGD", optim.sgd(0.05), true],
    ["momentum 0.9", optim.momentum(0.01, 0.9), true],
    ["Adam", optim.adam(0.05), true],
  ];
  const rows: { x: number; y: number; series: string }[] = [];
  const finals: Record<string, number> = {};
  for (const [name, opt, minibatch] of contenders) {
    let params: Params = { w: zeros([4, 1]), b: zeros([1]) };
    let state = opt.init(params);
    const step = jit((p: Params, s: typeof state, xb: Tensor<[number, 4]>, yb: Tensor<[number, 1]>) => {
      const [value, g] = valueAndGrad(lossOn)(p, xb, yb);
      const [u, next] = opt.update(g, s, p);
      return [optim.applyUpdates(p, u), next, value] as const;
    });
    const order = random.permutation(random.key(7), N).data();
    for (let i = 0; i < steps; i++) {
      rows.push({ x: i, y: fullLoss(params), series: name });
      if (minibatch) {
        const start = (i * batch) % N;
        const idx = Array.from(order.slice(start, start + batch));
        const { xb, yb } = takeBatch(x, y, idx);
        [params, state] = step(params, state, xb, yb);
      } else {
        [params, state] = step(params, state, x, y);
      }
    }
    finals[name] = fullLoss(params);
    log(`${name.padEnd(16)} loss after ${steps} steps: ${finals[name].toExponential(3)}`);
  }
  if (!options.quick) {
    log(`plot: ${await linePlot("06-optimizers.svg", rows, { title: "Loss per step", x: "step", y: "loss (full data)", series: "optimizer", logY: true })}`);
  }
  return finals;
}

function takeBatch(x: Tensor<[512, 4]>, y: Tensor<[512, 1]>, idx: number[]) {
  const xd = x.data();
  const yd = y.data();
  const xb = new Float32Array(idx.length * D);
  const yb = new Float32Array(idx.length);
  idx.forEach((r, i) => {
    xb.set(xd.subarray(r * D, (r + 1) * D), i * D);
    yb[i] = yd[r];
  });
  return { xb: fromRows(xb, [idx.length, 4]) as Tensor<[number, 4]>, yb: fromRows(yb, [idx.length, 1]) as Tensor<[number, 1]> };
}

const fromRows = (data: Float32Array, shape: [number, number]) =>
  E.getOrElseW((e: Error) => {
    throw e;
  })(fromArray(data, shape));

if (isMain(import.meta.url)) await run();
