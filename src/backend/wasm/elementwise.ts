/**
 * @file The WebAssembly SIMD lowering of a float32 fused kernel (compiler/fusion.ts): which kernels
 * it takes, their module (the task function of task-loop.ts), and the call. A module depends on
 * the loop's structure alone: the sizes, and where each buffer sits in the kernel memory
 * (runtime.ts), are the words of an argument block written before each call, so loops that differ
 * only in size (or in a constant: literals are inputs) share one module. Inputs and outputs that
 * live in the kernel memory (a jit run's resident tensors, runtime.ts) are used where they lie;
 * the others are copied in and out around each call. The loop is cut into tasks of whole chunks, which the worker pool shares out when
 * the loop is long; the cut depends on the size alone, and each task leaves its part of a full
 * reduction in its own slot, combined in task order, so results never depend on the thread count.
 */
import { ConcreteTensor } from "../../core/concrete.js";
import { allocate } from "../../dtype.js";
import { structureKey, type FusedKernel } from "../../compiler/fusion.js";
import { encodeModule, I32, type FunctionDef } from "./emit.js";
import { ARGS_BYTES, MAX_TASKS, TaskTable, WORK_GLOBALS, emitWork } from "./tasks.js";
import { kernelFault, ownFault } from "./fault.js";
import { KernelError } from "../kernel-error.js";
import { kernelRuntime, touchPages, type WorkExports } from "./runtime.js";
import type { KernelRun } from "../backend.js";
import { emits } from "./alu-emit.js";
import { generate, unrolledVectors } from "./task-loop.js";
import { argBytes, loopArgs, writeArgs, type Layout } from "./loop-args.js";
import { LruMap } from "../../internal/lru.js";
import { ResidentInputs } from "./resident.js";
import { RESIDENT_MIN_BYTES } from "../buffer-pool.js";
/**
 * Whether `kernel` can take this lowering: float32; bool values are lane masks in the loop and
 * bytes in memory (bool arrays read and written elementwise only); row and column reads whose
 * periods are whole vectors; trailing-axes reductions over whole vectors; sums over leading axes
 * with up to `STRIDED_MAX_ROWS` results, a whole number of vectors.
 */
export function wasmSupports(kernel: FusedKernel): boolean {
  const n = kernel.inputs.length;
  return (
    kernel.dtype === "float32" &&
    kernel.ops.every((op) => emits(op, kernel)) &&
    kernel.bool.slice(0, n).every((b, k) => !b || kernel.access[k].kind === "flat") &&
    kernel.access.every((a) => (a.kind === "row" ? a.period % 4 === 0 : a.kind === "column" ? a.repeat % 4 === 0 : true)) &&
    kernel.reductions.every((r) => (r.strided ? r.op === "Add" && r.rows % 4 === 0 && r.rows <= STRIDED_MAX_ROWS : r.rows === 1 || r.length % 4 === 0))
  );
}
/**
 * Most results of a sum over leading axes: each task keeps a float64 partial sum per result
 * (combined in task order afterwards), so their memory grows with results × tasks.
 */
const STRIDED_MAX_ROWS = 4096;
/** Elements per task: a chunk of 64 Ki elements is ~0.1 ms of work, long enough to hand off. */
const CHUNK = 1 << 16;
/** Elements from which a loop is shared with workers (twice that while they sleep). */
const MIN_PARALLEL = 1 << 17;

/** How the loop is cut into tasks: `chunk` elements each (the last takes the rest). */
function chunkOf(kernel: FusedKernel): { chunk: number; tasks: number } {
  // Tasks start on whole vectors and on whole runs of every trailing-axes reduction.
  let unit = 4;
  for (const r of kernel.reductions) if (r.rows > 1 && !r.strided) unit = lcm(unit, r.length);
  // a loop unrolled by the period of its sums over leading axes runs whole periods
  if (unrolledVectors(kernel) > 0) unit = lcm(unit, 4 * unrolledVectors(kernel));
  const chunk = Math.ceil(Math.max(CHUNK, kernel.size / MAX_TASKS) / unit) * unit;
  return { chunk, tasks: Math.max(1, Math.ceil(kernel.size / chunk)) };
}

