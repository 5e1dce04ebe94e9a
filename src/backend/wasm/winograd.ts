/**
 * @file Stride-1 3×3 convolutions (float32, NHWC) by Winograd's F(2×2, 3×3) on WebAssembly SIMD
 * (winograd-kernels.ts): 2.25× fewer multiply-adds than the patch-matrix product of js/conv.ts,
 * for `conv2d` and, as the stride-1 convolution it is, `conv2dBackpropInput`. The filter's
 * transform is computed here in float64; the tiles are shared out among the pool's threads as
 * tasks, each over blocks of tiles that stay in its core's cache.
 *
 * `conv2dBackpropFilter` runs by the transpose of the same scheme in the filter.
 *
 * Where it applies: float32, a 3×3 filter, stride 1, channel counts that are multiples of 4 (the
 * kernel's vectors) and at least `MIN_CHANNELS`, enough work, a finite filter. Its sums are rounded differently from the direct product's (the
 * transforms add and subtract a tile's inputs before the multiplies), so results differ from the
 * JS kernels by a few ulps of the tile's magnitudes, and a sum whose terms are all exactly 0 comes
 * out as rounding noise rather than 0 (see `setConvAlgorithm`); they do not depend on the thread
 * count. Non-finite values would spread differently (∞ − ∞ in a
 * transform is NaN where the direct sum has ∞), so a result with any non-finite value is thrown
 * away and computed again by the direct kernel: only finite results ever come from here.
 */
import { allocate } from "../../dtype.js";
import { ConcreteTensor } from "../../core/concrete.js";
import { transposedGeometry, type ConvGeometry } from "../js/conv.js";
import { MAX_TASKS, TaskTable } from "./tasks.js";
import { kernelRuntime, type KernelRuntime } from "./runtime.js";
import { F2, MAX_AREAS, WINOGRAD_HEADER, winogradModule, zeroBytes, type WinogradExports, type WinogradScheme } from "./winograd-kernels.js";
import { epilogueBytes, epilogueKey, writeEpilogueInputs, type KernelEpilogue } from "./epilogue-emit.js";
import type { EpilogueInputs } from "./matmul.js";
import { addInOrder } from "./partial-sums.js";

/**
 * Channels in and out from which Winograd runs: `node bench/conv-algorithms.mjs` has it even with
 * the direct product at 8 → 8 and slower for the forward pass at 4 → 16 (batch 32, 28×28).
 */
const MIN_CHANNELS = 8;
/** Multiply-adds (of the direct product) below which the patch-matrix product is left to run. */
const MIN_WORK = 1 << 20;
/** Multiply-adds (of the 16 products) from which tiles are shared with workers (twice that while they sleep). */
const MIN_PARALLEL_WORK = 1 << 22;
let limits = { minWork: MIN_WORK, minParallelWork: MIN_PARALLEL_WORK, maxAreas: MAX_AREAS };

/**
 * Sets the work from which Winograd applies, from which it is shared with workers, and the most
 * areas a job lays out (tests: with fewer areas than threads, tasks wait for one another's area);
 * `undefined` restores the defaults.
 */
export function setWinogradLimits(set?: { readonly minWork?: number; readonly minParallelWork?: number; readonly maxAreas?: number }): void {
  limits = { minWork: set?.minWork ?? MIN_WORK, minParallelWork: set?.minParallelWork ?? MIN_PARALLEL_WORK, maxAreas: Math.min(MAX_AREAS, set?.maxAreas ?? MAX_AREAS) };
}

/**
 * The scheme convolutions use: F(2×2, 3×3). F(4×4, 3×3) (2.25 multiplies per output against 4)
 * was built and measured (bench/RESULTS.md): 8–9 % faster at W6's 14×14, 15–17 % at W5's 28×28,
 * with about ten times the rounding error; not taken.
 */
