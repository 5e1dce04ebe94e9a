/**
 * @file The task function of a float32 fused loop, as WebAssembly SIMD: a loop over four lanes at
 * a time whose body evaluates the kernel's instructions in v128 locals (alu-emit.ts), with scalars
 * and constants hoisted out of it, sums accumulated in float64 lanes (a result stored at the end of
 * each run of a trailing-axes reduction; sums over leading axes into the task's own float64 partial
 * sums in memory) and the last partial vector masked out of full reductions.
 * Written as named steps, in the order they emit.
 */
import type { FusedKernel, FusedReduction } from "../../compiler/fusion.js";
import { Code, I32, V128 } from "./emit.js";
import { s, v } from "./simd.js";
import { emitOp } from "./alu-emit.js";

/** Byte offsets of the kernel's buffers in the kernel memory. */
export interface Layout {
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** Results of trailing-axes reductions; partial results (a float64 per task) of full ones. */
  readonly reductions: readonly number[];
  readonly bytes: number;
}

/** Parameters of the task function (see `generate`). */
const [START, END, T, TAIL] = [0, 1, 2, 3];

/** Where a trailing-axes reduction stands: lanes left in the current run, and the byte offset of its result. */
interface Run {
  readonly left: number;
  readonly at: number;
}

/** Where a strided reduction stands: the byte offset of the task's partial sums, and of the current result among them. */
interface Strided {
  readonly base: number;
  readonly at: number;
}

/** Where a row or column read stands: its byte offset, and (columns) lanes left before the next element. */
interface Cursor {
  readonly at: number;
  readonly left: number;
}

/** The task function under construction: its code, what it lowers, and the locals its steps share. */
interface TaskLoop {
  readonly c: Code;
  readonly kernel: FusedKernel;
  readonly layout: Layout;
  /** Byte offset of the current vector in the float arrays. */
  readonly i: number;
  /** Per value: the local of a hoisted one (scalar inputs, constants, operations on them), else -1. */
  readonly hoisted: readonly number[];
  /** Per reduction: its accumulators (two f64x2 for a sum, one f32x4 for a max). */
  readonly acc: readonly (readonly number[])[];
  /** Per reduction: its run (`null` for a full or strided reduction). */
  readonly runs: readonly (Run | null)[];
  /** Per reduction: where its partial sums stand (`null` but for a strided reduction). */
  readonly strided: readonly (Strided | null)[];
  /** Per input: its cursor (`null` but for row and column reads). */
  readonly cursors: readonly (Cursor | null)[];
}

/**
 * task(start, end, t, tail): the loop over the vectors at byte offsets [start, end) of the float
 * arrays, then the last partial vector if `tail`; full reductions leave their float64 partial
 * results in slot `t`. Tasks start on whole runs of trailing-axes reductions.
 */
export function generate(kernel: FusedKernel, layout: Layout): Code {
  const c = new Code(4);
  const i = c.local(I32);
  const hoisted = hoistScalars(c, kernel, layout);
  const acc = startAccumulators(c, kernel);
  const runs = startRuns(c, kernel);
  const strided = startStrided(c, kernel);
  const cursors = startCursors(c, kernel);
  const loop: TaskLoop = { c, kernel, layout, i, hoisted, acc, runs, strided, cursors };
  emitMainLoop(loop);
  emitTail(loop);
  storePartials(loop);
  return c;
}

// ---- before the loop ----

/** Scalar inputs, constants and operations on scalars only are the same for every vector: computed once. */
function hoistScalars(c: Code, kernel: FusedKernel, layout: Layout): number[] {
  const n = kernel.inputs.length;
  const local: number[] = new Array(n + kernel.ops.length).fill(-1);
  kernel.inputs.forEach((_, k) => {
    if (!kernel.scalar[k]) return;
    // literals too are read from memory, not written into the code: kernels that differ only in
    // a constant share one module
    local[k] = c.local(V128);
    c.i32(0);
    v.loadSplat(c, layout.inputs[k]);
    c.set(local[k]);
  });
  kernel.ops.forEach((op, j) => {
    if (kernel.scalar[n + j]) local[n + j] = emitOp(c, op, op.args.map((a) => local[a]));
  });
  return local;
}

