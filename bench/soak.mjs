// Memory soak: many jitted W2 training steps (784-512-512-10 MLP, batch 128, plain SGD, parameters
// donated; no `dispose` anywhere), sampling the process RSS and the V8 heap as it goes, to show that memory
// stays flat. Prints one line per sample and a verdict: the growth of the median RSS of the last
// quarter of samples over that of the second quarter (after warm-up).
// Usage: npm run build && node bench/soak.mjs [--steps 20000] [--every 1000]
import path from "node:path";
import { BENCH_DIR, parseArgs } from "./common.mjs";
import { w2Setup } from "./typegrad-w2.mjs";

const args = parseArgs();
const steps = +(args.steps ?? 20000);
const every = +(args.every ?? 1000);
// $TYPEGRAD_BUNDLE: another build to soak (e.g. a copy of an earlier dist/index.js), as in typegrad.mjs.
const tg = await import(process.env.TYPEGRAD_BUNDLE ? path.resolve(process.env.TYPEGRAD_BUNDLE) : path.join(BENCH_DIR, "../dist/index.js"));

const setup = w2Setup(tg, true);
let params = setup.params;
const { x, labels, step } = setup;

const mb = (bytes) => +(bytes / 2 ** 20).toFixed(1);
const samples = [];
const start = performance.now();
let lastLoss = NaN;
for (let s = 1; s <= steps; s++) {
  const [l, next] = step(params, x, labels);
  params = next;
  if (s % every === 0) {
    lastLoss = l.item();
    const m = process.memoryUsage();
    const sample = { step: s, rssMB: mb(m.rss), heapMB: mb(m.heapUsed), heapTotalMB: mb(m.heapTotal), externalMB: mb(m.external + m.arrayBuffers), loss: +lastLoss.toFixed(4), seconds: +((performance.now() - start) / 1e3).toFixed(1) };
    samples.push(sample);
    console.log(JSON.stringify(sample));
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const q = Math.max(1, Math.floor(samples.length / 4));
const early = median(samples.slice(q, 2 * q).map((s) => s.rssMB));
const late = median(samples.slice(-q).map((s) => s.rssMB));
const peak = Math.max(...samples.map((s) => s.rssMB));
console.log(
  `${steps} steps in ${samples.at(-1)?.seconds} s; RSS median ${early} MB (2nd quarter) → ${late} MB (last quarter), ` +
    `growth ${(late - early).toFixed(1)} MB; peak ${peak} MB; final loss ${lastLoss.toFixed(4)}`,
);
