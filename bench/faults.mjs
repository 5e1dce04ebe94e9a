// What a call of W2 or W3 costs the system, in counts that other work on the machine barely moves:
// minor page faults (fresh pages touched), user and system CPU time per call (all threads), beside
// the median wall time and the peak RSS. Loop that never yields (as `timeit` and `fit` run) by
// default; `--yield` awaits a macrotask between calls (as a UI or server loop does), which is when
// a FinalizationRegistry may report collected results.
//   node bench/faults.mjs [--workload W3|W2] [--calls 100] [--yield]   ($TYPEGRAD_BUNDLE: another build)
import path from "node:path";
import { BENCH_DIR, W3_N, median, parseArgs, uniform } from "./common.mjs";
import { tensorOf, w2Setup } from "./typegrad-w2.mjs";

const args = parseArgs();
const workload = args.workload ?? "W3";
const calls = +(args.calls ?? 100);
const yielding = args.yield !== undefined;
const bundle = process.env.TYPEGRAD_BUNDLE ? path.resolve(process.env.TYPEGRAD_BUNDLE) : path.join(BENCH_DIR, "../dist/index.js");
const tg = await import(bundle);

let call;
if (workload === "W3") {
  const { add, mul, tanh, sum, jit, valueAndGrad } = tg;
  const x = tensorOf(tg, uniform(W3_N, -1, 1, 3), [W3_N]);
  const f = jit(valueAndGrad((x) => sum(mul(tanh(add(mul(x, 2), 1)), x))));
  call = () => f(x)[0].item();
} else if (workload === "W2") {
  const s = w2Setup(tg, true);
  let p = s.params;
  call = () => {
    const [l, next] = s.step(p, s.x, s.labels);
    p = next;
    l.item();
  };
} else throw new Error(`--workload must be W2 or W3, not ${workload}`);

const turn = () => new Promise((resolve) => setImmediate(resolve));
for (let i = 0; i < 20; i++) {
  call();
  if (yielding) await turn();
}
const before = process.resourceUsage();
const walls = [];
for (let i = 0; i < calls; i++) {
  const t0 = performance.now();
  call();
  walls.push(performance.now() - t0);
  if (yielding) await turn();
}
const after = process.resourceUsage();
const per = (key, scale = 1) => +((after[key] - before[key]) / scale / calls).toFixed(2);
console.log(JSON.stringify({
  workload, loop: yielding ? "yields" : "never yields", calls,
  faultsPerCall: Math.round(per("minorPageFault")), userMsPerCall: per("userCPUTime", 1000), sysMsPerCall: per("systemCPUTime", 1000),
  wallMedianMs: +median(walls).toFixed(2), maxRssMB: +(after.maxRSS / 1024).toFixed(1),
}));
