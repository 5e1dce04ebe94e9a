/**
 * @file Samplers: turn a key's random bits into values of a distribution. Every sampler is a pure
 * function of the key (same key, same values) and is traceable under `jit` and `vmap`, except
 * `permutation` and `choice` without replacement, which sort on the host.
 */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { ConcreteTensor } from "../core/concrete.js";
import { Tensor, TraceError } from "../core/tensor.js";
import { checkDType, INT32_MAX, INT32_MIN, isFloat, type FloatDType } from "../dtype.js";
import { DTypeError } from "../core/errors.js";
import { product } from "../shape/arith.js";
import type { Writable } from "../shape/dim.js";
import { randomBits, type Key } from "./key.js";
import { checkCountArg, checkKeyArg, checkSampler } from "./checks.js";
import { checkNaNOf } from "../primitives/check-nan.js";
import { checkBoolean, checkOptions } from "../internal/check-args.js";
import { ShapeError } from "../shape/errors.js";

type T = AnyTensor;

/** Uniform floats in [0, 1): 23 random mantissa bits for float32, 53 for float64. */
function unitUniform(k: Key, shape: readonly number[], dtype: FloatDType): T {
  if (dtype === "float32") {
    const bits = ops.shiftRightLogical(randomBits(k, shape), ops.filled(shape, 9, "int32"));
    return ops.mul(ops.cast(bits, "float32"), ops.filled(shape, 2 ** -23, "float32"));
  }
  const words = randomBits(k, [2, ...shape]);
  const word = (i: number) => ops.reshape(ops.slice(words, [i, ...shape.map(() => 0)], [i + 1, ...shape]), shape);
  const hi = ops.cast(ops.shiftRightLogical(word(0), ops.filled(shape, 5, "int32")), "float64");
  const lo = ops.cast(ops.shiftRightLogical(word(1), ops.filled(shape, 6, "int32")), "float64");
  return ops.mul(ops.add(ops.mul(hi, ops.filled(shape, 2 ** 26, "float64")), lo), ops.filled(shape, 2 ** -53, "float64"));
}

/**
 * Options of the float samplers.
 * @category Random
 */
export interface FloatOptions<D extends FloatDType> {
  /** The samples' dtype (default `"float32"`). */
  readonly dtype?: D;
}

/**
 * Uniform samples in `[minval, maxval)`.
 * @example
 * const u = random.uniform(random.key(0), [2, 3]); // Tensor<[2, 3]>
 * @category Random
 */
export function uniform<const S extends readonly number[], D extends FloatDType = "float32">(
  k: Key,
  shape: S,
  options: FloatOptions<D> & { readonly minval?: number; readonly maxval?: number } = {},
): Tensor<Writable<S>, D> {
  checkSampler("random.uniform", k, shape);
  const dtype = (options.dtype ?? "float32") as D;
  const lo = options.minval ?? 0;
  const hi = options.maxval ?? 1;
  checkDType("random.uniform", dtype);
  if (!isFloat(dtype)) throw new DTypeError(`random.uniform: dtype must be "float32" or "float64", got "${dtype}"`);
  // Infinite or NaN bounds would make every sample the clamp value below (±FLT_MAX or NaN), and
  // so would a width hi − lo that overflows the dtype: no distribution, so no samples.
  const width = dtype === "float32" ? Math.fround(hi - lo) : hi - lo;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo && Number.isFinite(width))) {
    throw new RangeError(`random.uniform: bounds must be finite with minval < maxval and a finite ${dtype} width, got minval ${lo}, maxval ${hi}`);
  }
  const u = unitUniform(k, shape, dtype);
  const scaled = ops.add(ops.mul(u, ops.filled(shape, hi - lo, dtype)), ops.filled(shape, lo, dtype));
  // Rounding can carry lo + (hi − lo)·u up to hi itself; keep the interval half-open.
  return ops.min(scaled, ops.filled(shape, nextBelow(hi, dtype), dtype)) as unknown as Tensor<Writable<S>, D>;
}

