/**
 * @file The worker pool behind the WebAssembly kernels: workers that instantiate the same
 * compiled modules over the same shared memory (runtime.ts) and take tasks of a job alongside the
 * calling thread, synchronised by atomics on the control block (see tasks.ts). The pool is
 * optional at every step: until its workers report ready (they start asynchronously), and
 * wherever they cannot start, jobs run on the calling thread alone.
 */
import { CLAIMS, CTL_AWAKE, CTL_DONE, CTL_KERNEL, CTL_READY, CTL_SCRATCH, CTL_SEQ, DATA, claimOf } from "./tasks.js";
import type { WorkExports } from "./runtime.js";
import { clearFault, stopJob, stopJobSource, takeTasks } from "./fault.js";
import { KernelError } from "../kernel-error.js";

// ---- environment ----

interface NodeProcess {
  readonly versions?: { readonly node?: string };
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Node ≥ 20.16: a built-in module, synchronously, without an import statement. */
  readonly getBuiltinModule?: (name: string) => Record<string, unknown>;
}
interface NodeWorker {
  unref(): void;
  postMessage(message: unknown): void;
  on(event: "error", listener: (error: unknown) => void): void;
}
/** A started worker, of Node or of a browser: all the pool does with one is post to it. */
interface Messenger {
  postMessage(message: unknown): void;
}
interface NodeModules {
  readonly Worker: new (source: string, options: { eval: true; execArgv: string[]; resourceLimits?: { maxYoungGenerationSizeMb?: number } }) => NodeWorker;
  readonly cores: number;
}

const nodeProcess = (globalThis as { process?: NodeProcess }).process;
const isNode = typeof nodeProcess?.versions?.node === "string";

function nodeModulesOf(threads: Record<string, unknown>, os: Record<string, unknown>): NodeModules {
  const parallelism = os.availableParallelism as (() => number) | undefined;
  const cpus = os.cpus as () => unknown[];
  return { Worker: threads.Worker as NodeModules["Worker"], cores: parallelism ? parallelism() : cpus().length };
}

/**
 * `node:worker_threads` and `node:os`, taken without an import statement so that the bundle stays
 * free of Node imports: synchronously where Node has `process.getBuiltinModule`, else by a dynamic
 * import (a specifier in a variable is left alone by bundlers), started when this module loads.
 * NB: a dynamic import settles only when the event loop turns, so a program that never yields
 * (no timers, no I/O) gets no workers on such older Node versions.
 */
let nodeLoaded: NodeModules | null = null;
const nodeModules: Promise<NodeModules | null> | null = isNode ? loadNodeModules() : null;

function loadNodeModules(): Promise<NodeModules | null> {
  try {
    const get = nodeProcess?.getBuiltinModule;
    if (get) {
      nodeLoaded = nodeModulesOf(get("node:worker_threads"), get("node:os"));
      return Promise.resolve(nodeLoaded);
    }
  } catch {
    // fall back to the dynamic import
  }
  const load = (name: string): Promise<Record<string, unknown>> => import(/* @vite-ignore */ /* webpackIgnore: true */ name);
  return Promise.all([load("node:worker_threads"), load("node:os")]).then(
    ([threads, os]) => (nodeLoaded = nodeModulesOf(threads, os)),
    () => null,
  );
}

/** Cores of this machine as the platform reports them (1 where unknown). */
function cores(): number {
  if (nodeLoaded) return nodeLoaded.cores;
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

// ---- settings ----

/** Most helper workers, whatever the core count. */
const MAX_WORKERS = 8;

function threadsFromEnv(): number | undefined {
  const v = Number(nodeProcess?.env?.TYPEGRAD_THREADS);
  return Number.isInteger(v) && v >= 1 ? v : undefined;
}

let requestedThreads: number | undefined = threadsFromEnv();

/**
 * Sets how many threads a large kernel (a float32 matrix product or convolution, a long fused
 * loop) may use, the calling thread included: 1 keeps every kernel on the calling thread,
 * `undefined` restores the default (the `TYPEGRAD_THREADS` environment variable in Node, else
 * every core, with at most 8 workers).
 * @category Configuration
 */
export function setKernelThreads(threads: number | undefined): void {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new RangeError(`setKernelThreads: expected a positive integer or undefined, got ${threads}`);
  }
  requestedThreads = threads;
  for (const pool of pools) pool.grow();
}

