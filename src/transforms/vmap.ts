/** @file Vectorizing map (Autodidax Part 1, "vmap"): tracers carry a batched value and the index of its batch dim. */
import { ShapedArray } from "../core/aval.js";
import type { AnyTensor } from "../core/ops.js";
import type { BatchDim, PrimName, PrimParams } from "../core/primitive.js";
import { primitives } from "../core/rule-table.js";
import { Trace, Tracer, avalOf, bind, fullRaise, newMain, type MainTrace } from "../core/trace.js";
import { batchFirst, moveAxis } from "./batching.js";
import { Tensor } from "../core/tensor.js";
import { flatten, flattenFun, unflatten } from "../core/tree.js";
import type { Dim } from "../shape/dim.js";
import { checkOptions, showValue } from "../internal/check-args.js";
import { checkInAxes, checkOutAxes, resolveAxes, resolveOutAxes, type AxisTree, type InAxesOption, type LeafAxes } from "./vmap-axes.js";
import type { BatchedArgs, BatchedResult, CheckMappedArgs, CheckOutAxes, MappedSize } from "./vmap-types.js";

export type { Axes, BatchedAlong, BatchedArgs, BatchedAt, BatchedResult, CheckOutAxes, InsertAxis, MappedSize } from "./vmap-types.js";

type T = AnyTensor;

/** A value under `vmap`: the stacked values of every example, batched along `batchDim` (or shared when `null`). */
export class BatchTracer extends Tracer {
  constructor(
    readonly trace: BatchTrace,
    readonly val: T,
    readonly batchDim: BatchDim,
  ) {
    super();
  }

  override get aval(): ShapedArray {
    const aval = avalOf(this.val);
    if (this.batchDim === null) return aval;
    return new ShapedArray(
      aval.shape.filter((_, i) => i !== this.batchDim),
      aval.dtype,
    );
  }

  override fullLower(): T {
    return this.batchDim === null ? this.val : this;
  }
}

/** Applies each primitive's batching rule. The main trace's data is the mapped axis size. */
export class BatchTrace extends Trace {
  get axisSize(): number {
    return this.main.globalData as number;
  }

  override pure(x: T): T {
    return new BatchTracer(this, x, null);
  }

  override lift(x: Tracer): T {
    return this.pure(x);
  }

  override processPrimitive<P extends PrimName>(prim: P, args: T[], params: PrimParams[P]): T[] {
    const tracers = args as BatchTracer[];
    const vals = tracers.map((t) => t.val);
    const dims = tracers.map((t) => t.batchDim);
    if (dims.every((d) => d === null)) return bind(prim, vals, params).map((v) => new BatchTracer(this, v, null));
    // Check the per-example shapes first, so a mistake is reported as the user wrote it.
    primitives[prim].shape(
      tracers.map((t) => t.aval),
      params,
    );
    const [outs, outDims] = primitives[prim].vmap(vals, dims, params, this.axisSize);
    return outs.map((v, i) => new BatchTracer(this, v, outDims[i]));
  }
}

/**
 * Maps `f` over axis `inAxes[i]` of each argument (`null`: shared by all), stacking the results
 * along `outAxis(i)` (asked once `f` has run; `null`: the output must not vary, and is returned
 * as it is). All mapped axes must have one size. `describe(i)` names output i in messages.
 */
export function vmapFlat(
  f: (...args: T[]) => T[],
  inAxes: readonly BatchDim[],
  args: readonly T[],
  outAxis: (i: number) => BatchDim = () => 0,
  describe: (i: number) => string = (i) => `output ${i}`,
): T[] {
  let axisSize: number | null = null;
  args.forEach((x, i) => {
    const axis = inAxes[i];
    if (axis === null) return;
    if (!(axis >= 0 && axis < x.ndim)) {
      throw new RangeError(`vmap: in axis ${axis} out of range for argument ${i} of shape [${x.shape.join(", ")}]`);
    }
    const n = x.shape[axis];
    if (axisSize !== null && n !== axisSize) {
      throw new RangeError(`vmap: mapped axes have different sizes: ${axisSize} vs ${n} (argument ${i})`);
    }
    axisSize = n;
  });
  if (axisSize === null) throw new RangeError("vmap: no argument is mapped (every in axis is null)");
  const size: number = axisSize;
  return newMain(BatchTrace, size, (main: MainTrace) => {
    const trace = new BatchTrace(main);
    const tracersIn = args.map((x, i) => new BatchTracer(trace, x, inAxes[i]));
    const outs = f(...tracersIn).map((x) => fullRaise(trace, x) as BatchTracer);
    return outs.map((t, i) => {
      const target = outAxis(i);
      if (target === null) {
        if (t.batchDim !== null) throw new RangeError(`vmap: ${describe(i)} varies along the mapped axis, so out axis null is impossible`);
        return t.val;
      }
      const batched = batchFirst(t.val, t.batchDim, size);
      if (!(target >= -batched.ndim && target < batched.ndim)) {
        const perExample = `[${batched.shape.slice(1).join(", ")}]`;
        throw new RangeError(`vmap: outAxes gives axis ${target} for output ${i} of per-example shape ${perExample}, out of range (valid: ${-batched.ndim} to ${batched.ndim - 1})`);
      }
      const axis = target < 0 ? target + batched.ndim : target;
      return moveAxis(batched, 0, axis);
    });
  });
}