/** Sums accumulate in two f64x2 (lanes 0–1 and 2–3; float64 keeps long sums accurate), maxima in one f32x4. */
function startAccumulators(c: Code, kernel: FusedKernel): number[][] {
  return kernel.reductions.map((r) => {
    if (r.strided) return [];
    const lanes = r.op === "Add" ? [c.local(V128), c.local(V128)] : [c.local(V128)];
    setIdentity(c, r, lanes);
    return lanes;
  });
}

/** The reduction's identity in every lane of `lanes`: how each run (and each task) starts. */
function setIdentity(c: Code, r: FusedReduction, lanes: readonly number[]): void {
  for (const l of lanes) {
    v.f32(c, identity(r));
    c.set(l);
  }
}

const identity = (r: FusedReduction): number => (r.op === "Add" ? 0 : -Infinity);

/** A trailing-axes reduction stores a result at the end of each run; tasks start on whole runs. */
function startRuns(c: Code, kernel: FusedKernel): (Run | null)[] {
  return kernel.reductions.map((r) => {
    if (r.rows === 1 || r.strided) return null;
    const run = { left: c.local(I32), at: c.local(I32) };
    c.i32(r.length).set(run.left);
    // the result's byte offset: (start / 4 / length) · 4
    c.get(START).i32(r.length).i32DivU().set(run.at);
    return run;
  });
}

/**
 * A strided reduction adds element i into result i mod rows of the task's own partial sums (rows
 * float64 at t · rows · 8 past the reduction's buffer); the result offset wraps like a row read.
 */
function startStrided(c: Code, kernel: FusedKernel): (Strided | null)[] {
  return kernel.reductions.map((r) => {
    if (!r.strided) return null;
    const strided = { base: c.local(I32), at: c.local(I32) };
    c.get(T).i32(r.rows * 8).i32Mul().set(strided.base);
    // at = (start / 4 mod rows) · 8
    c.get(START).i32(2).i32ShrU().i32(r.rows).i32RemU().i32(3).i32Shl().set(strided.at);
    return strided;
  });
}

/**
 * Row reads walk their own offset (wrapping at the period) and column reads keep the offset of the
 * element being repeated, so the loop never divides; both start where the task's first vector is.
 */
function startCursors(c: Code, kernel: FusedKernel): (Cursor | null)[] {
  return kernel.access.map((a) => {
    if (a.kind !== "row" && a.kind !== "column") return null;
    const at = c.local(I32);
    const left = a.kind === "column" ? c.local(I32) : -1;
    if (a.kind === "row") {
      // at = (start / 4 mod period) · 4
      c.get(START).i32(a.period * 4).i32RemU().set(at);
    } else {
      // at = ⌊start / 4 / repeat⌋ · 4; left = repeat − (start / 4 mod repeat)
      c.get(START).i32(a.repeat * 4).i32DivU().i32(2).i32Shl().set(at);
      c.i32(a.repeat).get(START).i32(a.repeat * 4).i32RemU().i32(2).i32ShrU().i32Sub().set(left);
    }
    return { at, left };
  });
}

// ---- the loop ----

/** The whole vectors [start, end), one step each. */
function emitMainLoop(loop: TaskLoop): void {
  const { c, kernel, i } = loop;
  if (kernel.size < 4) return;
  c.get(START).set(i);
  c.block();
  c.get(i).get(END).i32GeU().brIf(0);
  c.loop();
  emitStep(loop, null);
  advanceCursors(loop);
  c.get(i).i32(16).i32Add().tee(i).get(END).i32LtU().brIf(0);
  c.end().end();
}

/** The last partial vector (in the task with `tail` set): its lanes past the end stay out of reductions. */
function emitTail(loop: TaskLoop): void {
  const { c, kernel, i } = loop;
  const rest = kernel.size % 4;
  if (rest === 0) return;
  c.get(TAIL).if_();
  c.i32(Math.floor(kernel.size / 4) * 16).set(i);
  emitStep(loop, [0, 1, 2, 3].map((lane) => (lane < rest ? -1 : 0)));
  c.end();
}

