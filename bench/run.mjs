// One command for the whole benchmark: `npm run bench` from the project root.
//
//   node bench/run.mjs [--only <regex>] [--quick] [--runs N] [--timeout <s>] [--out <file>]
//
// 1. installs bench/'s pinned peers (`npm ci` in bench/) if bench/node_modules is missing;
// 2. builds typegrad (`npm run build`) if dist/index.js is missing or older than src/;
// 3. runs every system x workload in its own child process (peak RSS per process from
//    `/usr/bin/time -v`, else the child's process.resourceUsage().maxRSS), collecting the JSON lines;
// 4. prints one markdown table and writes it to bench/RESULTS.md (with --only / --quick it writes
//    bench/results/RESULTS-partial.md instead, unless --out is given); raw lines go to bench/results/.
//
// --runs N runs the whole set N times over (round after round, so that drift of the machine hits
// every system alike) and reports, per system and workload, the median of the N runs.
// --only <regex> keeps the jobs whose "<system> <workload>" matches, e.g. --only typegrad,
// --only W2, --only 'jaxjs-jit W[45]', --only W6 (W6 and W6m), --only 'W6$'. A job that fails or
// times out shows FAIL with its reason.
//
// PyTorch is a column when Debian's python3-torch is installed (/usr/bin/python3 can import torch);
// otherwise RESULTS.md says how to install it and the column is left out.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, W6_MALLOC_ENV } from "./common.mjs";

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const args = parseArgs();
const only = args.only ? new RegExp(args.only) : null;
const quick = !!args.quick;
const timeoutS = +(args.timeout ?? 1800);
const runs = Math.max(1, Math.floor(+(args.runs ?? 1)) || 1);
const partial = !!(only || quick);
const outFile = args.out ? path.resolve(args.out) : path.join(BENCH, partial ? "results/RESULTS-partial.md" : "RESULTS.md");
const log = (...m) => console.error(...m);

