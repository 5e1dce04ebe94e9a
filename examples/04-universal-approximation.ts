/**
 * 04 — Universal approximation: one hidden layer of tanh units can fit a non-linear function of
 * one variable, and the fit improves as the layer widens. Widths 2, 4, 8, 32 are trained with Adam
 * on f(x) = sin(3x) + 0.3·x² over [−2, 2]; the final error per width is printed and plotted.
 */
import { add, jit, linspace, matmul, mean, mul, optim, random, reshape, sin, square, sub, tanh, valueAndGrad, type Tensor } from "../src/index.js";
import { linePlot } from "./lib/plot.js";
import { isMain, logger, type RunOptions } from "./lib/run.js";

const N = 200;
type Net<H extends number> = { w1: Tensor<[1, H]>; b1: Tensor<[H]>; w2: Tensor<[H, 1]>; b2: Tensor<[1]> };

const target = (x: Tensor<[typeof N, 1]>) => add(sin(mul(x, 3)), mul(square(x), 0.3));

function fitWidth<H extends number>(h: H, x: Tensor<[typeof N, 1]>, y: Tensor<[typeof N, 1]>, steps: number) {
  const [k1, k2, k3] = random.splitList(random.key(h), 3);
  let params: Net<H> = {
    w1: mul(random.normal(k1, [1, h]), 2),
    b1: mul(random.normal(k2, [h]), 2),
    w2: mul(random.normal(k3, [h, 1]), 1 / Math.sqrt(h)),
    b2: random.normal(random.foldIn(k3, 1), [1]),
  };
  const predict = (p: Net<H>) => add(matmul(tanh(add(matmul(x, p.w1), p.b1)), p.w2), p.b2);
  const loss = (p: Net<H>) => mean(square(sub(predict(p), y)));
  const opt = optim.adam(optim.cosineDecay(0.05, steps, 0.02));
  let state = opt.init(params);
  const step = jit((p: Net<H>, s: typeof state) => {
    const [value, g] = valueAndGrad(loss)(p);
    const [u, next] = opt.update(g, s, p);
    return [optim.applyUpdates(p, u), next, value] as const;
  });
  let value = Infinity;
  for (let i = 0; i < steps; i++) {
    const [p, s, v] = step(params, state);
    params = p;
    state = s;
    value = v.item() as number;
  }
  return { loss: value, fit: Array.from(predict(params).data()) };
}

export async function run(options: RunOptions = {}) {
  const log = logger(options);
  const x = reshape(linspace(-2, 2, N), [N, 1]);
  const y = target(x);
  const widths = options.quick ? [2, 32] : [2, 4, 8, 32];
  const steps = options.quick ? 600 : 2000;
  const results: { width: number; loss: number; fit: number[] }[] = [];
  for (const h of widths) {
    const r = fitWidth(h, x, y, steps);
    results.push({ width: h, ...r });
    log(`hidden width ${String(h).padStart(3)}: mean squared error ${r.loss.toExponential(3)}`);
  }
  if (!options.quick) {
    const xsv = Array.from(x.data());
    const rows = [
      ...xsv.map((v, i) => ({ x: v, y: y.data()[i], series: "target" })),
      ...results.flatMap((r) => xsv.map((v, i) => ({ x: v, y: r.fit[i], series: `width ${r.width}` }))),
    ];
    log(`plot: ${await linePlot("04-universal-approximation.svg", rows, { title: "One hidden tanh layer fitting sin(3x) + 0.3x²", x: "x", y: "y", series: "model" })}`);
  }
  return results.map(({ width, loss }) => ({ width, loss }));
}

if (isMain(import.meta.url)) await run();
