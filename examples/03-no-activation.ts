/**
 * 03 — Why activations must be non-linear. A stack of dense layers without activations is a
 * composition of affine maps, which is itself one affine map: the example multiplies the trained
 * stack's matrices out, prints the single matrix, and checks it gives the same outputs. Such a
 * model cannot learn XOR (no line separates it); with a ReLU between the layers it can.
 */
import { add, jit, matmul, mean, mul, optim, random, relu, square, sub, tensor, valueAndGrad, type Tensor } from "../src/index.js";
import { isMain, logger, type RunOptions } from "./lib/run.js";

type Dense<I extends number, O extends number> = { w: Tensor<[I, O]>; b: Tensor<[O]> };
type Stack = [Dense<2, 8>, Dense<8, 8>, Dense<8, 8>, Dense<8, 1>];

const xs = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const ys = tensor([[0], [1], [1], [0]]);

function initStack(seed: number): Stack {
  const keys = random.splitList(random.key(seed), 4);
  const dense = <I extends number, O extends number>(k: (typeof keys)[number], i: I, o: O): Dense<I, O> => ({
    w: mul(random.normal(k, [i, o]), Math.sqrt(2 / i)),
    b: mul(random.normal(random.foldIn(k, 1), [o]), 0.1),
  });
  return [dense(keys[0], 2, 8), dense(keys[1], 8, 8), dense(keys[2], 8, 8), dense(keys[3], 8, 1)];
}

/** The stack applied to a batch; `activation` between layers (identity for the linear stack). */
function forward(p: Stack, x: Tensor<[4, 2]>, activation: <S extends Tensor<[4, 8]>>(h: S) => S) {
  const h1 = activation(add(matmul(x, p[0].w), p[0].b));
  const h2 = activation(add(matmul(h1, p[1].w), p[1].b));
  const h3 = activation(add(matmul(h2, p[2].w), p[2].b));
  return add(matmul(h3, p[3].w), p[3].b);
}

function train(activation: <S extends Tensor<[4, 8]>>(h: S) => S, steps: number) {
  const loss = (p: Stack) => mean(square(sub(forward(p, xs, activation), ys)));
  const opt = optim.adam(0.01);
  let params = initStack(3);
  let state = opt.init(params);
  const step = jit((p: Stack, s: typeof state) => {
    const [value, g] = valueAndGrad(loss)(p);
    const [updates, next] = opt.update(g, s, p);
    return [optim.applyUpdates(p, updates), next, value] as const;
  });
  let value = Infinity;
  for (let i = 0; i < steps; i++) {
    const [p, s, v] = step(params, state);
    params = p;
    state = s;
    value = v.item() as number;
  }
  return { params, loss: value };
}

const identity = <S extends Tensor<[4, 8]>>(h: S) => h;
const reluLayer = <S extends Tensor<[4, 8]>>(h: S) => relu(h) as S;

export async function run(options: RunOptions = {}) {
  const log = logger(options);
  const steps = options.quick ? 300 : 1000;

  const linear = train(identity, steps);
  const [l1, l2, l3, l4] = linear.params;
  // Collapse: x·W1·W2·W3·W4 + ((b1·W2 + b2)·W3 + b3)·W4 + b4
  const w = matmul(matmul(matmul(l1.w, l2.w), l3.w), l4.w);
  const b = add(matmul(add(matmul(add(matmul(l1.b, l2.w), l2.b), l3.w), l3.b), l4.w), l4.b);
  const collapsed = add(matmul(xs, w), b);
  const stacked = forward(linear.params, xs, identity);
  const gap = Math.max(...Array.from(sub(collapsed, stacked).data(), Math.abs));
  log("four dense layers, no activation: the trained stack equals ONE affine map x·W + b with");
  log(`W = ${JSON.stringify((w.toArray() as number[][]).map((r) => r.map((v) => +v.toPrecision(3))))}, b = ${(b.toArray() as number[]).map((v) => v.toFixed(4))}`);
  log(`max |stack(x) − (x·W + b)| over the XOR inputs: ${gap.toExponential(2)}`);
  log(`XOR loss without activation after ${steps} Adam steps: ${linear.loss.toFixed(4)} (a line cannot do better than 0.25)`);

  const nonlinear = train(reluLayer, steps);
  const predictions = forward(nonlinear.params, xs, reluLayer);
  log(`XOR loss with ReLU between the layers:            ${nonlinear.loss.toExponential(2)}`);
  log(`predictions with ReLU: ${(predictions.toArray() as number[][]).map((r) => r[0].toFixed(3)).join(", ")}  (targets 0, 1, 1, 0)`);
  return { linearLoss: linear.loss, reluLoss: nonlinear.loss, collapseGap: gap };
}

if (isMain(import.meta.url)) await run();
