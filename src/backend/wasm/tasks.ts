/**
 * @file The task protocol shared by every WebAssembly kernel module and the worker pool: the
 * control block at the start of the kernel memory, and `work()`, the dispatcher each module
 * exports, through which the calling thread and the pool's workers share the tasks of one job.
 *
 * Each module has a slot, and the slot has its own claim word: a worker that wakes late for a job
 * and runs the dispatcher of the module it last saw can only claim tasks of a job of that same
 * module (a finished job leaves its claim word exhausted), so no task ever runs the wrong code.
 *
 * The control block (byte offsets; every word the runtime, the pool and the modules share is
 * defined here, and `CONTROL_BLOCK` lists them for the test of this layout):
 *
 * | offset | bytes | word or region | line                                          |
 * |-------:|------:|----------------|-----------------------------------------------|
 * |      0 |     4 | `CTL_SEQ`      | its own                                       |
 * |     64 |     4 | `CTL_READY`    | its own                                       |
 * |    128 |     4 | `CTL_KERNEL`   | its own                                       |
 * |    192 |     4 | `CTL_DONE`     | its own                                       |
 * |    256 |     4 | `CTL_AWAKE`    | its own                                       |
 * |    320 |     4 | `CTL_SCRATCH`  | its own (never written)                       |
 * |    384 |    64 | `CTL_FAULT`    | its own (written only when a task faults)     |
 * |    448 | 61120 | `TASKS`        | 955 records of 64 bytes, one per line         |
 * |  61568 |  3968 | `CLAIMS`       | 992 claim words, sixteen per line             |
 * |  65536 | 65536 | `DATA`         | the argument block of the current kernel call |
 * | 131072 |       | `HEAP`         | the scratch area, then resident tensors       |
 *
 * Each counter (and the job's slot, written with every job) owns a 64-byte cache line, so that
 * threads polling one do not slow writers of another. Task records are written before a job and
 * only read during it. Claim words share lines: during a job only its own slot's word is written;
 * the others are at most read, by workers that wake late.
 *
 * A task that faults (a WebAssembly trap, or any exception) never leaves a thread waiting: every
 * dispatcher keeps the task it has claimed and not finished in a global of its instance (so per
 * thread, `CLAIMED`), the thread that catches the fault records it in `CTL_FAULT` (fault.ts),
 * counts that task done and cancels the tasks nobody has claimed yet, so the job ends, and the
 * calling thread throws once it has.
 */
import { Code, I32 } from "./emit.js";

/** Bytes of a cache line: the unit of the layout above. */
export const LINE = 64;

/** Bumped by the calling thread to wake the workers for a job (they `Atomics.wait` on it). */
export const CTL_SEQ = 0;
/** Number of workers that have started and wait for jobs. */
export const CTL_READY = 64;
/** The slot of the module whose job is in progress. */
export const CTL_KERNEL = 128;
/** Number of tasks of the current job that are finished. */
export const CTL_DONE = 192;
/** Number of workers not asleep (running or polling for a job): while enough are, a job needs no notify. */
export const CTL_AWAKE = 256;
/** A word that stays 0, for probing whether a thread may `Atomics.wait` (off every counter's line). */
export const CTL_SCRATCH = 320;
/**
 * The first fault of the current job (fault.ts): a state word (0: none), the faulting task + 1
 * (0: none claimed), the thread (0: the calling one, k: worker k), the length of its message,
 * then the message in ASCII, `FAULT_TEXT_BYTES` at most. Reset by the calling thread with each job.
 */
export const CTL_FAULT = 384;
/** Bytes of a fault's message that `CTL_FAULT` keeps (the rest of its line). */
export const FAULT_TEXT_BYTES = LINE - 16;
/** The task table: one record of `TASK_BYTES` per task, the arguments of a task call. */
export const TASKS = 448;
/** Bytes of one task record (up to sixteen i32). */
export const TASK_BYTES = 64;
/** Most tasks in one job (the records the table holds). */
export const MAX_TASKS = 955;
/** Claim words, one per module slot: `count << 16 | next`, tasks of its job and the next to take. */
export const CLAIMS = TASKS + MAX_TASKS * TASK_BYTES;
/** First byte of the data area (operands and results of the kernels): the control block is its first 64 KiB page. */
export const DATA = 65536;
/** Bytes of the area for the argument block of the current kernel call, from `DATA` on. */
export const ARGS_BYTES = 65536;
/** First byte of the scratch area of the current call (runtime.ts), then of the heap of resident tensors (kernel-heap.ts). */
export const HEAP = DATA + ARGS_BYTES;
/** Module slots (each has a claim word, up to `DATA`); a runtime registers no more modules than this. */
export const MAX_SLOTS = (DATA - CLAIMS) / 4;

