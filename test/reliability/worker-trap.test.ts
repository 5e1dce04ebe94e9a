/**
 * @file A task that traps inside a kernel, on a worker of the pool or on the calling thread (in a
 * job, or called directly), ends its job and surfaces in the caller as a `KernelError` naming the
 * kernel, the task and the thread (never a hang, never a result computed by half a job), and the
 * pool works afterwards: the same module's next job, fused loops and matrix products on the
 * workers give the right values.
 *
 * The trapping kernel is a module of this test, built on the task protocol like every kernel
 * (tasks.ts): task (kind, address) executes `unreachable` for kind 1 and otherwise stores 1 at
 * `address`, which traps when the address lies past the memory. Every wait is bounded: a job
 * whose tasks are not all done within `setJobTimeLimit` fails the test instead of hanging it.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Code, encodeModule, I32 } from "../../src/backend/wasm/emit.js";
import { DATA, TaskTable, WORK_GLOBALS, claimOf, emitWork } from "../../src/backend/wasm/tasks.js";
import { KernelRuntime, kernelRuntime, type WorkExports } from "../../src/backend/wasm/runtime.js";
import { setJobTimeLimit, setKernelThreads } from "../../src/backend/wasm/pool.js";
import { wasmAvailable } from "../../src/backend/wasm/probe.js";
import { KernelError, jit, matmul, fromArray, tensor, type Tensor } from "../../src/index.js";
import { expectThrown } from "./expect-error.js";

const NAME = "trap-test kernel";
const UNREACHABLE = 1;
const STORE = 0;
/** An address past any memory the runtime has grown to. */
const PAST_MEMORY = 0xfffffff0 | 0;
const TASKS = 64;

/** Adds the trapping kernel to `runtime` (in its next slot); returns its slot and exports. */
function addTrapKernel(runtime: KernelRuntime): { slot: number; exports: WorkExports } {
  const slot = runtime.nextSlot();
  if (slot === null) throw new Error("no slot left for the test kernel");
  const task = new Code(2);
  task.get(0).i32(UNREACHABLE).i32Eq().if_().unreachable().end();
  task.get(1).i32(1).i32Store();
  const bytes = encodeModule(
    [
      { name: "task", params: [I32, I32], results: [], code: task },
      { name: "work", params: [], results: [I32], code: emitWork(slot, 0, 2) },
    ],
    { sharedMemory: runtime.shared, globals: WORK_GLOBALS },
  );
  return { slot, exports: runtime.add<WorkExports>(new WebAssembly.Module(bytes), NAME) };
}

/** Writes `TASKS` task records: task t stores 1 at word t of the data area, except the ones in `faults`. */
function writeTasks(runtime: KernelRuntime, faults: ReadonlyMap<number, "unreachable" | "out of bounds">): void {
  // the words lie in the argument area (from DATA on), which every memory has
  runtime.scratch(0);
  runtime.u8.fill(0, DATA, DATA + 4 * TASKS);
  const table = new TaskTable(runtime.table);
  for (let t = 0; t < TASKS; t++) {
    const fault = faults.get(t);
    table.add(fault === "unreachable" ? UNREACHABLE : STORE, fault === "out of bounds" ? PAST_MEMORY : DATA + 4 * t);
  }
}

/** The words the tasks stored (1 where a task ran to its end). */
const stored = (runtime: KernelRuntime): number[] => Array.from(new Int32Array(runtime.memory.buffer, DATA, TASKS));

/**
 * A `meanwhile` that holds the calling thread back until the workers have claimed every task (or
 * 3 s have passed), so that the faults under test happen on workers.
 */
const leaveTasksToWorkers = (runtime: KernelRuntime, slot: number) => (): void => {
  const until = performance.now() + 3000;
  const claim = claimOf(slot) / 4;
  for (;;) {
    const v = Atomics.load(runtime.table, claim);
    if ((v & 0xffff) >= v >>> 16 || performance.now() > until) return;
  }
};

