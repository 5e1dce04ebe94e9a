/**
 * @file The task function of a float32 fused loop, as WebAssembly SIMD: a loop over four lanes at
 * a time whose body evaluates the kernel's instructions in v128 locals (alu-emit.ts), with scalars
 * and constants hoisted out of it, sums accumulated in float64 lanes (a result stored at the end of
 * each run of a trailing-axes reduction; sums over leading axes into the task's own float64 partial
 * sums in memory) and the last partial vector masked out of full reductions.
 * Written as named steps, in the order they emit.
 *
 * The code depends on the loop's structure only (its instructions, how it reads each input, the
 * kinds of its reductions), never on its sizes: where its buffers lie, the periods of its row and
 * column reads and the lengths of its reductions are words of an argument block that every task
 * reads first (loop-args.ts), so loops that differ only in size share one module (issue 13, item 8).
 */
import type { FusedKernel, FusedReduction } from "../../compiler/fusion.js";
import { Code, I32, V128 } from "./emit.js";
import { s, v } from "./simd.js";
import { emitOp } from "./alu-emit.js";
import { readArgs, type Args } from "./loop-args.js";

/** Parameters of the task function (see `generate`). */
const [START, END, T, TAIL] = [0, 1, 2, 3];

/** Where a trailing-axes reduction stands: lanes left in the current run, and the address of its result. */
interface Run {
  readonly left: number;
  readonly at: number;
}

/**
 * Where a strided reduction stands: the address of the task's partial sums, the byte offset of the
 * current result among them, and the bytes of one task's partial sums (rows · 8).
 */
interface Strided {
  readonly base: number;
  readonly at: number;
  readonly bytes: number;
  /**
   * Where the loop is unrolled by the period (`unrolledVectors`): per vector of the period, two
   * f64x2 accumulators (its lanes 0–1 and 2–3), stored into the partial sums once, at the end.
   */
  readonly acc: readonly number[];
}

/**
 * The periods (floats) by which a loop with sums over leading axes is unrolled: each result's
 * partial sum then stays in a local instead of making a round trip through memory per vector (the
 * bias gradient of a layer of 16, 32 or 64 channels). Only these few, as each is a module of its own.
 */
const UNROLLED_PERIODS: readonly number[] = [16, 32, 64];

/**
 * The vectors per step of the main loop when it is unrolled by the period of its sums over leading
 * axes (all of one period, one of `UNROLLED_PERIODS`), else 0. Tasks of such a loop start on whole
 * periods (elementwise.ts), and the period is then part of the code: its module's key.
 */
export function unrolledVectors(kernel: FusedKernel): number {
  const rows = new Set(kernel.reductions.filter((r) => r.strided).map((r) => r.rows));
  if (rows.size !== 1) return 0;
  const [period] = rows;
  return UNROLLED_PERIODS.includes(period) ? period / 4 : 0;
}

/**
 * Where a row or column read stands: its address, and (rows) the address where it wraps to the
 * buffer's start or (columns) the lanes left before the next element.
 */
interface Cursor {
  readonly at: number;
  readonly left: number;
}

/** The task function under construction: its code, what it lowers, and the locals its steps share. */
interface TaskLoop {
  readonly c: Code;
  readonly kernel: FusedKernel;
  readonly args: Args;
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
  /** Vectors per step of the main loop (`unrolledVectors`), or 0: one. */
  readonly unrolled: number;
}

/**
 * task(start, end, t, tail): the loop over the vectors at byte offsets [start, end) of the float
 * arrays, then, if `tail` (1 to 3) is set, the partial vector at `end` with its first `tail`
 * lanes in the loop; full reductions leave their float64 partial results in slot `t`. Tasks
 * start on whole runs of trailing-axes reductions.
 */
export function generate(kernel: FusedKernel): Code {
  const c = new Code(4);
  const i = c.local(I32);
  const args = readArgs(c, kernel);
  const hoisted = hoistScalars(c, kernel, args);
  const acc = startAccumulators(c, kernel);
  const runs = startRuns(c, kernel, args);
  const unrolled = unrolledVectors(kernel);
  const strided = startStrided(c, kernel, args, unrolled);
  const cursors = startCursors(c, kernel, args);
  const loop: TaskLoop = { c, kernel, args, i, hoisted, acc, runs, strided, cursors, unrolled };
  emitMainLoop(loop);
  emitTail(loop);
  storePartials(loop);
  return c;
}

