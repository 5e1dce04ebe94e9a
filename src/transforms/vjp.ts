/**
 * @file Reverse mode (Autodidax Part 3–4): `linearize` = JVP + partial evaluation, and
 * `vjp` = linearize + transposition. `grad` and `valueAndGrad` are thin wrappers over `vjpFlat`.
 * No primitive has a hand-written VJP.
 */
import { DTypeError } from "../core/errors.js";
import type { Jaxpr } from "../core/jaxpr.js";
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { UndefPrimal } from "../core/primitive.js";
import { avalOf } from "../core/trace.js";
import { Tensor, TraceError } from "../core/tensor.js";
import { flatten, flattenFun, unflatten, type TreeDef } from "../core/tree.js";
import { isFloat, type FloatDType } from "../dtype.js";
import { checkBoolean, checkOptions, checkPositions, checkPositionsShape, showValue } from "../internal/check-args.js";
import { ShapeError, showShape } from "../shape/errors.js";
import type { ShowShape } from "../shape/show.js";
import { evalJaxpr } from "../core/jaxpr.js";
import { jvpFlat } from "./jvp.js";
import { PartialVal, partialEvalFlat } from "./partial-eval.js";
import { backwardPass } from "./transpose.js";

type T = AnyTensor;

/** The primal outputs of `f` and the jaxpr of its linear map from input to output tangents. */
interface Linearized {
  readonly primalsOut: T[];
  /** Inputs: `consts`, then one tangent per primal input. Outputs: the first `numLinearOuts` output tangents. */
  readonly jaxpr: Jaxpr;
  readonly consts: T[];
}

/**
 * Linearizes `f` at `primals`: evaluates it and stages the tangent computation. Only the first
 * `numLinearOuts` outputs get a linear map (the rest, e.g. auxiliary data, are only evaluated).
 */
export function linearizeFlat(f: (...args: T[]) => T[], primals: readonly T[], numLinearOuts?: number): Linearized {
  const n = primals.length;
  let numOuts = 0;
  const fJvp = (...primalsAndTangents: T[]): T[] => {
    const [primalsOut, tangentsOut] = jvpFlat(f, primalsAndTangents.slice(0, n), primalsAndTangents.slice(n));
    numOuts = primalsOut.length;
    return [...primalsOut, ...tangentsOut.slice(0, numLinearOuts ?? tangentsOut.length)];
  };
  const pvalsIn = [...primals.map((p) => PartialVal.known(p)), ...primals.map((p) => PartialVal.unknown(avalOf(p)))];
  const { jaxpr, pvalsOut, consts } = partialEvalFlat(fJvp, pvalsIn, (i) => i >= numOuts);
  const primalsOut = pvalsOut.slice(0, numOuts).map((pval) => {
    if (pval.known === null) throw new TraceError("linearize: a primal output depends on the tangents");
    return pval.known;
  });
  return { primalsOut, jaxpr, consts };
}

/** Evaluates `f` at `primals`; returns its outputs and a function from output to input cotangents. */
export function vjpFlat(
  f: (...args: T[]) => T[],
  primals: readonly T[],
  numLinearOuts?: number,
): [T[], (cts: readonly T[]) => T[]] {
  const { primalsOut, jaxpr, consts } = linearizeFlat(f, primals, numLinearOuts);
  const args = [...consts, ...primals.map((p) => new UndefPrimal(avalOf(p)))];
  const fVjp = (cts: readonly T[]): T[] => backwardPass(jaxpr, args, cts).slice(consts.length) as T[];
  return [primalsOut, fVjp];
}

// ---- public API ----

/**
 * A scalar float tensor: what `grad` differentiates.
 * @category Transforms
 */
export type Scalar = Tensor<[], FloatDType>;

/**
 * Which arguments to differentiate: one index or a tuple of indices.
 * @category Transforms
 */
export type Argnums = number | readonly number[];

/**
 * The type of the gradient: the differentiated argument's type, or a tuple of them.
 * @category Transforms
 */
export type GradOf<P extends readonly unknown[], A> = A extends number
  ? P[A]
  : { -readonly [K in keyof A]: A[K] extends number ? P[A[K]] : never };

/**
 * Compile-time check that `f` returns a scalar float tensor, with a message naming what it returns.
 * @category Transforms
 */
export type ScalarOut<F, Aux extends boolean> = F extends (...args: never[]) => infer R
  ? Aux extends true
    ? R extends readonly [Scalar, unknown]
      ? unknown
      : "grad with hasAux: f must return [scalar loss, aux]"
    : R extends Scalar
      ? unknown
      : `grad: f must return a scalar float tensor (Tensor<[]>), but it returns ${R extends Tensor<infer S, infer D> ? `Tensor<${ShowShape<S>}, ${D}>` : "a non-tensor"}`
  : never;

