/**
 * @file Epilogues in generated kernels (compiler/epilogue.ts): the elementwise loop that finishes a
 * kernel's result, emitted into the kernel where it writes each output vector (Winograd's output
 * transform, the product microkernel's store). The loop's input `operand` is the kernel's value; its
 * other inputs are scalars and per-channel rows, which the caller writes into the kernel memory as
 * one block (`writeEpilogueInputs`): the scalars first, 16 bytes each, then the rows, `rowBytes`
 * apart (a row of the product: padding past the channels is never used), in the order of the loop's
 * inputs.
 */
import { structureKey, type FusedKernel } from "../../compiler/fusion.js";
import type { ConcreteTensor } from "../../core/concrete.js";
import { emitOp } from "./alu-emit.js";
import { I32, V128, type Code } from "./emit.js";
import { v } from "./simd.js";

/** An elementwise loop that finishes a kernel's result: its input `operand` is that result. */
export interface KernelEpilogue {
  readonly loop: FusedKernel;
  readonly operand: number;
}

/** What tells one epilogue's generated code from another's (a module cache's key). */
export function epilogueKey(e: KernelEpilogue): string {
  return `${structureKey(e.loop)}@${e.operand}`;
}

/** The loop's scalar and row inputs (the operand aside), in the order of its inputs. */
export function epilogueReads(e: KernelEpilogue): { scalars: number[]; rows: number[] } {
  const scalars: number[] = [];
  const rows: number[] = [];
  e.loop.access.forEach((a, k) => {
    if (k === e.operand) return;
    (a.kind === "scalar" ? scalars : rows).push(k);
  });
  return { scalars, rows };
}

/** Bytes of an epilogue's inputs with rows `rowBytes` apart. */
export function epilogueBytes(e: KernelEpilogue, rowBytes: number): number {
  const { scalars, rows } = epilogueReads(e);
  return 16 * scalars.length + rows.length * rowBytes;
}

/**
 * Writes the epilogue's inputs at byte address `at` as the kernel reads them; `inputs` are the
 * loop's inputs but the operand, in order.
 */
export function writeEpilogueInputs(mem: Float32Array, at: number, e: KernelEpilogue, inputs: readonly ConcreteTensor[], rowBytes: number): void {
  const { scalars, rows } = epilogueReads(e);
  const value = (k: number) => inputs[k < e.operand ? k : k - 1].storage as Float32Array;
  scalars.forEach((k, i) => (mem[at / 4 + 4 * i] = value(k)[0]));
  const rowsAt = at / 4 + 4 * scalars.length;
  rows.forEach((k, r) => mem.set(value(k), rowsAt + (r * rowBytes) / 4));
}

/**
 * The epilogue's code: here (the kernel's start), the scalars, the loop's operations on scalars
 * only, and each row's address (`at`: the I32 local holding the inputs' address; `rowBytes`: the
 * I32 local holding the bytes from one row to the next); then, per vector of channels, the rows'
 * values at byte offset `offset` (`loadRows`), and per output vector the loop's other operations on
 * it (`apply`: returns the local holding what is written).
 */
export function startEpilogue(code: Code, e: KernelEpilogue, at: number, rowBytes: number) {
  const { loop, operand } = e;
  const n = loop.inputs.length;
  const { scalars, rows } = epilogueReads(e);
  const value: number[] = new Array(n + loop.ops.length).fill(-1);
  scalars.forEach((k, i) => {
    value[k] = code.local(V128);
    code.get(at);
    v.loadSplat(code, 16 * i);
    code.set(value[k]);
  });
  const rowAt = rows.map((_, r) => {
    const local = code.local(I32);
    code.get(at).i32(16 * scalars.length).i32Add().get(rowBytes).i32(r).i32Mul().i32Add().set(local);
    return local;
  });
  loop.ops.forEach((op, j) => {
    if (loop.scalar[n + j]) value[n + j] = emitOp(code, op, op.args.map((a) => value[a]));
  });
  return {
    loadRows: (offset: number): number[] =>
      rows.map((_, r) => {
        const local = code.local(V128);
        code.get(rowAt[r]).get(offset).i32Add();
        v.load(code, 0);
        code.set(local);
        return local;
      }),
    apply: (y: number, rowValues: readonly number[]): number => {
      const values = value.slice();
      rows.forEach((k, r) => (values[k] = rowValues[r]));
      values[operand] = y;
      loop.ops.forEach((op, j) => {
        if (!loop.scalar[n + j]) values[n + j] = emitOp(code, op, op.args.map((a) => values[a]));
      });
      return values[loop.outputs[0].value];
    },
  };
}
