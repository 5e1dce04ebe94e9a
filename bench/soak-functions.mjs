// Memory soak of programs made without end: creates and drops many distinct jitted functions (a
// fused loop with its own constant, over one of a few sizes, as a user making a jitted closure per
// learning rate or per call would), sampling the process RSS, to show that compiled code and
// traces stay bounded (issue "Reliability", item 8). Prints one line per sample and a verdict:
// RSS growth after the warm-up (the sample at --warmup functions) to the end, beside what V8's
// heap did over the same span: the young generation (new space), which V8 grows by itself up to
// its limit (16 MB semi-spaces: 32 MB) when allocation is brisk, and the heap in use, which is
// what the library keeps. `--max-semi-space-size=N` (MB) caps the young generation.
// With --new-sizes every function runs over a size of its own (1000 + 4·f elements), so every one
// compiles a loop of a new structure: modules then grow until the worker pool's slots are taken.
// Usage: npm run build && node --expose-gc bench/soak-functions.mjs [--functions 10000] [--every 1000] [--warmup 2000] [--new-sizes]
import path from "node:path";
import v8 from "node:v8";
import { BENCH_DIR, parseArgs } from "./common.mjs";

const args = parseArgs();
const functions = +(args.functions ?? 10000);
const every = +(args.every ?? 1000);
const warmup = +(args.warmup ?? 2000);
const newSizes = args["new-sizes"] !== undefined;
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
  check += fn(newSizes ? random.uniform(random.key(f), [1000 + 4 * f]) : inputs[f % SIZES.length]).item();
  if (f % every === 0) {
    globalThis.gc?.();
    const m = process.memoryUsage();
    const space = (name) => v8.getHeapSpaceStatistics().find((s) => s.space_name === name)?.space_size ?? 0;
    const sample = {
      functions: f,
      rssMB: mb(m.rss),
      heapMB: mb(m.heapUsed),
      heapTotalMB: mb(m.heapTotal),
      newSpaceMB: mb(space("new_space")),
      codeMB: mb(space("code_space")),
      seconds: +((performance.now() - start) / 1e3).toFixed(1),
    };
    samples.push(sample);
    console.log(JSON.stringify(sample));
  }
}
const from = samples.find((s) => s.functions >= warmup) ?? samples[0];
const to = samples.at(-1);
const grew = (key) => (to && from ? (to[key] - from[key]).toFixed(1) : "NaN");
console.log(`${functions} jitted functions made and dropped in ${to?.seconds} s; checksum ${check.toFixed(3)}`);
console.log(
  `after warm-up (${from?.functions} functions → ${to?.functions}): RSS ${from?.rssMB} → ${to?.rssMB} MB, growth ${grew("rssMB")} MB; ` +
    `over the same span V8's young generation grew ${grew("newSpaceMB")} MB, its whole heap ${grew("heapTotalMB")} MB, the heap in use ${grew("heapMB")} MB, code ${grew("codeMB")} MB`,
);
