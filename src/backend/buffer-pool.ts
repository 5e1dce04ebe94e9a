/**
 * @file Buffer reuse inside compiled programs. A jit plan knows when each intermediate dies (its
 * last use), so it returns that buffer here, and a later kernel of the same or the next run takes
 * it instead of allocating: steady-state training steps allocate only what they return, which
 * keeps memory flat and spares the page faults and zeroing of fresh large arrays.
 *
 * Storages are shared between tensors (a reshape wraps its operand's buffer), so the plan counts
 * the registers holding each buffer and returns it only when none does, and never a buffer that
 * it did not allocate itself (arguments and literals belong to the caller).
 */
import type { DType, Storage, StorageSource } from "../dtype.js";
import { isPinned } from "./storage-views.js";

/** Buffers below this many elements are not tracked: allocating them is cheaper than the bookkeeping. */
export const POOLED_MIN = 1024;

/** Buffers kept per (dtype, length): enough for the intermediates live at once in one program. */
const KEPT_PER_SIZE = 8;

/** Released buffers by dtype and length. */
export class BufferPool implements StorageSource {
  private readonly free = new Map<string, Storage[]>();

  take(dtype: DType, n: number): Storage | undefined {
    if (n < POOLED_MIN) return undefined;
    return this.free.get(`${dtype}:${n}`)?.pop();
  }

  give(dtype: DType, storage: Storage): void {
    // Views of it (scan's slices) may outlive this storage's last register: a result may be one.
    if (isPinned(storage)) return;
    const key = `${dtype}:${storage.length}`;
    let list = this.free.get(key);
    if (list === undefined) this.free.set(key, (list = []));
    if (list.length < KEPT_PER_SIZE) list.push(storage);
  }
}
