/**
 * @file Matrix product on WebAssembly SIMD: operands are copied into the kernel memory (or, staged,
 * written there by their owner: conv strips), A read in place where its rows are contiguous along
 * k and otherwise packed in groups of 4 rows interleaved by column, B packed in panels of 8
 * columns, and multiplied by a 4×8 microkernel (matmul-kernels.ts; relaxed SIMD's fused
 * multiply-add where the engine validates it, else a multiply and an add). C is cut into blocks
 * (tasks) that the calling thread computes alone or, when the memory is shared and the product is
 * large, with the pool of workers (runtime.ts, pool.ts); a small C over a long k is cut along k
 * instead. Each element of C is summed in an order fixed by the shapes alone, however the tasks
 * are shared out, so the result never depends on the thread count. Operands and results that live
 * in the kernel memory (resident tensors of a jit run) are used where they lie.
 */
import { EPILOGUE_WORDS, matmulModule, stripsModule, type MatmulExports, type StripsExports } from "./matmul-kernels.js";
import { epilogueBytes, epilogueKey, writeEpilogueInputs, type KernelEpilogue } from "./epilogue-emit.js";
import type { ConcreteTensor } from "../../core/concrete.js";
import { MAX_TASKS, TaskTable } from "./tasks.js";
import { addInOrder } from "./partial-sums.js";
import { KernelRuntime, kernelRuntime, touchPages } from "./runtime.js";
import type { WorkerPool } from "./pool.js";

/** An epilogue of a product (epilogue-emit.ts) with the values of its inputs (the operand's aside: the product's). */
export interface EpilogueInputs {
  readonly epilogue: KernelEpilogue;
  readonly inputs: readonly ConcreteTensor[];
}

/** Below this many multiply-adds a JS loop beats packing operands for this kernel (products and convolutions alike). */
export const MATMUL_SIMD_MIN_WORK = 16384;

/** Groups of 4 rows per block of C: keeps the packed block of A in L2 while B panels stream past it. */
const BLOCK_GROUPS = 16;
/**
 * Multiply-adds below which a product runs on the calling thread alone; twice that while the
 * workers sleep. Measured on a 2-core VM (Node 20): sharing a product with a worker that is still
 * polling after the last one pays from ~160³ (4M) on, with a sleeping one (woken by a futex) from
 * ~192³ (7M); below, the hand-off costs more than it saves.
 */
const MIN_PARALLEL_WORK = 1 << 22;
let minParallelWork = MIN_PARALLEL_WORK;
/**
 * Products with one block of rows, a C of at most `SPLIT_MAX_C` floats and k of `SPLIT_MIN_K` or
 * more (filter gradients: a few filter taps, summed over every output position) are cut along k
 * into ranges of `SPLIT_K` steps, each summed into a C of its own, then added in range order. Cut
 * by columns instead, every task would stream the whole long operand from memory for a few of its
 * columns; cut along k, each range of it is read once. The cut depends on k alone, never on the
 * thread count.
 */
const SPLIT_K = 2048;
const SPLIT_MIN_K = 2 * SPLIT_K;
const SPLIT_MAX_C = 1 << 16;
/** Most ranges (longer ones past that): their Cs take scratch memory. */
const SPLIT_MAX_RANGES = 64;
/** Floats of conv strips from which their building is shared with workers (twice that while they sleep). */
const STRIPS_MIN_PARALLEL = 1 << 18;
/** Blocks of C per thread that a parallel product aims for, so that a late worker delays little. */
const TASKS_PER_THREAD = 8;
/**
 * An operand that its caller writes straight into the kernel memory instead of handing over an
 * array (conv strips are built there from the input, never materialized elsewhere): `extent`
 * floats, one of its strides 1. `write` gets the memory, where the operand goes (`at`), and
 * `scratch` floats of its own from `scratchAt` on (all float offsets).
 */
export interface StagedOperand {
  readonly extent: number;
  readonly scratch: number;
  write(kernel: StagingArea, at: number, scratchAt: number): void;
}

