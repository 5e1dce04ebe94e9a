/**
 * @file The one interface every backend implements, and the one place that picks the backend in
 * use (from the choice in config.ts). The planner (compiler/plan.ts) and the primitives' eager
 * kernels call only this interface: the kernel IR for elementwise work, fused loops compiled from
 * it, and the few kernels that are not elementwise (matrix products and convolutions).
 */
import type { AluExp } from "../compiler/alu.js";
import type { FusedKernel } from "../compiler/fusion.js";
import type { ConcreteTensor } from "../core/concrete.js";
import type { Eqn } from "../core/jaxpr.js";
import type { DotDims, IndexDims, PrimParams, ScatterCombine } from "../core/primitive.js";
import type { ConvGeometry } from "./js/patches.js";
import type { WindowGeometry } from "./js/window.js";
import { getBackend, type Backend as BackendName } from "./config.js";
import { jsBackend } from "./js/backend.js";
import { wasmBackend } from "./wasm/backend.js";
import type { CumulativeOp } from "./js/cumulative.js";
import type { ResidentStore } from "./buffer-pool.js";

/** A compiled fused kernel: inputs in the order of `kernel.inputs`, outputs then reductions out. */
export type KernelRun = (ins: readonly ConcreteTensor[]) => ConcreteTensor[];

