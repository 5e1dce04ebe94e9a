/**
 * @file The argument block of a fused loop's task function (task-loop.ts): the words that make one
 * compiled module serve a loop at any size. Before each call the caller writes, from the start of
 * the data area, where each buffer lies and the sizes the code would otherwise hold as constants
 * (periods of row and column reads, reduction lengths); every task reads them into locals first.
 */
import type { FusedKernel } from "../../compiler/fusion.js";
import { Code, I32 } from "./emit.js";
import { DATA } from "./tasks.js";

/** Byte offsets of the kernel's buffers in the scratch block of a call (runtime.ts `scratch`). */
export interface Layout {
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** Results of trailing-axes reductions; partial results (a float64 per task) of full ones. */
  readonly reductions: readonly number[];
  readonly bytes: number;
}

/** Where the argument block lies: the start of the data area, before the buffers. */
const ARGS = DATA;

/**
 * Bytes of `kernel`'s argument block, a whole number of vectors: per input its buffer and its
 * period (row reads, in bytes) or repeat (column reads, in elements), per output its buffer, per
 * reduction its buffer and its length (trailing axes) or number of results (leading axes).
 */
export function argBytes(kernel: FusedKernel): number {
  const words = 2 * kernel.inputs.length + kernel.outputs.length + 2 * kernel.reductions.length;
  return Math.ceil(words / 4) * 16;
}

/**
 * The words of `kernel`'s argument block for its buffers at `layout` (offsets: the caller rewrites the
 * buffers' words with their addresses on each call), in the order `readArgs` reads them.
 */
export function loopArgs(kernel: FusedKernel, layout: Layout): Int32Array {
  const period = kernel.access.map((a) => (a.kind === "row" ? a.period * 4 : a.kind === "column" ? a.repeat : 0));
  const extent = kernel.reductions.map((r) => (r.strided ? r.rows : r.rows === 1 ? 0 : r.length));
  return Int32Array.from([...layout.inputs, ...period, ...layout.outputs, ...layout.reductions, ...extent]);
}

/** Writes the argument block at its place in the memory (`words`: the whole memory as int32). */
export function writeArgs(words: Int32Array, args: Int32Array): void {
  words.set(args, ARGS / 4);
}

/** Locals holding the argument block's words (see `argBytes`). */
export interface Args {
  readonly inputs: readonly number[];
  readonly period: readonly number[];
  readonly outputs: readonly number[];
  readonly reductions: readonly number[];
  readonly extent: readonly number[];
}

/** Reads the argument block into locals, in `loopArgs`'s order. */
export function readArgs(c: Code, kernel: FusedKernel): Args {
  let word = 0;
  const read = (): number => {
    const local = c.local(I32);
    c.i32(0).i32Load(ARGS + 4 * word++).set(local);
    return local;
  };
  const inputs = kernel.inputs.map(read);
  const period = kernel.inputs.map(read);
  const outputs = kernel.outputs.map(read);
  const reductions = kernel.reductions.map(read);
  const extent = kernel.reductions.map(read);
  return { inputs, period, outputs, reductions, extent };
}