const SCHEME = F2;
/** Bytes of a task's area (V then M for a block of tiles): fits a core's L2 beside the filter's transform. */
const AREA_BYTES = 256 << 10;
/** Tasks per thread, so that a late worker delays the job little. */
const TASKS_PER_THREAD = 6;
/** Most tasks of a filter gradient: each leaves a sum of its own (16·c·o floats) to be added up. */
const FILTER_TASKS = 16;

/**
 * Which algorithm 3×3 stride-1 float32 convolutions use on the WebAssembly backend: `"auto"`
 * (Winograd where it applies) or `"direct"` (always the patch-matrix product).
 *
 * @category Configuration
 */
export type ConvAlgorithm = "auto" | "direct";
let algorithm: ConvAlgorithm = "auto";

/**
 * Chooses the convolution algorithm of the WebAssembly backend. Winograd's F(2×2, 3×3) (`"auto"`,
 * the default) does 2.25× fewer multiply-adds; its results are as accurate as the direct
 * product's, but rounded differently: an element whose exact value is 0 because every term of its
 * sum is 0 (a filter gradient's tap that only ever meets padding, say) comes out as rounding noise
 * of the order of ε times its neighbours' magnitudes instead of exactly 0. Optimizers that divide by
 * a gradient's own magnitude (Adam) turn such noise into small steps where the direct product would
 * leave a weight still. `"direct"` gives the direct product's bits.
 *
 * @example
 * ```ts
 * import { setConvAlgorithm, convAlgorithm } from "typegrad";
 * setConvAlgorithm("direct");
 * console.log(convAlgorithm()); // "direct"
 * setConvAlgorithm("auto");
 * ```
 *
 * @category Configuration
 */
export function setConvAlgorithm(choice: ConvAlgorithm): void {
  if (choice !== "auto" && choice !== "direct") throw new RangeError(`setConvAlgorithm: expected "auto" or "direct", got ${String(choice)}`);
  algorithm = choice;
}

/**
 * The algorithm `setConvAlgorithm` chose.
 *
 * @category Configuration
 */
export function convAlgorithm(): ConvAlgorithm {
  return algorithm;
}

/** Counts since the process started (tests check that a path ran): Winograd jobs, and their operands and results used in place where resident. */
export const winogradCounts = { jobs: 0, inPlace: 0 };

/** Rounds a byte count up to whole 64-byte lines. */
const line = (bytes: number) => Math.ceil(bytes / 64) * 64;

/**
 * The filter as the convolution reads it: element (i, j, c, o) at `base + i·si + j·sj + c·sc + o·so`
 * of `ws` (a flipped and transposed filter is a view with other strides).
 */
interface FilterView {
  readonly ws: Float32Array;
  readonly base: number;
  readonly si: number;
  readonly sj: number;
  readonly sc: number;
  readonly so: number;
}

/**
 * Writes U_ξ[c][o] = (G g Gᵀ)[a][b] (ξ = n·a + b) of the scheme at float offset `at`, rows `op`
 * floats wide, zero past o (float64 sums, rounded once).
 */
function filterTransform(mem: Float32Array, at: number, f: FilterView, c: number, o: number, op: number, scheme: WinogradScheme): void {
  const { ws, base, si, sj, sc, so } = f;
  const { n, g: G } = scheme;
  const gg = new Float64Array(9);
  const tmp = new Float64Array(3 * n);
  for (let ci = 0; ci < c; ci++) {
    for (let oi = 0; oi < o; oi++) {
      const e = base + ci * sc + oi * so;
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) gg[3 * i + j] = ws[e + i * si + j * sj];
      // tmp = G g (n×3), then U = tmp Gᵀ (n×n)
      for (let a = 0; a < n; a++) for (let j = 0; j < 3; j++) tmp[3 * a + j] = G[a][0] * gg[j] + G[a][1] * gg[3 + j] + G[a][2] * gg[6 + j];
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++) {
          mem[at + ((n * a + b) * c + ci) * op + oi] = tmp[3 * a] * G[b][0] + tmp[3 * a + 1] * G[b][1] + tmp[3 * a + 2] * G[b][2];
        }
      }
    }
    for (let x = 0; x < n * n; x++) mem.fill(0, at + (x * c + ci) * op + o, at + (x * c + ci) * op + op);
  }
}