/** What a `StagedOperand` writer may use: the memory as floats, and the builder of conv strips in it. */
export interface StagingArea {
  readonly mem: Float32Array;
  /** The float offset of `x` in the memory where it is resident (read it there), else -1. */
  home(x: Float32Array): number;
  /**
   * Writes conv strips from the NHWC input at `src` to `dst` in one call (float offsets; `c` floats
   * a pixel): for image b, output row p and filter row i, strip column col holds input pixel
   * (p·sh + i − top, col − left) where that is inside the input (columns [left, last)), else zeros.
   */
  strips(src: number, dst: number, n: number, oh: number, h: number, w: number, c: number, kh: number, sh: number, top: number, left: number, cols: number, last: number): void;
  /** Several `strips` calls as one job (a first layer's filter taps, each too small to share alone). */
  stripsAll(calls: readonly StripsCall[]): void;
}

/** The arguments of one `StagingArea.strips` call. */
export type StripsCall = readonly [src: number, dst: number, n: number, oh: number, h: number, w: number, c: number, kh: number, sh: number, top: number, left: number, cols: number, last: number];

/** Rounds a count of floats up to whole 64-byte lines. */
const line = (floats: number) => Math.ceil(floats / 16) * 16;

/**
 * Groups of rows of A up to which an array B with contiguous rows is read in place rather than
 * packed: with so few rows each element of B is read about once, so a packing pass would double
 * its traffic for nothing (filter gradients: a few rows of filter taps against every position).
 */
const IN_PLACE_B_MAX_GROUPS = BLOCK_GROUPS;

/** The matmul module instantiated in a kernel runtime (its memory, and its pool where shared). */
export class WasmMatmul {
  private constructor(
    private readonly runtime: KernelRuntime,
    private readonly slot: number,
    private readonly exports: MatmulExports,
    /** Whether the kernel uses relaxed SIMD's fused multiply-add. */
    readonly relaxed: boolean,
    /** The strips builder as tasks for the pool (`null`: no module slot was left for it). */
    private readonly stripsJob: { readonly slot: number; readonly exports: StripsExports } | null,
  ) {}

  /** The runtime's pool of helper workers (see KernelRuntime.pool). */
  get pool(): WorkerPool | null {
    return this.runtime.pool;
  }

  /**
   * Compiles the kernel into the runtime all kernels share, or into a new one over an unshared
   * memory with `shared: false`; `null` where WebAssembly SIMD is missing.
   */
  static create(options: { shared?: boolean } = {}): WasmMatmul | null {
    if (typeof WebAssembly === "undefined") return null;
    const runtime = options.shared === false ? KernelRuntime.create({ shared: false }) : kernelRuntime();
    const slot = runtime.nextSlot();
    if (slot === null) return null;
    for (const relaxed of [true, false]) {
      const bytes = matmulModule(runtime.shared, relaxed, slot);
      if (!WebAssembly.validate(bytes)) continue;
      const exports = runtime.add<MatmulExports>(new WebAssembly.Module(bytes), "matrix product (WebAssembly SIMD)");
      const stripsSlot = runtime.nextSlot();
      const stripsJob = stripsSlot === null ? null : { slot: stripsSlot, exports: runtime.add<StripsExports>(new WebAssembly.Module(stripsModule(runtime.shared, stripsSlot)), "conv strips (WebAssembly SIMD)") };
      return new WasmMatmul(runtime, slot, exports, relaxed, stripsJob);
    }
    return null;
  }

