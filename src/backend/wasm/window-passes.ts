/**
 * @file The work on one vector of channels of one window, for each kind of window work, as
 * WebAssembly SIMD (the walk over windows and channels is window-kernels.ts). The window's
 * elements are visited in row-major order, exactly the order of the JS kernels (js/window.ts),
 * whose results these match bit for bit:
 * - a maximum takes `v > m || (v ≠ v && m = m)` (the first NaN wins), not `max` (which orders
 *   −0 below +0 and loses the first NaN's payload);
 * - float32 sums are accumulated in float64 lanes and rounded once;
 * - a share of a scatter is `0 + s / ties` in float64 (the JS kernel's accumulator starts at 0).
 */
import type { Code } from "./emit.js";
import { v } from "./simd.js";

/**
 * What a task computes: `max`/`sum` of each window of the operand; `gather`, per window, the mean
 * of the second operand over the window's maxima; `scatter`, each window's value (the
 * window-shaped array) split among its maxima and written into an operand-shaped result (windows
 * that do not overlap); `scatterAdd`, the same added into a float64 accumulator (windows that
 * overlap: one task only, in window order).
 */
export type WindowKind = "max" | "sum" | "gather" | "scatter" | "scatterAdd";

/** The float dtypes the kernels take. */
export type WindowDType = "float32" | "float64";

/** The float lanes of a dtype: element bytes and the opcodes that differ between them. */
export interface Lanes {
  readonly bytes: 4 | 8;
  readonly eq: (c: Code) => Code;
  readonly ne: (c: Code) => Code;
  readonly gt: (c: Code) => Code;
  readonly splat: (c: Code, value: number) => Code;
}
/** float32: four lanes. */
export const F32: Lanes = { bytes: 4, eq: v.eq, ne: v.ne, gt: v.gt, splat: v.f32 };
/** float64: two lanes. */
export const F64: Lanes = { bytes: 8, eq: v.f64Eq, ne: v.f64Ne, gt: v.f64Gt, splat: v.f64 };

/** `vector`: a whole vector of channels; `lane`: one channel, splatted (only lane 0 is stored). */
export type Mode = "vector" | "lane";

/** A task function under construction (window-kernels.ts): its code, what it computes and the locals its steps share. */
export interface Task {
  readonly c: Code;
  readonly kind: WindowKind;
  readonly lanes: Lanes;
  readonly rank: number;
  readonly row: number;
  readonly vec: number;
  readonly operand: number;
  readonly second: number;
  readonly windows: number;
  readonly outs: readonly number[];
  readonly steps: readonly number[];
  readonly tables: readonly number[];
  /** Per dim: the window index, the byte offset of the window's first element so far, its element count. */
  readonly p: readonly number[];
  readonly base: readonly number[];
  readonly count: readonly number[];
  /** Per dim: the walk over the window's elements (byte offset, elements left). */
  readonly off: readonly number[];
  readonly left: readonly number[];
  /** Byte address of the current window's row in the window-shaped array. */
  readonly win: number;
  /** Byte offset of the current channel vector. */
  readonly ch: number;
  readonly addr: number;
  /** Vector locals: maximum, its NaN mask, element, selection mask, float64 accumulators, ties, shares. */
  readonly m: number;
  readonly mNaN: number;
  readonly x: number;
  readonly sel: number;
  readonly acc: readonly [number, number];
  readonly ties: number;
  readonly share: readonly [number, number];
  readonly shareOut: number;
}

/**
 * Calls `body(off)` for each element of the current window in row-major order (`off`: the local
 * holding its byte offset in operand-shaped arrays).
 */
function forEachElement(t: Task, body: (off: number) => void): void {
  const { c, rank } = t;
  for (let d = 0; d < rank; d++) {
    c.get(d === 0 ? t.base[rank - 1] : t.off[d - 1]).set(t.off[d]);
    c.get(t.count[d]).set(t.left[d]);
    c.block();
    c.get(t.left[d]).i32Eqz().brIf(0);
    c.loop();
  }
  body(t.off[rank - 1]);
  for (let d = rank - 1; d >= 0; d--) {
    c.get(t.off[d]).get(t.steps[d]).i32Add().set(t.off[d]);
    c.get(t.left[d]).i32(1).i32Sub().tee(t.left[d]).brIf(0);
    c.end().end();
  }
}

// ---- one vector of channels ----

/** The current window's work on the channels at `ch`: a whole vector of them, or one lane. */
export function emitChunk(t: Task, mode: Mode): void {
  if (t.kind === "sum") {
    emitSum(t, mode);
    storeWindowValue(t, mode, sumResult(t));
    return;
  }
  emitMax(t, mode);
  if (t.kind === "max") {
    storeWindowValue(t, mode, t.m);
    return;
  }
  // the selection test against this maximum: v = m, or both NaN
  t.c.get(t.m).get(t.m);
  t.lanes.ne(t.c);
  t.c.set(t.mNaN);
  if (t.kind === "gather") {
    emitGather(t, mode);
    return;
  }
  emitTies(t, mode);
  emitShare(t, mode);
  emitScatter(t, mode);
}

