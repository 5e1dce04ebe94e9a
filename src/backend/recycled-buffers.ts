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
export const RECYCLED_MAX_BYTES = 128 << 20;

/**
 * The most bytes registered while the event loop does not turn. The registry holds each registered
 * buffer until its report has run, which happens only between tasks: a loop that never yields
 * would keep every buffer it registered (300 calls returning 4 MB kept 1.2 GB). Past this budget,
 * storage is not registered until the loop turns (the collector frees it as usual). Where the loop
 * turns, a buffer stays only as long as the collector would keep it anyway (until it finds it dead).
 */
export const RECYCLED_MAX_UNTURNED = 32 << 20;

/** After this long without a take, the pool lets its buffers go (memory returns when idle). */
export const RECYCLED_IDLE_MS = 2000;

const free = new Map<number, ArrayBuffer[]>();
let heldBytes = 0;
/** Bytes registered since the event loop last turned (see RECYCLED_MAX_UNTURNED). */
let unturnedBytes = 0;
let turnTimer: unknown = null;
/** Buffers of storages that other views read: never recycled. */
const pinned = new WeakSet<ArrayBuffer>();
/** Takes since the idle timer last looked. */
let recentTakes = 0;
let idleTimer: unknown = null;

/** Counters for tests and diagnostics. */
export const recycleStats = { registered: 0, untracked: 0, returned: 0, reused: 0, dropped: 0 };

/** What the registry keeps of a registered storage: its buffer, and its length when registered. */
interface Held {
  readonly buffer: ArrayBuffer;
  readonly bytes: number;
}

const registry: FinalizationRegistry<Held> | null = typeof FinalizationRegistry === "function" ? new FinalizationRegistry<Held>(giveBack) : null;

/**
 * Registers storage that `allocate` just handed out (fresh or recycled): its buffer returns here
 * once the storage is collected. Called once per storage object.
 */
export function trackStorage(storage: { readonly buffer: ArrayBufferLike; readonly byteLength: number }): void {
  const bytes = storage.byteLength;
  if (registry === null || bytes < RECYCLED_MIN_BYTES) return;
  if (unturnedBytes + bytes > RECYCLED_MAX_UNTURNED) {
    recycleStats.untracked++;
    return;
  }
  registry.register(storage, { buffer: storage.buffer as ArrayBuffer, bytes });
  unturnedBytes += bytes;
  recycleStats.registered++;
  watchTurn();
}

/** Resets the unturned budget once the event loop runs a task (a timer: any later task will do). */
function watchTurn(): void {
  if (turnTimer !== null || typeof setTimeout !== "function") return;
  const timer = setTimeout(() => {
    turnTimer = null;
    unturnedBytes = 0;
  }, 0);
  (timer as { unref?: () => void }).unref?.();
  turnTimer = timer;
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

function giveBack({ buffer, bytes }: Held): void {
  // A buffer transferred away (detached: no bytes left) or read through other views stays out.
  if (buffer.byteLength !== bytes || pinned.has(buffer)) return;
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