// ---- before the loop ----

/** Scalar inputs, constants and operations on scalars only are the same for every vector: computed once. */
function hoistScalars(c: Code, kernel: FusedKernel, args: Args): number[] {
  const n = kernel.inputs.length;
  const local: number[] = new Array(n + kernel.ops.length).fill(-1);
  kernel.inputs.forEach((_, k) => {
    if (!kernel.scalar[k]) return;
    // literals too are read from memory, not written into the code: kernels that differ only in
    // a constant share one module
    local[k] = c.local(V128);
    c.get(args.inputs[k]);
    v.loadSplat(c, 0);
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
function startRuns(c: Code, kernel: FusedKernel, args: Args): (Run | null)[] {
  return kernel.reductions.map((r, q) => {
    if (r.rows === 1 || r.strided) return null;
    const run = { left: c.local(I32), at: c.local(I32) };
    c.get(args.extent[q]).set(run.left);
    // the result's address: buffer + (start / 4 / length) · 4
    c.get(START).get(args.extent[q]).i32DivU().get(args.reductions[q]).i32Add().set(run.at);
    return run;
  });
}

/**
 * A strided reduction adds element i into result i mod rows of the task's own partial sums (rows
 * float64 at t · rows · 8 past the reduction's buffer); the result offset wraps like a row read.
 */
function startStrided(c: Code, kernel: FusedKernel, args: Args, unrolled: number): (Strided | null)[] {
  return kernel.reductions.map((r, q) => {
    if (!r.strided) return null;
    // (locals start as zero: 0.0 in every f64 lane)
    const acc = Array.from({ length: 2 * unrolled }, () => c.local(V128));
    const strided = { base: c.local(I32), at: c.local(I32), bytes: c.local(I32), acc };
    const rows = args.extent[q];
    c.get(rows).i32(3).i32Shl().set(strided.bytes);
    c.get(T).get(strided.bytes).i32Mul().get(args.reductions[q]).i32Add().set(strided.base);
    // at = (start / 4 mod rows) · 8
    c.get(START).i32(2).i32ShrU().get(rows).i32RemU().i32(3).i32Shl().set(strided.at);
    return strided;
  });
}

/**
 * Row reads walk their own offset (wrapping at the period) and column reads keep the offset of the
 * element being repeated, so the loop never divides; both start where the task's first vector is.
 */
function startCursors(c: Code, kernel: FusedKernel, args: Args): (Cursor | null)[] {
  return kernel.access.map((a, k) => {
    if (a.kind !== "row" && a.kind !== "column") return null;
    const at = c.local(I32);
    const left = c.local(I32);
    const [base, period] = [args.inputs[k], args.period[k]];
    if (a.kind === "row") {
      // at = buffer + (start / 4 mod period) · 4, wrapping at buffer + period · 4 (kept in `left`)
      c.get(START).get(period).i32RemU().get(base).i32Add().set(at);
      c.get(base).get(period).i32Add().set(left);
    } else {
      // at = buffer + ⌊start / 4 / repeat⌋ · 4; left = repeat − (start / 4 mod repeat)
      const bytes = c.local(I32);
      c.get(period).i32(2).i32Shl().set(bytes);
      c.get(START).get(bytes).i32DivU().i32(2).i32Shl().get(base).i32Add().set(at);
      c.get(period).get(START).get(bytes).i32RemU().i32(2).i32ShrU().i32Sub().set(left);
    }
    return { at, left };
  });
}

// ---- the loop ----

/** The whole vectors [start, end), one step each. */
function emitMainLoop(loop: TaskLoop): void {
  const { c, i } = loop;
  c.get(START).set(i);
  c.block();
  c.get(i).get(END).i32GeU().brIf(0);
  c.loop();
  if (loop.unrolled === 0) {
    emitStep(loop, null);
    advanceCursors(loop);
    c.get(i).i32(16).i32Add().tee(i).get(END).i32LtU().brIf(0);
  } else {
    // one period a step (tasks start and end on whole periods)
    for (let j = 0; j < loop.unrolled; j++) {
      emitStep(loop, null, j);
      advanceCursors(loop);
      c.get(i).i32(16).i32Add().set(i);
    }
    c.get(i).get(END).i32LtU().brIf(0);
  }
  c.end().end();
}

/** The last partial vector (in the task with `tail` set): its lanes past the end stay out of reductions. */
function emitTail(loop: TaskLoop): void {
  const { c, i } = loop;
  c.get(TAIL).if_();
  c.get(END).set(i);
  // lane l is in the loop where tail > l
  const mask = c.local(V128);
  c.get(TAIL);
  v.i32Splat(c);
  v.i32(c, [0, 1, 2, 3]);
  v.i32GtS(c);
  c.set(mask);
  emitStep(loop, mask);
  c.end();
}

/** Row and column cursors move one vector on. */
function advanceCursors(loop: TaskLoop): void {
  const { c, kernel } = loop;
  kernel.access.forEach((a, k) => {
    const cur = loop.cursors[k];
    if (cur === null) return;
    if (a.kind === "row") {
      // at = (at + 16 == wrap) ? buffer : at + 16
      c.get(cur.at).i32(16).i32Add().tee(cur.at).get(cur.left).i32Eq().if_().get(loop.args.inputs[k]).set(cur.at).end();
    } else {
      c.get(cur.left).i32(4).i32Sub().tee(cur.left).i32Eqz().if_();
      c.get(cur.at).i32(4).i32Add().set(cur.at);
      c.get(loop.args.period[k]).set(cur.left);
      c.end();
    }
  });
}

// ---- one vector ----

/** One vector: inputs loaded, operations evaluated, outputs stored, reductions accumulated (lanes of the local `mask` only). */
function emitStep(loop: TaskLoop, mask: number | null, vector = 0): void {
  const { c, kernel } = loop;
  const n = kernel.inputs.length;
  const value = loadInputs(loop);
  kernel.ops.forEach((op, j) => {
    if (!kernel.scalar[n + j]) value[n + j] = emitOp(c, op, op.args.map((a) => value[a]));
  });
  storeOutputs(loop, value);
  kernel.reductions.forEach((r, q) => accumulate(loop, q, value[r.value], mask, vector));
}

/** The locals of every value for this vector: hoisted ones, and each other input loaded by its access. */
function loadInputs(loop: TaskLoop): number[] {
  const { c, kernel, args, i } = loop;
  const value = loop.hoisted.slice();
  kernel.inputs.forEach((_, k) => {
    if (kernel.scalar[k]) return;
    value[k] = c.local(V128);
    const a = kernel.access[k];
    if (a.kind === "row") {
      c.get(loop.cursors[k]!.at);
      v.load(c, 0);
    } else if (a.kind === "column") {
      c.get(loop.cursors[k]!.at);
      v.loadSplat(c, 0);
    } else if (kernel.bool[k]) {
      // four bytes → four lanes: splat them, keep lane k's own byte, mask = (byte ≠ 0)
      pushMaskIndex(loop, args.inputs[k]);
      v.loadSplat(c, 0);
      v.i32(c, [0xff, 0xff00, 0xff0000, -0x1000000]);
      v.and(c);
      v.i32(c, 0);
      v.i32Eq(c);
      v.not(c);
    } else {
      c.get(i).get(args.inputs[k]).i32Add();
      v.load(c, 0);
    }
    c.set(value[k]);
  });
  return value;
}

/** Float outputs are stored as vectors; bool outputs (lane masks) as bytes 0/1. */
function storeOutputs(loop: TaskLoop, value: readonly number[]): void {
  const { c, kernel, args, i } = loop;
  kernel.outputs.forEach((o, q) => {
    if (kernel.bool[o.value]) {
      // lane masks → bytes 0/1: gather each lane's first byte, keep bit 0, store four bytes
      pushMaskIndex(loop, args.outputs[q]);
      c.get(value[o.value]).get(value[o.value]);
      v.shuffle(c, [0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12]);
      v.i32(c, 0x01010101);
      v.and(c);
      v.i32Lane(c, 0);
      c.i32Store(0);
      return;
    }
    c.get(i).get(args.outputs[q]).i32Add().get(value[o.value]);
    v.store(c, 0);
  });
}

/** Bool arrays advance one byte per element: their address is the buffer's (local `base`) + i / 4. */
function pushMaskIndex(loop: TaskLoop, base: number): void {
  loop.c.get(loop.i).i32(2).i32ShrU().get(base).i32Add();
}

/**
 * Adds the vector `x` into reduction q's accumulators (lanes outside `mask` count as its identity);
 * `vector`: its place in the period of an unrolled loop.
 */
function accumulate(loop: TaskLoop, q: number, x: number, mask: number | null, vector: number): void {
  const { c } = loop;
  const r = loop.kernel.reductions[q];
  const acc = loop.acc[q];
  c.get(x);
  if (mask !== null) {
    v.f32(c, identity(r));
    c.get(mask);
    v.bitselect(c);
  }
  const masked = c.local(V128);
  c.set(masked);
  const strided = loop.strided[q];
  if (strided !== null && loop.unrolled === 0) {
    addStrided(loop, strided, masked);
    return;
  }
  if (strided !== null) {
    // (the tail never runs here: such a loop's size is a multiple of its period, itself of 4)
    addLanes(c, strided.acc[2 * vector], strided.acc[2 * vector + 1], masked);
    return;
  }
  if (r.op === "Add") addLanes(c, acc[0], acc[1], masked);
  else {
    c.get(acc[0]).get(masked);
    v.max(c);
    c.set(acc[0]);
  }
  const run = loop.runs[q];
  if (run !== null) endRun(loop, q, run);
}

/** Adds lanes 0–1 of `x` into the f64x2 local `lo`, and lanes 2–3 into `hi`. */
function addLanes(c: Code, lo: number, hi: number, x: number): void {
  c.get(lo).get(x);
  v.promoteLow(c);
  v.f64Add(c);
  c.set(lo);
  c.get(hi).get(x).get(x);
  v.shuffle(c, [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]);
  v.promoteLow(c);
  v.f64Add(c);
  c.set(hi);
}

/** Adds the four lanes of `x` into the partial sums of results at..at+3 (float64), then moves on one vector. */
function addStrided(loop: TaskLoop, strided: Strided, x: number): void {
  const { c } = loop;
  const addr = c.local(I32);
  c.get(strided.base).get(strided.at).i32Add().set(addr);
  for (const half of [0, 1]) {
    const offset = 16 * half;
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
  c.get(strided.at).i32(32).i32Add().tee(strided.at).get(strided.bytes).i32Eq().if_().i32(0).set(strided.at).end();
}

/** At the end of a run: its result stored, the accumulators reset for the next run. */
function endRun(loop: TaskLoop, q: number, run: Run): void {
  const { c } = loop;
  const r = loop.kernel.reductions[q];
  c.get(run.left).i32(4).i32Sub().tee(run.left).i32Eqz().if_();
  c.get(run.at);
  pushResult(loop, q);
  c.f32Store(0);
  c.get(run.at).i32(4).i32Add().set(run.at);
  setIdentity(c, r, loop.acc[q]);
  c.get(loop.args.extent[q]).set(run.left);
  c.end();
}

// ---- after the loop ----

/** Full reductions: each task combines its lanes and stores its part, a float64 in slot t (combined in task order). */
function storePartials(loop: TaskLoop): void {
  const { c, kernel, args } = loop;
  // an unrolled loop's sums over leading axes: the task's partial sums, result by result
  loop.strided.forEach((strided) => {
    if (strided === null || loop.unrolled === 0) return;
    strided.acc.forEach((local, k) => {
      c.get(strided.base).get(local);
      v.store(c, 16 * k);
    });
  });
  kernel.reductions.forEach((r, q) => {
    if (r.rows !== 1 || r.strided) return;
    c.get(T).i32(3).i32Shl().get(args.reductions[q]).i32Add();
    pushResult(loop, q, true);
    s.f64Store(c, 0);
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
