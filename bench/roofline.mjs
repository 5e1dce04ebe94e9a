// What bounds W6 in typegrad: the arithmetic its step executes, against the speed of the one
// kernel that executes nearly all of it (the WebAssembly SIMD matrix product every convolution
// and dense layer runs on).
//   npm run build && node bench/roofline.mjs [--pytorch <W6 ms per step, to compare>]
// Prints the kernel's GFLOP/s on one thread and on all (a jitted 512² and 1024² product, operands
// copied in and C copied out, as every convolution does), W6's multiply-adds per step as the
// kernels run them (the convolutions' strips compute kw − 1 extra rows per output row, and row
// and column counts round up to the kernel's 4×8 tiles), and so the least time a W6 step can take
// at that speed. Timing rules as in common.mjs (median of samples); run it on a quiet machine.
import os from "node:os";
import { W6, median, parseArgs, timeit, uniform } from "./common.mjs";
import { tensorOf } from "./typegrad-w2.mjs";

const args = parseArgs();
const tg = await import(process.env.TYPEGRAD_BUNDLE ?? new URL("../dist/index.js", import.meta.url).href);
const { matmul, jit, setKernelThreads, kernelThreads, kernelThreadsReady } = tg;

/** GFLOP/s of a jitted n×n product on `threads` threads. */
async function productSpeed(n, threads) {
  setKernelThreads(threads);
  await kernelThreadsReady();
  const a = tensorOf(tg, uniform(n * n, -1, 1, 1), [n, n]);
  const b = tensorOf(tg, uniform(n * n, -1, 1, 2), [n, n]);
  const mm = jit((x, y) => matmul(x, y));
  const s = await timeit(() => mm(a, b).data(), { warm: 2, reps: 7, inner: n <= 512 ? 4 : 1 });
  const t = median(s);
  return (2 * n ** 3) / t / 1e9;
}

const up4 = (x) => Math.ceil(x / 4) * 4;
const up8 = (x) => Math.ceil(x / 8) * 8;

/**
 * Multiply-adds of W6's step as the kernels run them. The 32→64 convolution runs by Winograd's
 * F(2×2, 3×3) (src/backend/wasm/winograd.ts: 3×3, stride 1, 8 or more channels in and out, a
 * multiple of 4): 16 products of [tiles × c]·[c × o] for the forward pass, the same with c and o
 * swapped for the input gradient, [c × tiles]·[tiles × o] for the filter gradient, one tile per
 * 2×2 outputs, columns to 8s. The first layer (one input channel) runs on the patch matrix: the
 * strips' rows (n·h·(w + k − 1) for a stride-1 "same" convolution) times k·k·c times o forward, and
 * the taps' rows (k·k, to 4s) times every output position times o for the filter gradient; its
 * input needs no gradient. The dense layers: three products each.
 */
function w6MultiplyAdds() {
  const { batch: n, hw, c1, c2, hidden, classes, k } = W6;
  const convs = [
    { h: hw, c: 1, o: c1, input: false },
    { h: hw / 2, c: c1, o: c2, input: true },
  ];
  let total = 0;
  const parts = [];
  for (const { h, c, o, input } of convs) {
    const winograd = k === 3 && c % 4 === 0 && o % 4 === 0 && c >= 8 && o >= 8;
    let fwd, dx, dw;
    if (winograd) {
      const tiles = n * Math.ceil(h / 2) ** 2;
      fwd = 16 * tiles * c * up8(o);
      dx = input ? 16 * tiles * o * up8(c) : 0;
      dw = 16 * c * tiles * up8(o);
    } else {
      const rows = n * h * (h + k - 1);
      const kk = k * k * c;
      fwd = up4(rows) * kk * up8(o);
      dx = input ? up4(rows) * k * k * o * up8(c) : 0;
      dw = c === 1 ? up4(kk) * n * h * h * up8(o) : o < kk ? up4(o) * rows * up8(kk) : up4(kk) * rows * up8(o);
    }
    parts.push([`conv ${c}→${o}${winograd ? " by Winograd" : ""} (forward, input gradient, filter gradient)`, fwd + dx + dw]);
    total += fwd + dx + dw;
  }
  const flat = (hw / 4) * (hw / 4) * c2;
  for (const [i, o] of [[flat, hidden], [hidden, classes]]) {
    const macs = up4(n) * i * up8(o) + up4(n) * o * up8(i) + up4(i) * n * up8(o);
    parts.push([`dense ${i}→${o} (three products)`, macs]);
    total += macs;
  }
  return { total, parts };
}

const cores = os.cpus().length;
console.log(`# machine: ${os.cpus()[0].model}, ${cores} cores, Node ${process.version}; load average ${os.loadavg()[0].toFixed(2)}`);
const one = await productSpeed(512, 1);
const all = await productSpeed(1024, cores);
setKernelThreads(undefined);
console.log(`kernel speed: ${one.toFixed(1)} GFLOP/s on one thread (512² product), ${all.toFixed(1)} GFLOP/s on ${kernelThreads()} threads (1024²)`);
const { total, parts } = w6MultiplyAdds();
for (const [name, macs] of parts) console.log(`  ${name}: ${(2 * macs / 1e9).toFixed(3)} GFLOP`);
const gflop = (2 * total) / 1e9;
const floorMs = (gflop / Math.max(all, one * cores)) * 1e3;
console.log(`W6 step: ${gflop.toFixed(2)} GFLOP executed by the product kernel`);
console.log(`least time for a W6 step at ${Math.max(all, one * cores).toFixed(1)} GFLOP/s (the kernel alone, perfectly shared): ${floorMs.toFixed(1)} ms`);
if (args.pytorch !== undefined) {
  const py = Number(args.pytorch);
  console.log(`that floor is ${(floorMs / py).toFixed(2)}× PyTorch's W6 step of ${py} ms (the goal, 1.5× PyTorch's, is ${(1.5 * py).toFixed(1)} ms)`);
}
