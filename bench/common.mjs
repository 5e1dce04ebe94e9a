// Shared helpers for the typegrad benchmark (typegrad.mjs) and its JS peers (tfjs.mjs, jaxjs.mjs).
// Adapted from our team's peer-baseline scripts: the workload constants, the mulberry32 data
// generator, `timeit` and `median` have exactly the same semantics there and here.
// Workload definitions: bench/README.md.
import { performance } from "node:perf_hooks";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Peer packages are installed beside these scripts (`npm ci` in bench/, done by run.mjs).
export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const PEER_DIR = process.env.PEERBENCH_DIR || BENCH_DIR;
export const peerRequire = createRequire(path.join(PEER_DIR, "package.json"));

export function parseArgs(argv = process.argv.slice(2)) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) continue;
    if (a.includes("=")) {
      const [k, v] = a.slice(2).split("=");
      out[k] = v;
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
      out[a.slice(2)] = argv[++i];
    } else {
      out[a.slice(2)] = "1"; // bare flag, e.g. --quick
    }
  }
  return out;
}

// mulberry32: tiny seeded PRNG so every run sees the same data.
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export function uniform(n, lo, hi, seed) {
  const r = rng(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * r();
  return a;
}
export function randint(n, hi, seed) {
  const r = rng(seed);
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.floor(r() * hi);
  return a;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// (max-min)/median of the timed samples: a per-run noise indicator.
export const spread = (s) => +((Math.max(...s) - Math.min(...s)) / median(s)).toFixed(3);

// Time `inner` calls of fn per sample; `warm` untimed samples first; returns
// per-call seconds of every timed sample. fn may be async.
export async function timeit(fn, { warm = 2, reps = 7, inner = 1 } = {}) {
  for (let w = 0; w < warm; w++) for (let i = 0; i < inner; i++) await fn();
  const samples = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) await fn();
    samples.push((performance.now() - t0) / 1000 / inner);
  }
  return samples;
}

// One JSON line per measurement: system, workload, size, ms (per call / step) or gflops, spread,
// rssMB (current RSS) and maxRssMB (peak RSS of this process so far), plus workload extras.
export function report(rec) {
  const mb = (b) => +(b / 2 ** 20).toFixed(1);
  console.log(JSON.stringify({ ...rec, rssMB: mb(process.memoryUsage().rss), maxRssMB: mb(process.resourceUsage().maxRSS * 1024) }));
}

// Workload constants (see README.md)
export const W1_SIZES = [128, 512, 1024];
export const W1_INNER = { 128: 50, 512: 4, 1024: 1 };
export const W1_TIMING = { warm: 2, reps: 7 };
export const MLP = { sizes: [784, 512, 512, 10], batch: 128, lr: 0.01, warm: 5, reps: 7, inner: 10 };
export const W3_N = 1_000_000;
export const W3_TIMING = { warm: 3, reps: 7, inner: 5 };
export const W4 = { n: 16, calls: 10_000, warmCalls: 1_000, reps: 5 };
export const W5 = { batch: 32, hw: 28, c0: 1, c1: 16, c2: 32, k: 3, warm: 1, reps: 5 };
/**
 * W6, the CNN training step: conv3x3(1→32, SAME) + ReLU + maxPool 2 → conv3x3(32→64, SAME) + ReLU +
 * maxPool 2 → flatten (h, w, c order: 7·7·64 = 3136) → dense(3136→128) + ReLU → dense(128→10), batch
 * 128, mean softmax cross-entropy, Adam. `lossAt`: the loss is also reported after that many updates
 * (the loss the step after them computes), the number every peer must agree on.
 */
export const W6 = {
  batch: 128, hw: 28, c1: 32, c2: 64, hidden: 128, classes: 10, k: 3,
  lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8,
  warm: 40, reps: 5, inner: 10, lossAt: 20,
};
/**
 * glibc's malloc hands big freed blocks back to the OS until its mmap threshold adapts (PyTorch's
 * first few hundred W6 steps then take ~110 ms instead of ~40); this setting gives every peer its
 * steady state at once. run.mjs runs W6 with it, and again without it (W6m).
 */
export const W6_MALLOC_ENV = { GLIBC_TUNABLES: "glibc.malloc.mmap_threshold=268435456:glibc.malloc.trim_threshold=268435456" };

