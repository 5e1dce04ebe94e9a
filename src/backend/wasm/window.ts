/**
 * @file The window primitives' kernels on WebAssembly (float32 and float64; other dtypes, and
 * geometries with no window at all, stay with the JS kernels of js/window.ts): the geometry
 * canonicalized and written as tables into the kernel memory, the operands copied in (unless they
 * live there already: a jit run's resident tensors), the windows cut into tasks along the first
 * windowed dim (shared with the worker pool when the operand is large) and the result copied out
 * (or written in place where it is resident). Each result element is computed by one task in one fixed
 * order, so results never depend on the thread count, and they equal the JS kernels' bit for bit.
 */
import { allocate } from "../../dtype.js";
import { ConcreteTensor } from "../../core/concrete.js";
import { product } from "../../shape/arith.js";
import type { WindowGeometry } from "../js/window.js";
import { windowOutShape } from "../js/window.js";
import { ARGS_BYTES, DATA, TaskTable } from "./tasks.js";
import { kernelRuntime, touchPages, type WorkExports } from "./runtime.js";
import { ENTRY_BYTES, P_DIMS, P_OPERAND, P_ROW, P_SECOND, P_VEC, P_WINDOWS, paramWords, windowModule, type WindowDType, type WindowKind } from "./window-kernels.js";

/** Operand elements from which the windows are shared with workers (twice that while they sleep). */
const MIN_PARALLEL = 1 << 17;
/** Tasks per thread, so that a late worker delays a job little. */
const TASKS_PER_THREAD = 4;

/** One windowed dim of the canonical geometry. */
interface WindowDim {
  readonly size: number;
  readonly window: number;
  readonly stride: number;
  readonly lo: number;
  readonly windows: number;
}

/**
 * The geometry with consecutive dims that no window spans (window 1, stride 1, no padding) merged,
 * and the trailing run of them taken out as `channels` (1 if there is none): windows over `dims`,
 * each of `channels` contiguous values.
 */
export function canonicalWindow(shape: readonly number[], g: WindowGeometry): { dims: WindowDim[]; channels: number } {
  const dims: (WindowDim & { trivial: boolean })[] = [];
  const outShape = windowOutShape(shape, g);
  shape.forEach((size, d) => {
    const trivial = g.window[d] === 1 && g.strides[d] === 1 && g.padding[d][0] === 0 && g.padding[d][1] === 0;
    const last = dims[dims.length - 1];
    if (trivial && last?.trivial) dims[dims.length - 1] = { ...last, size: last.size * size, windows: last.windows * size };
    else dims.push({ size, window: g.window[d], stride: g.strides[d], lo: g.padding[d][0], windows: outShape[d], trivial });
  });
  const channels = dims[dims.length - 1]?.trivial ? dims.pop()!.size : 1;
  return { dims: dims.map(({ trivial: _, ...dim }) => dim), channels };
}

interface Compiled {
  readonly exports: WorkExports & { task(start: number, end: number): void };
  /** Its slot in the runtime (`null`: it runs on this thread only). */
  readonly slot: number | null;
}

const modules = new Map<string, Compiled>();

function moduleOf(kind: WindowKind, dtype: WindowDType, rank: number): Compiled {
  const key = `${kind}|${dtype}|${rank}`;
  let compiled = modules.get(key);
  if (compiled === undefined) {
    const runtime = kernelRuntime();
    const slot = runtime.nextSlot();
    const module = new WebAssembly.Module(windowModule(kind, dtype, rank, slot, runtime.shared));
    const name = `${kind} window kernel`;
    const exports = slot === null ? runtime.local(module, name) : runtime.add(module, name);
    compiled = { exports: exports as unknown as Compiled["exports"], slot };
    modules.set(key, compiled);
  }
  return compiled;
}

/** Rounds a byte count up to whole 16-byte vectors. */
const aligned = (bytes: number) => Math.ceil(bytes / 16) * 16;

const isWindowFloat = (dtype: string): dtype is WindowDType => dtype === "float32" || dtype === "float64";

/**
 * Runs window work of `kind` over `operand` (`second`: gather's tangent, operand-shaped, or a
 * scatter's source, one value per window); `null` where the JS kernel should run instead.
 */
