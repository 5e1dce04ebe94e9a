// The memory bandwidth the memory-bound kernels of W6 (pooling, ReLU masks, bias sums over
// 3.2 M-element tensors) can reach: one thread per core copying 64 MiB arrays (Float32Array#set,
// a memcpy) over and over, read and write bytes counted.
//   node bench/bandwidth.mjs [--threads N]
import os from "node:os";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { parseArgs } from "./common.mjs";

const FLOATS = 1 << 24;
const ROUNDS = 10;

if (isMainThread) {
  const args = parseArgs();
  const threads = Number(args.threads ?? os.cpus().length);
  const bytes = FLOATS * 4;
  const memory = new SharedArrayBuffer(threads * 2 * bytes);
  const workers = Array.from({ length: threads }, (_, i) => new Worker(new URL(import.meta.url), { workerData: { memory, i } }));
  const reply = (w) => new Promise((resolve) => w.once("message", resolve));
  await Promise.all(workers.map(reply));
  const t = performance.now();
  const done = workers.map(reply);
  for (const w of workers) w.postMessage("go");
  await Promise.all(done);
  const seconds = (performance.now() - t) / 1000;
  console.log(`# machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, Node ${process.version}; load average ${os.loadavg()[0].toFixed(2)}`);
  console.log(`copy bandwidth: ${((threads * ROUNDS * 2 * bytes) / seconds / 1e9).toFixed(1)} GB/s read + write on ${threads} thread(s) (64 MiB arrays)`);
  for (const w of workers) await w.terminate();
} else {
  const { memory, i } = workerData;
  const bytes = FLOATS * 4;
  const from = new Float32Array(memory, i * 2 * bytes, FLOATS).fill(1);
  const to = new Float32Array(memory, i * 2 * bytes + bytes, FLOATS);
  to.set(from);
  parentPort.postMessage("ready");
  parentPort.once("message", () => {
    for (let r = 0; r < ROUNDS; r++) to.set(from);
    parentPort.postMessage("done");
  });
}
