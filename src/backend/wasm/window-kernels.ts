/**
 * @file The WebAssembly modules behind the window primitives in float32 and float64, generated
 * at run time: one task function per kind of window work (window-passes.ts) and rank of window,
 * plus the task dispatcher of tasks.ts. The geometry is data, not code: window.ts canonicalizes
 * it (trailing dims that no window spans become `channels`, contiguous runs of values at every
 * position) and writes the parameter block below and, per windowed dim, a table of each window's
 * first in-bounds element and element count. A task walks its windows in row-major order and, for
 * each, the channels in vectors of SIMD lanes, then one lane at a time.
 */
import { Code, encodeModule, I32, V128, type FunctionDef } from "./emit.js";
import { DATA, WORK_GLOBALS, emitWork } from "./tasks.js";
import { emitChunk, F32, F64, type Task, type WindowDType, type WindowKind } from "./window-passes.js";

export type { WindowDType, WindowKind } from "./window-passes.js";

// ---- the parameter block (i32 words at DATA) ----

/** Bytes per window of a window-shaped array (channels · element bytes). */
export const P_ROW = 0;
/** Bytes of channels taken in whole vectors (the rest, one lane at a time). */
export const P_VEC = 1;
/** Byte addresses of the operand, of the operand-shaped second array and of the window-shaped array. */
export const P_OPERAND = 2;
export const P_SECOND = 3;
export const P_WINDOWS = 4;
/** Per windowed dim, from here: windows along it, byte step between its elements, address of its table. */
export const P_DIMS = 5;
/** Words of the parameter block for `rank` windowed dims. */
export const paramWords = (rank: number): number => P_DIMS + 3 * rank;
/** Bytes of one table entry: the byte offset of a window's first element along the dim, and its element count. */
export const ENTRY_BYTES = 8;

/** Parameters of the task function: windows [start, end) along the first windowed dim. */
const [START, END] = [0, 1];

/**
 * The module of `kind` over `rank` windowed dims in `dtype`: exports `task(start, end)` and the
 * dispatcher `work()` of module slot `slot` (`null`: a module that only this thread runs).
 */
export function windowModule(kind: WindowKind, dtype: WindowDType, rank: number, slot: number | null, sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  const task: FunctionDef = { name: "task", params: [I32, I32], results: [], code: taskCode(kind, dtype, rank) };
  const functions: FunctionDef[] = slot === null ? [task] : [task, { name: "work", params: [], results: [I32], code: emitWork(slot, 0, 2) }];
  return encodeModule(functions, { sharedMemory, globals: slot === null ? [] : WORK_GLOBALS });
}

function taskCode(kind: WindowKind, dtype: WindowDType, rank: number): Code {
  const c = new Code(2);
  const i32 = () => c.local(I32);
  const vec = () => c.local(V128);
  const perDim = () => Array.from({ length: rank }, i32);
  const t: Task = {
    c, kind, lanes: dtype === "float32" ? F32 : F64, rank,
    row: i32(), vec: i32(), operand: i32(), second: i32(), windows: i32(),
    outs: perDim(), steps: perDim(), tables: perDim(),
    p: perDim(), base: perDim(), count: perDim(), off: perDim(), left: perDim(),
    win: i32(), ch: i32(), addr: i32(),
    m: vec(), mNaN: vec(), x: vec(), sel: vec(), acc: [vec(), vec()], ties: vec(), share: [vec(), vec()], shareOut: vec(),
  };
  loadParams(t);
  emitWindows(t);
  return c;
}

// ---- the walk over windows ----

function loadParams(t: Task): void {
  const { c } = t;
  const word = (i: number, local: number) => c.i32(0).i32Load(DATA + 4 * i).set(local);
  word(P_ROW, t.row);
  word(P_VEC, t.vec);
  word(P_OPERAND, t.operand);
  word(P_SECOND, t.second);
  word(P_WINDOWS, t.windows);
  for (let d = 0; d < t.rank; d++) {
    word(P_DIMS + 3 * d, t.outs[d]);
    word(P_DIMS + 3 * d + 1, t.steps[d]);
    word(P_DIMS + 3 * d + 2, t.tables[d]);
  }
  // the first window's row: windows + start · (windows per step along dim 0) · row
  c.get(START);
  for (let d = 1; d < t.rank; d++) c.get(t.outs[d]).i32Mul();
  c.get(t.row).i32Mul().get(t.windows).i32Add().set(t.win);
}

/** Nested loops over the windows (dim 0 from `start` to `end`, the others whole), one window body each. */
function emitWindows(t: Task): void {
  const { c } = t;
  for (let d = 0; d < t.rank; d++) {
    if (d === 0) c.get(START);
    else c.i32(0);
    c.set(t.p[d]);
    c.block().loop();
    c.get(t.p[d]).get(d === 0 ? END : t.outs[d]).i32GeU().brIf(1);
    // entry = table + p · 8; base = base of the outer dim + entry.first; count = entry.count
    c.get(t.tables[d]).get(t.p[d]).i32(3).i32Shl().i32Add().set(t.addr);
    c.get(t.addr).i32Load(0);
    if (d > 0) c.get(t.base[d - 1]).i32Add();
    c.set(t.base[d]);
    c.get(t.addr).i32Load(4).set(t.count[d]);
  }
  emitChannels(t);
  c.get(t.win).get(t.row).i32Add().set(t.win);
  for (let d = t.rank - 1; d >= 0; d--) {
    c.get(t.p[d]).i32(1).i32Add().set(t.p[d]);
    c.br(0);
    c.end().end();
  }
}

/** One window: its channels in whole vectors, then one lane at a time. */
function emitChannels(t: Task): void {
  const { c } = t;
  c.i32(0).set(t.ch);
  c.block().loop();
  c.get(t.ch).get(t.vec).i32GeU().brIf(1);
  emitChunk(t, "vector");
  c.get(t.ch).i32(16).i32Add().set(t.ch);
  c.br(0);
  c.end().end();
  c.block().loop();
  c.get(t.ch).get(t.row).i32GeU().brIf(1);
  emitChunk(t, "lane");
  c.get(t.ch).i32(t.lanes.bytes).i32Add().set(t.ch);
  c.br(0);
  c.end().end();
}
