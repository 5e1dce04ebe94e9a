/**
 * @file How a job of the task protocol (tasks.ts) stops when one of its tasks faults: a
 * WebAssembly trap (an out-of-bounds access, `unreachable`) or any other exception, on the calling
 * thread or on a worker. The thread that catches it records the first fault of the job in the
 * `CTL_FAULT` line, counts its unfinished task done and cancels the tasks nobody has claimed, so
 * that the job ends on every thread and no thread waits for a task that will never finish; once
 * it has, the calling thread throws a `KernelError` naming the kernel (runtime.ts). The steps exist
 * twice, side by side here: `stopJob` for the calling thread, `stopJobSource` for the workers'
 * program (pool.ts), which cannot import modules.
 */
import { KernelError } from "../kernel-error.js";
import { CLAIMS, CTL_DONE, CTL_FAULT, FAULT_TEXT_BYTES } from "./tasks.js";

// Indices of the words of `CTL_FAULT` (see tasks.ts) and of the counters in an Int32Array over the control block.
const I_STATE = CTL_FAULT / 4;
const I_TASK = I_STATE + 1;
const I_THREAD = I_STATE + 2;
const I_LENGTH = I_STATE + 3;
const TEXT = CTL_FAULT + 16;
const I_DONE = CTL_DONE / 4;
const I_CLAIMS = CLAIMS / 4;

/** A dispatcher instance's `claimed` global: its task in progress + 1, 0 when none. */
export interface Claimed {
  value: number;
}

/** A fault as the control block keeps it. */
export interface Fault {
  /** The task that faulted; `null` when the thread had claimed none. */
  readonly task: number | null;
  /** 0: the calling thread; k: worker k. */
  readonly thread: number;
  /** The start of the exception's name and message. */
  readonly text: string;
}

/** The name and message of `error`, as the fault line keeps them (ASCII). */
function textOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * The calling thread's side: stops the job of `slot` after `error` (thread 0). Records the fault
 * unless one is recorded already, counts the claimed task done, and cancels the unclaimed ones.
 * A job run by the calling thread is the current job even when it had claimed nothing (the job
 * cannot end before it returns), so its claim word may always be cancelled.
 */
export function stopJob(ctl: Int32Array, slot: number, claimed: Claimed, error: unknown): void {
  const task = claimed.value - 1;
  claimed.value = 0;
  if (Atomics.compareExchange(ctl, I_STATE, 0, 1) === 0) {
    const text = textOf(error).slice(0, FAULT_TEXT_BYTES);
    const bytes = new Uint8Array(ctl.buffer, ctl.byteOffset + TEXT, FAULT_TEXT_BYTES);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) < 128 ? text.charCodeAt(i) : 63;
    ctl[I_TASK] = task + 1;
    ctl[I_THREAD] = 0;
    ctl[I_LENGTH] = text.length;
  }
  let finished = task >= 0 ? 1 : 0;
  for (;;) {
    const v = Atomics.load(ctl, I_CLAIMS + slot);
    const [next, count] = [v & 0xffff, v >>> 16];
    if (next >= count) break;
    if (Atomics.compareExchange(ctl, I_CLAIMS + slot, v, (count << 16) | count) === v) {
      finished += count - next;
      break;
    }
  }
  if (finished > 0) Atomics.add(ctl, I_DONE, finished);
}

/**
 * The workers' side, as source for their program: `stopJob(slot, claimed, error)` over its `ctl`
 * and `id`, the same steps as `stopJob` above, returning whether it finished the job's last task
 * (the worker then wakes the calling thread). A worker that had claimed no task did nothing for
 * the job, which may even be over: it leaves it alone.
 */
export function stopJobSource(): string {
  return `function stopJob(slot, claimed, error) {
  const task = claimed.value - 1;
  claimed.value = 0;
  if (task < 0) return false;
  if (Atomics.compareExchange(ctl, ${I_STATE}, 0, 1) === 0) {
    const text = (error instanceof Error ? error.name + ": " + error.message : String(error)).slice(0, ${FAULT_TEXT_BYTES});
    const bytes = new Uint8Array(ctl.buffer, ctl.byteOffset + ${TEXT}, ${FAULT_TEXT_BYTES});
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) < 128 ? text.charCodeAt(i) : 63;
    ctl[${I_TASK}] = task + 1;
    ctl[${I_THREAD}] = id;
    ctl[${I_LENGTH}] = text.length;
  }
  let finished = 1, count = 0;
  for (;;) {
    const v = Atomics.load(ctl, ${I_CLAIMS} + slot);
    const next = v & 0xffff;
    count = v >>> 16;
    if (next >= count) break;
    if (Atomics.compareExchange(ctl, ${I_CLAIMS} + slot, v, (count << 16) | count) === v) {
      finished += count - next;
      break;
    }
  }
  return Atomics.add(ctl, ${I_DONE}, finished) + finished === count;
}`;
}

/** Clears the fault line for a new job (the calling thread, before it publishes the job). */
export function clearFault(ctl: Int32Array): void {
  Atomics.store(ctl, I_STATE, 0);
}

/** The fault recorded during the last job, or `null`. Read by the calling thread once the job is over. */
export function faultOf(ctl: Int32Array): Fault | null {
  if (Atomics.load(ctl, I_STATE) === 0) return null;
  const bytes = new Uint8Array(ctl.buffer, ctl.byteOffset + TEXT, ctl[I_LENGTH]);
  return { task: ctl[I_TASK] === 0 ? null : ctl[I_TASK] - 1, thread: ctl[I_THREAD], text: String.fromCharCode(...bytes) };
}

/** The error the calling thread throws for a fault of `kernel`'s job of `count` tasks (`cause`: its own exception, if the fault was its own). */
export function kernelFault(kernel: string, count: number, fault: Fault, cause?: unknown): KernelError {
  const task = fault.task === null ? "before taking a task" : `in task ${fault.task} of ${count}`;
  const thread = fault.thread === 0 ? "the calling thread" : `worker ${fault.thread}`;
  const message = `${kernel}: failed ${task} on ${thread} (${fault.text}); the job was stopped and its results dropped`;
  return new KernelError(message, cause === undefined ? undefined : { cause });
}

/**
 * The error the calling thread throws when `fn`, a function of `kernel`'s module that it called
 * directly (a packer, a copier: work outside any job), faults; `cause` is the engine's exception.
 */
export function callFault(kernel: string, fn: string, cause: unknown): KernelError {
  return new KernelError(`${kernel}: failed in ${fn} on the calling thread (${textOf(cause)}); its results were dropped`, { cause });
}

/** A fault of the calling thread outside the pool's protocol (a task it called directly). */
export function ownFault(task: number, error: unknown): Fault {
  return { task, thread: 0, text: textOf(error) };
}

/**
 * Runs the calling thread's share of the job of `slot` (its dispatcher `work`); a fault stops the
 * job (`stopJob`) and is returned, so that the caller throws only once the job is over.
 */
export function takeTasks(ctl: Int32Array, slot: number, exports: { work(): number; readonly claimed: Claimed }): { readonly error: unknown } | null {
  try {
    exports.work();
    return null;
  } catch (error) {
    stopJob(ctl, slot, exports.claimed, error);
    return { error };
  }
}
