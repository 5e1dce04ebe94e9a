// typegrad on workloads W1-W6 (definitions: bench/README.md).
// Usage: node bench/typegrad.mjs --mode jit|eager --workload W1|W2|W3|W4|W5|W6|all [--quick]
//        [--warm N --reps N --inner N --warmCalls N]   (timing overrides)
// Imports the BUILT bundle ../dist/index.js (bench/run.mjs runs `npm run build` when dist is stale
// and passes a snapshot of it in $TYPEGRAD_BUNDLE).
//
// Completion: typegrad is synchronous and has no lazy/async arrays: every eager op and every
// `jit` call returns concrete tensors whose storage is already computed. So reading a scalar with
// `.item()` is the "read as a JS number" of the other peers, and a returned gradient is already
// materialised (we check `grad.concrete() !== null`, which is free; `.data()` would add a copy).
// W1 reads C with `.data()` (a copy to a fresh Float32Array), like `dataSync()` in tfjs / jax-js.
import fs from "node:fs";
import path from "node:path";
import {
  parseArgs, uniform, timeit, median, spread, report, timing, runWorkloads, BENCH_DIR,
  W1_SIZES, W3_N, W4, W5, SIZES, w6Loop, w6Record,
} from "./common.mjs";
import { tensorOf, w2Setup } from "./typegrad-w2.mjs";
import { w6Setup } from "./typegrad-w6.mjs";

const args = parseArgs();
const mode = args.mode || "jit";
if (mode !== "jit" && mode !== "eager") throw new Error(`--mode must be jit or eager, not ${mode}`);
const workload = args.workload || "all";

// $TYPEGRAD_BUNDLE: run.mjs points it at a private copy of dist/index.js taken at the start of the
// run, so a rebuild of dist/ by someone else during the run cannot mix two builds in one table.
const bundle = process.env.TYPEGRAD_BUNDLE ? path.resolve(process.env.TYPEGRAD_BUNDLE) : path.join(BENCH_DIR, "../dist/index.js");
const tg = await import(bundle);
const { fromArray, matmul, add, sub, mul, tanh, sum, square, relu, jit, valueAndGrad, tree, losses, nn, concat, slice, reshape, zeros } = tg;
const version = JSON.parse(fs.readFileSync(path.join(BENCH_DIR, "../package.json"), "utf8")).version;
const system = `typegrad-${mode}`;
// Threads a large float32 product may use (the other work runs on the calling thread).
const meta = { system, version, threads: (tg.kernelThreads ?? tg.matmulThreads)?.() ?? 1 };
const J = (f) => (mode === "jit" ? jit(f) : f);
console.error(`# typegrad ${version} mode=${mode} (${path.relative(process.cwd(), bundle)})`);

/** A float32 / int32 tensor from a typed array. */
const T = (data, shape, dtype) => tensorOf(tg, data, shape, dtype);
function materialised(t) {
  if (t.concrete() === null) throw new Error("result is not concrete");
}

async function w1() {
  const mm = J((a, b) => matmul(a, b));
  for (const n of W1_SIZES) {
    const a = T(uniform(n * n, -1, 1, 1), [n, n]);
    const b = T(uniform(n * n, -1, 1, 2), [n, n]);
    const s = await timeit(() => { mm(a, b).data(); }, timing("W1", args)(n));
    const t = median(s);
    report({ ...meta, workload: "W1", size: n, ms: +(t * 1e3).toFixed(3), gflops: +(2 * n ** 3 / t / 1e9).toFixed(2), spread: spread(s) });
  }
}

async function w2() {
  const setup = w2Setup(tg, mode === "jit");
  let params = setup.params;
  const { x, labels, step } = setup;
  let lastLoss = 0;
  let steps = 0;
  const doStep = () => {
    const [l, newP] = step(params, x, labels);
    params = newP;
    lastLoss = l.item();
    steps++;
  };
  doStep();
  const firstLoss = lastLoss;
  const rss0 = process.memoryUsage().rss;
  const s = await timeit(doStep, timing("W2", args)());
  const t = median(s);
  report({ ...meta, workload: "W2", size: SIZES.W2, ms: +(t * 1e3).toFixed(3), stepsPerS: +(1 / t).toFixed(1), spread: spread(s),
    firstLoss: +firstLoss.toFixed(4), lastLoss: +lastLoss.toFixed(4), steps,
    rssGrowthMB: +((process.memoryUsage().rss - rss0) / 2 ** 20).toFixed(1) });
}

