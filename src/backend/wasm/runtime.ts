/**
 * @file The memory every WebAssembly kernel runs in, the modules instantiated over it and the
 * pool of workers that run their jobs beside the calling thread. The memory is shared wherever
 * the platform allows (then the pool can start), else private to the calling thread. Kernels run
 * one at a time: each writes its argument block at `DATA` and lays its operands out in the scratch
 * area at `HEAP` (a block of the heap, kernel-heap.ts, when it is larger than the area kept for it),
 * over the previous one's. Where the memory is shared, a running
 * jit plan also keeps its large float32 tensors in the heap (`residentTake`): views of a shared
 * memory stay valid as it grows, so kernels read and write them in place (`addressOf`).
 */
import { CTL_DONE, CTL_KERNEL, DATA, HEAP, MAX_SLOTS, claimOf } from "./tasks.js";
import { KernelHeap } from "./kernel-heap.js";
import { SMALL_ARRAY_BYTES } from "../storage-views.js";
import { kernelThreads, poolReady, WorkerPool } from "./pool.js";
import { callFault, clearFault, faultOf, kernelFault, takeTasks, type Claimed } from "./fault.js";

/** What every kernel module exports: the task dispatcher of tasks.ts, and its `claimed` global. */
export interface WorkExports {
  work(): number;
  readonly claimed: Claimed;
}

/**
 * Bytes kept readable past the top of the heap: a vector loop's last partial vector, and a product
 * reading the padding rows of an operand in place, read a little past a block's end.
 */
const SLACK = 65536;
/**
 * Bytes kept for the scratch area right at `HEAP`, below the resident tensors, where the memory may
 * grow to 1 GiB or more: the scratch then grows in place and never leaves a hole among the tensors
 * (pages of the memory that nothing touches take no physical memory). Larger scratch areas, and
 * all of them in smaller memories, are blocks of the heap.
 */
const SCRATCH_REGION = 64 << 20;
/** Scratch blocks grow in steps of this many bytes. */
const SCRATCH_STEP = 65536;

/** Pages (64 KiB) a shared memory may grow to: the whole 32-bit address space, as an unshared one. */
const SHARED_MAX_PAGES = [65536, 16384, 4096];

export class KernelRuntime {
  private readonly modules: WebAssembly.Module[] = [];
  /** What each slot's module computes, for the errors of its jobs. */
  private readonly names: string[] = [];
  private maxSlots = MAX_SLOTS;
  private workers: WorkerPool | null = null;
  /** Jobs handed to the pool so far (tests check that sharing happened). */
  sharedJobs = 0;
  private f32View: Float32Array;
  private i32View: Int32Array;
  private u8View: Uint8Array;
  private words: Int32Array;
  /** Bytes of the memory (only this thread grows it): spares reading `memory.buffer` on every call. */
  private bytes: number;
  private buffer: ArrayBufferLike;
  /** The memory's buffers (one per size it has had) where tensors may live: views on them are resident. */
  private readonly residentBuffers = new WeakSet<ArrayBufferLike>();
  readonly heap: KernelHeap;
  private scratchAt = -1;
  private scratchBytes = 0;

  private constructor(
    readonly memory: WebAssembly.Memory,
    /** Whether the memory is shared (modules must then import it as shared, and the pool may start). */
    readonly shared: boolean,
    /** Bytes at `HEAP` kept for the scratch area (see `SCRATCH_REGION`), 0 for none. */
    private readonly scratchRegion: number,
  ) {
    this.f32View = new Float32Array(memory.buffer);
    this.i32View = new Int32Array(memory.buffer);
    this.u8View = new Uint8Array(memory.buffer);
    this.words = new Int32Array(memory.buffer, 0, DATA / 4);
    this.bytes = memory.buffer.byteLength;
    this.buffer = memory.buffer;
    if (shared) this.residentBuffers.add(this.buffer);
    this.heap = new KernelHeap(HEAP + scratchRegion, (end) => this.grow(end + SLACK));
  }