  /**
   * C[m×n] = A·B where element (i, p) of A is `a[aOff + i·aRow + p·aCol]` and element (p, j) of B is
   * `b[bOff + p·bRow + j·bCol]`: any strides, so transposed operands need no copy. A staged operand
   * is written by its owner into the kernel memory (offset 0, one of its strides 1), then read in
   * place or packed like a copied one. With `keep`, rows of C come in periods of `period` rows of
   * which only the first `kept` are wanted (conv strips' valid rows): `out` receives those alone,
   * packed, `m / period · kept` rows.
   */
  multiply(
    a: Float32Array | StagedOperand,
    aOff: number,
    aRow: number,
    aCol: number,
    b: Float32Array | StagedOperand,
    bOff: number,
    bRow: number,
    bCol: number,
    m: number,
    k: number,
    n: number,
    out: Float32Array | Float64Array,
    outOff: number,
    keep?: { readonly period: number; readonly kept: number },
    epilogue?: EpilogueInputs,
  ): boolean {
    if (m === 0 || n === 0) return epilogue === undefined;
    if (keep !== undefined && !(keep.period > 0 && keep.kept <= keep.period && m % keep.period === 0)) {
      throw new RangeError(`multiply: rows kept in periods of ${keep.period} do not divide the ${m} rows of C`);
    }
    const groups = Math.ceil(m / 4);
    const tiles = Math.ceil(n / 8);
    const ldc = tiles * 8;
    // Source spans over all padded rows of A / columns of B (the padding is read, and discarded).
    const stagedA = a instanceof Float32Array ? null : a;
    const stagedB = b instanceof Float32Array ? null : b;
    if (stagedA !== null) checkStaged("A", aOff, k, aRow, aCol);
    if (stagedB !== null) checkStaged("B", bOff, k, bCol, bRow);
    const aSrc = stagedA !== null ? stagedSpan(stagedA, groups * 4, k, aRow, aCol) : copyable(m, groups * 4, k, aRow, aCol);
    const bSrc = stagedB !== null ? stagedSpan(stagedB, ldc, k, bCol, bRow) : copyable(n, ldc, k, bCol, bRow);
    const runtime = this.runtime;
    // A resident operand is read where it lies when nothing past its end would be read (its
    // padding rows or columns), and C is written straight into a resident `out` when it has no
    // padding rows (or they go to the trash row, as the rows `keep` drops do) and no columns past n.
    const aHome = aSrc !== null && stagedA === null ? residentFrom(runtime, a as Float32Array, aOff, aSrc) : -1;
    const bHome = bSrc !== null && stagedB === null ? residentFrom(runtime, b as Float32Array, bOff, bSrc) : -1;
    const rangeK = Math.max(SPLIT_K, Math.ceil(k / SPLIT_MAX_RANGES / SPLIT_K) * SPLIT_K);
    const ranges = keep === undefined && groups <= BLOCK_GROUPS && k >= SPLIT_MIN_K && groups * 4 * ldc <= SPLIT_MAX_C ? Math.ceil(k / rangeK) : 1;
    // an epilogue needs each element's whole sum in one task (no ranges of k added afterwards)
    const job = epilogue === undefined ? null : this.epilogueJob(epilogue.epilogue);
    if (epilogue !== undefined && (ranges > 1 || job === null)) return false;
    // rows of the result, and of C as the kernel writes it (padding rows included, unless remapped)
    const outRows = keep === undefined ? m : (m / keep.period) * keep.kept;
    // the kernel remaps rows in periods of 4 or more; shorter ones are dropped as C is copied out
    const remap = keep !== undefined && keep.period >= 4 ? keep : undefined;
    const cRows = remap === undefined ? groups * 4 : outRows;
    const outHome = ranges === 1 && ldc === n && (remap !== undefined || (keep === undefined && groups * 4 === m)) && out instanceof Float32Array ? runtime.addressOf(out) : -1;
    // float offsets in the scratch block
    const rawA = 0;
    const rawB = rawA + line(aHome >= 0 ? 0 : (aSrc?.padded ?? 0));
    const packA = rawB + line(bHome >= 0 ? 0 : (bSrc?.padded ?? 0));
    // An operand contiguous along p (A) or along the columns (B) is read in place (the kernel's
    // lda / ldb); others are packed.
    const inPlaceA = aSrc !== null && aCol === 1 && aRow > 0;
    const inPlaceB = bSrc !== null && bCol === 1 && bRow > 0 && (stagedB !== null || groups <= IN_PLACE_B_MAX_GROUPS);
    const packB = packA + line(inPlaceA ? 0 : groups * 4 * k);
    const cOff = packB + line(inPlaceB ? 0 : ldc * k);
    const cSize = cRows * ldc;
    const trash = cOff + (outHome >= 0 ? 0 : ranges * line(cSize));
    const scratch = trash + (remap === undefined ? 0 : line(ldc));
    const epilogueAt = scratch + line(Math.max(stagedA?.scratch ?? 0, stagedB?.scratch ?? 0));
    const base = runtime.scratch((epilogueAt + (epilogue === undefined ? 0 : epilogueBytes(epilogue.epilogue, ldc * 4) / 4)) * 4) / 4;
    const mem = runtime.f32;
    // float offsets in the memory
    const aAt0 = aHome >= 0 ? aHome / 4 + aOff : base + rawA;
    const bAt0 = bHome >= 0 ? bHome / 4 + bOff : base + rawB;
    const c = outHome >= 0 ? outHome / 4 + outOff : base + cOff;

    if (epilogue !== undefined) {
      writeEpilogueInputs(mem, (base + epilogueAt) * 4, epilogue.epilogue, epilogue.inputs, ldc * 4);
      runtime.i32[EPILOGUE_WORDS / 4] = (base + epilogueAt) * 4;
      runtime.i32[EPILOGUE_WORDS / 4 + 1] = c * 4;
    }
    const threads = runtime.threadsFor(groups * 4 * k * ldc, minParallelWork);
    // Workers wake while this thread copies and packs (packing is a few % of a product, and done
    // here it leaves the tasks without prerequisites: no thread ever waits for another's packing).
    if (threads > 1) runtime.wake(threads - 1);
    if (aSrc !== null) {
      if (stagedA !== null) stagedA.write(this.staging(), aAt0, base + scratch);
      else if (aHome < 0) mem.set((a as Float32Array).subarray(aOff, aOff + aSrc.extent), aAt0);
      if (aHome < 0) mem.fill(0, aAt0 + aSrc.extent, aAt0 + aSrc.padded);
      if (!inPlaceA) this.exports.packA(aAt0 * 4, (base + packA) * 4, 0, groups, k, aRow, aCol);
    } else {
      packJs(mem, base + packA, a as Float32Array, aOff, m, groups * 4, aRow, k, aCol, 4);
    }
    if (bSrc !== null) {
      if (stagedB !== null) stagedB.write(this.staging(), bAt0, base + scratch);
      else if (bHome < 0) mem.set((b as Float32Array).subarray(bOff, bOff + bSrc.extent), bAt0);
      if (bHome < 0) mem.fill(0, bAt0 + bSrc.extent, bAt0 + bSrc.padded);
      if (!inPlaceB) this.exports.packB(bAt0 * 4, (base + packB) * 4, 0, tiles, k, bCol, bRow);
    } else {
      packJs(mem, base + packB, b as Float32Array, bOff, n, ldc, bCol, k, bRow, 8);
    }
    const tasks = new TaskTable(runtime.table);
    const lda = inPlaceA ? aRow * 4 : 0;
    const ldb = inPlaceB ? bRow * 4 : 0;
    if (ranges > 1) {
      // one task per range of k, each into its own C (line-aligned, `line(cSize)` apart)
      for (let q = 0; q < ranges; q++) {
        const k0 = q * rangeK;
        const aAt = inPlaceA ? (aAt0 + k0) * 4 : (base + packA) * 4 + k0 * 16;
        const bAt = inPlaceB ? (bAt0 + k0 * bRow) * 4 : (base + packB) * 4 + k0 * 32;
        tasks.add(aAt, bAt, (c + q * line(cSize)) * 4, groups, Math.min(rangeK, k - k0), tiles, ldc, lda, ldb, k * 16, k * 32, 0, 0, 0, 0, m);
      }
    } else {
      // Blocks of C: BLOCK_GROUPS groups of rows by a range of tiles, enough blocks for the threads.
      const blockGroups = Math.max(BLOCK_GROUPS, Math.ceil(groups / MAX_TASKS));
      const rowBlocks = Math.ceil(groups / blockGroups);
      const colBlocks = Math.min(tiles, Math.floor(MAX_TASKS / rowBlocks), threads === 1 ? 1 : Math.ceil((TASKS_PER_THREAD * threads) / rowBlocks));
      for (let g0 = 0; g0 < groups; g0 += blockGroups) {
        const gs = Math.min(blockGroups, groups - g0);
        for (const [t0, t1] of split(tiles, colBlocks)) {
          const aAt = inPlaceA ? (aAt0 + g0 * 4 * aRow) * 4 : (base + packA + g0 * 4 * k) * 4;
          const bAt = inPlaceB ? (bAt0 + t0 * 8) * 4 : (base + packB + t0 * 8 * k) * 4;
          if (remap === undefined) tasks.add(aAt, bAt, (c + g0 * 4 * ldc + t0 * 8) * 4, gs, k, t1 - t0, ldc, lda, ldb, k * 16, k * 32, 0, 0, 0, 0, m);
          else tasks.add(aAt, bAt, (c + t0 * 8) * 4, gs, k, t1 - t0, ldc, lda, ldb, k * 16, k * 32, g0 * 4, remap.period, remap.kept, (base + trash) * 4, m);
        }
      }
    }
    // While the workers start on the tasks, this thread touches each page of `out` once (see touchPages).
    const touch = threads > 1 && outHome < 0 ? () => touchPages(out, outOff, outRows * n) : undefined;
    if (job === null) runtime.run(this.slot, this.exports, tasks.count, threads, touch);
    else runtime.run(job.slot, job.exports, tasks.count, threads, touch);

    if (outHome >= 0) return true;
    // the ranges' sums added in range order, into the first (cSize: whole 64-byte lines)
    addInOrder(runtime, c * 4, ranges, line(cSize) * 4, cSize * 4, threads);
    if (keep !== undefined && remap === undefined) {
      if (ldc !== n) this.exports.compact(c * 4, m, n, ldc);
      const run = keep.kept * n;
      for (let src = c, dst = outOff; src < c + m * n; src += keep.period * n, dst += run) out.set(mem.subarray(src, src + run), dst);
      return true;
    }
    if (ldc !== n) this.exports.compact(c * 4, outRows, n, ldc);
    out.set(mem.subarray(c, c + outRows * n), outOff);
    return true;
  }