/** What runs kernels. */
export interface Backend {
  readonly name: BackendName;
  /**
   * The eager kernel of an elementwise primitive's lowered expression: operands of one shape in,
   * its value out (made once per expression; callers keep it while the expression repeats).
   */
  elementwise(expr: AluExp): (args: readonly ConcreteTensor[]) => ConcreteTensor;
  /** Whether `compile` takes `kernel` (the planner runs its equations one by one otherwise). */
  supports(kernel: FusedKernel): boolean;
  /** Whether `kernel` compiles to vectorized code, fast enough to pay for a loop of one cheap op. */
  vectorizes(kernel: FusedKernel): boolean;
  /** `kernel` as code (cached by the kernel's structure). */
  compile(kernel: FusedKernel): KernelRun;
  /**
   * Whether the code `compile` makes of `kernel` reads every input before it allocates or writes
   * any output: then the planner may release an input that dies there before it runs, and the
   * output may take that input's buffer (a donated parameter updated in place).
   */
  readsInputsFirst(kernel: FusedKernel): boolean;
  /**
   * Where a jit plan keeps its large float32 tensors so that this backend's kernels use them in
   * place (the WebAssembly kernel memory, where it is shared), or `null`: ordinary arrays.
   */
  residentStore(): ResidentStore | null;
  /** How `compile` lowers `kernel`, for `showKernels`: the code generator, and JS source where there is one. */
  describe(kernel: FusedKernel): string;
  /**
   * `eqn` and the elementwise loop that finishes its result (the loop's input `operand`) as one
   * kernel, or null where this backend's kernel for `eqn` cannot take the loop (compiler/epilogue.ts).
   * The kernel's inputs: `eqn`'s, then the loop's but `operand`; its output: the loop's.
   */
  epilogue?(eqn: Eqn, loop: FusedKernel, operand: number): KernelRun | null;
  /** The generalized matrix product of `dotGeneral`. */
  dotGeneral(x: ConcreteTensor, y: ConcreteTensor, dims: DotDims): ConcreteTensor;
  /** 2-d convolution (NHWC input, HWIO filter) of geometry `g`. */
  conv2d(x: ConcreteTensor, w: ConcreteTensor, g: ConvGeometry): ConcreteTensor;
  /** The transpose of `conv2d` in its input. */
  conv2dBackpropInput(ct: ConcreteTensor, w: ConcreteTensor, g: ConvGeometry): ConcreteTensor;
  /** The transpose of `conv2d` in its filter. */
  conv2dBackpropFilter(x: ConcreteTensor, ct: ConcreteTensor, g: ConvGeometry): ConcreteTensor;
  /** Sum or maximum over `axes` (removed). */
  reduce(x: ConcreteTensor, axes: readonly number[], op: "Add" | "Max"): ConcreteTensor;
  /** Index of the maximum along `axis` (removed), as int32. */
  argmax(x: ConcreteTensor, axis: number): ConcreteTensor;
  /** `x` repeated into `shape`, its dim i becoming dim `broadcastDims[i]`. */
  broadcast(x: ConcreteTensor, shape: readonly number[], broadcastDims: readonly number[]): ConcreteTensor;
  /** `x` with its axes permuted (result axis i is axis `perm[i]`). */
  transpose(x: ConcreteTensor, perm: readonly number[]): ConcreteTensor;
  /** A strided slice of `x`. */
  slice(x: ConcreteTensor, start: readonly number[], limit: readonly number[], strides: readonly number[]): ConcreteTensor;
  /** `x` padded with `value` by `[low, high, interior]` per axis (negative low/high crop). */
  pad(x: ConcreteTensor, value: number, config: readonly (readonly [number, number, number])[]): ConcreteTensor;
  /** The operands joined along `axis`. */
  concatenate(xs: readonly ConcreteTensor[], axis: number): ConcreteTensor;
  /**
   * `x` itself when every element is in `[lo, hi)`, else a `RangeError` naming `op`, `what` the
   * values are (label, index), the first bad value and its multi-index.
   */
  checkIndices(x: ConcreteTensor, lo: number, hi: number, op: string, what: string): ConcreteTensor;
  /** Threefry-2x32 of counter words under key words (random bits). */
  threefry2x32(k0: ConcreteTensor, k1: ConcreteTensor, x0: ConcreteTensor, x1: ConcreteTensor): [ConcreteTensor, ConcreteTensor];
  /** Sum or maximum over every window of `x` (padding takes part in no maximum and adds nothing). */
  reduceWindow(x: ConcreteTensor, op: "Add" | "Max", g: WindowGeometry): ConcreteTensor;
  /** Each window's `source` value split evenly among its maxima in `operand`, added there (`operand`-shaped). */
  selectAndScatterAdd(source: ConcreteTensor, operand: ConcreteTensor, g: WindowGeometry): ConcreteTensor;
  /** Per window, the mean of `tangent` over the window's maxima in `operand`. */
  selectAndGatherAdd(tangent: ConcreteTensor, operand: ConcreteTensor, g: WindowGeometry): ConcreteTensor;
  /** The window of `x` at each index vector of `indices` (see `IndexDims`), or the fill value for one out of range in "fill" mode. */
  gather(x: ConcreteTensor, indices: ConcreteTensor, params: PrimParams["gather"]): ConcreteTensor;
  /** `x` with each window of `updates` combined into the place its index vector names (dropped out of range in "fill" mode). */
  scatter(x: ConcreteTensor, indices: ConcreteTensor, updates: ConcreteTensor, dims: IndexDims, combine: ScatterCombine | "add"): ConcreteTensor;
  /** Running sum, product, maximum or minimum of `x` along `axis` (from the end when `reverse`). */
  cumulative(x: ConcreteTensor, axis: number, op: CumulativeOp, reverse: boolean): ConcreteTensor;
  /** The operands permuted along `dimension` by a stable sort on the first `numKeys` of them. */
  sort(xs: readonly ConcreteTensor[], dimension: number, numKeys: number, descending: boolean): ConcreteTensor[];
  /** `x` itself when no element is NaN, else a `RangeError` naming `op`, `what` the values are and the first NaN's multi-index. */
  checkNaN(x: ConcreteTensor, op: string, what: string): ConcreteTensor;
}

/** The backend that runs kernels now (`setBackend` chooses it). */
export function currentBackend(): Backend {
  return getBackend() === "wasm" ? wasmBackend : jsBackend;
}