  /** A runtime over a shared memory where possible (never with `shared: false`). */
  static create(options: { shared?: boolean } = {}): KernelRuntime {
    const shared = options.shared === false ? null : sharedMemory();
    if (shared === null) return new KernelRuntime(new WebAssembly.Memory({ initial: 2 }), false, 0);
    return new KernelRuntime(shared.memory, true, shared.maxPages >= 16384 ? SCRATCH_REGION : 0);
  }

  /** The slot the next module will take (build its dispatcher for it), or `null` when all are taken. */
  nextSlot(): number | null {
    return this.modules.length < this.maxSlots ? this.modules.length : null;
  }

  /** Takes no slot past `count` (tests of what happens once all are taken); `undefined` restores the limit. */
  limitSlots(count: number | undefined): void {
    this.maxSlots = Math.min(count ?? MAX_SLOTS, MAX_SLOTS);
  }

  /**
   * Instantiates `module` on this thread only (no slot left for the pool: it runs its tasks itself),
   * with its exports guarded as `add` guards them.
   */
  local<E>(module: WebAssembly.Module, name: string): E {
    return guardExports(new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports, name) as unknown as E;
  }

  /**
   * Instantiates `module`, built for slot `nextSlot()`, here and in the pool's workers; `name` says
   * what it computes. Its exported functions other than the task protocol's are guarded: a trap
   * in one of them is a `KernelError` naming the module and the function (see `guardExports`).
   */
  add<E extends WorkExports>(module: WebAssembly.Module, name: string): E {
    const slot = this.nextSlot();
    if (slot === null) throw new Error("KernelRuntime: no module slot left");
    const exports = guardExports(new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports, name) as unknown as E;
    this.modules.push(module);
    this.names.push(name);
    this.workers?.add(slot, module);
    return exports;
  }

  /** Calls of `scratch` so far: each kernel call makes one before it writes its operands (see resident.ts). */
  layouts = 0;

  /**
   * The address of a scratch block of at least `bytes`, where a kernel call lays out its operands
   * (the same block call after call unless a larger one is needed). Every kernel call must get it
   * before writing operands into the memory: resident.ts counts these calls to know that a loop's
   * inputs are still there.
   */
  scratch(bytes: number): number {
    this.layouts++;
    if (bytes <= this.scratchRegion) {
      this.grow(HEAP + bytes + SLACK);
      return HEAP;
    }
    if (this.scratchAt < 0 || bytes > this.scratchBytes) {
      if (this.scratchAt >= 0) this.heap.release(this.scratchAt);
      this.scratchBytes = Math.max(1, Math.ceil(bytes / SCRATCH_STEP)) * SCRATCH_STEP;
      this.scratchAt = this.heap.alloc(this.scratchBytes);
    }
    return this.scratchAt;
  }

  /** Grows the memory to at least `bytes`. */
  private grow(bytes: number): void {
    if (bytes <= this.bytes) return;
    this.memory.grow(Math.ceil((bytes - this.bytes) / 65536));
    const buffer = this.memory.buffer;
    this.buffer = buffer;
    if (this.shared) this.residentBuffers.add(buffer);
    this.f32View = new Float32Array(buffer);
    this.i32View = new Int32Array(buffer);
    this.u8View = new Uint8Array(buffer);
    this.words = new Int32Array(buffer, 0, DATA / 4);
    this.bytes = buffer.byteLength;
  }

  /**
   * The byte address of `storage` in the kernel memory if it lives there (a resident tensor), else
   * -1. Storage of `SMALL_ARRAY_BYTES` bytes or less never does (resident blocks are large, and scan
   * copies slices that small instead of viewing them): those are the arrays V8 keeps on its own
   * heap, whose `buffer` would have to be materialized, a cost paid per call by small programs.
   */
  addressOf(storage: ArrayBufferView): number {
    return storage.byteLength > SMALL_ARRAY_BYTES && this.residentBuffers.has(storage.buffer) ? storage.byteOffset : -1;
  }

