// First-call cost of jit(grad) of an RNN written with scan, at 10 and 1,000 steps (issue
// "Transforms II", done-when): the IR does not grow with the length, so the first call should cost
// the same trace and compile work at both lengths plus the compute. For each length, in a fresh
// process-wide state per length order: the first call (trace + compile + run), then the median of
// later calls (run only); first − steady is the one-time cost. Also the same RNN as a JS loop
// (unrolled into the IR), whose one-time cost grows with the length.
// Usage: npm run build && node bench/scan-first-call.mjs [--repeats 5]
import path from "node:path";
import { BENCH_DIR, parseArgs } from "./common.mjs";

const args = parseArgs();
const repeats = +(args.repeats ?? 5);
const tg = await import(process.env.TYPEGRAD_BUNDLE ? path.resolve(process.env.TYPEGRAD_BUNDLE) : path.join(BENCH_DIR, "../dist/index.js"));
const { jit, grad, scan, tanh, add, matmul, mul, sum, zeros, reshape, slice, random, makeJaxpr } = tg;

const B = 32;
const H = 24;
const params = {
  w: mul(random.normal(random.key(1), [H, H]), 0.2),
  u: mul(random.normal(random.key(2), [1, H]), 0.5),
  v: mul(random.normal(random.key(3), [H, 1]), 0.2),
};
const cell = (p, h, x) => tanh(add(matmul(h, p.w), matmul(x, p.u)));
const withScan = (p, xs) => sum(scan((h, x) => {
  const next = cell(p, h, x);
  return [next, matmul(next, p.v)];
}, zeros([B, H]), xs)[1]);
const unrolled = (p, xs) => {
  let h = zeros([B, H]);
  let total = zeros([]);
  for (let t = 0; t < xs.shape[0]; t++) {
    h = cell(p, h, reshape(slice(xs, [[t, t + 1]]), [B, 1]));
    total = add(total, sum(matmul(h, p.v)));
  }
  return total;
};

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function measure(loss, length) {
  const xs = random.normal(random.key(length), [length, B, 1]);
  const f = jit(grad(loss));
  let t = performance.now();
  f(params, xs).w.data();
  const first = performance.now() - t;
  const later = [];
  for (let r = 0; r < repeats; r++) {
    t = performance.now();
    f(params, xs).w.data();
    later.push(performance.now() - t);
  }
  const steady = median(later);
  const irLines = String(makeJaxpr(grad(loss))(params, xs)).split("\n").length;
  return { length, irLines, firstMs: +first.toFixed(1), steadyMs: +steady.toFixed(1), oneTimeMs: +(first - steady).toFixed(1) };
}

const rows = [];
for (const [name, loss, lengths] of [["scan", withScan, [10, 1000]], ["JS loop", unrolled, [10, 200]]]) {
  for (const length of lengths) rows.push({ program: name, ...measure(loss, length) });
}
console.table(rows);
const [s10, s1000] = rows;
console.log(`scan: one-time cost (first − steady) ${s10.oneTimeMs} ms at 10 steps, ${s1000.oneTimeMs} ms at 1,000 steps; IR ${s10.irLines} vs ${s1000.irLines} lines`);

// The same in a warm process: a new function (a new trace and compile) per row, so process
// warm-up (V8, WebAssembly, buffer pools) is out of the one-time cost.
const fresh = [];
for (const [length, scale] of [[10, 2], [1000, 3], [10, 4], [1000, 5]]) {
  const scaled = (p, xs) => mul(withScan(p, xs), scale);
  fresh.push({ program: "scan, new function", ...measure(scaled, length) });
}
console.table(fresh);