function runWindow(kind: "max" | "sum" | "gather" | "scatter", operand: ConcreteTensor, second: ConcreteTensor | null, g: WindowGeometry): ConcreteTensor | null {
  const dtype = second?.dtype ?? operand.dtype;
  if (!isWindowFloat(dtype) || operand.dtype !== dtype) return null;
  const outShape = windowOutShape(operand.shape, g);
  const outSize = product(outShape);
  const { dims, channels } = canonicalWindow(operand.shape, g);
  if (dims.length === 0 || operand.size === 0 || outSize === 0) return null;
  const bytes = dtype === "float32" ? 4 : 8;
  const overlapping = dims.some((d) => d.window > d.stride);
  const mode: WindowKind = kind === "scatter" && overlapping ? "scatterAdd" : kind;

  // ---- layout: parameters at DATA; tables, operand, second operand-shaped array, window-shaped
  // array in the scratch block (offsets from its start; a resident operand or result is used in place) ----
  if (4 * paramWords(dims.length) > ARGS_BYTES) throw new RangeError(`${kind} window: ${dims.length} windowed dims exceed the parameter block`);
  const runtime = kernelRuntime();
  const operandIn = runtime.addressOf(operand.storage);
  const secondIn = kind === "gather" || kind === "scatter" ? runtime.addressOf(second!.storage) : -1;
  const resultSize = kind === "scatter" ? operand.size : outSize;
  // The result is allocated first, to be written in place where it is resident.
  const out = allocate(dtype, resultSize, false);
  const outIn = mode === "scatterAdd" ? -1 : runtime.addressOf(out);
  let at = 0;
  const take = (n: number) => {
    const here = at;
    at += aligned(n);
    return here;
  };
  const tablesAt = dims.map((d) => take(ENTRY_BYTES * d.windows));
  const operandAt = operandIn >= 0 ? -1 : take(operand.size * bytes);
  const secondBytes = kind === "gather" || kind === "scatter" ? operand.size * (mode === "scatterAdd" ? 8 : bytes) : 0;
  // gather's tangent and scatter's result are operand-shaped; scatter's source is window-shaped
  const secondInPlace = kind === "gather" ? secondIn : kind === "scatter" ? outIn : -1;
  const windowsInPlace = kind === "scatter" ? secondIn : outIn;
  const secondAt = secondInPlace >= 0 ? -1 : take(secondBytes);
  const windowsAt = windowsInPlace >= 0 ? -1 : take(outSize * bytes);
  const { exports, slot } = moduleOf(mode, dtype, dims.length);
  const threads = slot === null || mode === "scatterAdd" ? 1 : runtime.threadsFor(operand.size, MIN_PARALLEL);
  if (threads > 1) runtime.wake(threads - 1);
  const base = runtime.scratch(at);
  const buffer = runtime.memory.buffer;
  const placed = (inPlace: number, offset: number) => (inPlace >= 0 ? inPlace : base + offset);
  const operandAddr = placed(operandIn, operandAt);
  const secondAddr = placed(secondInPlace, secondAt);
  const windowsAddr = placed(windowsInPlace, windowsAt);

  // ---- parameters and tables ----
  const words = new Int32Array(buffer, DATA, paramWords(dims.length));
  words[P_ROW] = channels * bytes;
  words[P_VEC] = Math.floor((channels * bytes) / 16) * 16;
  words[P_OPERAND] = operandAddr;
  words[P_SECOND] = secondAddr;
  words[P_WINDOWS] = windowsAddr;
  let covered = true;
  let step = channels * bytes;
  for (let d = dims.length - 1; d >= 0; d--) {
    const dim = dims[d];
    words[P_DIMS + 3 * d] = dim.windows;
    words[P_DIMS + 3 * d + 1] = step;
    words[P_DIMS + 3 * d + 2] = base + tablesAt[d];
    const table = new Int32Array(buffer, base + tablesAt[d], 2 * dim.windows);
    let total = 0;
    for (let p = 0; p < dim.windows; p++) {
      const start = p * dim.stride - dim.lo;
      const first = Math.max(start, 0);
      const count = Math.max(Math.min(start + dim.window, dim.size) - first, 0);
      table[2 * p] = count === 0 ? 0 : first * step;
      table[2 * p + 1] = count;
      total += count;
    }
    // windows that do not overlap cover every element of this dim when their counts add up to it
    if (total !== dim.size) covered = false;
    step *= dim.size;
  }

  // ---- operands in ----
  const view = (byteAt: number, n: number) => (bytes === 4 ? new Float32Array(buffer, byteAt, n) : new Float64Array(buffer, byteAt, n));
  if (operandIn < 0) view(operandAddr, operand.size).set(operand.storage as Float32Array);
  if (kind === "gather" && secondIn < 0) view(secondAddr, operand.size).set(second!.storage as Float32Array);
  if (kind === "scatter") {
    if (secondIn < 0) view(windowsAddr, outSize).set(second!.storage as Float32Array);
    // elements no window reaches stay 0; an accumulator starts at 0
    if (mode === "scatterAdd") new Float64Array(buffer, secondAddr, operand.size).fill(0);
    else if (!(covered || overlapping)) view(secondAddr, operand.size).fill(0);
  }

  // ---- the windows, cut along the first windowed dim ----
  const first = dims[0].windows;
  if (threads === 1) exports.task(0, first);
  else {
    const table = new TaskTable(runtime.table);
    const count = Math.min(first, threads * TASKS_PER_THREAD);
    for (let i = 0; i < count; i++) table.add(Math.floor((first * i) / count), Math.floor((first * (i + 1)) / count));
    runtime.run(slot!, exports, count, threads, outIn >= 0 ? undefined : () => touchPages(out, 0, resultSize));
  }

  // ---- result out (unless written in place) ----
  if (mode === "scatterAdd") out.set(new Float64Array(runtime.memory.buffer, secondAddr, operand.size));
  else if (outIn < 0) out.set(view(kind === "scatter" ? secondAddr : windowsAddr, resultSize) as Float32Array);
  return ConcreteTensor.wrap(out, kind === "scatter" ? operand.shape : outShape, dtype);
}

/** `reduceWindow` on WebAssembly (float32, float64), or `null` for the JS kernel. */
export function wasmReduceWindow(x: ConcreteTensor, op: "Add" | "Max", g: WindowGeometry): ConcreteTensor | null {
  return runWindow(op === "Add" ? "sum" : "max", x, null, g);
}

/** `selectAndScatterAdd` on WebAssembly (float32, float64), or `null` for the JS kernel. */
export function wasmSelectAndScatterAdd(source: ConcreteTensor, operand: ConcreteTensor, g: WindowGeometry): ConcreteTensor | null {
  return runWindow("scatter", operand, source, g);
}

/** `selectAndGatherAdd` on WebAssembly (float32, float64), or `null` for the JS kernel. */
export function wasmSelectAndGatherAdd(tangent: ConcreteTensor, operand: ConcreteTensor, g: WindowGeometry): ConcreteTensor | null {
  return runWindow("gather", operand, tangent, g);
}