// ---- the systems (columns) and workloads ----
const CORES = os.availableParallelism?.() ?? os.cpus().length;
const PYTHON = "/usr/bin/python3"; // Debian's, where python3-torch installs (not a pyenv python3 on PATH)
const TORCH_INSTALL = "apt-get install -y python3-torch libopenblas0-pthread";
const hasTorch = spawnSync(PYTHON, ["-c", "import torch"], { stdio: "ignore" }).status === 0;
const SYSTEMS = [
  { name: "typegrad-jit", script: "typegrad.mjs", args: ["--mode", "jit"] },
  { name: "typegrad-eager", script: "typegrad.mjs", args: ["--mode", "eager"] },
  { name: "tfjs-cpu", script: "tfjs.mjs", args: ["--backend", "cpu"] },
  { name: "tfjs-wasm", script: "tfjs.mjs", args: ["--backend", "wasm"] },
  { name: "jaxjs-jit", script: "jaxjs.mjs", args: ["--device", "wasm", "--jit", "1"] },
  // threads = cores; OpenBLAS on as many, without the machine's core-type presets (they select
  // its slower AVX2 kernels; see /work/shared/bench/README.md).
  ...(hasTorch ? [{ name: "pytorch", python: true, script: "pytorch.py", args: ["--threads", String(CORES)],
    env: { OPENBLAS_NUM_THREADS: String(CORES) }, unsetEnv: ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"] }] : []),
];
const PEERS = ["tfjs-cpu", "tfjs-wasm", "jaxjs-jit", "pytorch"];
/**
 * The workload columns of a job: `workload` is what the script runs; W6 runs with glibc's malloc
 * thresholds fixed (W6_MALLOC_ENV: every peer in its steady state from the first step) and W6m
 * again without them, for the systems fast enough that it matters. `optIn` systems run it only
 * when --only names them: tfjs-cpu takes ~7 minutes per W6 step here (422 s measured under load).
 */
const WORKLOADS = [
  ...["W1", "W2", "W3", "W4", "W5"].map((w) => ({ id: w, workload: w })),
  { id: "W6", workload: "W6", env: W6_MALLOC_ENV, optIn: ["tfjs-cpu"] },
  { id: "W6m", workload: "W6", systems: ["typegrad-jit", "pytorch"] },
];
// Per-job timing overrides for measurements that would take minutes each, listed in RESULTS.md.
// jax-js takes seconds per W6 step: 21 steps (the loss after 20 updates still checked). tfjs-cpu
// takes minutes per W6 step: one timed step, no loss check.
const OVERRIDES = {
  "jaxjs-jit W6": ["--warm", "0", "--reps", "2", "--inner", "10"],
  "tfjs-cpu W6": ["--warm", "0", "--reps", "1", "--inner", "1"],
};

// ---- setup: peers installed, typegrad built ----
function sh(cmd, cmdArgs, cwd) {
  log(`$ (cd ${path.relative(ROOT, cwd) || "."} && ${cmd} ${cmdArgs.join(" ")})`);
  const r = spawnSync(cmd, cmdArgs, { cwd, stdio: ["ignore", process.stderr, process.stderr] });
  if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(" ")} failed (exit ${r.status})`);
}
if (!fs.existsSync(path.join(BENCH, "node_modules"))) sh("npm", ["ci", "--no-audit", "--no-fund"], BENCH);

function newestMtime(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newestMtime(path.join(p, e)));
  return m;
}
const dist = path.join(ROOT, "dist/index.js");
const srcTime = Math.max(newestMtime(path.join(ROOT, "src")), newestMtime(path.join(ROOT, "scripts/build.mjs")));
if (!fs.existsSync(dist) || fs.statSync(dist).mtimeMs < srcTime) sh("npm", ["run", "build"], ROOT);
else log("# dist/index.js is up to date");
// Every typegrad job imports one private copy of the bundle (dist/index.js is self-contained), so
// a rebuild of dist/ by other work during the run cannot mix builds (or remove dist mid-run).
const git = (a) => spawnSync("git", a, { cwd: ROOT, encoding: "utf8" }).stdout?.trim() ?? "";
const commit = git(["rev-parse", "--short", "HEAD"]);
const dirty = git(["status", "--porcelain", "--", "src"]).split("\n").filter(Boolean).length;
// (dist/index.js imports its shared chunks from dist/chunks/: they are copied beside it)
const snapDir = path.join(BENCH, "results/dist-snapshot");
fs.rmSync(snapDir, { recursive: true, force: true });
fs.mkdirSync(path.join(snapDir, "chunks"), { recursive: true });
const snapshot = path.join(snapDir, "index.js");
fs.copyFileSync(dist, snapshot);
const chunkDir = path.join(ROOT, "dist/chunks");
if (fs.existsSync(chunkDir)) for (const f of fs.readdirSync(chunkDir)) if (f.endsWith(".js")) fs.copyFileSync(path.join(chunkDir, f), path.join(snapDir, "chunks", f));
const distBuilt = fs.statSync(dist).mtime.toISOString().slice(0, 19).replace("T", " ");

// ---- run the jobs ----
const HAS_TIME = fs.existsSync("/usr/bin/time");
const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
fs.mkdirSync(path.join(BENCH, "results"), { recursive: true });
const rawFile = path.join(BENCH, `results/${stamp}.jsonl`);
const logFile = path.join(BENCH, `results/${stamp}.log`);

function runJob(sys, job) {
  const workload = job.id;
  const label = `${sys.name} ${workload}`;
  const childArgs = [path.join(BENCH, sys.script), ...sys.args, "--workload", job.workload, ...(quick ? ["--quick"] : []), ...(OVERRIDES[label] ?? [])];
  const exe = sys.python ? PYTHON : process.execPath;
  const [cmd, cmdArgs] = HAS_TIME ? ["/usr/bin/time", ["-v", exe, ...childArgs]] : [exe, childArgs];
  const env = { ...process.env, TYPEGRAD_BUNDLE: snapshot, ...sys.env, ...job.env };
  for (const k of sys.unsetEnv ?? []) delete env[k];
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(cmd, cmdArgs, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutS * 1000);
    child.on("close", (code) => {
      clearTimeout(timer);
      const recs = [];
      for (const line of out.split("\n")) {
        if (!line.startsWith("{")) continue;
        try { recs.push(JSON.parse(line)); } catch { /* not ours */ }
      }
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
      const peakMB = m ? +(+m[1] / 1024).toFixed(1) : Math.max(0, ...recs.map((r) => r.maxRssMB ?? 0)) || null;
      let fail = recs.find((r) => r.fail)?.fail ?? null;
      if (!fail && timedOut) fail = `timeout after ${timeoutS} s`;
      if (!fail && code !== 0) {
        const lines = err.split("\n").filter((l) => l.trim() && !/^\s+at |^\s*(Command being timed|User time|System time|Percent of CPU|Elapsed|Average|Maximum|Major|Minor|Voluntary|Involuntary|Swaps|File system|Socket|Signals|Page size|Exit status)/.test(l));
        fail = `exit ${code}: ${(lines.find((l) => /Error/.test(l)) ?? lines.at(-1) ?? "").trim().slice(0, 300)}`;
      }
      if (!fail && recs.length === 0) fail = "no result printed";
      const secs = (Date.now() - t0) / 1000;
      fs.appendFileSync(logFile, `\n===== ${label} (${secs.toFixed(1)} s, exit ${code}) =====\n${out}${err}`);
      for (const r of recs) fs.appendFileSync(rawFile, JSON.stringify({ ...r, peakRssMB: peakMB }) + "\n");
      resolve({ label, system: sys.name, workload, recs: recs.filter((r) => !r.fail), peakMB, fail, secs });
    });
  });
}

const jobs = [];
const skippedOptIn = [];
for (const w of WORKLOADS) {
  for (const s of SYSTEMS) {
    const label = `${s.name} ${w.id}`;
    if ((w.systems && !w.systems.includes(s.name)) || (only && !only.test(label))) continue;
    // an opt-in job runs when --only names its system
    if (w.optIn?.includes(s.name) && !(args.only ?? "").includes(s.name)) skippedOptIn.push(label);
    else jobs.push([s, w]);
  }
}
if (jobs.length === 0) throw new Error(`--only ${args.only} matches no "<system> <workload>" job`);
const loadBefore = os.loadavg()[0];
const runResults = [];
const tStart = Date.now();
for (let round = 1; round <= runs; round++) {
  for (const [i, [s, w]] of jobs.entries()) {
    process.stderr.write(`[${runs > 1 ? `run ${round}/${runs}, ` : ""}${i + 1}/${jobs.length}] ${s.name} ${w.id} ... `);
    const r = await runJob(s, w);
    runResults.push(r);
    const summary = r.fail ? `FAIL (${r.fail})` : r.recs.map((x) => (x.gflops !== undefined ? `N=${x.size} ${x.gflops} GFLOP/s` : `${x.ms} ms`)).join(", ");
    log(`${r.secs.toFixed(1)} s: ${summary}`);
  }
}
/** The median of the runs of one job: timings and peak RSS by median, everything else from the first run. */
function mergeRuns(rs) {
  const ok = rs.filter((r) => !r.fail);
  if (ok.length === 0) return rs[0];
  const med = (xs) => {
    const v = xs.filter((x) => typeof x === "number").sort((a, b) => a - b);
    return v.length === 0 ? undefined : v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  const recs = ok[0].recs.map((first) => {
    const same = ok.map((r) => r.recs.find((x) => x.size === first.size)).filter(Boolean);
    const merged = { ...first };
    for (const key of ["ms", "us", "gflops"]) if (typeof first[key] === "number") merged[key] = +med(same.map((x) => x[key])).toPrecision(4);
    return merged;
  });
  return { ...ok[0], recs, peakMB: med(ok.map((r) => r.peakMB)) ?? null, runs: ok.length };
}
const results = jobs.map(([s, w]) => mergeRuns(runResults.filter((r) => r.system === s.name && r.workload === w.id)));
const totalMin = (Date.now() - tStart) / 60000;

// ---- table ----
const get = (sys, w) => results.find((r) => r.system === sys && r.workload === w);
const fmt = (x) => (x === null || x === undefined || Number.isNaN(x) ? "-" : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(2));
// Each row: how to read a value from a job, and whether higher is better (for the ratio).
const ROWS = [
  ...[128, 512, 1024].map((n) => ({ label: `W1 matmul N=${n} GFLOP/s`, w: "W1", higher: true, val: (r) => r.recs.find((x) => x.size === n)?.gflops })),
  { label: "W2 MLP train step ms", w: "W2", val: (r) => r.recs[0]?.ms },
  { label: "W2 peak RSS MB", w: "W2", val: (r) => r.peakMB, rss: true },
  { label: "W3 fused elementwise ms/call", w: "W3", val: (r) => r.recs[0]?.ms },
  { label: "W4 small-op µs/call", w: "W4", val: (r) => r.recs[0]?.us },
  { label: "W5 conv fwd+bwd ms/step", w: "W5", val: (r) => r.recs[0]?.ms },
  { label: "W6 CNN train step ms", w: "W6", val: (r) => r.recs[0]?.ms },
  { label: "W6 peak RSS MB", w: "W6", val: (r) => r.peakMB, rss: true },
  { label: "W6m CNN train step ms (default malloc)", w: "W6m", val: (r) => r.recs[0]?.ms },
  { label: "W6m peak RSS MB (default malloc)", w: "W6m", val: (r) => r.peakMB, rss: true },
];
const cols = SYSTEMS.map((s) => s.name).filter((n) => results.some((r) => r.system === n));
const ratioPeers = results.some((r) => r.system === "typegrad-jit") ? PEERS.filter((p) => cols.includes(p)) : [];
const fails = [];
const cell = (sys, row) => {
  const r = get(sys, row.w);
  if (!r) return { text: "-", v: null };
  if (r.fail) {
    if (!fails.some((f) => f.label === r.label)) fails.push({ label: r.label, reason: r.fail });
    return { text: "FAIL", v: null };
  }
  const v = row.val(r);
  return { text: fmt(v), v: v ?? null };
};
const header = ["workload", ...cols, ...ratioPeers.map((p) => `jit vs ${p}`)];
const lines = [`| ${header.join(" | ")} |`, `|${header.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`];
for (const row of ROWS) {
  if (!cols.some((c) => get(c, row.w))) continue;
  const cells = cols.map((c) => cell(c, row));
  const tg = cells[cols.indexOf("typegrad-jit")]?.v ?? null;
  const ratios = ratioPeers.map((p) => {
    const pv = cells[cols.indexOf(p)].v;
    if (tg === null || pv === null || tg === 0 || pv === 0) return "-";
    const k = row.higher ? tg / pv : pv / tg; // > 1 = typegrad-jit faster (or smaller)
    return `${k >= 10 ? k.toFixed(0) : k.toFixed(2)}×`;
  });
  lines.push(`| ${[row.label, ...cells.map((c) => c.text), ...ratios].join(" | ")} |`);
}
const table = lines.join("\n");

// ---- correctness: W2 and W6 losses, W3/W4/W5 values against the reference numbers ----
const REF = {
  W2: { first: 2.3025, last: 2.2345 },
  W3: { v: 312451, rel: 5e-4 }, // float32 summation order moves the last digits (peers: 312451.6 / 312489.6)
  W4: { v: 5.8512249, rel: 2e-6 },
  W5: { v: 13166, rel: 1e-3 }, // peers: 13168.5 (tfjs, torch) / 13164.0 (jax-js)
  // the loss at the start and after 20 Adam updates (PyTorch 2.301612 → 1.989406; float32 order moves the 6th digit)
  W6: { first: 2.301612, loss20: 1.989406, abs: 1e-3 },
};
const checks = [];
const corrLines = ["| system | W2 loss first → last (steps) | W3 value | W4 value | W5 value | W6 loss first → after 20 updates |", "|---|---|---|---|---|---|"];
for (const c of cols) {
  const rec = (w) => get(c, w)?.recs[0];
  const flag = (ok, what) => {
    if (!ok) checks.push(`${c}: ${what}`);
    return ok ? "" : " **✗**";
  };
  const w2 = rec("W2");
  let w2t = "-";
  if (w2) {
    const ok = w2.firstLoss === REF.W2.first && (w2.steps !== 121 || w2.lastLoss === REF.W2.last);
    w2t = `${w2.firstLoss} → ${w2.lastLoss} (${w2.steps})${flag(ok, `W2 loss ${w2.firstLoss} → ${w2.lastLoss} after ${w2.steps} steps, expected ${REF.W2.first} → ${REF.W2.last} after 121`)}`;
  }
  const val = (w) => {
    const r = rec(w);
    if (!r || r.value === undefined) return "-";
    const ok = Math.abs(r.value - REF[w].v) <= REF[w].rel * Math.abs(REF[w].v);
    return `${r.value}${flag(ok, `${w} value ${r.value}, expected ${REF[w].v} ± ${REF[w].rel * REF[w].v}`)}`;
  };
  const w6 = rec("W6");
  let w6t = "-";
  if (w6) {
    const near = (a, b) => a !== null && Math.abs(a - b) <= REF.W6.abs;
    const ok = near(w6.firstLoss, REF.W6.first) && (w6.loss20 === null || near(w6.loss20, REF.W6.loss20));
    w6t = `${w6.firstLoss} → ${w6.loss20 ?? `- (${w6.steps} steps)`}${flag(ok, `W6 loss ${w6.firstLoss} → ${w6.loss20}, expected ${REF.W6.first} → ${REF.W6.loss20} ± ${REF.W6.abs}`)}`;
  }
  corrLines.push(`| ${c} | ${w2t} | ${val("W3")} | ${val("W4")} | ${val("W5")} | ${w6t} |`);
}

// ---- RESULTS.md ----
const cpus = os.cpus();
const threadsOf = (sys) => results.find((r) => r.system === sys && r.recs[0])?.recs[0].threads ?? "?";
const versions = (sys) => results.find((r) => r.system === sys && r.recs[0])?.recs[0].version ?? "?";
const usedOverrides = Object.entries(OVERRIDES).filter(([k]) => jobs.some(([sys, w]) => `${sys.name} ${w.id}` === k));
const convHow = results.find((r) => r.system.startsWith("typegrad") && r.workload === "W5" && r.recs[0])?.recs[0].conv;
const md = `# typegrad vs JS peers: results

Date: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC. Machine: ${cpus[0].model}, ${cpus.length} cores,
${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average before the run ${loadBefore.toFixed(2)}.
typegrad ${versions("typegrad-jit")} at ${commit}${dirty ? ` + ${dirty} uncommitted src/ files` : ""} (bundle dist/index.js built ${distBuilt} UTC, one copy for the whole run);
@tensorflow/tfjs ${versions("tfjs-cpu") !== "?" ? versions("tfjs-cpu") : versions("tfjs-wasm")}, @jax-js/jax ${versions("jaxjs-jit")} (wasm device), single-threaded;
typegrad splits large float32 matrix products, convolutions and fused loops over ${threadsOf("typegrad-jit")} threads (everything else on one).
${hasTorch ? `PyTorch ${versions("pytorch")} (Debian python3-torch, ${threadsOf("pytorch")} threads; ${results.find((r) => r.system === "pytorch" && r.recs[0])?.recs[0].blas ?? "?"}).` : `PyTorch: not installed, no column (\`${TORCH_INSTALL}\` adds it).`}
Command: \`npm run bench${partial || runs > 1 ? " --" : ""}${args.only ? ` --only '${args.only}'` : ""}${quick ? " --quick" : ""}${runs > 1 ? ` --runs ${runs}` : ""}\` (${totalMin.toFixed(1)} min${quick ? "; --quick: fewer reps, smoke numbers only" : ""}; load average after ${os.loadavg()[0].toFixed(2)}).

Median per-call time over the timed samples${runs > 1 ? `; each cell the median of ${runs} runs (each in its own process, round after round)` : ""}; workloads, data and timing rules in bench/README.md.
Ratio columns: typegrad-jit's speed-up over each peer (peer time / typegrad time, or typegrad GFLOP/s /
peer GFLOP/s; for RSS peer MB / typegrad MB): **> 1 means typegrad-jit is faster (or smaller)**.
Peak RSS = whole child process (${HAS_TIME ? "/usr/bin/time -v" : "process.resourceUsage().maxRSS"}), one process per system × workload.

${table}
${fails.length ? `\nFAIL:\n${fails.map((f) => `- ${f.label}: ${f.reason}`).join("\n")}\n` : ""}
W6 runs with \`GLIBC_TUNABLES=${W6_MALLOC_ENV.GLIBC_TUNABLES}\` (every peer in its steady state from the first step); W6m is the same step without it.

Correctness (reference: W2 loss 2.3025 → 2.2345 after 121 steps; W3 ≈ 312451; W4 5.8512249; W5 ≈ 13165; W6 loss ${REF.W6.first} → ${REF.W6.loss20} ± ${REF.W6.abs} after 20 Adam updates):

${corrLines.join("\n")}

${checks.length ? `Mismatches:\n${checks.map((c) => `- ${c}`).join("\n")}` : "All values agree with the references."}
${convHow ? `\ntypegrad W5 conv: ${convHow}.` : ""}${skippedOptIn.length ? `\nNot run (opt-in, minutes per step; \`--only '<system> <workload>'\` runs them): ${skippedOptIn.join(", ")}.` : ""}${usedOverrides.length ? `\nReduced reps: ${usedOverrides.map(([k, v]) => `${k} ${v.join(" ")}`).join("; ")}.` : ""}
Raw JSON lines: bench/results/${stamp}.jsonl (child output: ${stamp}.log).
`;
// Notes written by hand below KEPT_HEADING (profiles, with the load they were taken under) stay
// when a run rewrites the file.
const KEPT_HEADING = "\n## Profiles";
const previous = fs.existsSync(outFile) ? fs.readFileSync(outFile, "utf8") : "";
const kept = previous.includes(KEPT_HEADING) ? previous.slice(previous.indexOf(KEPT_HEADING)) : "";
fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, md + kept);
console.log(md);
log(`# wrote ${path.relative(ROOT, outFile)}`);