/** Whether every element the view reads is finite. */
function filterFinite(f: FilterView, c: number, o: number): boolean {
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      for (let ci = 0; ci < c; ci++) {
        const e = f.base + i * f.si + j * f.sj + ci * f.sc;
        for (let oi = 0; oi < o; oi++) if (!Number.isFinite(f.ws[e + oi * f.so])) return false;
      }
    }
  }
  return true;
}

/** A compiled task module and its slot in the runtime. */
interface Job {
  readonly slot: number;
  readonly exports: WinogradExports;
}

/** The modules in the shared kernel runtime, each compiled on first use. */
class WasmWinograd {
  private readonly jobs = new Map<string, Job | null>();

  constructor(private readonly runtime: KernelRuntime) {}

  /** The task module of `kind` and `scheme`; null where WebAssembly SIMD is missing or no slot is left. */
  job(kind: "conv" | "filter", scheme: WinogradScheme, epilogue: KernelEpilogue | null = null): Job | null {
    const key = `${kind}:${scheme.m}${epilogue === null ? "" : `:${epilogueKey(epilogue)}`}`;
    if (!this.jobs.has(key)) {
      const runtime = this.runtime;
      let job: Job | null = null;
      const slot = runtime.nextSlot();
      for (const relaxed of slot === null ? [] : [true, false]) {
        const bytes = winogradModule(kind, scheme, runtime.shared, relaxed, slot!, epilogue);
        if (!WebAssembly.validate(bytes)) continue;
        const what = kind === "conv" ? "convolution" : "filter gradient";
        job = { slot: slot!, exports: runtime.add<WinogradExports>(new WebAssembly.Module(bytes), `Winograd F(${scheme.m}×${scheme.m}, 3×3) ${what} (WebAssembly SIMD)`) };
        break;
      }
      this.jobs.set(key, job);
    }
    return this.jobs.get(key)!;
  }

  /**
   * Lays out a job in the scratch area: the header (areas, their locks, the zeros), then an area
   * of `areaBytes` for each thread that may take tasks, then `extra` bytes for the caller. Returns
   * the scratch block's byte address (the tasks' `hdr`) and the first byte after the areas.
   */
  private layout(threads: number, c4: number, op4: number, areaBytes: number, extra: number): { base: number; after: number } {
    const runtime = this.runtime;
    // one area per thread that may take tasks: a worker that woke late for an earlier job may
    // take one of this job's too (a task waits for a free area otherwise)
    const areas = Math.min(limits.maxAreas, Math.max(threads, (runtime.pool?.ready ?? 0) + 1));
    const areaAt = WINOGRAD_HEADER + zeroBytes(c4, op4) + line(op4);
    const base = runtime.scratch(areaAt + areas * areaBytes + extra);
    runtime.i32.fill(0, base / 4, (base + WINOGRAD_HEADER) / 4);
    runtime.i32[base / 4] = areas;
    runtime.f32.fill(0, (base + WINOGRAD_HEADER) / 4, (base + WINOGRAD_HEADER + zeroBytes(c4, op4)) / 4);
    return { base, after: base + areaAt + areas * areaBytes };
  }

  /**
   * A job's sizes: the scheme's places, o rounded up to the product's 8 columns, bytes of a pixel
   * in and out (and of a row of the product), the tiles; and its threads, woken now.
   */
  private start(scheme: WinogradScheme, g: ConvGeometry) {
    const places = scheme.n * scheme.n;
    const op = Math.ceil(g.o / 8) * 8;
    const tiles = g.n * Math.ceil(g.oh / scheme.m) * Math.ceil(g.ow / scheme.m);
    const threads = this.runtime.threadsFor(tiles * places * g.c * op, limits.minParallelWork);
    if (threads > 1) this.runtime.wake(threads - 1);
    return { places, op, c4: g.c * 4, op4: op * 4, o4: g.o * 4, tiles, threads };
  }