function nextBelow(x: number, dtype: FloatDType): number {
  if (dtype === "float64") return x - Math.abs(x) * Number.EPSILON || -Number.MIN_VALUE;
  const f = new Float32Array([x]);
  const bits = new Int32Array(f.buffer);
  if (x > 0) bits[0] -= 1;
  else if (x < 0) bits[0] += 1;
  else return -1.401298464324817e-45;
  return f[0];
}

/**
 * Standard normal samples, by the inverse CDF: √2 · erfinv(u) for u uniform in (−1, 1).
 * @category Random
 */
export function normal<const S extends readonly number[], D extends FloatDType = "float32">(
  k: Key,
  shape: S,
  options: FloatOptions<D> = {},
): Tensor<Writable<S>, D> {
  checkSampler("random.normal", k, shape);
  const dtype = (options.dtype ?? "float32") as D;
  const tiny = dtype === "float32" ? 2 ** -23 : 2 ** -52;
  const u = uniform(k, shape, { dtype, minval: -1 + tiny, maxval: 1 }) as unknown as T;
  return ops.mul(ops.filled(shape, Math.SQRT2, dtype), erfinv(u)) as unknown as Tensor<Writable<S>, D>;
}

/**
 * Normal samples truncated to `(lower, upper)` (in standard deviations; default ±2), by the
 * inverse CDF restricted to that interval.
 * @category Random
 */
export function truncatedNormal<const S extends readonly number[], D extends FloatDType = "float32">(
  k: Key,
  shape: S,
  options: FloatOptions<D> & { readonly lower?: number; readonly upper?: number } = {},
): Tensor<Writable<S>, D> {
  checkSampler("random.truncatedNormal", k, shape);
  const dtype = (options.dtype ?? "float32") as D;
  const lower = options.lower ?? -2;
  const upper = options.upper ?? 2;
  if (!(upper > lower)) throw new RangeError(`random.truncatedNormal: upper (${upper}) must exceed lower (${lower})`);
  const a = erfScalar(lower / Math.SQRT2);
  const b = erfScalar(upper / Math.SQRT2);
  const u = uniform(k, shape, { dtype, minval: a, maxval: b }) as unknown as T;
  const z = ops.mul(ops.filled(shape, Math.SQRT2, dtype), erfinv(u));
  // The approximations can land a hair outside: clamp into the open interval.
  return ops.max(ops.min(z, ops.filled(shape, upper, dtype)), ops.filled(shape, lower, dtype)) as unknown as Tensor<Writable<S>, D>;
}

/**
 * `true` with probability `p` (a number or a tensor broadcastable to `shape`).
 * @category Random
 */
export function bernoulli<const S extends readonly number[]>(k: Key, p: number, shape: S): Tensor<Writable<S>, "bool"> {
  checkSampler("random.bernoulli", k, shape);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`random.bernoulli: p must be in [0, 1], got ${p}`);
  const u = uniform(k, shape) as unknown as T;
  return ops.compare(u, ops.filled(shape, p, "float32"), "lt") as unknown as Tensor<Writable<S>, "bool">;
}

/**
 * Integers uniform in `[minval, maxval)`.
 * @category Random
 */
export function randint<const S extends readonly number[]>(k: Key, shape: S, minval: number, maxval: number): Tensor<Writable<S>, "int32"> {
  checkSampler("random.randint", k, shape);
  if (!Number.isInteger(minval) || !Number.isInteger(maxval) || maxval <= minval) {
    throw new RangeError(`random.randint: need integers minval < maxval, got ${minval}, ${maxval}`);
  }
  // Samples are int32: a bound past its range would be clamped to it when cast.
  if (minval < INT32_MIN || maxval > INT32_MAX + 1) {
    throw new RangeError(`random.randint: bounds ${minval}, ${maxval} exceed int32 (need ${INT32_MIN} ≤ minval < maxval ≤ 2^31)`);
  }
  const u = uniform(k, shape, { dtype: "float64" }) as unknown as T;
  const scaled = ops.add(ops.mul(u, ops.filled(shape, maxval - minval, "float64")), ops.filled(shape, minval, "float64"));
  // Floor, not the cast's truncation toward zero: truncating would map (minval, minval + 1) up
  // for negative values, so minval (when negative) would almost never appear and 0 twice as often.
  // scaled is in [minval, maxval) ⊂ [−2^31, 2^31), so the cast is exact and trunc − 1 cannot wrap.
  const truncated = ops.cast(scaled, "int32");
  const below = ops.compare(scaled, ops.cast(truncated, "float64"), "lt");
  return ops.sub(truncated, ops.cast(below, "int32")) as unknown as Tensor<Writable<S>, "int32">;
}