/** Pushes the address of the current channels of the element at `off` in the array at `array`. */
function pushAt(t: Task, array: number, off: number): void {
  t.c.get(array).get(off).i32Add().get(t.ch).i32Add();
}

/** Loads a vector (or one lane, splatted) from the address on the stack. */
function load(t: Task, mode: Mode): void {
  if (mode === "vector") v.load(t.c, 0);
  else if (t.lanes.bytes === 4) v.loadSplat(t.c, 0);
  else v.load64Splat(t.c, 0);
}

/** Stores local `value` (all of it, or lane 0) at the address on the stack. */
function store(t: Task, mode: Mode, value: number, bytes: 4 | 8 = t.lanes.bytes): void {
  t.c.get(value);
  if (mode === "vector") v.store(t.c, 0);
  else if (bytes === 4) v.store32Lane(t.c, 0, 0);
  else v.store64Lane(t.c, 0, 0);
}

/** Stores `value` as the current window's channels in the window-shaped array. */
function storeWindowValue(t: Task, mode: Mode, value: number): void {
  t.c.get(t.win).get(t.ch).i32Add();
  store(t, mode, value);
}

/** Loads the element at `off` of the operand into `x`. */
function loadOperand(t: Task, mode: Mode, off: number): void {
  pushAt(t, t.operand, off);
  load(t, mode);
  t.c.set(t.x);
}

/** m = the window's maximum: m ← x where x > m, or x is NaN and m is not (from −∞). */
function emitMax(t: Task, mode: Mode): void {
  const { c, lanes } = t;
  lanes.splat(c, -Infinity);
  c.set(t.m);
  forEachElement(t, (off) => {
    loadOperand(t, mode, off);
    c.get(t.x).get(t.m);
    c.get(t.x).get(t.m);
    lanes.gt(c);
    c.get(t.x).get(t.x);
    lanes.ne(c);
    c.get(t.m).get(t.m);
    lanes.eq(c);
    v.and(c);
    v.or(c);
    v.bitselect(c);
    c.set(t.m);
  });
}

/** sel = the lanes where x is a maximum: x = m, or x and m both NaN. */
function emitSelect(t: Task): void {
  const { c, lanes } = t;
  c.get(t.x).get(t.m);
  lanes.eq(c);
  c.get(t.x).get(t.x);
  lanes.ne(c);
  c.get(t.mNaN);
  v.and(c);
  v.or(c);
  c.set(t.sel);
}

/** Pushes the upper half of local `x`'s bytes moved down (lanes 2–3 of four 32-bit lanes as lanes 0–1). */
function pushHigh(t: Task, x: number): void {
  t.c.get(x).get(x);
  v.shuffle(t.c, [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]);
}

/** Adds the vector on the stack into the float64 accumulators (float32: lanes 0–1 into acc[0], 2–3 into acc[1]). */
function accumulate(t: Task, scratch: number): void {
  const { c } = t;
  if (t.lanes.bytes === 8) {
    c.set(scratch);
    c.get(t.acc[0]).get(scratch);
    v.f64Add(c);
    c.set(t.acc[0]);
    return;
  }
  c.set(scratch);
  c.get(t.acc[0]).get(scratch);
  v.promoteLow(c);
  v.f64Add(c);
  c.set(t.acc[0]);
  c.get(t.acc[1]);
  pushHigh(t, scratch);
  v.promoteLow(c);
  v.f64Add(c);
  c.set(t.acc[1]);
}

function zeroAccumulators(t: Task): void {
  t.c.v128Zero().set(t.acc[0]);
  t.c.v128Zero().set(t.acc[1]);
}

/** Pushes two float64 vectors as one float32 vector (lanes 0–1 from the first, 2–3 from the second). */
function pushDemoted(t: Task, lo: () => void, hi: () => void): void {
  lo();
  v.demoteZero(t.c);
  hi();
  v.demoteZero(t.c);
  v.shuffle(t.c, [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]);
}

/** acc = Σ of the window's elements, in float64. */
function emitSum(t: Task, mode: Mode): void {
  zeroAccumulators(t);
  forEachElement(t, (off) => {
    pushAt(t, t.operand, off);
    load(t, mode);
    accumulate(t, t.x);
  });
}

/** The sum rounded to the dtype, in local `shareOut`. */
function sumResult(t: Task): number {
  const { c } = t;
  if (t.lanes.bytes === 8) return t.acc[0];
  pushDemoted(t, () => c.get(t.acc[0]), () => c.get(t.acc[1]));
  c.set(t.shareOut);
  return t.shareOut;
}

/** Counts the selected lanes of this element into `ties` (int32 lanes for float32, float64 lanes for float64). */
function countTie(t: Task): void {
  const { c } = t;
  if (t.lanes.bytes === 4) {
    // a mask lane is −1
    c.get(t.ties).get(t.sel);
    v.i32Sub(c);
  } else {
    c.get(t.ties);
    v.f64(c, 1);
    c.get(t.sel);
    v.and(c);
    v.f64Add(c);
  }
  c.set(t.ties);
}