  /**
   * Storage for `n` float32 or bool (byte) elements in the kernel memory, freed when `owner`'s run
   * ends at the latest (`releaseOwned`); `undefined` where the memory is not shared (growing an
   * unshared memory would detach the views) or cannot grow to hold it.
   */
  residentTake(dtype: "float32" | "bool", n: number, owner: number): Float32Array | Uint8Array | undefined {
    if (!this.shared) return undefined;
    const make = dtype === "float32" ? (at: number) => new Float32Array(this.buffer, at, n) : (at: number) => new Uint8Array(this.buffer, at, n);
    let at: number;
    try {
      at = this.heap.alloc(dtype === "float32" ? n * 4 : n, owner, make);
    } catch (error) {
      // the memory cannot grow that far (its maximum, or the engine's): ordinary storage then,
      // which an array of that size may still get
      if (error instanceof RangeError) return undefined;
      throw error;
    }
    return this.heap.viewAt(at) as Float32Array | Uint8Array;
  }

  /**
   * Frees `storage`'s block if it is one `residentTake` handed out; true if `storage` lives in the
   * kernel memory at all (a view into a block is left alone: the block's owner frees it).
   */
  residentGive(storage: ArrayBufferView): boolean {
    if (!this.residentBuffers.has(storage.buffer)) return false;
    if (this.heap.viewAt(storage.byteOffset) === storage) this.heap.release(storage.byteOffset);
    return true;
  }

  /** The memory as floats (valid until the next `scratch`). */
  get f32(): Float32Array {
    return this.f32View;
  }

  /** The memory as int32 words (valid until the next `scratch`). */
  get i32(): Int32Array {
    return this.i32View;
  }

  /** The memory as bytes (valid until the next `scratch`). */
  get u8(): Uint8Array {
    return this.u8View;
  }

  /** The control block as words (the task table is written through it). */
  get table(): Int32Array {
    return this.words;
  }

  /**
   * The pool of helper workers: started by the first job large enough to share (a program of
   * small kernels never starts one), or by `ready()`; always `null` where memory cannot be shared.
   * Until its workers have booted, jobs run on the calling thread.
   */
  get pool(): WorkerPool | null {
    return this.workers;
  }

  /** The pool, started if the memory is shared and more than one thread is allowed. */
  startPool(): WorkerPool | null {
    if (this.workers === null && this.shared && kernelThreads() > 1) this.workers = new WorkerPool(this.memory, this.modules);
    return this.workers;
  }

  /**
   * Threads for a job of `work` units, sharing from `minParallel` units on (twice that while the
   * workers sleep: waking one costs more than a polling one): the workers ready, within the setting.
   */
  threadsFor(work: number, minParallel: number): number {
    if (work < minParallel) return 1;
    const pool = this.startPool();
    if (pool === null || (work < 2 * minParallel && pool.awake === 0)) return 1;
    return Math.max(1, Math.min(kernelThreads(), pool.ready + 1));
  }

  /**
   * Runs the `count` tasks in the table through module `slot`'s dispatcher, on `threads` threads
   * (this one included); returns once all are done. With helpers, `meanwhile` (work of this thread's
   * own that the tasks do not need) runs after they are woken, before this thread takes tasks.
   * A task that faults on any thread stops the job; once it is over, a `KernelError` naming the
   * module is thrown (fault.ts), and the runtime is ready for the next job.
   */
  run(slot: number, exports: WorkExports, count: number, threads: number, meanwhile?: () => void): void {
    let failed: { readonly error: unknown } | null;
    if (this.workers !== null) {
      // Even for a job of one thread: a worker that woke late for an earlier job may still claim
      // one of its tasks, so the job ends when every task is done, not when none is left to claim.
      if (threads > 1) this.sharedJobs++;
      failed = this.workers.run(slot, exports, count, threads - 1, meanwhile);
    } else {
      const words = this.words;
      clearFault(words);
      words[CTL_DONE / 4] = 0;
      words[claimOf(slot) / 4] = count << 16;
      words[CTL_KERNEL / 4] = slot;
      meanwhile?.();
      failed = takeTasks(words, slot, exports);
    }
    const fault = faultOf(this.words);
    if (fault !== null) throw kernelFault(this.names[slot], count, fault, fault.thread === 0 ? failed?.error : undefined);
  }