// `--quick`: a smoke run with fewer repetitions (numbers are noisier; W2's loss after the run is
// then not the 121-step reference). Returns the timing options for one workload.
export function timing(workload, args) {
  const quick = !!args.quick;
  const base = {
    W1: (n) => ({ ...W1_TIMING, inner: W1_INNER[n] }),
    W2: () => ({ warm: MLP.warm, reps: MLP.reps, inner: MLP.inner }),
    W3: () => ({ ...W3_TIMING }),
    W4: () => ({ warm: 0, reps: W4.reps, inner: W4.calls, warmCalls: W4.warmCalls }),
    W5: () => ({ warm: W5.warm, reps: W5.reps, inner: 1 }),
    W6: () => ({ warm: W6.warm, reps: W6.reps, inner: W6.inner }),
  }[workload];
  const quickOf = {
    W1: (n) => ({ warm: 1, reps: 3, inner: Math.max(1, W1_INNER[n] >> 2) }),
    W2: () => ({ warm: 1, reps: 3, inner: 3 }),
    W3: () => ({ warm: 1, reps: 3, inner: 2 }),
    W4: () => ({ warm: 0, reps: 3, inner: 1000, warmCalls: 100 }),
    W5: () => ({ warm: 1, reps: 2, inner: 1 }),
    // still past W6.lossAt updates, so the loss check holds
    W6: () => ({ warm: 1, reps: 2, inner: 10 }),
  }[workload];
  return (n) => {
    const t = quick ? quickOf(n) : base(n);
    // explicit per-run overrides (used for systems too slow for the full count)
    for (const k of ["warm", "reps", "inner", "warmCalls"]) if (args[k] !== undefined) t[k] = +args[k];
    return t;
  };
}

// Deterministic MLP initial parameters: W_i ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), b_i = 0.
export function mlpInit() {
  const p = [];
  const s = MLP.sizes;
  for (let i = 0; i < s.length - 1; i++) {
    const bound = 1 / Math.sqrt(s[i]);
    p.push({ w: uniform(s[i] * s[i + 1], -bound, bound, 100 + i), wShape: [s[i], s[i + 1]], b: new Float32Array(s[i + 1]) });
  }
  return p;
}
export function mlpData() {
  return { x: uniform(MLP.batch * MLP.sizes[0], 0, 1, 7), y: randint(MLP.batch, 10, 8) };
}

/**
 * W6's initial parameters, in the order conv1, conv2, dense1, dense2: weights (HWIO for the
 * convolutions, [in, out] for the dense layers) `uniform(n, ±1/√fanIn, 200 + i)`, biases 0.
 */
export function w6Init() {
  const { k, c1, c2, hidden, classes, hw } = W6;
  const flat = (hw / 4) * (hw / 4) * c2;
  const shapes = [[k, k, 1, c1], [k, k, c1, c2], [flat, hidden], [hidden, classes]];
  return shapes.map((shape, i) => {
    const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const n = fanIn * shape[shape.length - 1];
    const bound = 1 / Math.sqrt(fanIn);
    return { w: uniform(n, -bound, bound, 200 + i), wShape: shape, b: new Float32Array(shape[shape.length - 1]) };
  });
}
/** W6's batch: x `[128, 28, 28, 1]` NHWC in [0, 1) and integer labels in [0, 10). */
export function w6Data() {
  const { batch, hw, classes } = W6;
  return { x: uniform(batch * hw * hw, 0, 1, 12), y: randint(batch, classes, 13) };
}

/**
 * Runs a W6 training loop: 1 step, then `timeit` over `t` (`step()` returns the loss as a number).
 * Returns the timed samples, the first loss, the loss after `W6.lossAt` updates (null if the run
 * made fewer) and the last one.
 */
export async function w6Loop(step, t) {
  const losses = [];
  const doStep = async () => { losses.push(await step()); };
  await doStep();
  // CPU time of the whole process (every thread) per step, over the warm and timed steps: on a
  // busy machine it moves far less than the step's wall time.
  const before = process.cpuUsage();
  const samples = await timeit(doStep, t);
  const cpu = process.cpuUsage(before);
  const cpuMs = (cpu.user + cpu.system) / 1000 / (losses.length - 1);
  return { samples, cpuMs, steps: losses.length, firstLoss: losses[0], lossAt: losses[W6.lossAt] ?? null, lastLoss: losses[losses.length - 1] };
}

/** W6's JSON record from a `w6Loop` result. */
export function w6Record(meta, run) {
  const t = median(run.samples);
  const f = (x) => (x === null ? null : +x.toFixed(6));
  return { ...meta, workload: "W6", size: SIZES.W6, ms: +(t * 1e3).toFixed(3), cpuMs: +run.cpuMs.toFixed(1), stepsPerS: +(1 / t).toFixed(2), spread: spread(run.samples),
    firstLoss: f(run.firstLoss), loss20: f(run.lossAt), lastLoss: f(run.lastLoss), steps: run.steps };
}

export const SIZES = {
  W2: "784-512-512-10 b128",
  W3: "1e6",
  W4: "16",
  W5: "32x28x28x1 k3 16,32",
  W6: "CNN 128x28x28x1 32,64,128,10 Adam",
};

// Runs the selected workload(s) of `all` ({W1: fn, ...}); a failing workload prints a FAIL line
// (and the process exits 1) instead of hiding the others.
export async function runWorkloads(all, workload, system) {
  let failed = false;
  for (const [name, fn] of Object.entries(all)) {
    if (workload !== "all" && workload !== name) continue;
    try {
      await fn();
    } catch (e) {
      failed = true;
      const reason = String(e && e.message ? e.message : e).split("\n")[0].slice(0, 300);
      console.log(JSON.stringify({ system, workload: name, fail: reason }));
      console.error(e && e.stack ? e.stack : e);
    }
  }
  if (failed) process.exitCode = 1;
}