  /**
   * The convolution of `xs` by the filter `f` into `out` (n·oh·ow·o floats) by `scheme` (its module
   * `job`); false, with `out` unspecified, where a value came out non-finite.
   */
  convolve(job: Job, scheme: WinogradScheme, xs: Float32Array, f: FilterView, g: ConvGeometry, out: Float32Array, epilogue: EpilogueInputs | null = null): boolean {
    const runtime = this.runtime;
    const { h, w, c, o, oh, ow } = g;
    const { places, op, c4, op4, o4, tiles, threads } = this.start(scheme, g);
    // blocks of tiles (multiples of 4, the microkernel's rows) that fit an area, and enough tasks
    const perTile = places * (c4 + op4);
    const blockMax = Math.max(4, Math.floor(AREA_BYTES / perTile / 4) * 4);
    const block = Math.min(blockMax, Math.max(4, Math.ceil(tiles / (threads * TASKS_PER_THREAD) / 4) * 4));
    const perTask = block * Math.ceil(Math.ceil(tiles / block) / MAX_TASKS);
    const xHome = runtime.addressOf(xs);
    const outHome = runtime.addressOf(out);
    winogradCounts.jobs++;
    winogradCounts.inPlace += Number(xHome >= 0) + Number(outHome >= 0);
    // after the areas: U, then the input and the output where they are not resident
    const uBytes = line(places * c * op4);
    const xBytes = xHome >= 0 ? 0 : line(xs.length * 4);
    const outBytes = outHome >= 0 ? 0 : line(out.length * 4);
    // the epilogue's scalars and rows just below U
    const epilogueAt = epilogue === null ? 0 : line(epilogueBytes(epilogue.epilogue, op4));
    const { base, after } = this.layout(threads, c4, op4, block * perTile, epilogueAt + uBytes + xBytes + outBytes);
    const uAt = after + epilogueAt;
    const x = xHome >= 0 ? xHome : uAt + uBytes;
    const y = outHome >= 0 ? outHome : uAt + uBytes + xBytes;
    if (epilogue !== null) writeEpilogueInputs(runtime.f32, uAt - epilogueBytes(epilogue.epilogue, op4), epilogue.epilogue, epilogue.inputs, op4);
    filterTransform(runtime.f32, uAt / 4, f, c, o, op, scheme);
    if (xHome < 0) runtime.f32.set(xs, x / 4);
    const table = new TaskTable(runtime.table);
    for (let t0 = 0; t0 < tiles; t0 += perTask) table.add(x, uAt, y, t0, Math.min(tiles, t0 + perTask), base, block, h, w, c4, op4, o4, g.padding[0][0], g.padding[1][0], oh, ow);
    runtime.run(job.slot, job.exports, table.count, threads);
    if (runtime.i32[base / 4 + 1] !== 0) return false;
    if (outHome < 0) out.set(runtime.f32.subarray(y / 4, y / 4 + out.length));
    return true;
  }

