// What bounds W2: the step against its eight matrix products alone (same shapes: three forward,
// five backward, transposes as the step's dotGeneral sees them), timed alternately in one process.
// W2 does 411 MFLOP a step, 2·128·(784·512 + 512·512 + 512·10) forward and twice that less the
// input's gradient backward.
//   node bench/w2-products.mjs [--quick]   ($TYPEGRAD_BUNDLE: another build)
import path from "node:path";
import { BENCH_DIR, median, parseArgs, timeit, uniform } from "./common.mjs";
import { tensorOf, w2Setup } from "./typegrad-w2.mjs";

const args = parseArgs();
const bundle = process.env.TYPEGRAD_BUNDLE ? path.resolve(process.env.TYPEGRAD_BUNDLE) : path.join(BENCH_DIR, "../dist/index.js");
const tg = await import(bundle);
const { matmul, transpose, jit } = tg;
const T = (shape, seed) => tensorOf(tg, uniform(shape[0] * shape[1], -1, 1, seed), shape);
const [x, w0, w1, w2] = [T([128, 784], 1), T([784, 512], 2), T([512, 512], 3), T([512, 10], 4)];
const [h, d10, d512] = [T([128, 512], 5), T([128, 10], 6), T([128, 512], 7)];
const products = jit((x, w0, w1, w2, h, d10, d512) => [
  matmul(x, w0), matmul(h, w1), matmul(h, w2),
  matmul(d10, transpose(w2)), matmul(transpose(h), d10), matmul(d512, transpose(w1)), matmul(transpose(h), d512), matmul(transpose(x), d512),
]);
const s = w2Setup(tg, true);
let p = s.params;
const step = () => {
  const [l, next] = s.step(p, s.x, s.labels);
  p = next;
  l.item();
};
const prods = () => products(x, w0, w1, w2, h, d10, d512)[0].concrete();
const t = args.quick ? { warm: 1, reps: 3, inner: 5 } : { warm: 3, reps: 7, inner: 10 };
const out = { stepMs: [], productsMs: [] };
for (let round = 0; round < 2; round++) {
  out.stepMs.push(+(median(await timeit(step, t)) * 1e3).toFixed(2));
  out.productsMs.push(+(median(await timeit(prods, t)) * 1e3).toFixed(2));
}
const flop = 411e6;
console.log(JSON.stringify({ ...out, productsGflops: +(flop / (median(out.productsMs) * 1e-3) / 1e9).toFixed(1) }));