/**
 * Samples class indices from unnormalized log-probabilities along `axis` (default last) by the
 * Gumbel-max trick: argmax(logits + Gumbel noise). The result drops that axis. In checked mode
 * (the default) logits that make no distribution (a NaN, a +∞, or only −∞ along the axis) are a
 * `RangeError`, eagerly or when a jitted program runs; with `{ checked: false }` they go through
 * as in JAX (the argmax then picks the first NaN, the +∞, or index 0).
 * @category Random
 */
export function categorical<S extends readonly number[]>(
  k: Key,
  logits: Tensor<S, FloatDType>,
  axis = -1,
  options?: { readonly checked?: boolean },
): Tensor<number[], "int32"> {
  const op = "random.categorical";
  checkKeyArg(op, k);
  if (!(logits instanceof Tensor)) throw new TypeError(`${op}: logits must be a float tensor, got ${typeof logits} ${String(logits)}`);
  const x = logits as unknown as T;
  if (!isFloat(x.dtype)) throw new DTypeError(`${op}: logits must be float32 or float64, got ${x.dtype}`);
  if (!Number.isInteger(axis)) throw new RangeError(`${op}: axis must be an integer, got ${axis}`);
  const ax = axis < 0 ? axis + x.ndim : axis;
  if (!(ax >= 0 && ax < x.ndim)) throw new RangeError(`${op}: axis ${axis} out of range for rank ${x.ndim}`);
  if (x.shape[ax] === 0) throw new ShapeError(`${op}: logits [${x.shape.join(", ")}] have no category along axis ${axis}`);
  const checked = options === undefined ? true : checkBoolean(op, "options.checked", checkOptions(op, "options", options).checked ?? true);
  // A NaN logit first, at its own position (past it the maximum is NaN for the whole row).
  const logitsChecked = checked ? checkNaNOf(x, op, "logit") : x;
  return gumbelMax(op, "a logit minus the maximum along the axis (from a +∞ logit, or logits all −∞)", k, logitsChecked, ax, checked) as unknown as Tensor<number[], "int32">;
}

/**
 * argmax along `ax` of `x` + Gumbel noise. Gumbel-max is shift-invariant, so in checked mode the
 * logits are taken relative to their maximum, which is NaN exactly where they make no
 * distribution (NaN, +∞, or −∞ everywhere along the axis): a `RangeError` naming `op`, `what`.
 */
function gumbelMax(op: string, what: string, k: Key, x: T, ax: number, checked: boolean): T {
  const others = x.shape.map((_, i) => i).filter((i) => i !== ax);
  const relative = checked ? checkNaNOf(ops.sub(x, ops.broadcastInDim(ops.reduceMax(x, [ax]), x.shape, others)), op, what) : x;
  const dtype = x.dtype as FloatDType;
  const tiny = dtype === "float32" ? 1.1754943508222875e-38 : Number.MIN_VALUE;
  const u = uniform(k, x.shape, { dtype, minval: tiny, maxval: 1 }) as unknown as T;
  const gumbel = ops.neg(ops.log(ops.neg(ops.log(u))));
  return ops.argmax(ops.add(relative, gumbel), ax);
}

/**
 * A random permutation of `0 … n−1` (int32), by sorting random 32-bit keys (ties broken by
 * index). Runs on the host: the key must be concrete (not inside `jit`).
 * @category Random
 */