async function w3() {
  const x = T(uniform(W3_N, -1, 1, 3), [W3_N]);
  const f = J(valueAndGrad((x) => sum(mul(tanh(add(mul(x, 2), 1)), x))));
  let v = 0;
  const call = () => { const [value, g] = f(x); v = value.item(); materialised(g); };
  call();
  const s = await timeit(call, timing("W3", args)());
  report({ ...meta, workload: "W3", size: SIZES.W3, ms: +(median(s) * 1e3).toFixed(3), spread: spread(s), value: v });
}

async function w4() {
  const w = T(uniform(W4.n, -1, 1, 4), [W4.n]);
  const x = T(uniform(W4.n, -1, 1, 5), [W4.n]);
  const y = T(uniform(W4.n, -1, 1, 6), [W4.n]);
  const f = J(valueAndGrad((w, x, y) => sum(square(sub(mul(w, x), y)))));
  let v = 0;
  const call = () => { const [value, g] = f(w, x, y); v = value.item(); materialised(g); };
  const t = timing("W4", args)();
  for (let i = 0; i < t.warmCalls; i++) call();
  const s = await timeit(call, { warm: 0, reps: t.reps, inner: t.inner });
  report({ ...meta, workload: "W4", size: SIZES.W4, ms: +(median(s) * 1e3).toFixed(5), us: +(median(s) * 1e6).toFixed(2), spread: spread(s), value: v });
}

// SAME 3x3 conv, stride 1, NHWC input, HWIO kernel, no bias.
// Preferred: the library's own conv (nn.conv2d layer, im2col: pad + 9 strided slices + concat +
// one dotGeneral), applied with a constant zero bias (the layer always adds one; the extra add of
// zeros is one elementwise op on the output). Fallback (no nn.conv2d): the same im2col written here
// from public ops, with the padding done by concatenating zero borders.
function makeConv(cin, cout, batch) {
  if (nn && typeof nn.conv2d === "function") {
    const layer = nn.conv2d(cin, cout, 3, { padding: "same" });
    const b = zeros([cout]);
    return { how: "nn.conv2d(padding same).apply with zero bias", conv: (x, k) => layer.apply({ w: k, b }, x) };
  }
  return {
    how: "bench im2col from public ops (concat-pad + 9 slices + concat + matmul)",
    conv: (x, k) => {
      const [bs, h, w, c] = x.shape;
      const zr = zeros([bs, 1, w, c]);
      let p = concat([zr, x, zr], 1);
      const zc = zeros([bs, h + 2, 1, c]);
      p = concat([zc, p, zc], 2);
      const cols = [];
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) cols.push(slice(p, [0, i, j, 0], [bs, i + h, j + w, c]));
      const m = reshape(concat(cols, 3), [bs * h * w, 9 * c]);
      return reshape(matmul(m, reshape(k, [9 * c, cout])), [bs, h, w, cout]);
    },
  };
}

async function w5() {
  const { batch, hw, c0, c1, c2, k } = W5;
  const x = T(uniform(batch * hw * hw * c0, 0, 1, 9), [batch, hw, hw, c0]); // NHWC
  const k1 = T(uniform(k * k * c0 * c1, -1 / 3, 1 / 3, 10), [k, k, c0, c1]); // HWIO
  const k2 = T(uniform(k * k * c1 * c2, -1 / 12, 1 / 12, 11), [k, k, c1, c2]);
  const conv1 = makeConv(c0, c1, batch);
  const conv2 = makeConv(c1, c2, batch);
  console.error(`# W5 conv: ${conv1.how}`);
  const f = J(valueAndGrad((ks, x) => sum(square(conv2.conv(relu(conv1.conv(x, ks[0])), ks[1])))));
  let v = 0;
  const call = () => { const [value, g] = f([k1, k2], x); v = value.item(); g.forEach(materialised); };
  const s = await timeit(call, timing("W5", args)());
  report({ ...meta, workload: "W5", size: SIZES.W5, ms: +(median(s) * 1e3).toFixed(3), spread: spread(s), value: +v.toFixed(2), conv: conv1.how });
}

async function w6() {
  const setup = w6Setup(tg, mode === "jit");
  let { params, state } = setup;
  const { x, labels, step } = setup;
  const run = await w6Loop(() => {
    const [l, p, s] = step(params, state, x, labels);
    params = p;
    state = s;
    return l.item();
  }, timing("W6", args)());
  report(w6Record(meta, run));
}

await runWorkloads({ W1: w1, W2: w2, W3: w3, W4: w4, W5: w5, W6: w6 }, workload, system);
