/**
 * 01 — Linear regression: fit y = m·x + b to noisy points by gradient descent.
 * The loss is the mean squared error; `grad` gives its derivative with respect to (m, b), and
 * each step moves the parameters a little against it.
 */
import { add, grad, mean, mul, random, square, sub, tensor, type Tensor } from "../src/index.js";
import { linePlot } from "./lib/plot.js";
import { isMain, logger, type RunOptions } from "./lib/run.js";

type Params = { m: Tensor<[]>; b: Tensor<[]> };

export async function run(options: RunOptions = {}) {
  const log = logger(options);
  const n = 100;
  const [kx, kn] = random.splitList(random.key(0));
  const x = random.uniform(kx, [n], { minval: -1, maxval: 1 });
  const noise = mul(random.normal(kn, [n]), 0.1);
  const y = add(add(mul(x, 3), 2), noise); // the truth: m = 3, b = 2

  const predict = (p: Params, xs: Tensor<[100]>) => add(mul(xs, p.m), p.b);
  const loss = (p: Params) => mean(square(sub(predict(p, x), y)));
  const dLoss = grad(loss);

  let params: Params = { m: tensor(0), b: tensor(0) };
  const lr = 0.5;
  const steps = options.quick ? 60 : 100;
  const curve: { x: number; y: number }[] = [];
  for (let step = 0; step <= steps; step++) {
    const value = loss(params).item() as number;
    curve.push({ x: step, y: value });
    if (step % 20 === 0) log(`step ${String(step).padStart(3)}  loss ${value.toFixed(5)}  m ${fmt(params.m)}  b ${fmt(params.b)}`);
    const g = dLoss(params);
    params = { m: sub(params.m, mul(g.m, lr)), b: sub(params.b, mul(g.b, lr)) };
  }
  const m = params.m.item() as number;
  const b = params.b.item() as number;
  log(`learned y = ${m.toFixed(3)}·x + ${b.toFixed(3)}   (true: y = 3·x + 2, noise σ = 0.1)`);
  if (!options.quick) {
    const path = await linePlot("01-loss.svg", curve, { title: "Linear regression: loss per step", x: "step", y: "mean squared error", logY: true });
    log(`loss curve: ${path}`);
  }
  return { m, b, finalLoss: curve[curve.length - 1].y };
}

const fmt = (t: Tensor<[]>) => (t.item() as number).toFixed(4);

if (isMain(import.meta.url)) await run();
