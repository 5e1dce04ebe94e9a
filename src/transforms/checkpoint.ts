/**
 * @file `checkpoint` (JAX's `jax.checkpoint` / `remat`): trades memory for recomputation in reverse
 * mode. Each call traces the function to a jaxpr and binds one `checkpoint` primitive
 * (primitives/checkpoint.ts), whose partial-evaluation rule keeps only the inputs (and what the
 * policy saves) for the backward pass.
 */
import { makeJaxprFlat } from "../core/make-jaxpr.js";
import type { AnyTensor } from "../core/ops.js";
import type { RematPolicy } from "../core/primitive.js";
import { avalOf, bind } from "../core/trace.js";
import { flatten, unflatten, type TreeDef } from "../core/tree.js";
import { Tensor } from "../core/tensor.js";
import { checkName, checkOptions, showValue } from "../internal/check-args.js";
import { splitArgs } from "./tree-args.js";

type T = AnyTensor;

export type { RematPolicy };

/**
 * Options of `checkpoint`.
 * @category Transforms
 */
export interface CheckpointOptions {
  /**
   * What reverse mode saves from the forward pass instead of recomputing: `"nothingSaveable"`
   * (default: only the inputs), `"dotsSaveable"` (also the results of matrix products, the
   * expensive part), `"everythingSaveable"` (no recomputation: as without checkpoint).
   */
  readonly policy?: RematPolicy;
  /** The function's name in printed IR (default: `f.name`). */
  readonly name?: string;
}

const POLICIES: readonly RematPolicy[] = ["nothingSaveable", "dotsSaveable", "everythingSaveable"];

/**
 * `checkpoint(f)` computes what `f` computes, but under `grad` (and `vjp`, `valueAndGrad`) its
 * intermediates are not kept for the backward pass: they are recomputed from `f`'s inputs when
 * the backward pass reaches them. Peak memory of a deep network drops from all layers'
 * intermediates to their inputs plus one layer's intermediates, for about one more forward pass.
 * Works under `jit` (the recomputation is never merged back into the forward pass) and `vmap`.
 * Non-tensor arguments are static.
 * @example
 * const layer = checkpoint((x: Tensor<[64, 256]>, w: Tensor<[256, 256]>) => gelu(matmul(x, w)));
 * @typeParam F - The function's type, which the checkpointed function keeps.
 * @category Transforms
 */
export function checkpoint<F extends (...args: any[]) => any>(f: F, options: CheckpointOptions = {}): F {
  if (typeof f !== "function") throw new TypeError(`checkpoint: f must be a function, got ${showValue(f)}`);
  const opts = checkOptions("checkpoint", "options", options) as CheckpointOptions;
  const policy = checkName("checkpoint", "policy", opts.policy ?? "nothingSaveable", POLICIES);
  const name = opts.name ?? (f.name || "f");
  if (typeof name !== "string") throw new TypeError(`checkpoint: name must be a string, got ${showValue(name)}`);
  return ((...args: unknown[]) => {
    const a = splitArgs(args);
    let outDef: TreeDef | null = null;
    let outStatic: unknown[] = [];
    const closed = makeJaxprFlat((...xs: T[]) => {
      const [leaves, def] = flatten(f(...a.rebuild(xs)));
      outDef = def;
      outStatic = leaves.map((x) => (x instanceof Tensor ? null : x));
      return leaves.filter((x): x is T => x instanceof Tensor);
    }, a.tensors.map(avalOf));
    const outs = bind("checkpoint", [...closed.consts, ...a.tensors], { jaxpr: closed.jaxpr, numConsts: closed.consts.length, policy, name });
    let k = 0;
    return unflatten(outDef!, outStatic.map((s) => (s === null ? outs[k++] : s)));
  }) as F;
}
