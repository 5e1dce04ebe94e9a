/**
 * @file Buffer reuse inside compiled programs. A jit plan knows when each intermediate dies (its
 * last use), so it returns that buffer here, and a later kernel of the same or the next run takes
 * it instead of allocating: steady-state training steps allocate only what they return, which
 * keeps memory flat and spares the page faults and zeroing of fresh large arrays.
 *
 * Storages are shared between tensors (a reshape wraps its operand's buffer), so the plan counts
 * the registers holding each buffer and returns it only when none does, and never a buffer that
 * it did not allocate itself (arguments and literals belong to the caller).
 *
 * With a resident store (the WebAssembly kernel memory), large float32 and bool buffers come from there
 * instead, so that kernels use them in place. A run takes them under its own token (`open`), and
 * every one it took is freed when it ends (`close`): the plan copies its results out first, so no
 * view into the store outlives the run that made it.
 */
import { countReissue, type DType, type Storage, type StorageSource } from "../dtype.js";
import { isPinned } from "./storage-views.js";

/** Buffers below this many elements are not tracked: allocating them is cheaper than the bookkeeping. */
export const POOLED_MIN = 1024;

/** Float32 and bool buffers from this many bytes (1 MiB) on come from the resident store, where there is one. */
export const RESIDENT_MIN_BYTES = 1 << 20;

/** Storage in memory the kernels use in place (see backend.ts `residentStore`). */
export interface ResidentStore {
  /** Storage for `n` elements, freed by `releaseOwned(owner)` at the latest; `undefined` if none. */
  take(dtype: "float32" | "bool", n: number, owner: number): Float32Array | Uint8Array | undefined;
  /** Frees `storage` if the store handed it out; true if it lives in the store at all. */
  give(storage: Storage): boolean;
  /** Whether `storage` lives in the store. */
  holds(storage: Storage): boolean;
  /** Frees everything taken under `owner`. */
  releaseOwned(owner: number): void;
}

/** Runs started so far, in every pool: each run's token is the count when it started. */
let runs = 0;

/** Buffers kept per (dtype, length): enough for the intermediates live at once in one program. */
const KEPT_PER_SIZE = 8;

/** Released buffers by dtype and length. */
export class BufferPool implements StorageSource {
  private readonly free = new Map<string, Storage[]>();
  /** The token of the run in progress (0: none), whether it may take from the store, and whether it did. */
  private owner = 0;
  private useStore = false;
  private taken = false;

  /** Whether storage taken now must be ordinary (results of the program: see plan.ts). */
  ordinary = false;

  constructor(readonly resident: ResidentStore | null = null) {}

  /**
   * Starts a run: its resident storage is taken under a token of its own. A run nested in another
   * plan's (a loop body, a branch) takes none: its results would outlive it in the kernel that
   * called it (scan keeps carries and stacks ys), which no run's end would free in time. Returns
   * the state of the run it interrupts (a pool's plan may run inside itself), for `close`.
   */
  open(nested: boolean): number {
    const outer = this.owner * 4 + (this.useStore ? 2 : 0) + (this.taken ? 1 : 0);
    this.owner = ++runs;
    this.useStore = this.resident !== null && !nested;
    this.taken = false;
    return outer;
  }

  /** Whether the run in progress took storage from the store. */
  get took(): boolean {
    return this.taken;
  }

  /** Ends the run `open` started (`outer`: what it returned): frees all resident storage it took. */
  close(outer: number): void {
    if (this.taken) this.resident!.releaseOwned(this.owner);
    this.taken = outer % 2 === 1;
    this.useStore = outer % 4 >= 2;
    this.owner = Math.floor(outer / 4);
  }

  take(dtype: DType, n: number): Storage | undefined {
    if (n < POOLED_MIN) return undefined;
    if (this.useStore && !this.ordinary && (dtype === "float32" ? 4 * n : dtype === "bool" ? n : 0) >= RESIDENT_MIN_BYTES) {
      const storage = this.resident!.take(dtype as "float32" | "bool", n, this.owner);
      if (storage !== undefined) {
        this.taken = true;
        return storage;
      }
    }
    return this.free.get(`${dtype}:${n}`)?.pop();
  }

  /** A released ordinary (not resident) buffer of `dtype` and `n` elements, if one is kept (its caller overwrites it). */
  takeOrdinary(dtype: DType, n: number): Storage | undefined {
    const reused = n < POOLED_MIN ? undefined : this.free.get(`${dtype}:${n}`)?.pop();
    if (reused !== undefined) countReissue();
    return reused;
  }

  give(dtype: DType, storage: Storage): void {
    // Views of it (scan's slices) may outlive this storage's last register: a result may be one.
    // (A pinned resident block is freed when the run that took it ends.)
    if (isPinned(storage)) return;
    if (this.resident?.give(storage)) return;
    const key = `${dtype}:${storage.length}`;
    let list = this.free.get(key);
    if (list === undefined) this.free.set(key, (list = []));
    if (list.length < KEPT_PER_SIZE) list.push(storage);
  }
}
