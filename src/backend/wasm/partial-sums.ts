/**
 * @file Partial results added in a fixed order, in the kernel memory: products cut along k (one C
 * per range of k) and Winograd's filter gradient (one sum per task) leave `count` arrays that must
 * be added in the order of their index, whatever the number of threads, so that results never
 * depend on it. The arrays are cut into ranges of cache lines that the pool's threads share out;
 * each element is still summed in index order.
 */
import { Code, encodeModule, I32, V128, type FunctionDef } from "./emit.js";
import { TaskTable, WORK_GLOBALS, emitWork } from "./tasks.js";
import type { KernelRuntime, WorkExports } from "./runtime.js";

/** Ranges per thread, so that a late worker delays the job little. */
const RANGES_PER_THREAD = 6;

/**
 * sum(dst, src, count, stride, e0, e1): dst[e] = (…(src₀[e] + src₁[e]) + …) + src_{count−1}[e]
 * for the bytes [e0, e1) (multiples of 16) of `count` arrays `stride` bytes apart.
 */
function sum(): Code {
  const code = new Code(6);
  const [DST, SRC, COUNT, STRIDE, E0, E1] = [0, 1, 2, 3, 4, 5];
  const e = code.local(I32);
  const q = code.local(I32);
  const p = code.local(I32);
  const acc = code.local(V128);
  code.get(E0).set(e);
  code.block().loop();
  code.get(e).get(E1).i32GeU().brIf(1);
  code.get(SRC).get(e).i32Add().set(p);
  code.get(p).v128Load().set(acc);
  code.i32(1).set(q);
  code.block().loop();
  code.get(q).get(COUNT).i32GeU().brIf(1);
  code.get(p).get(STRIDE).i32Add().set(p);
  code.get(acc).get(p).v128Load().f32x4Add().set(acc);
  code.get(q).i32(1).i32Add().set(q);
  code.br(0);
  code.end().end();
  code.get(DST).get(e).i32Add().get(acc).v128Store();
  code.get(e).i32(16).i32Add().set(e);
  code.br(0);
  code.end().end();
  return code;
}

/** A module of `sum` as a task function, with its `work` dispatcher (claim word of `slot`). */
function sumModule(sharedMemory: boolean, slot: number): Uint8Array<ArrayBuffer> {
  const functions: FunctionDef[] = [
    { name: "sum", params: Array.from({ length: 6 }, () => I32), results: [], code: sum() },
    { name: "work", params: [], results: [I32], code: emitWork(slot, 0, 6) },
  ];
  return encodeModule(functions, { sharedMemory, globals: WORK_GLOBALS });
}

/** The exports of an instance of `sumModule`. */
interface SumExports extends WorkExports {
  sum(dst: number, src: number, count: number, stride: number, e0: number, e1: number): void;
}


const jobs = new WeakMap<KernelRuntime, { readonly slot: number; readonly exports: SumExports } | null>();

/**
 * Adds the `count` arrays of `bytes` bytes (a multiple of 64) that lie `stride` bytes apart from
 * byte `at` of the runtime's memory, in index order, into the first, on up to `threads` threads.
 * Without a module slot left, the calling thread adds them in JS: the same sums, the same bits.
 */
export function addInOrder(runtime: KernelRuntime, at: number, count: number, stride: number, bytes: number, threads: number): void {
  if (count < 2) return;
  if (!jobs.has(runtime)) {
    const slot = runtime.nextSlot();
    jobs.set(runtime, slot === null ? null : { slot, exports: runtime.add<SumExports>(new WebAssembly.Module(sumModule(runtime.shared, slot)), "sums of partial results (WebAssembly SIMD)") });
  }
  const job = jobs.get(runtime)!;
  if (job === null) {
    const mem = runtime.f32;
    const [first, n] = [at / 4, bytes / 4];
    for (let q = 1; q < count; q++) {
      const from = first + (q * stride) / 4;
      for (let e = 0; e < n; e++) mem[first + e] += mem[from + e];
    }
    return;
  }
  const table = new TaskTable(runtime.table);
  const lines = bytes / 64;
  const parts = threads === 1 ? 1 : Math.min(lines, threads * RANGES_PER_THREAD);
  for (let i = 0; i < parts; i++) table.add(at, at, count, stride, Math.floor((lines * i) / parts) * 64, Math.floor((lines * (i + 1)) / parts) * 64);
  runtime.run(job.slot, job.exports, table.count, threads);
}