  private readonly epilogueJobs = new Map<string, { readonly slot: number; readonly exports: MatmulExports } | null>();

  /** The product kernel with `e` as its epilogue, compiled on first use; null where no module slot is left. */
  private epilogueJob(e: KernelEpilogue): { readonly slot: number; readonly exports: MatmulExports } | null {
    const key = epilogueKey(e);
    if (!this.epilogueJobs.has(key)) {
      const runtime = this.runtime;
      const slot = runtime.nextSlot();
      const job = slot === null ? null : { slot, exports: runtime.add<MatmulExports>(new WebAssembly.Module(matmulModule(runtime.shared, this.relaxed, slot, e)), "matrix product with an epilogue (WebAssembly SIMD)") };
      this.epilogueJobs.set(key, job);
    }
    return this.epilogueJobs.get(key)!;
  }

  private staging(): StagingArea {
    return {
      mem: this.runtime.f32,
      home: (x) => {
        const at = this.runtime.addressOf(x);
        return at < 0 ? -1 : at / 4;
      },
      strips: (...call) => this.writeStrips([call]),
      stripsAll: (calls) => this.writeStrips(calls),
    };
  }

  /** Runs strips calls (float offsets, `c` floats a pixel), shared with workers as ranges of each call's images when worth it. */
  private writeStrips(calls: readonly StripsCall[]): void {
    const job = this.stripsJob;
    const runtime = this.runtime;
    const exports = this.exports;
    const floats = calls.reduce((sum, [, , n, oh, , , c, kh, , , , cols]) => sum + n * oh * kh * cols * c, 0);
    const threads = job === null ? 1 : runtime.threadsFor(floats, STRIPS_MIN_PARALLEL);
    if (threads === 1) {
      for (const [src, dst, n, oh, h, w, c, kh, sh, top, left, cols, last] of calls) exports.strips(src * 4, dst * 4, n, oh, h, w, c * 4, kh, sh, top, left, cols, last);
      return;
    }
    if (calls.length > MAX_TASKS) {
      // a task per call at least: jobs of at most MAX_TASKS calls (filters of over 955 taps)
      for (let i = 0; i < calls.length; i += MAX_TASKS) this.writeStrips(calls.slice(i, i + MAX_TASKS));
      return;
    }
    const tasks = new TaskTable(runtime.table);
    const perCall = Math.max(1, Math.floor(Math.min(MAX_TASKS, threads * TASKS_PER_THREAD) / calls.length));
    for (const [src, dst, n, oh, h, w, c, kh, sh, top, left, cols, last] of calls) {
      for (const [b0, b1] of split(n, Math.min(n, perCall))) {
        tasks.add((src + b0 * h * w * c) * 4, (dst + b0 * oh * kh * cols * c) * 4, b1 - b0, oh, h, w, c * 4, kh, sh, top, left, cols, last);
      }
    }
    runtime.run(job!.slot, job!.exports, tasks.count, threads);
  }

