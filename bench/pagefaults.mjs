// What a fresh output costs on this machine, apart from any kernel: filling a new 4 MB
// Float32Array (as a call that returns a new 1e6-element tensor must) against filling one that is
// reused. The difference is the first touch of each 4 KiB page (its fault, and the kernel zeroing
// it), which W1 (C and its copy) and W3 (the gradient) pay on every call when the allocator hands
// out fresh pages. It varies with the allocator's history, hence the spread of those workloads.
//   node bench/pagefaults.mjs [--mb 4] [--reps 50]
import { parseArgs } from "./common.mjs";

const args = parseArgs();
const n = (+(args.mb ?? 4) * 2 ** 20) / 4;
const reps = +(args.reps ?? 50);
const src = new Float32Array(n).fill(1);
const kept = [];

function time(fn) {
  fn();
  const samples = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[reps >> 1], min: samples[0], max: samples[reps - 1] };
}

const reused = new Float32Array(n);
const results = {
  "fill a reused array": time(() => reused.set(src)),
  // Three kept alive, as a caller holding the last few results would.
  "fill a new array": time(() => {
    const a = new Float32Array(n);
    a.set(src);
    kept.push(a);
    if (kept.length > 3) kept.shift();
  }),
};
const pages = (n * 4) / 4096;
for (const [what, t] of Object.entries(results)) {
  console.log(`${what.padEnd(20)} median ${t.median.toFixed(3)} ms (min ${t.min.toFixed(3)}, max ${t.max.toFixed(3)})`);
}
const perPage = ((results["fill a new array"].median - results["fill a reused array"].median) / pages) * 1e3;
console.log(`first touch: ~${perPage.toFixed(2)} µs per 4 KiB page (${pages} pages, ${(n * 4) / 2 ** 20} MiB)`);