/**
 * The number of threads kernels may use now (settings and cores; workers may still be starting).
 * @category Configuration
 */
export function kernelThreads(): number {
  return requestedThreads ?? Math.min(cores(), MAX_WORKERS + 1);
}

// ---- workers ----

// Indices of the control block's words (tasks.ts) in an Int32Array over it.
const I_SEQ = CTL_SEQ / 4;
const I_READY = CTL_READY / 4;
const I_DONE = CTL_DONE / 4;
const I_KERNEL = CTL_KERNEL / 4;
const I_AWAKE = CTL_AWAKE / 4;
const I_SCRATCH = CTL_SCRATCH / 4;
const I_CLAIMS = CLAIMS / 4;
/** Words of the control block (it ends where the data area begins). */
const CONTROL_WORDS = DATA / 4;

/**
 * The workers' program. A worker instantiates the modules it is sent (each in its slot), counts
 * itself ready, then forever: polls the job counter for `pollMs` after its last job (napping
 * `napMs` between looks), then sleeps on it (counted out of CTL_AWAKE, so that the caller knows to
 * notify), and runs the dispatcher of the job's module for each new job, waking the calling thread
 * if it finished the job's last task. A job of a module it has not instantiated yet is left to the
 * other threads while it returns to its event loop, where the module's message waits. A task that
 * faults stops the job (fault.ts) and the worker goes on to the next one.
 */
function workerSource(node: boolean): string {
  return `"use strict";
let memory = null, ctl = null, seen = 0, pollMs = 0, napMs = 0, spinMs = 0, id = 0;
const works = [], claims = [];
function add(slot, module) {
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  works[slot] = exports.work;
  claims[slot] = exports.claimed;
}
${stopJobSource()}
function receive(m) {
  if (m.kind === "module") return add(m.slot, m.module);
  ({ memory, pollMs, napMs, spinMs, id } = m);
  m.modules.forEach((module, slot) => add(slot, module));
  ctl = new Int32Array(memory.buffer, 0, ${CONTROL_WORDS});
  seen = Atomics.load(ctl, ${I_SEQ});
  Atomics.add(ctl, ${I_AWAKE}, 1);
  Atomics.add(ctl, ${I_READY}, 1);
  loop();
}
function loop() {
  for (;;) {
    let s = Atomics.load(ctl, ${I_SEQ});
    if (s === seen) {
      const until = performance.now() + pollMs;
      while (s === seen && performance.now() < until) {
        if (napMs > 0) Atomics.wait(ctl, ${I_SEQ}, seen, napMs);
        s = Atomics.load(ctl, ${I_SEQ});
      }
    }
    if (s === seen) {
      Atomics.sub(ctl, ${I_AWAKE}, 1);
      Atomics.wait(ctl, ${I_SEQ}, seen);
      Atomics.add(ctl, ${I_AWAKE}, 1);
      continue;
    }
    seen = s;
    const slot = Atomics.load(ctl, ${I_KERNEL});
    const work = works[slot];
    if (work === undefined) {
      setTimeout(loop, 0);
      return;
    }
    const next = Atomics.load(ctl, ${I_CLAIMS} + slot);
    if ((next & 0xffff) >= next >>> 16) {
      // Woken ahead of a job that the caller is still preparing: watch closely for it.
      const until = performance.now() + spinMs;
      while (Atomics.load(ctl, ${I_SEQ}) === seen && performance.now() < until);
      continue;
    }
    let last;
    try {
      last = work() === 1;
    } catch (error) {
      last = stopJob(slot, claims[slot], error);
    }
    if (last) Atomics.notify(ctl, ${I_DONE});
  }
}
${node ? `require("node:worker_threads").parentPort.on("message", receive);` : `self.onmessage = (e) => receive(e.data);`}
`;
}

