/**
 * @file `jit`: traces a function once per input signature into a jaxpr and binds it as one
 * `jitCall`, so later calls skip tracing and the compiler can work on the whole program.
 */
import { ShapedArray } from "../core/aval.js";
import { makeJaxprFlat } from "../core/make-jaxpr.js";
import type { ClosedJaxpr, Jaxpr } from "../core/jaxpr.js";
import { simplify } from "../compiler/simplify.js";
import { printSchedule } from "../compiler/plan.js";
import { peakLiveBytes } from "../compiler/memory.js";
import { callJaxpr } from "../primitives/jit-call.js";
import type { AnyTensor } from "../core/ops.js";
import { ConcreteTensor } from "../core/concrete.js";
import { avalOf } from "../core/trace.js";
import { Tensor } from "../core/tensor.js";
import { flatten, unflatten, type TreeDef } from "../core/tree.js";
import { staticKey } from "../internal/static-key.js";
import { LruMap } from "../internal/lru.js";
import { checkBoolean, checkOptions, checkPositions, checkPositionsShape, showValue } from "../internal/check-args.js";
import { registerSource, withNanChecks } from "./debug-nans.js";

/** Traces kept per jitted function (one per input signature). */
const TRACES_KEPT = 256;

type T = AnyTensor;

interface Traced {
  readonly closed: ClosedJaxpr;
  /** The jaxpr that runs: `closed.jaxpr` simplified (compiler/simplify.ts: CSE, folding, identities, DCE). */
  readonly optimized: Jaxpr;
  readonly outDef: TreeDef;
  /** Which output leaves are tensors (the rest are static values returned as they were traced). */
  readonly outStatic: readonly unknown[];
}

/**
 * Options of `jit`.
 * @category Transforms
 */
export interface JitOptions {
  /** A name for the function in printed IR (default: the function's own name). */
  readonly name?: string;
  /**
   * Positions of arguments whose tensors are donated (JAX's `donate_argnums`): the call may reuse
   * their buffers for its outputs, e.g. new parameters written over the old ones in a training
   * step, so memory stays flat. A donated tensor can no longer be used: any use throws a
   * `DonatedError` (use what the call returned).
   */
  readonly donate?: readonly number[];
  /**
   * Check every call's float results for NaN (JAX's `debug_nans`, for this function only; see
   * `setDebugNans` for all): when one is found the program is re-run equation by equation and a
   * `NaNError` names the equation that produced it. Calls run at full speed otherwise.
   */
  readonly debugNans?: boolean;
  /** The same check for ±Inf (`setDebugInfs`). */
  readonly debugInfs?: boolean;
}

/**
 * Compiles `f`: the first call with a given input signature (tree structure, shapes, dtypes and
 * the values of non-tensor leaves such as numbers or flags) traces `f` to a jaxpr; every call
 * runs that jaxpr. Tensors are traced; other leaves are static (a new value retraces).
 * @example
 * const step = jit((w: Tensor<[3]>, x: Tensor<[3]>) => sub(w, mul(0.1, x)));
 * @typeParam F - The function's type, which the jitted function keeps.
 * @category Transforms
 */
export function jit<F extends (...args: any[]) => any>(f: F, options: JitOptions = {}): F {
  if (typeof f !== "function") throw new TypeError(`jit: f must be a function, got ${showValue(f)}`);
  const opts = checkOptions("jit", "options", options) as JitOptions;
  if (opts.name !== undefined && typeof opts.name !== "string") {
    throw new TypeError(`jit: name must be a string, got ${typeof opts.name} ${showValue(opts.name)}`);
  }
  // One trace per input signature, the most recently used kept: a function called with ever new
  // static values or shapes keeps bounded memory.
  const cache = new LruMap<string, Traced>(TRACES_KEPT);
  const name = opts.name ?? (f.name || "f");
  const donateOpt: unknown = opts.donate ?? [];
  if (!Array.isArray(donateOpt)) throw new TypeError(`jit: donate must be an array of argument positions, got ${typeof donateOpt} ${showValue(donateOpt)}`);
  checkPositionsShape("jit", "donate", donateOpt);
  const nanModes = { nans: checkBoolean("jit", "debugNans", opts.debugNans ?? false), infs: checkBoolean("jit", "debugInfs", opts.debugInfs ?? false) };
  const checked = nanModes.nans || nanModes.infs;
  const jitted = (...args: unknown[]) => {
    // Positions past the arity are known only at the call.
    const donate = donateOpt.length > 0 ? checkPositions("jit", "donate", donateOpt, args.length) : [];
    const [leaves, inDef] = flatten(args);
    const tensors: T[] = [];
    const statics: string[] = [];
    for (const leaf of leaves) {
      if (leaf instanceof Tensor) tensors.push(leaf as T);
      else statics.push(staticKey(leaf));
    }
    let key = `${inDef}|`;
    for (const t of tensors) key += `${t.dtype}[${t.shape}]`;
    if (statics.length > 0) key += `|${statics.join(",")}`;
    let traced = cache.get(key);
    if (traced === undefined) {
      traced = trace(f, leaves, inDef, tensors.map(avalOf));
      // A jaxpr that closed over another transform's tracers is only valid during that transform.
      if (traced.closed.consts.every((c) => c instanceof ConcreteTensor)) cache.set(key, traced);
    }
    const { closed } = traced;
    const donated = donate.length > 0 ? donatedLeaves(inDef, leaves, donate, closed.consts.length) : undefined;
    const params = {
      jaxpr: traced.optimized,
      numConsts: closed.consts.length,
      name,
      // Checked calls keep their inputs intact: a bad result re-runs the program on them.
      ...(donated && !checked && { donated }),
    };
    const inputs = [...closed.consts, ...tensors];
    const outs = checked ? withNanChecks(nanModes, () => callJaxpr(inputs, params)) : callJaxpr(inputs, params);
    if (donated !== undefined && outs.every((o) => o instanceof ConcreteTensor)) {
      // The plan ran (not a trace): donated inputs may now share buffers with the outputs.
      const inputs = [...closed.consts, ...tensors];
      inputs.forEach((t, i) => {
        if (donated[i] && t instanceof ConcreteTensor && !outs.includes(t)) t.markDonated(name);
      });
    }
    let k = 0;
    const outLeaves = traced.outStatic.map((s) => (s === TENSOR ? outs[k++] : s));
    return unflatten(traced.outDef, outLeaves);
  };
  return jitted as F;
}