/** Pushes `ties` (lanes 0–1 when float32, or 2–3 with `high`) as float64. */
function pushTies(t: Task, high: boolean): void {
  if (t.lanes.bytes === 8) {
    t.c.get(t.ties);
    return;
  }
  if (high) pushHigh(t, t.ties);
  else t.c.get(t.ties);
  v.i32LowToF64(t.c);
}

/** Pushes the mask of the lanes whose window has no element (ties = 0). */
function pushNoTies(t: Task): void {
  const { c } = t;
  c.get(t.ties);
  c.v128Zero();
  if (t.lanes.bytes === 4) v.i32Eq(c);
  else v.f64Eq(c);
}

/** gather: the mean of the second array over the window's maxima (0 for a window of no element). */
function emitGather(t: Task, mode: Mode): void {
  const { c } = t;
  c.v128Zero().set(t.ties);
  zeroAccumulators(t);
  forEachElement(t, (off) => {
    loadOperand(t, mode, off);
    emitSelect(t);
    countTie(t);
    pushAt(t, t.second, off);
    load(t, mode);
    c.get(t.sel);
    v.and(c);
    accumulate(t, t.x);
  });
  const quotient = (half: 0 | 1) => () => {
    c.get(t.acc[half]);
    pushTies(t, half === 1);
    v.f64Div(c);
  };
  if (t.lanes.bytes === 4) pushDemoted(t, quotient(0), quotient(1));
  else quotient(0)();
  pushNoTies(t);
  v.andNot(c);
  c.set(t.shareOut);
  storeWindowValue(t, mode, t.shareOut);
}

/** ties = the number of maxima in the window. */
function emitTies(t: Task, mode: Mode): void {
  t.c.v128Zero().set(t.ties);
  forEachElement(t, (off) => {
    loadOperand(t, mode, off);
    emitSelect(t);
    countTie(t);
  });
}

/** share = 0 + s / ties in float64 (s: the window's value); `shareOut` the same rounded to the dtype. */
function emitShare(t: Task, mode: Mode): void {
  const { c } = t;
  c.get(t.win).get(t.ch).i32Add();
  load(t, mode);
  c.set(t.x);
  if (t.kind === "scatter" && t.lanes.bytes === 4) {
    // Only the float32 share is written: 0 + s / ties in float32 has the same bits as in float64
    // rounded to float32 (a quotient of float32 values rounded twice, first to 53 bits, rounds as
    // once: 53 ≥ 2·24 + 2), so one float32 division does for two float64 ones.
    c.get(t.x).get(t.ties);
    v.i32ToF32(c);
    v.div(c);
    c.v128Zero();
    v.add(c);
    c.set(t.shareOut);
    return;
  }
  const half = (h: 0 | 1) => {
    if (t.lanes.bytes === 8) c.get(t.x);
    else {
      if (h === 1) pushHigh(t, t.x);
      else c.get(t.x);
      v.promoteLow(c);
    }
    pushTies(t, h === 1);
    v.f64Div(c);
    c.v128Zero();
    v.f64Add(c);
    c.set(t.share[h]);
  };
  half(0);
  if (t.lanes.bytes === 8) {
    c.get(t.share[0]).set(t.shareOut);
    return;
  }
  half(1);
  pushDemoted(t, () => c.get(t.share[0]), () => c.get(t.share[1]));
  c.set(t.shareOut);
}

/**
 * scatter: every element of the window gets the share where it is a maximum, else 0 (written:
 * windows do not overlap); scatterAdd: the share added into the float64 accumulator there.
 */
function emitScatter(t: Task, mode: Mode): void {
  const { c } = t;
  forEachElement(t, (off) => {
    loadOperand(t, mode, off);
    emitSelect(t);
    if (t.kind === "scatter") {
      pushAt(t, t.second, off);
      c.get(t.shareOut).get(t.sel);
      v.and(c);
      c.set(t.x);
      store(t, mode, t.x);
      return;
    }
    // the accumulator is float64: byte offset (off + ch) · 8 / element bytes
    c.get(off).get(t.ch).i32Add();
    if (t.lanes.bytes === 4) c.i32(1).i32Shl();
    c.get(t.second).i32Add().set(t.addr);
    const add = (half: 0 | 1) => {
      c.get(t.addr);
      c.get(t.addr);
      if (mode === "vector") v.load(c, 16 * half);
      else v.load64Splat(c, 0);
      c.get(t.share[half]).get(t.sel);
      if (t.lanes.bytes === 4) (half === 0 ? v.i64ExtendLow : v.i64ExtendHigh)(c);
      v.and(c);
      v.f64Add(c);
      if (mode === "vector") v.store(c, 16 * half);
      else v.store64Lane(c, 0, 0);
    };
    add(0);
    if (t.lanes.bytes === 4 && mode === "vector") add(1);
  });
}
