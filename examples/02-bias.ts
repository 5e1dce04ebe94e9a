/**
 * 02 — Why a bias: the target y = 2·x + 3 does not pass through the origin. A model y = w·x can
 * only tilt a line through (0, 0); y = w·x + b can also shift it. Both are fitted by gradient
 * descent on the same data.
 */
import { add, grad, mean, mul, random, square, sub, tensor, type Tensor } from "../src/index.js";
import { linePlot } from "./lib/plot.js";
import { isMain, logger, type RunOptions } from "./lib/run.js";

export async function run(options: RunOptions = {}) {
  const log = logger(options);
  const x = random.uniform(random.key(1), [64], { minval: -1, maxval: 1 });
  const y = add(mul(x, 2), 3);
  const steps = options.quick ? 100 : 200;
  const lr = 0.3;

  // Without bias: one parameter.
  const lossNoBias = (w: Tensor<[]>) => mean(square(sub(mul(x, w), y)));
  let w = tensor(0);
  for (let i = 0; i < steps; i++) w = sub(w, mul(grad(lossNoBias)(w), lr));

  // With bias: two parameters.
  type Params = { w: Tensor<[]>; b: Tensor<[]> };
  const lossBias = (p: Params) => mean(square(sub(add(mul(x, p.w), p.b), y)));
  let p: Params = { w: tensor(0), b: tensor(0) };
  for (let i = 0; i < steps; i++) {
    const g = grad(lossBias)(p);
    p = { w: sub(p.w, mul(g.w, lr)), b: sub(p.b, mul(g.b, lr)) };
  }

  const withoutBias = lossNoBias(w).item() as number;
  const withBias = lossBias(p).item() as number;
  log(`target: y = 2·x + 3`);
  log(`without bias: y = ${num(w).toFixed(3)}·x          final MSE ${withoutBias.toFixed(4)}  (it cannot lift the line off the origin)`);
  log(`with bias:    y = ${num(p.w).toFixed(3)}·x + ${num(p.b).toFixed(3)}  final MSE ${withBias.toExponential(2)}`);
  if (!options.quick) {
    const grid = Array.from({ length: 21 }, (_, i) => -1 + i / 10);
    const rows = grid.flatMap((g) => [
      { x: g, y: 2 * g + 3, series: "target" },
      { x: g, y: num(w) * g, series: "w·x" },
      { x: g, y: num(p.w) * g + num(p.b), series: "w·x + b" },
    ]);
    log(`plot: ${await linePlot("02-bias.svg", rows, { title: "Fitting y = 2x + 3 with and without a bias", x: "x", y: "y", series: "model" })}`);
  }
  return { withoutBias, withBias };
}

const num = (t: Tensor<[]>) => t.item() as number;

if (isMain(import.meta.url)) await run();