/**
 * Options of `grad` and `valueAndGrad`.
 * @category Transforms
 */
export interface GradOptions<A extends Argnums, Aux extends boolean> {
  /** Which positional arguments to differentiate (default 0). */
  readonly argnums?: A;
  /** `f` returns `[loss, aux]`; aux is returned beside the gradient, undifferentiated. */
  readonly hasAux?: Aux;
}

type AnyFn = (...args: any[]) => any;

/**
 * `valueAndGrad(f)(...args)` is `[f(...args), ∇f]`: the value and the gradient with respect to
 * the `argnums` arguments, each a pytree of exactly the argument's type.
 * @example
 * const f = (x: Tensor<[3]>) => sum(mul(x, x));
 * const [value, g] = valueAndGrad(f)(tensor([1, 2, 3])); // g: Tensor<[3]>, equal to 2x
 * @category Transforms
 */
export function valueAndGrad<F extends AnyFn, const A extends Argnums = 0, Aux extends boolean = false>(
  f: F & ScalarOut<F, Aux>,
  options: GradOptions<A, Aux> = {},
): (...args: Parameters<F>) => Aux extends true
  ? [ReturnType<F>[0], GradOf<Parameters<F>, A>, ReturnType<F>[1]]
  : [ReturnType<F>, GradOf<Parameters<F>, A>] {
  return valueAndGradAs("valueAndGrad", f, options) as never;
}

/** `valueAndGrad` with its errors named `op` (`grad` reuses it). */
function valueAndGradAs(op: string, f: unknown, options: unknown): (...args: unknown[]) => unknown[] {
  if (typeof f !== "function") throw new TypeError(`${op}: f must be a function, got ${showValue(f)}`);
  const opts = checkOptions(op, "options", options) as GradOptions<Argnums, boolean>;
  const argnums = opts.argnums === undefined ? 0 : opts.argnums;
  checkPositionsShape(op, "argnums", argnums);
  const hasAux = checkBoolean(op, "hasAux", opts.hasAux === undefined ? false : opts.hasAux);
  return (...args: unknown[]) => {
    const positions = checkPositions(op, "argnums", argnums, args.length);
    const trees = positions.map((p) => flatten(args[p]));
    const leaves = trees.flatMap(([ls]) => ls).map((x) => differentiable(x, op));
    let auxDef: TreeDef | null = null;
    // Per aux leaf: null for a tensor (an output of the traced function), else the value itself,
    // returned as it came (turning it into a float32 scalar would make a string NaN).
    let auxStatic: unknown[] = [];
    const fFlat = (...flatLeaves: T[]): T[] => {
      const newArgs = args.slice();
      let k = 0;
      positions.forEach((p, j) => {
        const [ls, def] = trees[j];
        newArgs[p] = unflatten(def, flatLeaves.slice(k, k + ls.length));
        k += ls.length;
      });
      const out = (f as AnyFn)(...newArgs);
      if (hasAux && !(Array.isArray(out) && out.length === 2)) {
        throw new TypeError(`${op}: with hasAux, f must return a pair [output, aux], but it returned ${describe(out)}`);
      }
      const loss = hasAux ? out[0] : out;
      checkScalar(loss, op);
      if (!hasAux) return [loss];
      const [auxLeaves, def] = flatten(out[1]);
      auxDef = def;
      auxStatic = auxLeaves.map((a) => (a instanceof Tensor ? null : a));
      return [loss, ...auxLeaves.filter((a): a is T => a instanceof Tensor)];
    };
    const [outs, fVjp] = vjpFlat(fFlat, leaves, 1);
    const loss = outs[0];
    const cts = fVjp([ops.full([], 1, loss.dtype)]);
    let k = 0;
    const grads = trees.map(([ls, def]) => {
      const g = unflatten(def, cts.slice(k, k + ls.length));
      k += ls.length;
      return g;
    });
    const g = typeof argnums === "number" ? grads[0] : grads;
    if (!hasAux) return [loss, g];
    let j = 1;
    return [loss, g, unflatten(auxDef!, auxStatic.map((a) => (a === null ? outs[j++] : a)))];
  };
}

/**
 * `grad(f)` is the gradient of a scalar-valued `f` with respect to argument 0 (or `argnums`):
 * a function returning a pytree of exactly the argument's type and shapes.
 * @example
 * const df = grad((x: Tensor<[]>) => mul(x, mul(x, x))); // d/dx x³ = 3x²
 * df(tensor(2)).item(); // 12
 * @category Transforms
 */
