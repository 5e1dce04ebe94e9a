/**
 * @file `customJvp` and `customVjp`: functions with their own derivative rules (JAX's `custom_jvp`
 * and `custom_vjp`). Each call traces the function (and the JVP rule) to jaxprs and binds one
 * `customJvpCall` / `customVjpCall` (primitives/custom-*.ts), whose rules carry the user's rules
 * through every transform; `jit` inlines them once compiled.
 */
import { makeJaxprFlat } from "../core/make-jaxpr.js";
import type { AnyTensor } from "../core/ops.js";
import { OpaqueFn } from "../core/primitive.js";
import { avalOf, bind } from "../core/trace.js";
import { flatten, unflatten, type TreeDef } from "../core/tree.js";
import { Tensor } from "../core/tensor.js";
import { showValue } from "../internal/check-args.js";
import { checkTree, splitArgs, tensorLeaves } from "./tree-args.js";

type T = AnyTensor;

/**
 * Options of `customJvp` and `customVjp`.
 * @category Transforms
 */
export interface CustomOptions {
  /** The function's name in printed IR and error messages (default: `f.name`). */
  readonly name?: string;
}

function nameOf(op: string, f: unknown, options: CustomOptions | undefined): string {
  if (typeof f !== "function") throw new TypeError(`${op}: f must be a function, got ${showValue(f)}`);
  const name = options?.name ?? (f.name || "f");
  if (typeof name !== "string") throw new TypeError(`${op}: name must be a string, got ${showValue(name)}`);
  return name;
}

function checkFunction(op: string, what: string, g: unknown): void {
  if (typeof g !== "function") throw new TypeError(`${op}: ${what} must be a function, got ${showValue(g)}`);
}

/** `f` traced on the tensors of `args`: its closed jaxpr and the structure of its result. */
function traceFun(what: string, f: (...args: any[]) => unknown, args: ReturnType<typeof splitArgs>) {
  if (args.tensors.length === 0) throw new TypeError(`${what}: needs at least one tensor argument`);
  let outDef: TreeDef | null = null;
  const closed = makeJaxprFlat((...xs: T[]) => {
    const [outs, def] = tensorLeaves(`${what}: the result`, f(...args.rebuild(xs)));
    outDef = def;
    return outs;
  }, args.tensors.map(avalOf));
  return { closed, outDef: outDef! as TreeDef };
}

/**
 * `customJvp(f, jvpRule)` is `f` with its forward-mode derivative given by
 * `jvpRule(primals, tangents) => [primalOut, tangentOut]` (arguments as tuples, tangents of the
 * same types as the primals, both results of `f`'s type). Reverse mode differentiates through the
 * rule, so `grad`, `grad∘grad`, `jit` and `vmap` all use it. Non-tensor arguments are static.
 * Functions must not close over values being differentiated (a `TraceError`): pass them in.
 * @example
 * // log(1 + eˣ) with the derivative σ(x), exact where the composite's overflows
 * const softplus = customJvp(
 *   (x: Tensor<[]>) => log1p(exp(x)),
 *   ([x], [dx]) => [log1p(exp(x)), mul(sigmoid(x), dx)],
 * );
 * @category Transforms
 */
export function customJvp<const A extends unknown[], R>(
  f: (...args: A) => R,
  jvpRule: (primals: NoInfer<A>, tangents: NoInfer<A>) => readonly [NoInfer<R>, NoInfer<R>],
  options?: CustomOptions,
): (...args: A) => R {
  const name = nameOf("customJvp", f, options);
  checkFunction(`customJvp(${name})`, "jvpRule", jvpRule);
  return ((...args: unknown[]) => {
    const a = splitArgs(args);
    const { closed, outDef } = traceFun(`customJvp(${name})`, f as never, a);
    const outAvals = closed.jaxpr.avalsOut;
    const n = a.tensors.length;
    const rule = makeJaxprFlat(
      (...pt: T[]) => {
        const result = jvpRule(a.rebuild(pt.slice(0, n)) as never, a.rebuild(pt.slice(n)) as never) as unknown;
        if (!Array.isArray(result) || result.length !== 2) {
          throw new TypeError(`customJvp(${name}): jvpRule must return [primalOut, tangentOut], got ${showValue(result)}`);
        }
        const po = checkTree(`customJvp(${name}): jvpRule's primal output`, result[0], outDef, outAvals);
        const to = checkTree(`customJvp(${name}): jvpRule's tangent output`, result[1], outDef, outAvals);
        return [...po, ...to];
      },
      [...a.tensors, ...a.tensors].map(avalOf),
    );
    const outs = bind("customJvpCall", [...closed.consts, ...rule.consts, ...a.tensors], {
      fun: closed.jaxpr,
      jvp: rule.jaxpr,
      numFunConsts: closed.consts.length,
      numJvpConsts: rule.consts.length,
      name,
    });
    return unflatten(outDef, outs);
  }) as never;
}

