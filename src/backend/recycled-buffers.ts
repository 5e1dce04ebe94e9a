/**
 * @file Recycling of storage that escapes to the user. A jit plan reuses its own intermediates
 * (buffer-pool.ts), but what it returns, and what eager ops return, is the caller's: only the
 * garbage collector knows when it is dead. Each large storage that `allocate` hands out is
 * registered here, and once it is collected its `ArrayBuffer` waits in a bounded pool for the next
 * allocation of the same byte length, which then reuses pages that are already mapped instead of
 * faulting in fresh ones (and zeroing them) page by page.
 *
 * Safety: the registry's target is the storage typed array itself, the one object that every
 * tensor sharing the storage holds (a reshape wraps its operand's storage, it does not copy), so
 * the buffer comes back only when no tensor can read it any more. Another view of the same buffer
 * (a `subarray` that a tensor wraps, as scan's slices do) would not keep the storage alive: code
 * that makes such views calls `pinStorage` first, and a pinned buffer is never recycled. Storage
 * the library did not allocate (a typed array the user handed in) is never registered.
 *
 * NB: a `FinalizationRegistry` reports only between tasks of the event loop, never during a run of
 * synchronous code (nor during a chain of microtasks), so a loop that never yields to the event
 * loop (a plain `for` over training steps, `fit`) sees no buffer come back until it returns; a
 * loop that awaits a timer, I/O or an animation frame between steps gets its buffers back.
 */

/** Storage smaller than this is not tracked: the allocator serves it without faulting fresh pages. */
export const RECYCLED_MIN_BYTES = 1 << 16;

/** The most bytes the pool holds; a returning buffer that does not fit is left to the allocator. */
export const RECYCLED_MAX_BYTES = 64 << 20;

/** After this long without a take, the pool lets its buffers go (memory returns when idle). */
export const RECYCLED_IDLE_MS = 2000;

const free = new Map<number, ArrayBuffer[]>();
let heldBytes = 0;
/** Buffers of storages that other views read: never recycled. */
const pinned = new WeakSet<ArrayBuffer>();
/** Takes since the idle timer last looked. */
let recentTakes = 0;
let idleTimer: unknown = null;

/** Counters for tests and diagnostics. */
export const recycleStats = { registered: 0, returned: 0, reused: 0, dropped: 0 };

const registry: FinalizationRegistry<ArrayBuffer> | null =
  typeof FinalizationRegistry === "function" ? new FinalizationRegistry<ArrayBuffer>(giveBack) : null;

/**
 * Registers storage that `allocate` just handed out (fresh or recycled): its buffer returns here
 * once the storage is collected. Called once per storage object.
 */
export function trackStorage(storage: { readonly buffer: ArrayBufferLike; readonly byteLength: number }): void {
  if (registry === null || storage.byteLength < RECYCLED_MIN_BYTES) return;
  registry.register(storage, storage.buffer as ArrayBuffer);
  recycleStats.registered++;
}

/** A recycled buffer of exactly `bytes` bytes (contents arbitrary), if one waits. */
export function takeRecycled(bytes: number): ArrayBuffer | undefined {
  if (heldBytes === 0) return undefined;
  const buffer = free.get(bytes)?.pop();
  if (buffer === undefined) return undefined;
  heldBytes -= bytes;
  recentTakes++;
  recycleStats.reused++;
  return buffer;
}

/**
 * Marks the buffer of `storage` as read through other views (e.g. `subarray` slices wrapped as
 * tensors): it is never recycled, since those views do not keep `storage` itself alive.
 */
export function pinStorage(storage: { readonly buffer: ArrayBufferLike }): void {
  pinned.add(storage.buffer as ArrayBuffer);
}

/** Whether other views read the buffer of `storage` (see `pinStorage`): then it must not be reused. */
export function isPinned(storage: { readonly buffer: ArrayBufferLike }): boolean {
  return pinned.has(storage.buffer as ArrayBuffer);
}

/** Bytes waiting in the pool. */
export function recycledBytes(): number {
  return heldBytes;
}

/** Lets every waiting buffer go (tests; the idle timer does it on its own). */
export function clearRecycled(): void {
  free.clear();
  heldBytes = 0;
}

function giveBack(buffer: ArrayBuffer): void {
  const bytes = buffer.byteLength;
  // A detached buffer (transferred away) has no bytes left to reuse.
  if (pinned.has(buffer) || bytes < RECYCLED_MIN_BYTES) return;
  if (heldBytes + bytes > RECYCLED_MAX_BYTES) {
    recycleStats.dropped++;
    return;
  }
  let list = free.get(bytes);
  if (list === undefined) free.set(bytes, (list = []));
  list.push(buffer);
  heldBytes += bytes;
  recycleStats.returned++;
  watchIdle();
}

/** Starts the idle timer unless it runs: it empties the pool after a period without takes. */
function watchIdle(): void {
  if (idleTimer !== null || typeof setTimeout !== "function") return;
  recentTakes = 0;
  const timer = setTimeout(() => {
    idleTimer = null;
    if (recentTakes === 0) clearRecycled();
    if (heldBytes > 0) watchIdle();
  }, RECYCLED_IDLE_MS);
  // In Node, a waiting pool must not keep the process alive.
  (timer as { unref?: () => void }).unref?.();
  idleTimer = timer;
}