/**
 * How long an idle worker keeps polling for the next job before it sleeps (products often come
 * in runs), and how long each poll naps: a nap yields the core, so a worker that the scheduler
 * has put beside the calling thread does not hold it up, and a polling worker needs no (costly)
 * notify. Measured on a 2-core VM: waking a sleeping worker costs the caller ~35 µs and the
 * worker starts ~50–100 µs later; a napping worker sees a job within ~70 µs.
 */
const WORKER_POLL_MS = 1;
const WORKER_NAP_MS = 0.02;
/** How long a worker woken ahead of a job (`wake`) spins for it before it goes back to polling. */
const WORKER_SPIN_MS = 0.25;
/** How long the calling thread polls for the workers' last tasks before it sleeps (where it may). */
const CALLER_SPIN_MS = 0.2;

const pools: WorkerPool[] = [];

/** Workers over one shared memory and its modules, and the calling thread's side of a job. */
export class WorkerPool {
  private readonly ctl: Int32Array;
  private readonly started: Messenger[] = [];
  /** Whether this thread may `Atomics.wait` (not a browser's main thread). */
  private readonly canWait: boolean;

  constructor(
    private readonly memory: WebAssembly.Memory,
    /** The runtime's modules by slot (it appends to this list, and tells `add`). */
    private readonly modules: readonly WebAssembly.Module[],
  ) {
    this.ctl = new Int32Array(memory.buffer, 0, CONTROL_WORDS);
    this.canWait = probeWait(this.ctl);
    pools.push(this);
    this.grow();
  }

  /** Workers that have started and wait for jobs. */
  get ready(): number {
    return Atomics.load(this.ctl, I_READY);
  }

  /** Workers running a job or polling for the next one (the others sleep until notified). */
  get awake(): number {
    return Atomics.load(this.ctl, I_AWAKE);
  }

  /** Starts workers up to the current setting, now or once Node's modules have loaded. */
  grow(): void {
    // In Node the core count is known only once node:os has loaded.
    if (nodeModules !== null && nodeLoaded === null) void nodeModules.then((m) => m !== null && this.spawn());
    else this.spawn();
  }

  /** Sends the module of `slot`, new in the runtime, to the workers started so far. */
  add(slot: number, module: WebAssembly.Module): void {
    for (const worker of this.started) worker.postMessage({ kind: "module", slot, module });
  }

