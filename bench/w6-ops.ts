// Where a jitted W6 step spends its time, kernel by kernel: every kernel the WebAssembly backend
// runs (products, convolutions, window kernels, fused loops) is timed as the step runs, and the
// totals per kernel and shape are printed, largest first, with the step's own time beside them.
//
//   npx tsx bench/w6-ops.ts [--steps 10]
//
// It runs the library from src/ (the backend's methods are wrapped with timers, which a bundle does
// not expose), with the workers of TYPEGRAD_THREADS (default: all cores). The timers add a little
// to every call; compare rows with each other and against the same script on another build, not
// with bench/typegrad.mjs's figures.
import * as tg from "../src/index.js";
import { wasmBackend } from "../src/backend/wasm/backend.js";
import type { FusedKernel } from "../src/compiler/fusion.js";
import type { ConcreteTensor } from "../src/core/concrete.js";
// @ts-ignore: a plain ES module of the bench
import { w6Setup } from "./typegrad-w6.mjs";
// @ts-ignore: a plain ES module of the bench
import { parseArgs } from "./common.mjs";

const args = parseArgs() as { steps?: string };
const steps = Math.max(1, Number(args.steps ?? 10));
const totals = new Map<string, { ms: number; calls: number }>();
const record = (key: string, ms: number) => {
  const t = totals.get(key) ?? { ms: 0, calls: 0 };
  t.ms += ms;
  t.calls++;
  totals.set(key, t);
};
const shapeOf = (x: unknown) => (x !== null && typeof x === "object" && "shape" in x ? `[${(x as ConcreteTensor).shape.join(",")}]` : "");

// Wrap every kernel entry point of the backend (fused loops: the runner `compile` returns).
const backend = wasmBackend as unknown as Record<string, unknown>;
for (const name of Object.keys(backend)) {
  const f = backend[name];
  if (typeof f !== "function" || ["supports", "vectorizes", "describe", "readsInputsFirst", "residentStore", "elementwise"].includes(name)) continue;
  if (name === "compile") {
    backend.compile = (kernel: FusedKernel) => {
      const run = (f as (k: FusedKernel) => (ins: readonly ConcreteTensor[]) => ConcreteTensor[])(kernel);
      const key = `fused loop over ${kernel.size} elements, ${kernel.outputs.length} output(s), ${kernel.reductions.length} reduction(s)`;
      return (ins: readonly ConcreteTensor[]) => {
        const t = performance.now();
        const out = run(ins);
        record(key, performance.now() - t);
        return out;
      };
    };
    continue;
  }
  if (name === "epilogue") {
    // a kernel with the loop that finishes its result: timed as it runs
    backend.epilogue = (eqn: { prim: string }, loop: FusedKernel, operand: number) => {
      const run = (f as (e: unknown, k: FusedKernel, o: number) => ((ins: readonly ConcreteTensor[]) => ConcreteTensor[]) | null)(eqn, loop, operand);
      if (run === null) return null;
      return (ins: readonly ConcreteTensor[]) => {
        const t = performance.now();
        const out = run(ins);
        record(`${eqn.prim} ${shapeOf(ins[0])} ${shapeOf(ins[1])} with a loop (${loop.ops.length} ops) as epilogue`, performance.now() - t);
        return out;
      };
    };
    continue;
  }
  backend[name] = (...a: unknown[]) => {
    const t = performance.now();
    const out = (f as (...a: unknown[]) => unknown)(...a);
    record(`${name} ${shapeOf(a[0])}${a[1] !== undefined ? ` ${shapeOf(a[1])}` : ""}`, performance.now() - t);
    return out;
  };
}

tg.setBackend("wasm");
await tg.kernelThreadsReady();
const { params, state, x, labels, step } = w6Setup(tg, true);
let [p, s] = [params, state];
const run = () => {
  const [, p2, s2] = step(p, s, x, labels);
  [p, s] = [p2, s2];
};
for (let i = 0; i < 3; i++) run();
totals.clear();
const t0 = performance.now();
for (let i = 0; i < steps; i++) run();
const stepMs = (performance.now() - t0) / steps;
console.log(`W6 step: ${stepMs.toFixed(1)} ms (mean of ${steps}, threads ${await tg.kernelThreadsReady()})`);
let accounted = 0;
for (const [key, { ms, calls }] of [...totals].sort((a, b) => b[1].ms - a[1].ms)) {
  accounted += ms / steps;
  if (ms / steps >= 0.05) console.log(`${(ms / steps).toFixed(2).padStart(7)} ms  ${String(calls / steps).padStart(2)}×  ${key}`);
}
console.log(`${accounted.toFixed(1).padStart(7)} ms  in kernels (the rest: planning, calls, small kernels under 0.05 ms)`);