const everyTask = (kind: "unreachable" | "out of bounds") => new Map(Array.from({ length: TASKS }, (_, t) => [t, kind] as const));

describe.skipIf(!wasmAvailable() || typeof SharedArrayBuffer === "undefined")("a task that traps on the worker pool", () => {
  let kernel: { slot: number; exports: WorkExports };
  let workers = 0;
  const runtime = kernelRuntime();

  beforeAll(async () => {
    setJobTimeLimit(10_000);
    setKernelThreads(4);
    workers = await runtime.ready();
    kernel = addTrapKernel(runtime);
    // Workers instantiate a module added after they started when its first job reaches them, and
    // leave that job to the others: two good jobs first, so that they take part in the next ones.
    for (let k = 0; k < 2; k++) {
      writeTasks(runtime, new Map());
      runtime.run(kernel.slot, kernel.exports, TASKS, 4);
    }
  });
  afterAll(() => {
    setJobTimeLimit(undefined);
    setKernelThreads(undefined);
  });

  const run = (threads: number, meanwhile?: () => void) => () => runtime.run(kernel.slot, kernel.exports, TASKS, threads, meanwhile);

  test("the pool has workers (else the cases below test the calling thread only)", () => {
    expect(workers).toBeGreaterThan(0);
  });

  test("unreachable in every task, taken by the workers: a KernelError naming the kernel and a worker", () => {
    // A worker that the scheduler keeps off the cores may leave every task to this thread: try a
    // few jobs, each a KernelError, until one faulted on a worker.
    const threads: string[] = [];
    for (let attempt = 0; attempt < 5 && !threads.some((t) => t.startsWith("worker")); attempt++) {
      writeTasks(runtime, everyTask("unreachable"));
      const error = expectThrown(run(4, leaveTasksToWorkers(runtime, kernel.slot)), KernelError, /^trap-test kernel: failed in task \d+ of 64 on (worker [1-8]|the calling thread) \(RuntimeError: .*unreachable.*\); the job was stopped and its results dropped$/);
      threads.push(/ on (worker \d|the calling thread) /.exec(error.message)![1]);
    }
    if (workers > 0) expect(threads.some((t) => t.startsWith("worker")), `faulted on: ${threads.join(", ")}`).toBe(true);
  });

  test("an out-of-bounds store in task 37 alone: that task is named, and the job ends", () => {
    writeTasks(runtime, new Map([[37, "out of bounds"]]));
    expectThrown(run(4), KernelError, /^trap-test kernel: failed in task 37 of 64 on (worker [1-8]|the calling thread) \(RuntimeError: [^)]+\)/);
    const words = stored(runtime);
    expect(words[37]).toBe(0);
    // every other task ran to its end, or was cancelled before it started
    for (const w of words) expect([0, 1]).toContain(w);
  });

  test("the same kernel's next job, without a fault, runs every task (on the workers too)", () => {
    writeTasks(runtime, new Map());
    const before = runtime.sharedJobs;
    run(4)();
    expect(stored(runtime)).toEqual(new Array(TASKS).fill(1));
    if (workers > 0) expect(runtime.sharedJobs).toBe(before + 1);
  });

  test("a trap on the calling thread (no helpers) is a KernelError whose cause is the engine's error", () => {
    writeTasks(runtime, new Map([[0, "unreachable"]]));
    const error = expectThrown(run(1), KernelError, /^trap-test kernel: failed in task 0 of 64 on the calling thread \(RuntimeError: /);
    expect(error.cause).toBeInstanceOf(WebAssembly.RuntimeError);
    // the first task faulted, so the calling thread cancelled the other 63
    expect(stored(runtime)).toEqual(new Array(TASKS).fill(0));
  });

  test("an exception in the calling thread's own work meanwhile ends the job and comes through unchanged", () => {
    writeTasks(runtime, new Map());
    const own = new TypeError("meanwhile failed");
    let thrown: unknown;
    try {
      run(4, () => {
        throw own;
      })();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBe(own);
    writeTasks(runtime, new Map());
    run(4)();
    expect(stored(runtime)).toEqual(new Array(TASKS).fill(1));
  });

  test("faults and good jobs alternating, 40 times: each job reports its own outcome", () => {
    for (let round = 0; round < 40; round++) {
      const faulty = round % 2 === 0;
      const task = (round * 7) % TASKS;
      writeTasks(runtime, faulty ? new Map([[task, round % 4 === 0 ? "unreachable" : "out of bounds"]]) : new Map());
      if (faulty) expectThrown(run(4), KernelError, new RegExp(`^trap-test kernel: failed in task ${task} of 64 on `));
      else {
        run(4)();
        expect(stored(runtime)).toEqual(new Array(TASKS).fill(1));
      }
    }
  });

  test("afterwards, fused loops and matrix products shared with the workers give the right values", () => {
    const n = 300_001;
    const xs = Array.from({ length: n }, (_, i) => ((i % 1000) - 500) / 250);
    const x = fromArray(xs, [n]);
    if (x._tag !== "Right") throw new Error("fromArray failed");
    const before = runtime.sharedJobs;
    const [sum, y] = jit((v: Tensor<[number]>) => [v.mul(2).tanh().sum(), v.mul(v).add(1)] as const)(x.right);
    let expected = 0;
    for (const v of xs) expected += Math.tanh(Math.fround(2 * v));
    expect(Math.abs((sum.data() as Float32Array)[0] - expected)).toBeLessThan(1e-5 * n);
    const yv = y.data() as Float32Array;
    for (let i = 0; i < n; i += 997) expect(yv[i]).toBeCloseTo(xs[i] * xs[i] + 1, 5);
    const m = 256;
    const a = tensor(Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => ((i + 2 * j) % 7) - 3)));
    const b = tensor(Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => ((3 * i + j) % 5) - 2)));
    const c = matmul(a, b).data() as Float32Array;
    for (const [i, j] of [[0, 0], [17, 200], [255, 255], [128, 3]]) {
      let s = 0;
      for (let p = 0; p < m; p++) s += (((i + 2 * p) % 7) - 3) * (((3 * p + j) % 5) - 2);
      expect(c[i * m + j]).toBe(s);
    }
    if (workers > 0) expect(runtime.sharedJobs).toBeGreaterThan(before);
  });
});

