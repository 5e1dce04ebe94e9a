/**
 * @file Storage read through other views. A tensor may wrap a `subarray` of another tensor's
 * storage (scan's slices of xs do, and a carry may be returned as one): that view reads the same
 * buffer without holding the storage object, so whoever tracks the storage's holders (a jit
 * plan's buffer pool, which reuses an intermediate's buffer after its last register) would hand
 * the buffer out again while the view still reads it. Code that makes such views pins the storage
 * first, and a pinned buffer is never reused.
 */

const pinned = new WeakSet<object>();

/**
 * Bytes up to which V8 keeps a typed array's elements on its own heap (typed_array_max_size_in_heap):
 * reading `buffer` of such an array materializes one, so kernels never look for one in the kernel
 * memory, and scan copies slices that small rather than view them (no view that small ever points
 * into the kernel memory).
 */
export const SMALL_ARRAY_BYTES = 64;

/**
 * The thing pinned for `storage`: its buffer, unless that is shared (the WebAssembly kernel memory
 * holds many tensors in one buffer: there the storage object itself, which the plan's pool gives back).
 */
function pinOf(storage: { readonly buffer: ArrayBufferLike }): object {
  return typeof SharedArrayBuffer !== "undefined" && storage.buffer instanceof SharedArrayBuffer ? storage : storage.buffer;
}

/** Marks the buffer of `storage` as read through other views: it must never be reused. */
export function pinStorage(storage: { readonly buffer: ArrayBufferLike }): void {
  pinned.add(pinOf(storage));
}

/** Whether other views may read the buffer of `storage` (see `pinStorage`). */
export function isPinned(storage: { readonly buffer: ArrayBufferLike }): boolean {
  return pinned.has(pinOf(storage));
}
