// CPU profile of one benchmark job, summarised by self time (functions and source files).
//   node bench/profile.mjs [--top 25] [--bundle <dist/index.js of another build>] -- typegrad.mjs --mode jit --workload W2
// Runs `node --cpu-prof` on bench/<script> with the given arguments (against dist/index.js), then
// attributes each sample to the function it was in and to the src/ file esbuild bundled it from
// (the `// src/...` markers in dist/index.js).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const sep = argv.indexOf("--");
const own = sep < 0 ? [] : argv.slice(0, sep);
const job = sep < 0 ? argv : argv.slice(sep + 1);
const top = +(own[own.indexOf("--top") + 1] ?? 25) || 25;
// --bundle: profile another build (e.g. one of an earlier commit, for a before/after comparison)
const bundle = own.includes("--bundle") ? path.resolve(own[own.indexOf("--bundle") + 1]) : null;
if (job.length === 0) throw new Error("usage: node bench/profile.mjs [--top N] -- typegrad.mjs --mode jit --workload W2");

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tg-prof-"));
const env = { ...process.env };
delete env.TYPEGRAD_BUNDLE;
if (bundle !== null) env.TYPEGRAD_BUNDLE = bundle;
const r = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", dir, path.join(BENCH, job[0]), ...job.slice(1)], { stdio: "inherit", env });
if (r.status !== 0) process.exit(r.status ?? 1);
const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
const prof = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
const keep = path.join(BENCH, "results", `${path.basename(job[0], ".mjs")}-${job.filter((a) => !a.startsWith("--")).slice(1).join("-")}.cpuprofile`);
fs.mkdirSync(path.dirname(keep), { recursive: true });
fs.copyFileSync(path.join(dir, file), keep);
fs.rmSync(dir, { recursive: true, force: true });

// bundle line -> src file, from esbuild's "// src/..." markers
const srcOf = new Map();
function srcFile(url, line) {
  // The bundle is dist/index.js and the chunks it imports (dist/chunks/*.js), or run.mjs's snapshot.
  if (!/\/dist\/.*\.js$/.test(url) && !url.includes("dist-snapshot")) return url ? path.basename(url) : "(native/vm)";
  const p = url.replace(/^file:\/\//, "");
  if (!srcOf.has(p)) {
    const marks = [];
    fs.readFileSync(p, "utf8").split("\n").forEach((l, i) => {
      const m = /^\/\/ (src\/\S+|node_modules\/\S+)$/.exec(l);
      if (m) marks.push([i, m[1]]);
    });
    srcOf.set(p, marks);
  }
  let f = "dist";
  for (const [i, name] of srcOf.get(p)) if (i <= line) f = name; else break;
  return f;
}

// self time per node = hitCount * interval; the sample interval from timeDeltas
const total = prof.timeDeltas.reduce((a, b) => a + b, 0) / 1000; // ms
const hits = prof.nodes.reduce((a, n) => a + (n.hitCount || 0), 0);
const msPerHit = total / hits;
const byFn = new Map();
const byFile = new Map();
for (const n of prof.nodes) {
  if (!n.hitCount) continue;
  const cf = n.callFrame;
  const file = srcFile(cf.url, cf.lineNumber);
  const name = `${cf.functionName || "(anonymous)"}  ${file}:${cf.lineNumber + 1}`;
  byFn.set(name, (byFn.get(name) || 0) + n.hitCount);
  byFile.set(file, (byFile.get(file) || 0) + n.hitCount);
}
const show = (m, k) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k)
  .map(([name, h]) => `${((100 * h) / hits).toFixed(1).padStart(5)} %  ${(h * msPerHit).toFixed(0).padStart(7)} ms  ${name}`).join("\n");
console.log(`\n# ${job.join(" ")}: ${total.toFixed(0)} ms sampled (profile: ${path.relative(process.cwd(), keep)})`);
console.log(`\n## top ${top} functions by self time (line numbers are in the bundle's files)\n${show(byFn, top)}`);
console.log(`\n## self time by source file\n${show(byFile, 15)}`);