/** One word or region of the control block, as the table above describes it. */
export interface ControlRegion {
  readonly name: string;
  readonly at: number;
  readonly bytes: number;
  /** Whether it has its cache line to itself (the counters, and the probe word beside them). */
  readonly ownsLine: boolean;
}

/** Every word and region of the control block, in address order. */
export const CONTROL_BLOCK: readonly ControlRegion[] = [
  { name: "CTL_SEQ", at: CTL_SEQ, bytes: 4, ownsLine: true },
  { name: "CTL_READY", at: CTL_READY, bytes: 4, ownsLine: true },
  { name: "CTL_KERNEL", at: CTL_KERNEL, bytes: 4, ownsLine: true },
  { name: "CTL_DONE", at: CTL_DONE, bytes: 4, ownsLine: true },
  { name: "CTL_AWAKE", at: CTL_AWAKE, bytes: 4, ownsLine: true },
  { name: "CTL_SCRATCH", at: CTL_SCRATCH, bytes: 4, ownsLine: true },
  { name: "CTL_FAULT", at: CTL_FAULT, bytes: LINE, ownsLine: true },
  { name: "TASKS", at: TASKS, bytes: MAX_TASKS * TASK_BYTES, ownsLine: false },
  { name: "CLAIMS", at: CLAIMS, bytes: MAX_SLOTS * 4, ownsLine: false },
];

/**
 * The globals of every module with a dispatcher (`encodeModule`'s `globals`): `claimed`, the task
 * this thread's instance has claimed and not finished, + 1 (0: none).
 */
export const WORK_GLOBALS: readonly string[] = ["claimed"];
/** Index of the `claimed` global. */
const CLAIMED = 0;

/** Byte address of the claim word of `slot`. */
export const claimOf = (slot: number): number => CLAIMS + 4 * slot;

/**
 * work(): takes tasks of the current job of module `slot` until none is left and runs each as a
 * call of function `task` (of `args` i32 parameters, read from the task's record); returns 1 if
 * this thread finished the job's last task (its caller then wakes a waiting calling thread), else
 * 0. A task is claimed by compare-exchange on the slot's claim word, and its record is read only
 * afterwards, so a worker that wakes late, even into a later job, claims only tasks of the job in
 * progress (the job cannot end before the task is done, so its record stays in place until then).
 * The module declares `WORK_GLOBALS`: the task in progress is kept in `claimed` while it runs.
 */
export function emitWork(slot: number, task: number, args: number): Code {
  const claim = claimOf(slot);
  const code = new Code(0);
  const v = code.local(I32);
  const rec = code.local(I32);
  const last = code.local(I32);
  code.block().loop();
  code.i32(0).i32AtomicLoad(claim).set(v);
  // if ((v & 0xffff) >= v >>> 16) stop
  code.get(v).i32(0xffff).i32And().get(v).i32(16).i32ShrU().i32GeU().brIf(1);
  code.i32(0).get(v).get(v).i32(1).i32Add().i32AtomicCmpxchg(claim).get(v).i32Ne().brIf(0);
  code.get(v).i32(0xffff).i32And().i32(1).i32Add().globalSet(CLAIMED);
  code.get(v).i32(0xffff).i32And().i32(TASK_BYTES).i32Mul().i32(TASKS).i32Add().set(rec);
  for (let i = 0; i < args; i++) code.get(rec).i32Load(4 * i);
  code.call(task);
  code.i32(0).globalSet(CLAIMED);
  // last = (atomic DONE += 1) + 1 == count
  code.i32(0).i32(1).i32AtomicAdd(CTL_DONE).i32(1).i32Add().get(v).i32(16).i32ShrU().i32Eq().set(last);
  code.br(0);
  code.end().end();
  code.get(last);
  return code;
}

/** Writes task records (the arguments of task calls) into the table at the start of memory. */
export class TaskTable {
  count = 0;
  constructor(private readonly words: Int32Array) {}
  add(...args: number[]): void {
    const at = (TASKS + this.count * TASK_BYTES) / 4;
    for (let i = 0; i < args.length; i++) this.words[at + i] = args[i];
    this.count++;
  }
}