  /**
   * The filter gradient (HWIO, [3, 3, c, o]) of the convolution of `xs` whose output's cotangent
   * is `cts` into `dw`; false, with `dw` unspecified, where a value came out non-finite.
   */
  filterGradient(job: Job, scheme: WinogradScheme, xs: Float32Array, cts: Float32Array, g: ConvGeometry, dw: Float32Array): boolean {
    const runtime = this.runtime;
    const { h, w, c, o, oh, ow } = g;
    const { places, op, c4, op4, o4, tiles, threads } = this.start(scheme, g);
    // Tasks of whole blocks, as many as the shape alone sets (FILTER_TASKS at most), so that the
    // sums, task by task in order, never depend on the thread count.
    const perTile = places * (c4 + op4);
    const wBytes = 4 * c * op;
    const block = Math.max(4, Math.floor((AREA_BYTES - wBytes) / perTile / 4) * 4);
    const blocks = Math.ceil(tiles / block);
    const perTask = block * Math.ceil(blocks / FILTER_TASKS);
    const count = Math.ceil(tiles / perTask);
    const xHome = runtime.addressOf(xs);
    const ctHome = runtime.addressOf(cts);
    winogradCounts.jobs++;
    winogradCounts.inPlace += Number(xHome >= 0) + Number(ctHome >= 0);
    // after the areas: the tasks' sums, then the input and ct where they are not resident
    const partBytes = places * wBytes;
    const xBytes = xHome >= 0 ? 0 : line(xs.length * 4);
    const ctBytes = ctHome >= 0 ? 0 : line(cts.length * 4);
    const { base, after: partAt } = this.layout(threads, c4, op4, block * perTile + wBytes, count * partBytes + xBytes + ctBytes);
    const x = xHome >= 0 ? xHome : partAt + count * partBytes;
    const ct = ctHome >= 0 ? ctHome : partAt + count * partBytes + xBytes;
    if (xHome < 0) runtime.f32.set(xs, x / 4);
    if (ctHome < 0) runtime.f32.set(cts, ct / 4);
    const table = new TaskTable(runtime.table);
    for (let q = 0; q < count; q++) table.add(x, ct, partAt + q * partBytes, q * perTask, Math.min(tiles, (q + 1) * perTask), base, block, h, w, c4, op4, o4, g.padding[0][0], g.padding[1][0], oh, ow);
    runtime.run(job.slot, job.exports, table.count, threads);
    // the tasks' sums added in task order, into the first
    addInOrder(runtime, partAt, count, partBytes, partBytes, threads);
    return filterFinish(runtime.f32, partAt / 4, c, o, op, scheme, dw);
  }
}

/**
 * dW from the sum W at float offset `at` (W_ξ[c][o] at at + (ξ·c + c)·op + o): dW[i][j][c][o] =
 * (Gᵀ W G)[i][j] of the scheme, in float64. False where a value is not finite.
 */
function filterFinish(mem: Float32Array, at: number, c: number, o: number, op: number, scheme: WinogradScheme, dw: Float32Array): boolean {
  const { n, g: G } = scheme;
  const wt = new Float64Array(n * n);
  const gw = new Float64Array(3 * n);
  let finite = true;
  for (let ci = 0; ci < c; ci++) {
    for (let oi = 0; oi < o; oi++) {
      for (let x = 0; x < n * n; x++) wt[x] = mem[at + (x * c + ci) * op + oi];
      // gw = Gᵀ W (3×n), then dW = gw G (3×3)
      for (let i = 0; i < 3; i++) {
        for (let b = 0; b < n; b++) {
          let sum = 0;
          for (let a = 0; a < n; a++) sum += G[a][i] * wt[n * a + b];
          gw[n * i + b] = sum;
        }
      }
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          let v = 0;
          for (let b = 0; b < n; b++) v += gw[n * i + b] * G[b][j];
          if (!Number.isFinite(v)) finite = false;
          dw[((3 * i + j) * c + ci) * o + oi] = v;
        }
      }
    }
  }
  return finite;
}

let instance: WasmWinograd | null | undefined;

function winograd(): WasmWinograd | null {
  if (instance === undefined) instance = typeof WebAssembly === "undefined" ? null : new WasmWinograd(kernelRuntime());
  return instance;
}

/** Whether Winograd takes this convolution at the current settings (float32 operands checked by the callers). */
export function winogradApplies(g: ConvGeometry): boolean {
  return (
    algorithm === "auto" &&
    g.kh === 3 && g.kw === 3 && g.strides[0] === 1 && g.strides[1] === 1 &&
    g.c % 4 === 0 && g.o % 4 === 0 && g.c >= MIN_CHANNELS && g.o >= MIN_CHANNELS &&
    g.n * g.oh * g.ow * g.c * g.o * 9 >= limits.minWork
  );
}