export function permutation<const N extends number>(k: Key, n: N): Tensor<[N], "int32"> {
  checkKeyArg("random.permutation", k);
  checkCountArg("random.permutation", "n", n);
  const bits = randomBits(k, [n]).concrete();
  if (bits === null) throw new TraceError("random.permutation sorts on the host; call it outside jit/vmap");
  const words = bits.storage;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((i, j) => (words[i] >>> 0) - (words[j] >>> 0) || i - j);
  return ConcreteTensor.fromValues(order, [n], "int32") as unknown as Tensor<[N], "int32">;
}

/**
 * `shape` draws from `0 … n−1`: uniformly with replacement (default), with probabilities `p`,
 * or without replacement (a prefix of a permutation; host only).
 * @category Random
 */
export function choice<const S extends readonly number[]>(
  k: Key,
  n: number,
  shape: S,
  options: { readonly replace?: boolean; readonly p?: Tensor<[number], FloatDType> } = {},
): Tensor<Writable<S>, "int32"> {
  checkSampler("random.choice", k, shape);
  const size = product(shape);
  checkCountArg("random.choice", "n", n, size === 0 ? 0 : 1);
  if (size === 0) return ops.full([...shape], 0, "int32") as unknown as Tensor<Writable<S>, "int32">;
  if (options.replace === false) {
    if (size > n) throw new RangeError(`random.choice: cannot take ${size} of ${n} without replacement`);
    const perm = permutation(k, n) as unknown as T;
    return ops.reshape(ops.slice(perm, [0], [size]), shape) as unknown as Tensor<Writable<S>, "int32">;
  }
  if (options.p !== undefined) {
    const p = options.p as unknown as T;
    if (!(p instanceof Tensor) || !isFloat(p.dtype) || p.ndim !== 1) throw new TypeError(`random.choice: p must be a float tensor [n] of probabilities, got ${p instanceof Tensor ? `${p.dtype}[${p.shape.join(", ")}]` : typeof p}`);
    if (p.shape[0] !== n) throw new RangeError(`random.choice: p has ${p.shape[0]} entries for n = ${n}`);
    const logits = ops.broadcastInDim(ops.log(p), [...shape, n], [shape.length]);
    const what = "log p minus its maximum (from a negative or NaN probability, or all zero)";
    return gumbelMax("random.choice", what, k, logits, shape.length, true) as unknown as Tensor<Writable<S>, "int32">;
  }
  return randint(k, shape, 0, n);
}


// ---- special functions (composites) ----

/**
 * erf⁻¹ by M. Giles' single-precision approximation ("Approximating the erfinv function", GPU
 * Computing Gems, 2010): relative error below 4e-7 on (−1, 1); two polynomial branches in
 * w = −log(1 − x²), selected elementwise.
 */
export function erfinv(x: T): T {
  const shape = x.shape;
  const dtype = x.dtype;
  const c = (v: number) => ops.filled(shape, v, dtype);
  const w = ops.neg(ops.log(ops.mul(ops.sub(c(1), x), ops.add(c(1), x))));
  const central = horner(ops.sub(w, c(2.5)), CENTRAL, c);
  const tail = horner(ops.sub(ops.sqrt(ops.max(w, c(5))), c(3)), TAIL, c);
  return ops.mul(ops.select(ops.compare(w, c(5), "lt"), central, tail), x);
}

const CENTRAL = [
  2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164,
  0.246640727, 1.50140941,
];
const TAIL = [
  -0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047,
  1.00167406, 2.83297682,
];

function horner(w: T, coefficients: readonly number[], c: (v: number) => T): T {
  let p = c(coefficients[0]);
  for (let i = 1; i < coefficients.length; i++) p = ops.add(c(coefficients[i]), ops.mul(p, w));
  return p;
}

/** erf of a JS number (Abramowitz & Stegun 7.1.26, |error| ≤ 1.5e-7), for distribution bounds. */
function erfScalar(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