/**
 * `customVjp(f, fwd, bwd)` is `f` with its reverse-mode derivative given by `fwd(...args) =>
 * [out, residuals]` (run in the forward pass; `out` must equal `f(...args)`) and
 * `bwd(residuals, outCotangent) => [cotangent of each argument]`, of exactly the arguments'
 * types (a compile error otherwise, and a typed error naming the function at run time). Works
 * under `grad`, `jit` and `vmap`; forward mode (`jvp`, `jacfwd`) is a `TraceError`, as in JAX.
 * Non-tensor arguments are static (their cotangent is ignored: return `null`).
 * @example
 * // clip the gradient's norm to 1 on the way back, identity on the way forward
 * const clipGrad = customVjp(
 *   (x: Tensor<[3]>) => x,
 *   (x) => [x, null],
 *   (_res, g) => [div(g, maximum(1, sqrt(sum(mul(g, g)))))],
 * );
 * @category Transforms
 */
export function customVjp<const A extends unknown[], R, Res>(
  f: (...args: A) => R,
  fwd: (...args: NoInfer<A>) => readonly [NoInfer<R>, Res],
  bwd: (residuals: NoInfer<Res>, outCotangent: NoInfer<R>) => NoInfer<A>,
  options?: CustomOptions,
): (...args: A) => R {
  const name = nameOf("customVjp", f, options);
  checkFunction(`customVjp(${name})`, "fwd", fwd);
  checkFunction(`customVjp(${name})`, "bwd", bwd);
  return ((...args: unknown[]) => {
    const a = splitArgs(args);
    const { closed, outDef } = traceFun(`customVjp(${name})`, f as never, a);
    const outAvals = closed.jaxpr.avalsOut;
    const argDefs = args.map((x) => flatten(x));
    // Set by each run of fwd, read by the bwd that follows it.
    let resDef: TreeDef | null = null;
    let resStatic: unknown[] = [];
    const fwdFlat = (...xs: T[]): T[] => {
      const result = fwd(...(a.rebuild(xs) as never)) as unknown;
      if (!Array.isArray(result) || result.length !== 2) {
        throw new TypeError(`customVjp(${name}): fwd must return [output, residuals], got ${showValue(result)}`);
      }
      const outs = checkTree(`customVjp(${name}): fwd's output`, result[0], outDef, outAvals);
      const [resLeaves, def] = flatten(result[1]);
      resDef = def;
      resStatic = resLeaves.map((r) => (r instanceof Tensor ? null : r));
      return [...outs, ...resLeaves.filter((r): r is T => r instanceof Tensor)];
    };
    const bwdFlat = (res: readonly T[], cts: readonly T[]): T[] => {
      let k = 0;
      const residuals = unflatten(resDef!, resStatic.map((r) => (r === null ? res[k++] : r)));
      const result = bwd(residuals as never, unflatten(outDef, cts) as never) as unknown;
      if (!Array.isArray(result) || result.length !== args.length) {
        throw new TypeError(
          `customVjp(${name}): bwd must return an array of ${args.length} cotangent${args.length === 1 ? "" : "s"} (one per argument), got ${Array.isArray(result) ? `an array of length ${result.length}` : showValue(result)}`,
        );
      }
      return result.flatMap((ct, i) => {
        const [leaves, def] = argDefs[i];
        const tensors = leaves.filter((x): x is T => x instanceof Tensor);
        if (tensors.length === 0) return [];
        return checkTree(`customVjp(${name}): bwd's cotangent of argument ${i}`, ct, def, tensors.map(avalOf));
      });
    };
    const outs = bind("customVjpCall", [...closed.consts, ...a.tensors], {
      fun: closed.jaxpr,
      numConsts: closed.consts.length,
      fwd: new OpaqueFn(fwdFlat, `fwd(${name})`),
      bwd: new OpaqueFn(bwdFlat, `bwd(${name})`),
      name,
    });
    return unflatten(outDef, outs);
  }) as never;
}
