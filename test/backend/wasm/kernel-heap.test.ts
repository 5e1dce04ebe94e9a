// The allocator of the kernel memory's heap (backend/wasm/kernel-heap.ts): blocks on 64-byte lines
// that never overlap, free neighbours merged, the smallest fitting free block reused first, the top
// lowered when the block under it is freed, and a run's blocks freed together by their owner.
import { describe, expect, test } from "vitest";
import { KernelHeap } from "../../../src/backend/wasm/kernel-heap.js";

const BASE = 131072;

function heap(): { heap: KernelHeap; reserved: () => number } {
  let end = BASE;
  const h = new KernelHeap(BASE, (e) => {
    end = Math.max(end, e);
  });
  return { heap: h, reserved: () => end };
}

describe("kernel heap", () => {
  test("blocks start on lines, from the base up, and the memory is reserved past each", () => {
    const { heap: h, reserved } = heap();
    const a = h.alloc(10);
    const b = h.alloc(100);
    const c = h.alloc(64);
    expect([a, b, c]).toEqual([BASE, BASE + 64, BASE + 64 + 128]);
    expect(reserved()).toBe(BASE + 64 + 128 + 64);
    expect(h.extent).toBe(256);
  });

  test("freed neighbours merge, the smallest fitting block is reused, and freeing the top lowers it", () => {
    const { heap: h } = heap();
    const [a, b, c, d] = [h.alloc(64), h.alloc(256), h.alloc(64), h.alloc(128)];
    const e = h.alloc(64);
    h.release(b);
    h.release(d);
    // 128 bytes fit both holes (256 at b, 128 at d): the smaller one, d, is taken
    expect(h.alloc(128)).toBe(d);
    h.release(a);
    // a and b merged: 320 bytes from a
    expect(h.alloc(320)).toBe(a);
    for (const at of [a, c, d, e]) expect(h.release(at)).toBe(true);
    expect(h.extent).toBe(0);
    expect(h.blocks).toBe(0);
    expect(h.release(a)).toBe(false);
  });

  test("freeing the top block lowers the top, and freeing a block under it then lowers it further", () => {
    const { heap: h } = heap();
    const a = h.alloc(64);
    const b = h.alloc(64);
    h.alloc(64);
    const top = h.alloc(64);
    h.release(b);
    h.release(top);
    // the top came down to the third block; b's hole is too small for 192 bytes, so the top grows
    expect(h.alloc(192)).toBe(a + 192);
    expect(h.extent).toBe(3 * 64 + 192);
  });

  test("a block the memory cannot grow to throws, and leaves the heap as it was", () => {
    const h = new KernelHeap(BASE, (end) => {
      if (end > BASE + 1024) throw new RangeError("cannot grow");
    });
    const a = h.alloc(512);
    expect(() => h.alloc(1024)).toThrow(RangeError);
    expect([h.blocks, h.extent]).toEqual([1, 512]);
    expect(h.alloc(256)).toBe(a + 512);
  });

  test("random allocations and frees: live blocks never overlap, and everything freed leaves an empty heap", () => {
    const { heap: h } = heap();
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const live = new Map<number, number>();
    for (let step = 0; step < 3000; step++) {
      if (live.size > 0 && rand() < 0.45) {
        const keys = [...live.keys()];
        const at = keys[Math.floor(rand() * keys.length)];
        expect(h.release(at)).toBe(true);
        live.delete(at);
      } else {
        const bytes = 1 + Math.floor(rand() * 5000);
        const at = h.alloc(bytes);
        expect(at % 64).toBe(0);
        expect(at).toBeGreaterThanOrEqual(BASE);
        for (const [other, size] of live) expect(at + bytes <= other || other + size <= at, `${at}+${bytes} overlaps ${other}+${size}`).toBe(true);
        live.set(at, bytes);
      }
    }
    for (const at of live.keys()) h.release(at);
    expect(h.blocks).toBe(0);
    expect(h.extent).toBe(0);
  });

  test("releaseOwned frees the blocks of one owner only", () => {
    const { heap: h } = heap();
    const [run1, run2] = [{}, {}];
    const a = h.alloc(100, run1);
    const b = h.alloc(100, run2);
    const c = h.alloc(100, run1);
    h.releaseOwned(run1);
    expect(h.blocks).toBe(1);
    expect(h.release(a)).toBe(false);
    expect(h.release(c)).toBe(false);
    expect(h.release(b)).toBe(true);
  });

  test("a block keeps the view it was handed out as, until freed", () => {
    const { heap: h } = heap();
    const buffer = new ArrayBuffer(1 << 20);
    const at = h.alloc(40, null, (where) => new Float32Array(buffer, where - BASE, 10));
    const view = h.viewAt(at) as Float32Array;
    expect(view.length).toBe(10);
    expect(view.byteOffset).toBe(at - BASE);
    h.release(at);
    expect(h.viewAt(at)).toBeNull();
  });
});
