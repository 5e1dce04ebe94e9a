/**
 * @file Blocks of the kernel memory: scratch areas too large for the region kept for them (runtime.ts),
 * and, where the memory is shared, the storage of large float32 and bool tensors of a running jit plan, so
 * that the kernels read and write them where they lie instead of copying them in and out around
 * every call. Blocks start on cache lines; freed blocks merge with free neighbours, and a request
 * takes the smallest free block that fits (a steady training step asks for the same sizes again
 * and again) before the top of the heap moves up.
 *
 * Who frees what: a plan's pool (buffer-pool.ts) frees a tensor's block after its last register,
 * and every block a run took is freed when the run ends (its results are copied out first), so a
 * block lent to a kernel's temporary, or pinned by views (scan's slices), never outlives the run.
 * The exception are blocks of owner 0: results that replace a donated argument (buffer-pool.ts
 * `survivor`), freed when they are donated in turn or their array is collected.
 */

/** Blocks start and end on 64-byte lines. */
const ALIGN = 64;

interface Block {
  readonly bytes: number;
  /**
   * The view handed out for the block (`null`: a scratch block), held weakly: a block that outlives
   * its run (owner 0) is freed when its view is collected (buffer-pool.ts), which a strong
   * reference here would prevent.
   */
  readonly view: WeakRef<ArrayBufferView> | null;
  /** The run that took it (freed when that run ends), or 0. */
  readonly owner: number;
}

export class KernelHeap {
  private readonly live = new Map<number, Block>();
  /** Free blocks in address order, none adjacent to another. */
  private readonly free: { at: number; bytes: number }[] = [];
  private top: number;

  /**
   * Blocks from `base` on; `reserve(end)` is called before a block reaching `end` is handed out
   * (the runtime grows the memory to it).
   */
  constructor(
    private readonly base: number,
    private readonly reserve: (end: number) => void,
  ) {
    this.top = base;
  }

  /** Bytes from the heap's start to its top (tests, statistics). */
  get extent(): number {
    return this.top - this.base;
  }

  /** Blocks in use (tests). */
  get blocks(): number {
    return this.live.size;
  }

  /** A block of at least `bytes` (its address); `view` makes the view it is handed out as. */
  alloc(bytes: number, owner = 0, view?: (at: number) => ArrayBufferView): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const f = this.free[i];
      if (f.bytes >= size && (best < 0 || f.bytes < this.free[best].bytes)) best = i;
    }
    let at: number;
    if (best >= 0) {
      const f = this.free[best];
      at = f.at;
      if (f.bytes === size) this.free.splice(best, 1);
      else this.free[best] = { at: f.at + size, bytes: f.bytes - size };
    } else {
      // (no free block ever ends at the top: `release` lowers the top instead)
      at = this.top;
      // may throw (the memory cannot grow that far): nothing has changed yet
      this.reserve(at + size);
      this.top = at + size;
    }
    const made = view?.(at);
    this.live.set(at, { bytes: size, view: made === undefined ? null : new WeakRef(made), owner });
    return at;
  }

  /** The view handed out for the block at `at`, if one is live there. */
  viewAt(at: number): ArrayBufferView | null {
    return this.live.get(at)?.view?.deref() ?? null;
  }

  /** Frees the block at `at`; false if none is live there. */
  release(at: number): boolean {
    const block = this.live.get(at);
    if (block === undefined) return false;
    this.live.delete(at);
    let lo = 0;
    let hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.free[mid].at < at) lo = mid + 1;
      else hi = mid;
    }
    let entry = { at, bytes: block.bytes };
    const next = this.free[lo];
    if (next !== undefined && at + block.bytes === next.at) {
      entry = { at, bytes: entry.bytes + next.bytes };
      this.free.splice(lo, 1);
    }
    const prev = this.free[lo - 1];
    if (prev !== undefined && prev.at + prev.bytes === at) {
      this.free[lo - 1] = { at: prev.at, bytes: prev.bytes + entry.bytes };
    } else this.free.splice(lo, 0, entry);
    // a free block at the top lowers it
    const last = this.free[this.free.length - 1];
    if (last.at + last.bytes === this.top) {
      this.free.pop();
      this.top = last.at;
    }
    return true;
  }

  /** Frees every block `owner` took. */
  releaseOwned(owner: number): void {
    const owned: number[] = [];
    for (const [at, block] of this.live) if (block.owner === owner) owned.push(at);
    for (const at of owned) this.release(at);
  }
}