function lcm(a: number, b: number): number {
  let [x, y] = [a, b];
  while (y !== 0) [x, y] = [y, x % y];
  return (a / x) * b;
}
function layoutOf(kernel: FusedKernel, tasks: number): Layout {
  const vectorBytes = Math.ceil(kernel.size / 4) * 16;
  // Bool arrays: one byte per element, four per vector step; 16-byte aligned like the rest.
  const maskBytes = Math.ceil(kernel.size / 16) * 16;
  // byte offsets in the scratch block (the argument block lies before the heap: loop-args.ts)
  if (argBytes(kernel) > ARGS_BYTES) throw new RangeError(`fused loop: an argument block of ${argBytes(kernel)} bytes exceeds the ${ARGS_BYTES} reserved for it`);
  let at = 0;
  const take = (bytes: number) => {
    const here = at;
    at += bytes;
    return here;
  };
  const bytesOf = (k: number) => {
    const a = kernel.access[k];
    if (a.kind === "scalar") return 16;
    if (a.kind === "row") return a.period * 4;
    if (a.kind === "column") return Math.ceil(kernel.size / a.repeat / 4) * 16;
    return kernel.bool[k] ? maskBytes : vectorBytes;
  };
  const inputs = kernel.inputs.map((_, k) => take(bytesOf(k)));
  const outputs = kernel.outputs.map((o) => take(kernel.bool[o.value] ? maskBytes : vectorBytes));
  const reductions = kernel.reductions.map((r) => take(r.strided ? tasks * r.rows * 8 : r.rows === 1 ? Math.ceil(tasks / 2) * 16 : Math.max(1, Math.ceil(r.rows / 4)) * 16));
  return { inputs, outputs, reductions, bytes: at };
}
interface TaskExports extends WorkExports {
  task(start: number, end: number, t: number, tail: number): void;
}

/** A compiled kernel module: its exports, its slot in the runtime (`null`: it runs on this thread only) and what it computes. */
interface Compiled {
  readonly exports: TaskExports;
  readonly slot: number | null;
  readonly name: string;
}

/** What a kernel's module computes, for its errors: its distinct ALU ops, in order (its size varies from call to call). */
function nameOf(kernel: FusedKernel): string {
  const ops = [...new Set(kernel.ops.filter((op) => op.op !== "Const").map((op) => op.op))];
  const reductions = kernel.reductions.map((r) => `reduce[${r.op}]`);
  const listed = [...ops, ...reductions];
  const shown = listed.length > 8 ? [...listed.slice(0, 8), "…"] : listed;
  return `fused ${kernel.dtype} loop (${shown.join(", ")}; WebAssembly)`;
}

/**
 * Compiled kernels by structure (`structureKey`: sizes and constants are not part of it), so equal
 * loops in different programs, and loops of one program at different sizes, compile once. Modules with
 * a slot are registered with the worker pool for good (there are at most `MAX_SLOTS`); the ones
 * compiled past the last slot run on this thread only and are kept least recently used first, up
 * to `UNSLOTTED_KEPT`, so a process that keeps making new programs keeps bounded memory (a plan
 * still holding a dropped module keeps it alive itself).
 */
const slotted = new Map<string, Compiled>();
const UNSLOTTED_KEPT = 256;
const unslotted = new LruMap<string, Compiled>(UNSLOTTED_KEPT);

/** Modules compiled so far, evicted ones included (tests). */
let compiledCount = 0;

/** How many compiled modules the cache holds, and how many were ever compiled (tests). */
export function compiledModules(): { slotted: number; unslotted: number; compiled: number } {
  return { slotted: slotted.size, unslotted: unslotted.size, compiled: compiledCount };
}