/**
 * Runs the convolution, with the loop that finishes its result in the output transform where
 * `epilogue` is given (`out` then holds the loop's output), or returns null (not applicable, or a
 * non-finite value: the direct kernel decides then).
 */
function run(xs: Float32Array, f: FilterView, g: ConvGeometry, epilogue: EpilogueInputs | null): Float32Array | null {
  const wg = winograd();
  const job = wg?.job("conv", SCHEME, epilogue?.epilogue ?? null) ?? null;
  if (wg === null || job === null || !filterFinite(f, g.c, g.o)) return null;
  const out = allocate("float32", g.n * g.oh * g.ow * g.o, false);
  return wg.convolve(job, SCHEME, xs, f, g, out, epilogue) ? out : null;
}

/**
 * `conv2d` of `x` `[n, h, w, c]` with `w` `[3, 3, c, o]` by Winograd, or null where it does not
 * apply; with `epilogue`, the output of the loop that finishes its result, applied in the output
 * transform (compiler/epilogue.ts).
 */
export function winogradConv2d(x: ConcreteTensor, w: ConcreteTensor, g: ConvGeometry, epilogue: EpilogueInputs | null = null): ConcreteTensor | null {
  if (x.dtype !== "float32" || w.dtype !== "float32") return null;
  if (!winogradApplies(g)) return null;
  const { c, o } = g;
  const filter: FilterView = { ws: w.storage as Float32Array, base: 0, si: 3 * c * o, sj: c * o, sc: o, so: 1 };
  const out = run(x.storage as Float32Array, filter, g, epilogue);
  return out === null ? null : ConcreteTensor.wrap(out, [g.n, g.oh, g.ow, g.o], "float32");
}

/**
 * `conv2dBackpropInput` of `ct` `[n, oh, ow, o]` with `w` `[3, 3, c, o]` by Winograd: the stride-1
 * convolution of ct with the filter flipped in space and its channel axes swapped (js/conv.ts
 * `transposedGeometry`); null where it does not apply.
 */
export function winogradBackpropInput(ct: ConcreteTensor, w: ConcreteTensor, g: ConvGeometry): ConcreteTensor | null {
  if (ct.dtype !== "float32" || w.dtype !== "float32") return null;
  const tg = transposedGeometry(g);
  if (tg === null) return null;
  if (!winogradApplies(tg)) return null;
  // element (i, j, c', o') of the flipped filter is w[2 − i, 2 − j, o', c'] (c' runs over g.o)
  const { c, o } = g;
  const filter: FilterView = { ws: w.storage as Float32Array, base: 8 * c * o, si: -3 * c * o, sj: -c * o, sc: 1, so: o };
  const out = run(ct.storage as Float32Array, filter, tg, null);
  return out === null ? null : ConcreteTensor.wrap(out, [g.n, g.h, g.w, g.c], "float32");
}

/**
 * `conv2dBackpropFilter` of `x` `[n, h, w, c]` and `ct` `[n, oh, ow, o]` for a `[3, 3, c, o]`
 * filter by Winograd's F(3×3, 2×2) (the transpose of F(2×2, 3×3) in the filter): dW = Gᵀ [Σ_t
 * (A e Aᵀ) ⊙ (Bᵀ d B)] G over the tiles t of the output, d the input tile and e ct's 2×2 block;
 * null where it does not apply or a value came out non-finite.
 */
export function winogradBackpropFilter(x: ConcreteTensor, ct: ConcreteTensor, g: ConvGeometry): ConcreteTensor | null {
  if (x.dtype !== "float32" || ct.dtype !== "float32") return null;
  if (!winogradApplies(g)) return null;
  const wg = winograd();
  const job = wg?.job("filter", SCHEME) ?? null;
  if (wg === null || job === null) return null;
  const dw = allocate("float32", 9 * g.c * g.o, false);
  return wg.filterGradient(job, SCHEME, x.storage as Float32Array, ct.storage as Float32Array, g, dw) ? ConcreteTensor.wrap(dw, [3, 3, g.c, g.o], "float32") : null;
}