  /** Starts the pool if needed; resolves with its number of workers once they have booted (0 without a pool). */
  ready(): Promise<number> {
    return this.runtime.ready();
  }
}

/** A staged operand starts at offset 0 and has a unit stride (`ls`: along its lines, `ps`: along k). */
function checkStaged(which: "A" | "B", off: number, k: number, ls: number, ps: number): void {
  if (!(off === 0 && k > 0 && ls >= 0 && ps >= 0 && (ls === 1 || ps === 1))) {
    throw new RangeError(`multiply: a staged ${which} starts at 0 and has a unit stride (k > 0)`);
  }
}

/** The span a staged operand is read over: its extent, and as far as the padded lines reach. */
function stagedSpan(staged: StagedOperand, padded: number, k: number, ls: number, ps: number): { extent: number; padded: number } {
  return { extent: staged.extent, padded: Math.max(staged.extent, (padded - 1) * ls + (k - 1) * ps + 1) };
}

/**
 * Where an operand can be copied whole and packed in wasm: one of its strides is 1 and its span is
 * not much larger than its elements. `lines` are rows of A or columns of B (`padded` of them are
 * read), `ls` their stride, `ps` the stride along the contracted axis.
 */
function copyable(lines: number, padded: number, k: number, ls: number, ps: number): { extent: number; padded: number } | null {
  if (k === 0 || (ls !== 1 && ps !== 1) || ls < 0 || ps < 0) return null;
  const extent = (lines - 1) * ls + (k - 1) * ps + 1;
  if (extent > 2 * lines * k + 64) return null;
  return { extent, padded: (padded - 1) * ls + (k - 1) * ps + 1 };
}