const TENSOR = Symbol("tensor");

/** Per jitCall input (constants first, then tensor leaves): whether it belongs to a donated argument. */
function donatedLeaves(inDef: TreeDef, leaves: readonly unknown[], donate: readonly number[], numConsts: number): boolean[] {
  const flags: boolean[] = new Array(numConsts).fill(false);
  let leaf = 0;
  inDef.children.forEach((arg, position) => {
    const isDonated = donate.includes(position);
    for (let k = 0; k < arg.numLeaves; k++, leaf++) if (leaves[leaf] instanceof Tensor) flags.push(isDonated);
  });
  return flags;
}

function trace(f: (...args: any[]) => any, leaves: readonly unknown[], inDef: TreeDef, avals: ShapedArray[]): Traced {
  let outDef: TreeDef | null = null;
  let outStatic: unknown[] = [];
  const closed = makeJaxprFlat((...tracers: T[]) => {
    let k = 0;
    const args = unflatten<unknown[]>(
      inDef,
      leaves.map((leaf) => (leaf instanceof Tensor ? tracers[k++] : leaf)),
    );
    const [outLeaves, def] = flatten(f(...args));
    outDef = def;
    outStatic = outLeaves.map((x) => (x instanceof Tensor ? TENSOR : x));
    return outLeaves.filter((x): x is T => x instanceof Tensor);
  }, avals);
  const optimized = simplify(closed.jaxpr);
  registerSource(optimized, closed.jaxpr);
  return { closed, optimized, outDef: outDef!, outStatic };
}

/**
 * `showKernels(f)(...args)` traces `f` as `jit` would and lists the program that runs: the
 * simplified IR split into kernel calls and fused loops, with each loop's backend (WebAssembly
 * SIMD or generated JS, whose source is shown). A debugging aid, like the IR printer.
 * @example
 * console.log(showKernels((x: Tensor<[1000]>) => sum(tanh(x)))(zeros([1000])));
 * @typeParam F - The function's type; the result takes its parameters.
 * @category Transforms
 */
export function showKernels<F extends (...args: any[]) => any>(f: F): (...args: Parameters<F>) => string {
  return (...args: unknown[]) => {
    const [leaves, inDef] = flatten(args);
    const tensors = leaves.filter((x): x is T => x instanceof Tensor);
    return printSchedule(trace(f, leaves, inDef, tensors.map(avalOf)).optimized);
  };
}

/**
 * `peakBytes(f)(...args)` traces `f` as `jit` would and returns the peak bytes of intermediate
 * buffers alive at once when its compiled program runs (each freed after its last reader; the
 * arguments not counted; a checkpoint's recomputation counted while it runs). A memory aid: it
 * shows what `checkpoint` saves in `jit(grad(loss))`.
 * @example
 * const loss = (w: Tensor<[256, 256]>, x: Tensor<[64, 256]>) => sum(gelu(matmul(x, w)));
 * const bytes = peakBytes(grad(loss))(zeros([256, 256]), zeros([64, 256]));
 * @typeParam F - The function's type; the result takes its parameters.
 * @category Transforms
 */
export function peakBytes<F extends (...args: any[]) => any>(f: F): (...args: Parameters<F>) => number {
  return (...args: unknown[]) => {
    const [leaves, inDef] = flatten(args);
    const tensors = leaves.filter((x): x is T => x instanceof Tensor);
    return peakLiveBytes(trace(f, leaves, inDef, tensors.map(avalOf)).optimized);
  };
}

/**
 * `makeJaxpr(f)(...args)` traces `f` on the shapes and dtypes of `args` and returns its IR;
 * `String(makeJaxpr(f)(x))` prints it.
 * @example
 * String(makeJaxpr((x: Tensor<[3]>) => sum(exp(x)))(zeros([3])));
 * // { lambda a:f32[3] .
 * //   let b:f32[3] = exp a
 * //       c:f32[] = reduceSum[axes=[0]] b
 * //   in ( c ) }
 * @typeParam F - The function's type; the result takes its parameters.
 * @category Transforms
 */
export function makeJaxpr<F extends (...args: any[]) => any>(f: F): (...args: Parameters<F>) => ClosedJaxpr {
  return (...args: unknown[]) => {
    const [leaves, inDef] = flatten(args);
    const tensors = leaves.filter((x): x is T => x instanceof Tensor);
    return trace(f, leaves, inDef, tensors.map(avalOf)).closed;
  };
}