  /** Wakes up to `helpers` workers ahead of a job that this thread is about to prepare. */
  wake(helpers: number): void {
    this.workers?.wake(helpers);
  }

  /** Starts the pool if needed; resolves with its number of workers once they have booted (0 without a pool). */
  async ready(): Promise<number> {
    const pool = this.startPool();
    return pool === null ? 0 : poolReady(pool);
  }
}

/**
 * Exports the calling thread calls outside the task protocol's jobs (packers, copiers, a task run
 * directly by a job of one thread) are not covered by `run`'s fault handling: a trap in one would
 * reach the caller as a bare `WebAssembly.RuntimeError`. Each is wrapped so that it throws a
 * `KernelError` naming the module and the function instead (the engine's error as its cause).
 * `work` is left alone: it runs only inside `run`, which reports faults with the task's number.
 * Nothing of a job is pending when such a call faults, so the runtime needs no cleanup.
 */
function guardExports(exports: WebAssembly.Exports, name: string): WebAssembly.Exports {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(exports)) {
    if (typeof value !== "function" || key === "work") {
      out[key] = value;
      continue;
    }
    const fn = value as (...args: number[]) => unknown;
    out[key] = (...args: number[]): unknown => {
      try {
        return fn(...args);
      } catch (error) {
        throw callFault(name, key, error);
      }
    };
  }
  return out as WebAssembly.Exports;
}

/** A shared memory with the largest maximum the engine grants; `null` where none can be made. */
function sharedMemory(): { memory: WebAssembly.Memory; maxPages: number } | null {
  for (const maximum of SHARED_MAX_PAGES) {
    try {
      return { memory: new WebAssembly.Memory({ initial: 2, maximum, shared: true }), maxPages: maximum };
    } catch {
      // a smaller maximum, or none at all (no SharedArrayBuffer here)
    }
  }
  return null;
}

/**
 * Writes 0 to one element per 4 KiB page of `out[off, off + length)` (all of which will be
 * overwritten), if it spans 1 MiB or more. A fresh output (a new typed array) is faulted in page
 * by page on its first write, which costs ~2–12 µs a page on the 2-core VM measured (a 4 MB output
 * costs milliseconds), so a thread that waits for workers had better pay it meanwhile.
 */
export function touchPages(out: Float32Array | Float64Array | Uint8Array, off: number, length: number): void {
  if (length * out.BYTES_PER_ELEMENT < 1 << 20) return;
  const step = 4096 / out.BYTES_PER_ELEMENT;
  for (let i = off; i < off + length; i += step) out[i] = 0;
  out[off + length - 1] = 0;
}

let runtime: KernelRuntime | undefined;

/** The runtime all kernels share, made on first use. */
export function kernelRuntime(): KernelRuntime {
  runtime ??= KernelRuntime.create();
  return runtime;
}

/**
 * Starts the worker pool now (where memory can be shared and more than one thread is allowed)
 * and resolves, once its workers have booted, with the number of threads large kernels will use.
 * Nothing needs to wait for it: until the workers are up, kernels run on the threads ready.
 * @category Configuration
 */
export async function kernelThreadsReady(): Promise<number> {
  if (typeof WebAssembly === "undefined") return 1;
  return 1 + (await kernelRuntime().ready());
}