/**
 * The byte address of a resident operand's first element read, where reading it in place reads
 * nothing past its storage (its padded span equals its extent); else -1.
 */
function residentFrom(runtime: KernelRuntime, x: Float32Array, off: number, span: { extent: number; padded: number }): number {
  if (span.padded !== span.extent || off + span.extent > x.length) return -1;
  return runtime.addressOf(x);
}

/** Packs in JS (strides the wasm packers do not take): dst[(l/width·k + p)·width + l%width] = src[off + l·ls + p·ps]. */
function packJs(mem: Float32Array, dst: number, src: Float32Array, off: number, lines: number, padded: number, ls: number, k: number, ps: number, width: 4 | 8): void {
  mem.fill(0, dst, dst + padded * k);
  const shift = width === 4 ? 2 : 3;
  for (let l = 0; l < lines; l++) {
    let d = dst + (l >> shift) * k * width + (l & (width - 1));
    let s = off + l * ls;
    for (let p = 0; p < k; p++, d += width, s += ps) mem[d] = src[s];
  }
}


/** `[start, end)` ranges cutting `total` into at most `parts` near-equal parts. */
function split(total: number, parts: number): [number, number][] {
  const count = Math.max(1, Math.min(parts, total));
  const out: [number, number][] = [];
  for (let i = 0; i < count; i++) out.push([Math.floor((total * i) / count), Math.floor((total * (i + 1)) / count)]);
  return out;
}

let instance: WasmMatmul | null | undefined;

/** The shared kernel, compiled on first use; `null` without WebAssembly SIMD. */
export function wasmMatmul(): WasmMatmul | null {
  if (instance === undefined) instance = WasmMatmul.create();
  return instance;
}

/** Sets the multiply-adds from which a product is shared with workers (tests, tuning); `undefined` restores the default. */
export function setMatmulMinParallelWork(work: number | undefined): void {
  minParallelWork = work ?? MIN_PARALLEL_WORK;
}
