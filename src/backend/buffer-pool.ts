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
 * view into the store outlives the run that made it, with one exception. A result of the program
 * that takes the place of a donated argument of its size (an updated parameter, an optimizer's
 * moment) gets resident storage that outlives the run (`survivor`): a training step that donates
 * its parameters then finds them in the kernel memory next time, and neither copies them in nor its
 * updates out. Such storage is freed when it is donated again and released, or when its array is
 * garbage-collected; at most `SURVIVING_MAX_BYTES` of it is alive at once (beyond, results are
 * ordinary arrays as before), which bounds what a caller that drops such results without donating
 * them can hold in the store until the collector reports them.
 */
import { countReissue, type DType, type Storage, type StorageSource } from "../dtype.js";
import { isPinned } from "./storage-views.js";

/** Buffers below this many elements are not tracked: allocating them is cheaper than the bookkeeping. */
export const POOLED_MIN = 1024;

/** Float32 and bool buffers from this many bytes (1 MiB) on come from the resident store, where there is one. */
export const RESIDENT_MIN_BYTES = 1 << 20;

/** Storage in memory the kernels use in place (see backend.ts `residentStore`). */
export interface ResidentStore {
  /**
   * Storage for `n` elements, freed by `releaseOwned(owner)` at the latest (owner 0: by `give` or
   * `releaseAt` only); `undefined` if none.
   */
  take(dtype: "float32" | "bool", n: number, owner: number): Float32Array | Uint8Array | undefined;
  /** Frees the block at byte address `at` (storage of owner 0 whose array was collected). */
  releaseAt(at: number): void;
  /** The byte address of storage that lives in the store. */
  addressOf(storage: Storage): number;
  /** Frees `storage` if the store handed it out; true if it lives in the store at all. */
  give(storage: Storage): boolean;
  /** Whether `storage` lives in the store. */
  holds(storage: Storage): boolean;
  /** Frees everything taken under `owner`. */
  releaseOwned(owner: number): void;
}

/** Runs started so far, in every pool: each run's token is the count when it started. */
let runs = 0;

/** Bytes of resident storage that may outlive its run at once (see the file's comment). */
export const SURVIVING_MAX_BYTES = 32 << 20;

/** Resident storage handed out as results that outlive their run, with their bytes (weakly: the collector must see them die). */
const survivors = new WeakMap<Storage, number>();
let survivingBytes = 0;
/** Frees a survivor's block once its array is collected (unregistered when it is given back first). */
const collected =
  typeof FinalizationRegistry === "undefined"
    ? null
    : new FinalizationRegistry<{ readonly store: ResidentStore; readonly at: number; readonly bytes: number }>(({ store, at, bytes }) => {
        survivingBytes -= bytes;
        store.releaseAt(at);
      });

/** Whether `storage` is resident storage that outlives the run that made it (a donated update). */
export function isSurvivor(storage: Storage): boolean {
  return survivors.has(storage);
}

/** Bytes of surviving resident storage alive now (tests). */
export function survivorBytes(): number {
  return survivingBytes;
}

/** Buffers kept per (dtype, length): enough for the intermediates live at once in one program. */
const KEPT_PER_SIZE = 8;

/** Released buffers by dtype and length. */
export class BufferPool implements StorageSource {
  private readonly free = new Map<string, Storage[]>();
  /** The token of the run in progress (0: none), whether it may take from the store, and whether it did. */
  private owner = 0;
  private useStore = false;
  private taken = false;

  /** Whether storage taken now must be ordinary (results of the program: see plan.ts) unless it may survive. */
  ordinary = false;
  /** Donated arguments' buffers released in the run in progress and not yet replaced, by dtype and length. */
  private readonly donated = new Map<string, number>();

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
    this.donated.clear();
    return outer;
  }

  /**
   * A donated argument's buffer of `dtype` and `n` elements was released: a result of the program
   * of that size may take resident storage that outlives the run.
   */
  released(dtype: DType, n: number): void {
    const key = `${dtype}:${n}`;
    this.donated.set(key, (this.donated.get(key) ?? 0) + 1);
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
    const bytes = dtype === "float32" ? 4 * n : dtype === "bool" ? n : 0;
    if (this.useStore && bytes >= RESIDENT_MIN_BYTES) {
      if (!this.ordinary) {
        const storage = this.resident!.take(dtype as "float32" | "bool", n, this.owner);
        if (storage !== undefined) {
          this.taken = true;
          return storage;
        }
      } else {
        const survivor = this.survivor(dtype, n, bytes);
        if (survivor !== undefined) return survivor;
      }
    }
    return this.free.get(`${dtype}:${n}`)?.pop();
  }

  /** Resident storage for a result of the program that replaces a donated argument of its size, if one was released and the budget allows. */
  private survivor(dtype: DType, n: number, bytes: number): Storage | undefined {
    const key = `${dtype}:${n}`;
    const count = this.donated.get(key) ?? 0;
    if (count === 0 || survivingBytes + bytes > SURVIVING_MAX_BYTES) return undefined;
    const store = this.resident!;
    const storage = store.take(dtype as "float32" | "bool", n, 0);
    if (storage === undefined) return undefined;
    this.donated.set(key, count - 1);
    survivors.set(storage, bytes);
    survivingBytes += bytes;
    collected?.register(storage, { store, at: store.addressOf(storage), bytes }, storage);
    // the donated ordinary buffer it replaces is not kept for reuse: the survivor is its successor
    this.free.get(key)?.pop();
    return storage;
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
    const survivor = survivors.get(storage);
    if (survivor !== undefined) {
      survivors.delete(storage);
      survivingBytes -= survivor;
      collected?.unregister(storage);
    }
    if (this.resident?.give(storage)) return;
    const key = `${dtype}:${storage.length}`;
    let list = this.free.get(key);
    if (list === undefined) this.free.set(key, (list = []));
    if (list.length < KEPT_PER_SIZE) list.push(storage);
  }
}
