// Memory soak of programs made without end: creates and drops many distinct jitted functions (a
// fused loop with its own constant, over one of a few sizes, as a user making a jitted closure per
// learning rate or per call would), sampling the process RSS, to show that compiled code and
// traces stay bounded (issue "Reliability", item 8). Prints one line per sample and a verdict:
// RSS after the first sample's warm-up vs at the end.
// Usage: npm run build && node bench/soak-functions.mjs [--functions 10000] [--every 1000]
import path from "node:path";
import { BENCH_DIR, parseArgs } from "./common.mjs";

const args = parseArgs();
const functions = +(args.functions ?? 10000);
const every = +(args.every ?? 1000);
// $TYPEGRAD_BUNDLE: another build to soak (e.g. a copy of an earlier dist/index.js), as in typegrad.mjs.
const tg = await import(process.env.TYPEGRAD_BUNDLE ? path.resolve(process.env.TYPEGRAD_BUNDLE) : path.join(BENCH_DIR, "../dist/index.js"));
const { jit, tanh, mul, add, sum, tensor, random } = tg;

const SIZES = [1000, 4096, 20000, 70000];
const inputs = SIZES.map((n, i) => random.uniform(random.key(i), [n]));
const mb = (bytes) => +(bytes / 2 ** 20).toFixed(1);
const samples = [];
const start = performance.now();
let check = 0;
for (let f = 1; f <= functions; f++) {
  const k = 1 + f / functions; // a new constant for every function
  const fn = jit((x) => sum(tanh(add(mul(x, k), 0.5))));
  check += fn(inputs[f % SIZES.length]).item();
  if (f % every === 0) {
    globalThis.gc?.();
    const m = process.memoryUsage();
    const sample = { functions: f, rssMB: mb(m.rss), heapMB: mb(m.heapUsed), seconds: +((performance.now() - start) / 1e3).toFixed(1) };
    samples.push(sample);
    console.log(JSON.stringify(sample));
  }
}
const first = samples[0]?.rssMB ?? NaN;
const last = samples.at(-1)?.rssMB ?? NaN;
console.log(`${functions} jitted functions made and dropped in ${samples.at(-1)?.seconds} s; RSS ${first} MB (after ${every}) → ${last} MB, growth ${(last - first).toFixed(1)} MB; checksum ${check.toFixed(3)}`);