function compileModule(kernel: FusedKernel): Compiled {
  const runtime = kernelRuntime();
  const slot = runtime.nextSlot();
  compiledCount++;
  const task: FunctionDef = { name: "task", params: [I32, I32, I32, I32], results: [], code: generate(kernel) };
  // Past the last slot a module is never registered, so it needs no dispatcher.
  const functions: FunctionDef[] = slot === null ? [task] : [task, { name: "work", params: [], results: [I32], code: emitWork(slot, 0, 4) }];
  const bytes = encodeModule(functions, { sharedMemory: runtime.shared, globals: slot === null ? [] : WORK_GLOBALS });
  const module = new WebAssembly.Module(bytes);
  const name = nameOf(kernel);
  if (slot === null) return { exports: new WebAssembly.Instance(module, { env: { memory: runtime.memory } }).exports as unknown as TaskExports, slot, name };
  return { exports: runtime.add<TaskExports>(module, name), slot, name };
}

/** Lowers `kernel` to a WebAssembly kernel (the caller checked `wasmSupports`). */
export function compileWasm(kernel: FusedKernel): KernelRun {
  const { chunk, tasks } = chunkOf(kernel);
  const layout = layoutOf(kernel, tasks);
  // the period is code in an unrolled loop
  const key = `${structureKey(kernel)}|${unrolledVectors(kernel)}`;
  let module = slotted.get(key) ?? unslotted.get(key);
  if (module === undefined) {
    module = compileModule(kernel);
    if (module.slot === null) unslotted.set(key, module);
    else slotted.set(key, module);
  }
  const { exports, slot, name } = module;
  const runtime = kernelRuntime();
  const { shape, size } = kernel;
  const full = Math.floor(size / 4) * 4;
  // the last task's partial vector: its lanes in the loop
  const tail = size - full;
  const arrays = kernel.inputs.map((_, k) => (kernel.scalar[k] ? -1 : layout.inputs[k] / 4));
  // (row and column inputs are copied whole: their storage is exactly what the loop reads)
  const scalars = kernel.inputs.map((_, k) => (kernel.scalar[k] ? layout.inputs[k] / 4 : -1));
  const boolIn = kernel.inputs.map((_, k) => kernel.bool[k]);
  const reduced = kernel.reductions.map((r) => ({ full: r.rows === 1, strided: r.strided, sum: r.op === "Add", rows: r.rows, shape: r.out.aval.shape as number[] }));
  const boolOut = kernel.outputs.map((o) => kernel.bool[o.value]);
  const resident = new ResidentInputs(kernel.inputs.length);
  // The argument block, its buffers' words rewritten on each call: where each input and output lies
  // (in the scratch area, or in place where resident).
  const words = loopArgs(kernel, layout);
  const nIn = kernel.inputs.length;
  const outWord = 2 * nIn;
  const redWord = outWord + kernel.outputs.length;
  // Loops shorter than resident storage never have a resident output, and copying a smaller input
  // (a view into a resident block) is as right as reading it in place: small loops skip the checks.
  const large = size * 4 >= RESIDENT_MIN_BYTES;
  /** Per output, its address where resident (written in place), else -1 (this call's). */
  const outAt = new Int32Array(kernel.outputs.length);
  return (ins) => {
    const base = runtime.scratch(layout.bytes);
    const f32 = runtime.f32;
    const u8 = runtime.u8;
    const intact = resident.intact(runtime);
    for (let k = 0; k < nIn; k++) {
      const at = base + layout.inputs[k];
      words[k] = at;
      if (boolIn[k]) {
        const inPlace = large ? runtime.addressOf(ins[k].storage) : -1;
        if (inPlace >= 0) words[k] = inPlace;
        else u8.set(ins[k].storage as Uint8Array, at);
      } else if (arrays[k] >= 0) {
        const storage = ins[k].storage as Float32Array;
        const inPlace = large ? runtime.addressOf(storage) : -1;
        if (inPlace >= 0) words[k] = inPlace;
        else resident.copy(intact, k, storage, f32, at / 4);
      } else if (scalars[k] >= 0) f32[at / 4] = ins[k].storage[0];
    }
    for (let q = 0; q < layout.reductions.length; q++) words[redWord + q] = base + layout.reductions[q];
    // each task adds into its own partial sums of a strided reduction
    reduced.forEach((r, q) => r.strided && new Float64Array(runtime.memory.buffer, base + layout.reductions[q], tasks * r.rows).fill(0));
    const threads = slot === null ? 1 : runtime.threadsFor(size, MIN_PARALLEL);
    if (threads > 1) runtime.wake(threads - 1);
    // The outputs are allocated first: where workers run the loop, this thread meanwhile faults in
    // the pages of fresh ones (see touchPages), which would otherwise cost as much as the loop.
    // A resident output is written where it lies.
    const outs = boolOut.map((b) => (b ? allocate("bool", size, false) : allocate("float32", size, false)));
    for (let q = 0; q < outs.length; q++) {
      outAt[q] = large ? runtime.addressOf(outs[q]) : -1;
      words[outWord + q] = outAt[q] >= 0 ? outAt[q] : base + layout.outputs[q];
    }
    writeArgs(runtime.i32, words);
    if (threads === 1 || slot === null) {
      // Called directly: the slot's claim word stays spent, so no worker can take a task.
      for (let t = 0; t < tasks; t++) {
        const end = Math.min((t + 1) * chunk, size);
        try {
          exports.task(t * chunk * 4, Math.min(end, full) * 4, t, end === size ? tail : 0);
        } catch (error) {
          // a slotted module's task is guarded (runtime.ts): report the engine's error with the task's number
          const cause = error instanceof KernelError && error.cause !== undefined ? error.cause : error;
          throw kernelFault(name, tasks, ownFault(t, cause), cause);
        }
      }
    } else {
      const table = new TaskTable(runtime.table);
      for (let t = 0; t < tasks; t++) {
        const end = Math.min((t + 1) * chunk, size);
        table.add(t * chunk * 4, Math.min(end, full) * 4, t, end === size ? tail : 0);
      }
      runtime.run(slot, exports, tasks, threads, () => outs.forEach((o, q) => outAt[q] < 0 && touchPages(o, 0, size)));
    }
    const results: ConcreteTensor[] = [];
    layout.outputs.forEach((offset, q) => {
      const out = outs[q];
      const at = base + offset;
      if (outAt[q] >= 0) {
        // written in place
      } else if (boolOut[q]) out.set(runtime.u8.subarray(at, at + size));
      else out.set(runtime.f32.subarray(at / 4, at / 4 + size));
      results.push(ConcreteTensor.wrap(out, shape, boolOut[q] ? "bool" : "float32"));
    });
    layout.reductions.forEach((offset, q) => {
      const at = base + offset;
      const { full, strided, sum, rows, shape } = reduced[q];
      const out = allocate("float32", rows, false);
      if (strided) {
        // the tasks' partial sums of each result, in task order
        const parts = new Float64Array(runtime.memory.buffer, at, tasks * rows);
        for (let j = 0; j < rows; j++) {
          let total = 0;
          for (let t = 0; t < tasks; t++) total += parts[t * rows + j];
          out[j] = total;
        }
      } else if (full) {
        // the tasks' partial results, in task order
        const parts = new Float64Array(runtime.memory.buffer, at, tasks);
        let total = sum ? 0 : -Infinity;
        for (let t = 0; t < tasks; t++) total = sum ? total + parts[t] : Math.max(total, parts[t]);
        out[0] = total;
      } else {
        out.set(runtime.f32.subarray(at / 4, at / 4 + rows));
      }
      results.push(ConcreteTensor.wrap(out, shape, "float32"));
    });
    resident.end(runtime, outs);
    return results;
  };
}