export function grad<F extends AnyFn, const A extends Argnums = 0, Aux extends boolean = false>(
  f: F & ScalarOut<F, Aux>,
  options: GradOptions<A, Aux> = {},
): (...args: Parameters<F>) => Aux extends true ? [GradOf<Parameters<F>, A>, ReturnType<F>[1]] : GradOf<Parameters<F>, A> {
  const vg = valueAndGradAs("grad", f, options);
  return ((...args: unknown[]) => {
    const out = vg(...args);
    return options?.hasAux ? [out[1], out[2]] : out[1];
  }) as never;
}

/**
 * `vjp(f, ...primals)` evaluates `f` and returns `[out, pullback]`, where `pullback(ct)` maps a
 * cotangent of the output (same tree and shapes as `out`) to a tuple of cotangents of the inputs.
 * @category Transforms
 */
export function vjp<P extends unknown[], R>(
  f: (...args: P) => R,
  ...primals: P
): [R, (ct: R) => P] {
  const [leaves, inDef] = flatten(primals);
  const { fFlat, outDef } = flattenFun<P, T>(f, inDef);
  const [outs, fVjp] = vjpFlat(fFlat, leaves.map((x) => differentiable(x, "vjp")));
  const pullback = (ct: R): P => {
    const [ctLeaves, def] = flatten(ct);
    if (!def.equals(outDef())) throw new TypeError(`vjp: cotangent structure ${def} differs from output structure ${outDef()}`);
    ctLeaves.forEach((ct, i) => checkCotangent(ct, outs[i], i));
    return unflatten<P>(inDef, fVjp(ctLeaves as T[]));
  };
  return [unflatten<R>(outDef(), outs), pullback];
}

/**
 * `linearize(f, ...primals)` evaluates `f` and returns `[out, fLin]`, where `fLin(...tangents)`
 * is the JVP at `primals` as a staged linear function (cheap to call many times).
 * @category Transforms
 */
export function linearize<P extends unknown[], R>(
  f: (...args: P) => R,
  ...primals: P
): [R, (...tangents: P) => R] {
  const [leaves, inDef] = flatten(primals);
  const { fFlat, outDef } = flattenFun<P, T>(f, inDef);
  const { primalsOut, jaxpr, consts } = linearizeFlat(fFlat, leaves.map((x) => differentiable(x, "linearize")));
  const fLin = (...tangents: P): R => {
    const [tLeaves, def] = flatten(tangents);
    if (!def.equals(inDef)) throw new TypeError(`linearize: tangent structure ${def} differs from input structure ${inDef}`);
    return unflatten<R>(outDef(), evalJaxpr(jaxpr, [...consts, ...(tLeaves as T[])]));
  };
  return [unflatten<R>(outDef(), primalsOut), fLin];
}

function differentiable(x: unknown, op = "grad"): T {
  if (!(x instanceof Tensor)) {
    throw new TypeError(`${op}: differentiated arguments must hold tensors, got ${typeof x}; wrap numbers with tensor(…)`);
  }
  if (!isFloat(x.dtype)) {
    throw new DTypeError(`${op}: can only differentiate with respect to float tensors, got ${x.dtype}`);
  }
  return x as T;
}

/** What a value is, for messages: a tensor's dtype and shape, an array's length, else its type. */
function describe(x: unknown): string {
  if (x instanceof Tensor) return `a ${x.dtype} tensor of shape ${showShape(x.shape)}`;
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return `${typeof x} ${showValue(x)}`;
}

function checkScalar(out: unknown, op: string): void {
  if (!(out instanceof Tensor) || out.ndim !== 0) {
    const what = out instanceof Tensor ? `a tensor of shape ${showShape(out.shape)}` : typeof out;
    throw new ShapeError(`${op}: f must return a scalar tensor, but it returned ${what}`);
  }
  if (!isFloat(out.dtype)) throw new DTypeError(`${op}: f must return a float scalar, got ${out.dtype}`);
}

/** A cotangent must be a tensor of its output's shape and dtype (else the pullback fails deep inside some op). */
function checkCotangent(ct: unknown, out: T, i: number): void {
  if (!(ct instanceof Tensor)) throw new TypeError(`vjp: cotangent ${i} must be a tensor like output ${i} (${out.dtype}${showShape(out.shape)}), got ${describe(ct)}`);
  const same = ct.ndim === out.ndim && ct.shape.every((d, k) => d === out.shape[k]);
  if (!same) throw new ShapeError(`vjp: cotangent ${i} has shape ${showShape(ct.shape)}, expected ${showShape(out.shape)} (the shape of output ${i})`);
  if (ct.dtype !== out.dtype) throw new DTypeError(`vjp: cotangent ${i} has dtype ${ct.dtype}, expected ${out.dtype} (the dtype of output ${i})`);
}