/** Row and column cursors move one vector on. */
function advanceCursors(loop: TaskLoop): void {
  const { c, kernel } = loop;
  kernel.access.forEach((a, k) => {
    const cur = loop.cursors[k];
    if (cur === null) return;
    if (a.kind === "row") {
      // at = (at + 16 == period·4) ? 0 : at + 16
      c.get(cur.at).i32(16).i32Add().tee(cur.at).i32(a.period * 4).i32Sub().i32Eqz().if_().i32(0).set(cur.at).end();
    } else {
      c.get(cur.left).i32(4).i32Sub().tee(cur.left).i32Eqz().if_();
      c.get(cur.at).i32(4).i32Add().set(cur.at);
      c.i32((a as { repeat: number }).repeat).set(cur.left);
      c.end();
    }
  });
}

// ---- one vector ----

/** One vector: inputs loaded, operations evaluated, outputs stored, reductions accumulated (lanes of `mask` only). */
function emitStep(loop: TaskLoop, mask: number[] | null): void {
  const { c, kernel } = loop;
  const n = kernel.inputs.length;
  const value = loadInputs(loop);
  kernel.ops.forEach((op, j) => {
    if (!kernel.scalar[n + j]) value[n + j] = emitOp(c, op, op.args.map((a) => value[a]));
  });
  storeOutputs(loop, value);
  kernel.reductions.forEach((r, q) => accumulate(loop, q, value[r.value], mask));
}

/** The locals of every value for this vector: hoisted ones, and each other input loaded by its access. */
function loadInputs(loop: TaskLoop): number[] {
  const { c, kernel, layout, i } = loop;
  const value = loop.hoisted.slice();
  kernel.inputs.forEach((_, k) => {
    if (kernel.scalar[k]) return;
    value[k] = c.local(V128);
    const a = kernel.access[k];
    if (a.kind === "row") {
      c.get(loop.cursors[k]!.at);
      v.load(c, layout.inputs[k]);
    } else if (a.kind === "column") {
      c.get(loop.cursors[k]!.at);
      v.loadSplat(c, layout.inputs[k]);
    } else if (kernel.bool[k]) {
      // four bytes → four lanes: splat them, keep lane k's own byte, mask = (byte ≠ 0)
      pushMaskIndex(loop);
      v.loadSplat(c, layout.inputs[k]);
      v.i32(c, [0xff, 0xff00, 0xff0000, -0x1000000]);
      v.and(c);
      v.i32(c, 0);
      v.i32Eq(c);
      v.not(c);
    } else {
      c.get(i);
      v.load(c, layout.inputs[k]);
    }
    c.set(value[k]);
  });
  return value;
}

/** Float outputs are stored as vectors; bool outputs (lane masks) as bytes 0/1. */
function storeOutputs(loop: TaskLoop, value: readonly number[]): void {
  const { c, kernel, layout, i } = loop;
  kernel.outputs.forEach((o, q) => {
    if (kernel.bool[o.value]) {
      // lane masks → bytes 0/1: gather each lane's first byte, keep bit 0, store four bytes
      pushMaskIndex(loop);
      c.get(value[o.value]).get(value[o.value]);
      v.shuffle(c, [0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12]);
      v.i32(c, 0x01010101);
      v.and(c);
      v.i32Lane(c, 0);
      c.i32Store(layout.outputs[q]);
      return;
    }
    c.get(i).get(value[o.value]);
    v.store(c, layout.outputs[q]);
  });
}

/** Bool arrays advance one byte per element: their offset is i / 4. */
function pushMaskIndex(loop: TaskLoop): void {
  loop.c.get(loop.i).i32(2).i32ShrU();
}

