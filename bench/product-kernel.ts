// The WebAssembly matrix product on its own, with operands and result already in the kernel
// memory (as a jitted program's resident tensors are): no copy in or out, so what is timed is the
// packing and the kernel. Shapes m×k×n; a trailing `:period/kept` keeps the first `kept` rows of
// every `period` (conv strips: W6's first convolution is 107520×9×32:30/28).
//   npx tsx bench/product-kernel.ts [--shapes 107520x9x32:30/28,512x512x512]
// Each shape: the median of five rounds of 30 calls, on all the pool's threads
// (TYPEGRAD_THREADS to limit them). Run it in a checkout of each build to compare kernels.
import * as tg from "../src/index.js";
import { wasmMatmul } from "../src/backend/wasm/matmul.js";
import { kernelRuntime } from "../src/backend/wasm/runtime.js";
// @ts-ignore: a plain ES module of the bench
import { parseArgs } from "./common.mjs";

const DEFAULT = "107520x9x32:30/28,100352x9x32,6272x32x64,6272x64x32,512x512x512,1024x1024x1024,128x784x256";
const args = parseArgs() as { shapes?: string };

tg.setBackend("wasm");
const threads = await tg.kernelThreadsReady();
const mm = wasmMatmul();
const runtime = kernelRuntime();
if (mm === null || !runtime.shared) throw new Error("product-kernel: needs WebAssembly SIMD and shared memory (resident operands)");

/** Resident storage of `n` floats, uniform in [−0.5, 0.5). */
function resident(n: number): Float32Array {
  const a = runtime.residentTake("float32", n, 0) as Float32Array | undefined;
  if (a === undefined) throw new Error(`product-kernel: no resident block for ${n} floats`);
  for (let i = 0; i < n; i++) a[i] = Math.random() - 0.5;
  return a;
}

console.log(`# product kernel, operands resident, ${threads} thread(s); load average ${(await import("node:os")).loadavg()[0].toFixed(2)}`);
for (const spec of (args.shapes ?? DEFAULT).split(",")) {
  const [dims, keepSpec] = spec.split(":");
  const [m, k, n] = dims.split("x").map(Number);
  const keep = keepSpec === undefined ? undefined : (([period, kept]) => ({ period, kept }))(keepSpec.split("/").map(Number));
  const a = resident(m * k);
  const b = resident(k * n);
  const out = resident((keep === undefined ? m : (m / keep.period) * keep.kept) * n);
  const call = () => mm.multiply(a, 0, k, 1, b, 0, n, 1, m, k, n, out, 0, keep);
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 3; i++) call();
    const t = performance.now();
    for (let i = 0; i < 30; i++) call();
    rounds.push((performance.now() - t) / 30);
  }
  rounds.sort((x, y) => x - y);
  const ms = rounds[2];
  console.log(`${spec.padEnd(24)} ${ms.toFixed(3)} ms  ${((2 * m * k * n) / ms / 1e6).toFixed(1)} GFLOP/s`);
  for (const x of [a, b, out]) runtime.residentGive(x);
}
process.exit(0);