// ---- public API ----

/**
 * A pytree with dim `B` added in front of every tensor's shape.
 * @category Transforms
 */
export type Batched<X, B extends Dim> =
  X extends Tensor<infer S, infer D>
    ? Tensor<[B, ...S], D>
    : X extends readonly unknown[]
      ? { -readonly [K in keyof X]: Batched<X[K], B> }
      : X extends object
        ? { [K in keyof X]: Batched<X[K], B> }
        : X;

/**
 * Options of `vmap`.
 * @category Transforms
 */
export interface VmapOptions<InAxes = InAxesOption, OutAxes = AxisTree> {
  /**
   * The mapped axis of each argument (`null`: not mapped, shared), or one axis for all. Default 0.
   * An argument's entry may be an axis tree, as JAX's `in_axes`: an array or record shaped like
   * (a prefix of) the argument, whose axes apply to the tensors below them, e.g.
   * `[{ w: null, b: 0 }, 0]` shares `w` and maps `b` and the second argument.
   */
  readonly inAxes?: InAxes;
  /**
   * Where the mapped axis goes in each output (`null`: the output must not vary along the mapped
   * axis, and is returned unbatched; an output that does not vary gets the mapped dim by
   * broadcasting under an axis). Default 0. As JAX's `out_axes`, an axis tree shaped like (a
   * prefix of) the result, e.g. `[0, { mean: null, x: 1 }]` for a result `[a, { mean, x }]`.
   */
  readonly outAxes?: OutAxes;
}

/**
 * `vmap(f)` maps `f` over an axis of its arguments, as if by a loop, but runs the batched
 * primitives once. Types follow the axes exactly: `(x: Tensor<[3]>) => Tensor<[]>` becomes a
 * function of `Tensor<[B, 3]>` returning `Tensor<[B]>`; with `inAxes: 1` it takes `Tensor<[3, B]>`,
 * with `outAxes: -1` the mapped dim is the result's last (negative axes count from the end of the
 * batched shape). `inAxes` and `outAxes` take axis trees (JAX's pytrees of axes) for arguments and
 * results that are arrays or records. The mapped size `B` is read from the arguments: every mapped
 * argument must have the same size along its axis (a compile error naming the argument otherwise,
 * as at run time).
 * @example
 * const norms = vmap((x: Tensor<[3]>) => sqrt(sum(mul(x, x))));
 * norms(zeros([10, 3])); // Tensor<[10]>
 * const columns = vmap((x: Tensor<[3]>) => mul(x, 2), { inAxes: 1, outAxes: 1 });
 * columns(zeros([3, 10])); // Tensor<[3, 10]>
 * @category Transforms
 */
export function vmap<const P extends readonly unknown[], R, const InAxes extends InAxesOption = 0, const OutAxes extends AxisTree = 0>(
  f: (...args: P) => R,
  options: VmapOptions<InAxes, OutAxes> & CheckOutAxes<R, OutAxes> = {} as never,
): <const A extends BatchedArgs<P, InAxes, Dim>>(
  ...args: A extends CheckMappedArgs<A, InAxes> ? A : CheckMappedArgs<A, InAxes>
) => BatchedResult<R, MappedSize<A, InAxes> extends [infer B] ? B : number, OutAxes> {
  if (typeof f !== "function") throw new TypeError(`vmap: f must be a function, got ${showValue(f)}`);
  const opts = checkOptions("vmap", "options", options);
  const inAxes = checkInAxes(opts.inAxes ?? 0);
  const outAxes = checkOutAxes(opts.outAxes ?? 0);
  return ((...args: unknown[]) => {
    const perArg: readonly AxisTree[] = Array.isArray(inAxes) ? inAxes : args.map(() => inAxes as BatchDim);
    if (perArg.length !== args.length) {
      throw new RangeError(`vmap: inAxes has ${perArg.length} entries for ${args.length} arguments: ${showValue(inAxes)}`);
    }
    const resolved: LeafAxes = { leaves: [], axes: [] };
    args.forEach((arg, i) => resolveAxes(perArg[i], arg, i, Array.isArray(inAxes) ? `inAxes[${i}]` : "inAxes", resolved));
    const { leaves, axes: leafAxes } = resolved;
    const [, inDef] = flatten(args);
    const { fFlat, outDef } = flattenFun<P, T>(f as (...args: P) => unknown, inDef);
    // The result's tree is known only after tracing: the out axis tree is resolved against it then.
    let resolvedOut = { axes: [] as BatchDim[], names: [] as string[] };
    const fChecked = (...xs: T[]): T[] => {
      const outs = fFlat(...xs);
      const result = unflatten(outDef(), outs);
      // A list of one axis for a result that is one tensor (its one output) applies to it.
      const single = Array.isArray(outAxes) && outAxes.length === 1 && result instanceof Tensor;
      resolvedOut = resolveOutAxes(single ? (outAxes as readonly AxisTree[])[0] : outAxes, result, single ? "outAxes[0]" : "outAxes");
      return outs;
    };
    const outs = vmapFlat(
      fChecked,
      leafAxes,
      leaves,
      (i) => resolvedOut.axes[i],
      (i) => resolvedOut.names[i],
    );
    return unflatten(outDef(), outs);
  }) as never;
}
