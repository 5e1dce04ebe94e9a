/**
 * @file Inputs that are still in kernel memory. A fused loop copies each input to a fixed offset
 * of the kernel memory on every call; when the same loop runs again on the same large input (a
 * function of fixed data called in a loop, as W3's value and gradient) and nothing has written
 * there since, the copy is skipped. Nothing has written there when no kernel call has laid out its
 * operands in between (`KernelRuntime.layouts`), and the input holds the same values when it is
 * the same storage array and no released buffer has been handed out again since (tensors are
 * never mutated after creation, and `allocate` is the only place a storage array gets new values:
 * `reissueCount`).
 */
import { reissueCount } from "../../dtype.js";
import type { KernelRuntime } from "./runtime.js";

/**
 * A number per storage array, kept in a WeakMap: a slot remembers what it holds without keeping
 * it alive (a strong reference would, and so would a WeakRef made during a synchronous loop, which
 * keeps its target until the loop yields).
 */
const ids = new WeakMap<Float32Array, number>();
let lastId = 0;

function idOf(storage: Float32Array): number {
  let id = ids.get(storage);
  if (id === undefined) ids.set(storage, (id = ++lastId));
  return id;
}

/** Copies skipped so far (tests). */
export const residentStats = { skipped: 0 };

/** Inputs smaller than this are copied every time: the bookkeeping would cost as much. */
export const RESIDENT_MIN_BYTES = 1 << 16;

/** What one compiled loop copied into its input slots on its last complete call. */
export class ResidentInputs {
  /** The runtime's layout count and the reissue count when the last call ended. */
  private layouts = -1;
  private reissues = -1;
  /** The id (`idOf`) of the storage last copied into each slot, 0 for none. */
  private readonly held: number[];

  constructor(inputs: number) {
    this.held = new Array<number>(inputs).fill(0);
  }

  /**
   * Whether the slots still hold what the last complete call copied: no other kernel call laid out
   * its operands since (this call's own `ensure`, just made, is the one count allowed) and no
   * released buffer was handed out again. Call right after `runtime.ensure`.
   */
  intact(runtime: KernelRuntime): boolean {
    return runtime.layouts === this.layouts + 1 && reissueCount() === this.reissues;
  }

  /** Copies `storage` into slot `k` at float offset `at` of `f32`, unless `intact` and it is already there. */
  copy(intact: boolean, k: number, storage: Float32Array, f32: Float32Array, at: number): void {
    if (storage.byteLength < RESIDENT_MIN_BYTES) {
      f32.set(storage, at);
      return;
    }
    const id = idOf(storage);
    if (intact && this.held[k] === id) {
      residentStats.skipped++;
      return;
    }
    f32.set(storage, at);
    this.held[k] = id;
  }

  /**
   * Records that the call completed (its slots hold its inputs). Call after the last output is
   * written. A slot whose input is also one of the call's `outputs` (a donated input whose buffer
   * took the result) no longer holds that storage's values.
   */
  end(runtime: KernelRuntime, outputs: readonly ArrayLike<number>[]): void {
    this.layouts = runtime.layouts;
    this.reissues = reissueCount();
    for (const out of outputs) {
      const id = ids.get(out as Float32Array);
      if (id === undefined) continue;
      for (let k = 0; k < this.held.length; k++) if (this.held[k] === id) this.held[k] = 0;
    }
  }
}
