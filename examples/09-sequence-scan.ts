/**
 * 09 — A recurrent net written with `scan`: it reads a noisy wave one value at a time and predicts
 * the next. The loop over time is one `scan` primitive, so the program `jit(grad(loss))` compiles
 * is the same size for 50 steps or 1,000 (a JS loop would unroll into the IR, growing with the
 * length), and reverse mode is a reverse scan over the residuals the forward scan saved.
 *
 *   h_t = tanh(h_{t−1} W + x_t U + b),   prediction_t = h_t V + c   (of x_{t+1})
 *
 * Then the same task with the library's `nn.lstm` layer (itself a `scan` over time) and a linear head.
 */
import {
  add, arange, grad, jit, makeJaxpr, matmul, mean, mul, nn, optim, random, reshape, scan, sin, slice, square, sub, tanh, transpose, valueAndGrad, zeros, type Tensor,
} from "../src/index.js";
import { isMain, logger, type RunOptions } from "./lib/run.js";

const H = 24;
const BATCH = 32;

type Params = { w: Tensor<[24, 24]>; u: Tensor<[1, 24]>; b: Tensor<[24]>; v: Tensor<[24, 1]>; c: Tensor<[1]> };
/** Sequences as time-major values: `[time, batch, 1]` (the length is known at run time). */
type Seq = Tensor<[number, 32, 1]>;

function init(key: random.Key): Params {
  const [kw, ku, kv] = random.splitList(key, 3);
  return {
    w: mul(random.normal(kw, [H, H]), 0.9 / Math.sqrt(H)),
    u: mul(random.normal(ku, [1, H]), 0.5),
    b: zeros([H]),
    v: mul(random.normal(kv, [H, 1]), 1 / Math.sqrt(H)),
    c: zeros([1]),
  };
}

/** A batch of waves: two sines of random frequency and phase, plus noise; `length + 1` values each. */
function waves(key: random.Key, length: number): { inputs: Seq; targets: Seq } {
  const [kf, kp, kn] = random.splitList(key, 3);
  const t = reshape(arange(length + 1), [length + 1, 1]);
  const f1 = random.uniform(kf, [1, BATCH], { minval: 0.1, maxval: 0.4 });
  const p1 = random.uniform(kp, [1, BATCH], { minval: 0, maxval: 6.3 });
  const clean = add(mul(sin(add(mul(t, f1), p1)), 0.7), mul(sin(add(mul(t, mul(f1, 2.3)), mul(p1, 0.5))), 0.3));
  const x = reshape(add(clean, mul(random.normal(kn, [length + 1, BATCH]), 0.02)), [length + 1, BATCH, 1]);
  return {
    inputs: slice(x, [[0, length]]),
    targets: slice(x, [[1, length + 1]]),
  };
}

/** Mean squared error of the next-value predictions over every step of every sequence. */
function loss(p: Params, inputs: Seq, targets: Seq): Tensor<[]> {
  const step = (h: Tensor<[32, 24]>, x: Tensor<[32, 1]>) => {
    const hNext = tanh(add(add(matmul(h, p.w), matmul(x, p.u)), p.b));
    return [hNext, add(matmul(hNext, p.v), p.c)] as const;
  };
  const [, predictions] = scan(step, zeros([BATCH, H]), inputs);
  return mean(square(sub(predictions, targets)));
}

export async function run(options: RunOptions & { steps?: number; length?: number } = {}) {
  const log = logger(options);
  const length = options.length ?? 50;
  const steps = options.steps ?? (options.quick ? 40 : 300);
  let params = init(random.key(0));
  const opt = optim.adam(0.01);
  let state = opt.init(params);
  const train = jit((p: Params, s: typeof state, inputs: Seq, targets: Seq) => {
    const [value, g] = valueAndGrad(loss)(p, inputs, targets);
    const [updates, next] = opt.update(g, s, p);
    return [optim.applyUpdates(p, updates), next, value] as const;
  });

  // The compiled program does not depend on the sequence length.
  const lines = (n: number) => String(makeJaxpr(grad(loss))(params, ...Object.values(waves(random.key(1), n)) as [Seq, Seq])).split("\n").length;
  const irShort = lines(10);
  const irLong = lines(1000);
  log(`IR of grad(loss): ${irShort} lines for 10 steps, ${irLong} lines for 1,000 steps`);

  const test = waves(random.key(99), length);
  // Persistence (predict that the next value equals this one) is the baseline to beat.
  const baseline = mean(square(sub(test.inputs, test.targets))).item() as number;
  const keys = random.splitList(random.key(2), steps);
  let first = 0;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    const batch = waves(keys[i], length);
    let value: Tensor<[]>;
    [params, state, value] = train(params, state, batch.inputs, batch.targets);
    if (i === 0) first = performance.now() - t0;
    if (i % Math.max(1, Math.floor(steps / 6)) === 0 || i === steps - 1) log(`step ${String(i).padStart(4)}  loss ${(value.item() as number).toFixed(5)}`);
  }
  const perStep = (performance.now() - t0 - first) / Math.max(1, steps - 1);
  const testLoss = loss(params, test.inputs, test.targets).item() as number;
  log(`first step (trace + compile + run): ${first.toFixed(0)} ms; then ${perStep.toFixed(1)} ms per step of ${BATCH} sequences × ${length} steps`);
  log(`held-out MSE ${testLoss.toFixed(5)} vs ${baseline.toFixed(5)} for "next = this one" (${(baseline / testLoss).toFixed(1)}× lower)`);
  const lstmLoss = trainLstm(steps, length, test, log);
  return { testLoss, baseline, irShort, irLong, lstmLoss };
}

/** The same task with `nn.lstm` (batch-major `[batch, time, 1]`) and a linear head on every step. */
function trainLstm(steps: number, length: number, test: { inputs: Seq; targets: Seq }, log: (line: string) => void): number {
  const cell = nn.lstm(1, H);
  const [kc, kh] = random.splitList(random.key(3), 2);
  type P = { cell: ReturnType<typeof cell.init>; v: Tensor<[24, 1]>; c: Tensor<[1]> };
  let params: P = { cell: cell.init(kc), v: mul(random.normal(kh, [H, 1]), 1 / Math.sqrt(H)), c: zeros([1]) };
  const lossOf = (p: P, inputs: Seq, targets: Seq) => {
    const states = cell.apply(p.cell, transpose(inputs, [1, 0, 2])); // [32, time, 24]
    return mean(square(sub(add(matmul(states, p.v), p.c), transpose(targets, [1, 0, 2]))));
  };
  const opt = optim.adam(0.01);
  let state = opt.init(params);
  const train = jit((p: P, s: typeof state, inputs: Seq, targets: Seq) => {
    const [value, g] = valueAndGrad(lossOf)(p, inputs, targets);
    const [updates, next] = opt.update(g, s, p);
    return [optim.applyUpdates(p, updates), next, value] as const;
  });
  const keys = random.splitList(random.key(4), steps);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    const batch = waves(keys[i], length);
    [params, state] = train(params, state, batch.inputs, batch.targets);
  }
  const testLoss = lossOf(params, test.inputs, test.targets).item() as number;
  log(`nn.lstm(1, ${H}) + linear head: held-out MSE ${testLoss.toFixed(5)} after ${steps} steps (${((performance.now() - t0) / steps).toFixed(1)} ms per step)`);
  return testLoss;
}

if (isMain(import.meta.url)) await run();