  private spawn(): void {
    const want = Math.min(kernelThreads() - 1, MAX_WORKERS);
    while (this.started.length < want) {
      const id = this.started.length + 1;
      const message = { kind: "start", id, modules: this.modules.slice(), memory: this.memory, pollMs: WORKER_POLL_MS, napMs: WORKER_NAP_MS, spinMs: WORKER_SPIN_MS };
      try {
        if (nodeLoaded !== null) {
          // NB: no inherited flags: `--input-type=module` or a loader would change how the source runs.
          // A worker only polls and runs wasm, allocating next to nothing on its JS heap: a 1 MB young
          // generation (instead of V8's default that grows to 16+ MB) keeps ~4 MB off the process RSS.
          const worker = new nodeLoaded.Worker(workerSource(true), { eval: true, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 1 } });
          worker.on("error", () => {}); // a worker that fails never counts itself ready
          worker.unref();
          worker.postMessage(message);
          this.started.push(worker);
        } else {
          const g = globalThis as { crossOriginIsolated?: boolean };
          if (typeof Worker === "undefined" || g.crossOriginIsolated !== true) return;
          const url = URL.createObjectURL(new Blob([workerSource(false)], { type: "text/javascript" }));
          const worker = new Worker(url);
          worker.postMessage(message);
          this.started.push(worker);
        }
      } catch {
        return; // stays with the workers it has (maybe none): jobs run on fewer threads
      }
    }
  }

  /**
   * Wakes up to `helpers` workers ahead of a job that this thread is about to prepare (copying
   * operands): their wake-up latency then overlaps the preparation, and they spin for the job.
   */
  wake(helpers: number): void {
    Atomics.add(this.ctl, I_SEQ, 1);
    if (Atomics.load(this.ctl, I_AWAKE) < helpers) Atomics.notify(this.ctl, I_SEQ, helpers);
  }

  /**
   * Runs the `count` tasks in the table through the dispatcher of module `slot` on this thread and
   * up to `helpers` workers; returns once all are done, with this thread's own fault if it had one
   * (a worker's is in the control block: fault.ts). The workers are woken first, then this thread
   * runs `meanwhile` (work of its own that the tasks do not need) and takes tasks like any worker.
   * (The claim word is set before the slot: a worker that sees the new slot finds its job.)
   */
  run(slot: number, exports: WorkExports, count: number, helpers: number, meanwhile?: () => void): { readonly error: unknown } | null {
    const ctl = this.ctl;
    clearFault(ctl);
    Atomics.store(ctl, I_DONE, 0);
    Atomics.store(ctl, claimOf(slot) / 4, count << 16);
    Atomics.store(ctl, I_KERNEL, slot);
    if (helpers > 0) {
      Atomics.add(ctl, I_SEQ, 1);
      if (Atomics.load(ctl, I_AWAKE) < helpers) Atomics.notify(ctl, I_SEQ, helpers);
    }
    try {
      meanwhile?.();
    } catch (error) {
      // not a fault of the kernel: the job is cancelled, and the error rethrown once it is over
      stopJob(ctl, slot, { value: 0 }, error);
      this.wait(count, slot);
      throw error;
    }
    const failed = takeTasks(ctl, slot, exports);
    this.wait(count, slot);
    return failed;
  }

  /** Waits until the `count` tasks of the job of `slot` are done (within the job time limit, if set). */
  private wait(count: number, slot: number): void {
    const ctl = this.ctl;
    let done = Atomics.load(ctl, I_DONE);
    if (done === count) return;
    const until = performance.now() + CALLER_SPIN_MS;
    while (done !== count && performance.now() < until) done = Atomics.load(ctl, I_DONE);
    const deadline = performance.now() + jobTimeLimitMs;
    while (done !== count) {
      if (this.canWait) Atomics.wait(ctl, I_DONE, done, 50);
      done = Atomics.load(ctl, I_DONE);
      if (done !== count && performance.now() > deadline) {
        throw new KernelError(`kernel slot ${slot}: ${count - done} of ${count} tasks still unfinished after ${jobTimeLimitMs} ms (setJobTimeLimit); the pool is left mid-job`);
      }
    }
  }
}

/**
 * How long the calling thread waits for a job's tasks before it gives up (default: without end,
 * as a long product may take that long). Tests that make tasks fault set it, so that a fault
 * that failed to stop its job fails them instead of hanging them; it leaves the pool unusable.
 */
let jobTimeLimitMs = Infinity;

/** Sets the job time limit (tests); `undefined` restores waiting without end. */
export function setJobTimeLimit(ms: number | undefined): void {
  jobTimeLimitMs = ms ?? Infinity;
}

/** Whether `Atomics.wait` may block on this thread (it throws on a browser's main thread). */
function probeWait(ctl: Int32Array): boolean {
  try {
    Atomics.wait(ctl, I_SCRATCH, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once workers are ready up to the current setting, or with fewer if they fail to start in `timeoutMs`. */
export async function poolReady(pool: WorkerPool, timeoutMs = 10_000): Promise<number> {
  if (nodeModules !== null) await nodeModules;
  const want = Math.min(kernelThreads() - 1, MAX_WORKERS);
  const until = Date.now() + timeoutMs;
  while (pool.ready < want && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
  return pool.ready;
}