/** Adds the vector `x` into reduction q's accumulators (lanes outside `mask` count as its identity). */
function accumulate(loop: TaskLoop, q: number, x: number, mask: number[] | null): void {
  const { c } = loop;
  const r = loop.kernel.reductions[q];
  const acc = loop.acc[q];
  c.get(x);
  if (mask !== null) {
    v.f32(c, identity(r));
    v.i32(c, mask);
    v.bitselect(c);
  }
  const masked = c.local(V128);
  c.set(masked);
  const strided = loop.strided[q];
  if (strided !== null) {
    addStrided(loop, q, strided, masked);
    return;
  }
  if (r.op === "Add") {
    // lanes 0–1 into acc[0], lanes 2–3 into acc[1]
    c.get(acc[0]).get(masked);
    v.promoteLow(c);
    v.f64Add(c);
    c.set(acc[0]);
    c.get(acc[1]).get(masked).get(masked);
    v.shuffle(c, [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]);
    v.promoteLow(c);
    v.f64Add(c);
    c.set(acc[1]);
  } else {
    c.get(acc[0]).get(masked);
    v.max(c);
    c.set(acc[0]);
  }
  const run = loop.runs[q];
  if (run !== null) endRun(loop, q, run);
}

/** Adds the four lanes of `x` into the partial sums of results at..at+3 (float64), then moves on one vector. */
function addStrided(loop: TaskLoop, q: number, strided: Strided, x: number): void {
  const { c, layout } = loop;
  const rows = loop.kernel.reductions[q].rows;
  const addr = c.local(I32);
  c.get(strided.base).get(strided.at).i32Add().set(addr);
  for (const half of [0, 1]) {
    const offset = layout.reductions[q] + 16 * half;
    c.get(addr).get(addr);
    v.load(c, offset);
    c.get(x);
    // lanes 2–3 moved down for the second half
    if (half === 1) {
      c.get(x);
      v.shuffle(c, [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]);
    }
    v.promoteLow(c);
    v.f64Add(c);
    v.store(c, offset);
  }
  // at = (at + 32 == rows·8) ? 0 : at + 32
  c.get(strided.at).i32(32).i32Add().tee(strided.at).i32(rows * 8).i32Sub().i32Eqz().if_().i32(0).set(strided.at).end();
}

/** At the end of a run: its result stored, the accumulators reset for the next run. */
function endRun(loop: TaskLoop, q: number, run: Run): void {
  const { c, layout } = loop;
  const r = loop.kernel.reductions[q];
  c.get(run.left).i32(4).i32Sub().tee(run.left).i32Eqz().if_();
  c.get(run.at);
  pushResult(loop, q);
  c.f32Store(layout.reductions[q]);
  c.get(run.at).i32(4).i32Add().set(run.at);
  setIdentity(c, r, loop.acc[q]);
  c.i32(r.length).set(run.left);
  c.end();
}

// ---- after the loop ----

/** Full reductions: each task combines its lanes and stores its part, a float64 in slot t (combined in task order). */
function storePartials(loop: TaskLoop): void {
  const { c, kernel, layout } = loop;
  kernel.reductions.forEach((r, q) => {
    if (r.rows !== 1 || r.strided) return;
    c.get(T).i32(3).i32Shl();
    pushResult(loop, q, true);
    s.f64Store(c, layout.reductions[q]);
  });
}

/**
 * Pushes reduction q's result so far as one f32 (sums combine their float64 lanes first), or as
 * one f64 with `wide`.
 */
function pushResult(loop: TaskLoop, q: number, wide = false): void {
  const { c } = loop;
  const acc = loop.acc[q];
  if (loop.kernel.reductions[q].op === "Add") {
    c.get(acc[0]).get(acc[1]);
    v.f64Add(c);
    const t = c.local(V128);
    c.tee(t);
    v.f64Lane(c, 0);
    c.get(t);
    v.f64Lane(c, 1);
    s.f64Add(c);
    if (!wide) s.f32DemoteF64(c);
  } else {
    for (let lane = 0; lane < 4; lane++) {
      c.get(acc[0]);
      v.f32Lane(c, lane);
      if (lane > 0) s.f32Max(c);
    }
    if (wide) s.f64PromoteF32(c);
  }
}