describe.skipIf(!wasmAvailable())("a task that traps without a pool", () => {
  test("over an unshared memory: a KernelError, and the runtime's next job runs", () => {
    const runtime = KernelRuntime.create({ shared: false });
    const kernel = addTrapKernel(runtime);
    writeTasks(runtime, new Map([[5, "out of bounds"]]));
    const error = expectThrown(() => runtime.run(kernel.slot, kernel.exports, TASKS, 1), KernelError, /^trap-test kernel: failed in task 5 of 64 on the calling thread \(RuntimeError: /);
    expect(error.cause).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(stored(runtime).slice(0, 5)).toEqual([1, 1, 1, 1, 1]);
    writeTasks(runtime, new Map());
    runtime.run(kernel.slot, kernel.exports, TASKS, 1);
    expect(stored(runtime)).toEqual(new Array(TASKS).fill(1));
  });

  test("a task called directly, outside any job (as a job of one thread may be): a KernelError naming the kernel", () => {
    const runtime = KernelRuntime.create({ shared: false });
    const kernel = addTrapKernel(runtime);
    const task = (kernel.exports as unknown as { task(kind: number, address: number): void }).task;
    for (const [kind, address] of [[UNREACHABLE, DATA], [STORE, PAST_MEMORY]]) {
      const error = expectThrown(() => task(kind, address), KernelError, /^trap-test kernel: failed in task on the calling thread \(RuntimeError: [^)]+\); its results were dropped$/);
      expect(error.cause).toBeInstanceOf(WebAssembly.RuntimeError);
    }
    task(STORE, DATA);
    expect(stored(runtime)[0]).toBe(1);
  });
});
