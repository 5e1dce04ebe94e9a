/**
 * @file Creating tensors: from nested literals (`tensor`), filled (`zeros`, `ones`, `full`), ranges
 * (`arange`, `linspace`), `eye`, and from untyped data with a checked shape spec (`fromArray`,
 * the one creation function that returns an fp-ts `Either` instead of throwing). Literal shapes
 * are inferred with `const` type parameters: `zeros([32, 784])` is a `Tensor<[32, 784]>`.
 */
import { left, right, type Either } from "fp-ts/lib/Either.js";
import { product } from "../shape/arith.js";
import { allocate, checkCount, checkDType, checkFloat32, checkInt32, FLOAT32_MAX, INT32_MAX, INT32_MIN, type DType } from "../dtype.js";
import type { Tensor } from "../core/tensor.js";
import * as core from "../core/ops.js";
import type { Abs, CeilDiv, Compare, IsNatural, IsNegative, Sub } from "../shape/arith.js";
import type { Dim, Writable } from "../shape/dim.js";
import { assertShape } from "../shape/dim.js";
import { ShapeError, showShape } from "../shape/errors.js";
import type { ShowShape } from "../shape/show.js";
import type { Checked } from "./operand.js";

// ---- nested literals ----

/**
 * Nested JS arrays of numbers or booleans, any depth.
 * @category Creation
 */
export type NestedArray = readonly (number | boolean | NestedArray)[];

/**
 * The shape of a nested array literal, read along its first elements: `[[1, 2], [3, 4]]` → `[2, 2]`.
 * @category Creation
 */
export type NestedShape<V, Acc extends number[] = []> = Acc["length"] extends 12
  ? number[]
  : V extends readonly unknown[]
    ? NestedShape<V[0], [...Acc, V["length"]]>
    : Acc;

type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

type RowsCheck<Op extends string, Rows, S0 extends number[], Path extends string, Idx extends 0[] = []> = Rows extends readonly [
  infer H,
  ...infer R,
]
  ? SameShape<NestedShape<H>, S0> extends true
    ? RaggedCheck<Op, H, `${Path}[${Idx["length"]}]`> extends infer C
      ? C extends true
        ? RowsCheck<Op, R, S0, Path, [...Idx, 0]>
        : C
      : never
    : `${Op}: ragged nested array: element ${Path}[${Idx["length"]}] has shape ${ShowShape<NestedShape<H>>}, expected ${ShowShape<S0>}`
  : true;

/**
 * `true` when every row of a nested literal has the same shape, else a message naming the first bad element.
 * @category Creation
 */
export type RaggedCheck<Op extends string, V, Path extends string = ""> = V extends readonly unknown[]
  ? RowsCheck<Op, V, NestedShape<V[0]>, Path>
  : true;

/** The leaf types of a nested array (depth-limited, so the recursive constraint type itself stays finite). */
type Leaves<V, Depth extends 0[] = []> = Depth["length"] extends 12
  ? number
  : V extends readonly (infer E)[]
    ? Leaves<E, [...Depth, 0]>
    : V;

/**
 * `bool` for nested booleans, else `float32`.
 * @category Creation
 */
export type LiteralDType<V> = [Leaves<V>] extends [never] ? "float32" : [Leaves<V>] extends [boolean] ? "bool" : "float32";

interface Parsed {
  shape: number[];
  flat: number[];
  allBool: boolean;
}

/**
 * Reads nested arrays: their shape (first elements), row-major values; throws on ragged rows or non-numbers.
 * @category Creation
 */
export function parseNested(op: string, values: unknown): Parsed {
  const shapeOf = (v: unknown): number[] => {
    const s: number[] = [];
    while (Array.isArray(v)) {
      s.push(v.length);
      v = v[0];
    }
    return s;
  };
  const flat: number[] = [];
  let allBool = true;
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) {
      const s0 = shapeOf(v[0]);
      v.forEach((row, i) => {
        const si = shapeOf(row);
        if (si.length !== s0.length || si.some((d, k) => d !== s0[k])) {
          throw new ShapeError(`${op}: ragged nested array: element ${path}[${i}] has shape ${showShape(si)}, expected ${showShape(s0)}`);
        }
        walk(row, `${path}[${i}]`);
      });
    } else if (typeof v === "boolean") {
      flat.push(v ? 1 : 0);
    } else if (typeof v === "number") {
      allBool = false;
      flat.push(v);
    } else {
      throw new ShapeError(`${op}: element ${path} is not a number (${typeof v})`);
    }
  };
  walk(values, "");
  if (flat.length === 0) allBool = false;
  return { shape: shapeOf(values), flat, allBool };
}

/**
 * A tensor from a nested array literal; the shape is read from the literal and ragged rows are a
 * compile error (and a `ShapeError` at run time). Booleans give `bool`, numbers `float32`.
 * With `dtype` `"int32"`, a fraction or a value outside int32 is a `RangeError` naming its index
 * (it is never truncated or wrapped); an unknown dtype name is a `DTypeError`.
 * @example
 * const x = tensor([[1, 2], [3, 4]]); // Tensor<[2, 2]>
 * @category Creation
 */
export function tensor<const V extends number | boolean | NestedArray, D extends DType = LiteralDType<V>>(
  values: Checked<RaggedCheck<"tensor", V>, V>,
  dtype?: D,
): Tensor<NestedShape<V>, D> {
  if (dtype !== undefined) checkDType("tensor", dtype);
  const { shape, flat, allBool } = parseNested("tensor", values);
  const dt = dtype ?? (allBool ? "bool" : "float32");
  if (dt === "int32") flat.forEach((v, i) => checkInt32("tensor", v, i));
  if (dt === "float32") flat.forEach((v, i) => checkFloat32("tensor", v, i));
  return core.fromValues(flat, shape, dt) as never;
}

// ---- filled ----

type CheckDims<S, S0 extends readonly number[], Op extends string> = S extends readonly [infer H extends number, ...infer R]
  ? number extends H
    ? CheckDims<R, S0, Op>
    : IsNatural<H> extends true
      ? CheckDims<R, S0, Op>
      : `${Op}: invalid dim ${H} in shape ${ShowShape<S0>} (dims are non-negative integers)`
  : true;

/**
 * `true` when every literal dim of a creation shape is a non-negative integer, else the `ShapeError` text.
 * @category Creation
 */
export type ShapeCheck<S extends readonly number[], Op extends string> = CheckDims<S, S, Op>;

/**
 * A tensor of `shape` filled with zeros.
 * @example
 * const w = zeros([784, 128]); // Tensor<[784, 128]>
 * @category Creation
 */
export function zeros<const S extends readonly number[], D extends DType = "float32">(
  shape: Checked<ShapeCheck<S, "zeros">, S>,
  dtype?: D,
): Tensor<Writable<S>, D> {
  return filled("zeros", shape as S, 0, dtype);
}

/**
 * A tensor of `shape` filled with ones.
 * @example
 * const b = ones([128]); // Tensor<[128]>
 * @category Creation
 */
export function ones<const S extends readonly number[], D extends DType = "float32">(
  shape: Checked<ShapeCheck<S, "ones">, S>,
  dtype?: D,
): Tensor<Writable<S>, D> {
  return filled("ones", shape as S, 1, dtype);
}

/**
 * A tensor of `shape` filled with `value`. For `"int32"`, a `value` that is not an integer in
 * int32 range is a `RangeError` (never truncated or wrapped).
 * @example
 * const t = full([2, 3], 7, "int32"); // Tensor<[2, 3], "int32">
 * @category Creation
 */
export function full<const S extends readonly number[], D extends DType = "float32">(
  shape: Checked<ShapeCheck<S, "full">, S>,
  value: number,
  dtype?: D,
): Tensor<Writable<S>, D> {
  return filled("full", shape as S, value, dtype);
}

function filled<S extends readonly number[], D extends DType>(op: string, shape: S, value: number, dtype?: D): Tensor<Writable<S>, D> {
  if (dtype !== undefined) checkDType(op, dtype);
  assertShape(op, shape);
  checkCount(op, product(shape));
  if (dtype === "int32") checkInt32(op, value);
  if ((dtype ?? "float32") === "float32") checkFloat32(op, value);
  return core.full(shape, value, dtype ?? "float32") as never;
}

// ---- ranges ----

/**
 * The length of `arange(start, stop, step)`: a literal for non-negative integer bounds and an
 * integer step, else `number`.
 * @category Creation
 */
export type ArangeLen<A extends number, B extends number, St extends number> =
  IsNatural<A> extends true
    ? IsNatural<B> extends true
      ? IsNegative<St> extends true
        ? IsNatural<Abs<St>> extends true
          ? Compare<A, B> extends "gt"
            ? CeilDiv<Sub<A, B>, Abs<St>>
            : 0
          : number
        : IsNatural<St> extends true
          ? Compare<B, A> extends "gt"
            ? CeilDiv<Sub<B, A>, St>
            : 0
          : number
      : number
    : number;

type StepArg<St extends number> = St extends 0 ? "arange: step must not be zero" : St;

/**
 * Evenly spaced values `[0, stop)` or `[start, stop)` by `step` (float32), like NumPy's `arange`.
 * @example
 * const r = arange(5); // Tensor<[5]>: [0, 1, 2, 3, 4]
 * const s = arange(2, 10, 3); // Tensor<[3]>: [2, 5, 8]
 * @category Creation
 */
export function arange<const N extends number>(stop: N): Tensor<[ArangeLen<0, N, 1>]>;
export function arange<const A extends number, const B extends number, const St extends number = 1>(
  start: A,
  stop: B,
  step?: StepArg<St>,
): Tensor<[ArangeLen<A, B, St>]>;
export function arange(a: number, b?: number, step?: number): Tensor<[number]> {
  const [start, stop] = b === undefined ? [0, a] : [a, b];
  const st = step ?? 1;
  if (st === 0) throw new ShapeError("arange: step must not be zero");
  if (!(Number.isFinite(start) && Number.isFinite(stop) && Number.isFinite(st))) {
    throw new RangeError(`arange: start, stop and step must be finite, got ${start}, ${stop}, ${st}`);
  }
  const n = Math.max(0, Math.ceil((stop - start) / st));
  checkCount("arange", n);
  // Straight into float32 storage: a number[] of the same length costs ~4x the memory.
  const values = allocate("float32", n, false);
  for (let i = 0; i < n; i++) values[i] = start + i * st;
  return core.fromStorage(values, [n], "float32") as never;
}

/**
 * `n` evenly spaced values from `start` to `stop` inclusive.
 * @example
 * const t = linspace(0, 1, 5); // Tensor<[5]>: [0, 0.25, 0.5, 0.75, 1]
 * @category Creation
 */
export function linspace<const N extends number, D extends DType = "float32">(start: number, stop: number, n: N, dtype?: D): Tensor<[N], D> {
  if (dtype !== undefined) checkDType("linspace", dtype);
  assertShape("linspace", [n]);
  checkCount("linspace", n);
  const step = n > 1 ? (stop - start) / (n - 1) : 0;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = i === n - 1 && n > 1 ? stop : start + i * step;
  if (dtype === "int32") values.forEach((v, i) => checkInt32("linspace", v, i));
  if ((dtype ?? "float32") === "float32") values.forEach((v, i) => checkFloat32("linspace", v, i));
  return core.fromValues(values, [n], dtype ?? "float32") as never;
}

/**
 * The `n × m` identity matrix (`m` defaults to `n`).
 * @example
 * const i = eye(3); // Tensor<[3, 3]>
 * @category Creation
 */
export function eye<const N extends number, const M extends number = N, D extends DType = "float32">(
  n: N,
  m?: M,
  dtype?: D,
): Tensor<[N, M], D> {
  const cols = m ?? n;
  if (dtype !== undefined) checkDType("eye", dtype);
  assertShape("eye", [n, cols]);
  checkCount("eye", n * cols);
  // Zeroed storage of the dtype itself, with the diagonal set: no n·m JS array in between.
  const dt = dtype ?? "float32";
  const values = allocate(dt, n * cols);
  for (let i = 0; i < Math.min(n, cols); i++) values[i * cols + i] = 1;
  return core.fromStorage(values, [n, cols], dt) as never;
}

// ---- untyped data ----

/**
 * Data `fromArray` accepts: flat or nested JS arrays, or typed arrays.
 * @category Creation
 */
export type ArrayData = NestedArray | ArrayLike<number>;

/**
 * The dtype `fromArray` picks for its data: `float64` for a `Float64Array`, `int32` for an `Int32Array`, else `float32`.
 * @category Creation
 */
export type DefaultDType<Data> = Data extends Float64Array ? "float64" : Data extends Int32Array ? "int32" : "float32";

/** A message when `data` is not an array or array-like with a valid length, else `null`. */
function checkArrayLike(data: unknown): string | null {
  if (typeof data !== "object" || data === null) return `fromArray: expected an array or typed array, got ${showValue(data)}`;
  const n = (data as { length?: unknown }).length;
  if (!(typeof n === "number" && Number.isSafeInteger(n) && n >= 0)) {
    return `fromArray: expected an array or typed array, got ${showValue(data)} (its length is ${showValue(n)})`;
  }
  return null;
}

function isNumericTypedArray(data: unknown): boolean {
  return ArrayBuffer.isView(data) && !(data instanceof DataView) && !(data instanceof BigInt64Array) && !(data instanceof BigUint64Array);
}

/** A short description of an untyped value for messages: its type and, when short, the value. */
function showValue(v: unknown): string {
  switch (typeof v) {
    case "string":
      return `string ${JSON.stringify(v)}`;
    case "bigint":
      return `bigint ${v}n`;
    case "object":
      if (v === null) return "null";
      if (Array.isArray(v)) return `array of length ${v.length}`;
      return `object of class ${Object.getPrototypeOf(v)?.constructor?.name ?? "null-prototype"}`;
    case "function":
    case "symbol":
      return typeof v;
    default:
      return `${typeof v} ${String(v)}`;
  }
}

function defaultDType(data: unknown): DType {
  return data instanceof Float64Array ? "float64" : data instanceof Int32Array ? "int32" : "float32";
}

function showSpec(spec: readonly Dim[]): string {
  return `[${spec.join(", ")}]`;
}

/**
 * The runtime check behind `fromArray`: the concrete shape `data` has under `spec`, or a message.
 * Nested data has its own shape, checked against the spec; flat data is laid out in the spec,
 * with at most one distinct name (or none) left to infer from the element count.
 */
function resolveShape(spec: readonly Dim[], actual: number[] | null, count: number): number[] | string {
  for (const d of spec) {
    if (typeof d === "number" && !(Number.isSafeInteger(d) && d >= 0)) {
      return `fromArray: invalid dim ${d} in shape ${showSpec(spec)} (dims are non-negative integers)`;
    }
  }
  if (actual !== null) {
    if (actual.length !== spec.length) {
      return `fromArray: data of shape ${showShape(actual)} does not have rank ${spec.length} (shape ${showSpec(spec)})`;
    }
    const bound = new Map<string, [number, number]>();
    for (let i = 0; i < spec.length; i++) {
      const d = spec[i];
      if (typeof d === "number") {
        if (d !== actual[i]) return `fromArray: dim ${i} is ${actual[i]}, expected ${d} (shape ${showSpec(spec)})`;
      } else {
        const b = bound.get(d);
        if (b === undefined) bound.set(d, [actual[i], i]);
        else if (b[0] !== actual[i]) return `fromArray: dim ${i} is ${actual[i]}, but ${d} is ${b[0]} (dim ${b[1]})`;
      }
    }
    return actual;
  }
  const names = [...new Set(spec.filter((d): d is string => typeof d === "string"))];
  const known = spec.reduce<number>((p, d) => (typeof d === "number" ? p * d : p), 1);
  if (names.length === 0) {
    if (known !== count) return `fromArray: ${count} elements do not fit shape ${showSpec(spec)} (${known} elements)`;
    return spec as number[];
  }
  if (names.length > 1) {
    return `fromArray: cannot infer ${names.length} named dims (${names.join(", ")}) from ${count} flat elements; pass nested arrays`;
  }
  const k = spec.filter((d) => d === names[0]).length;
  const n = known === 0 ? NaN : Math.round(Math.pow(count / known, 1 / k));
  if (!(Number.isFinite(n) && Math.pow(n, k) * known === count)) {
    return `fromArray: ${count} elements do not fit shape ${showSpec(spec)}`;
  }
  return spec.map((d) => (typeof d === "number" ? d : n));
}

/**
 * A tensor from untyped data checked against a shape spec, as an fp-ts `Either`: the one place
 * where data from outside meets the types. Spec dims may be literals (must match), `number`
 * (anything) or names (the same name must have the same size everywhere). Data may be nested
 * arrays (their shape is checked) or flat arrays / typed arrays (laid out in the spec; one name
 * may be inferred from the element count). NaN is allowed in float data; int32 data must hold
 * integers in int32 range (never truncated or wrapped) and bool data booleans or 0/1. Data that
 * is not an array-like of numbers, including `null` and `undefined`, is a `Left` too; an unknown
 * dtype name is a programming error and throws a `DTypeError`.
 * @example
 * const r = fromArray(new Float32Array(64 * 784), ["batch", 784]); // Either<ShapeError, Tensor<["batch", 784]>>
 * @category Creation
 */
export function fromArray<const S extends Dim[], Data extends ArrayData, D extends DType = DefaultDType<Data>>(
  data: Data,
  shape: S,
  dtype?: D,
): Either<ShapeError, Tensor<S, D>> {
  if (dtype !== undefined) checkDType("fromArray", dtype);
  const dt = dtype ?? defaultDType(data);
  const notData = checkArrayLike(data);
  if (notData !== null) return left(new ShapeError(notData));
  let flat: ArrayLike<number>;
  let actual: number[] | null = null;
  if (Array.isArray(data) && data.some((v) => Array.isArray(v))) {
    try {
      const p = parseNested("fromArray", data);
      flat = p.flat;
      actual = p.shape;
    } catch (e) {
      if (e instanceof ShapeError) return left(e);
      throw e;
    }
  } else {
    flat = Array.isArray(data) ? data.map((v) => (typeof v === "boolean" ? (v ? 1 : 0) : v)) : (data as ArrayLike<number>);
    if (Array.isArray(data)) {
      const bad = data.findIndex((v) => typeof v !== "number" && typeof v !== "boolean");
      if (bad >= 0) return left(new ShapeError(`fromArray: element [${bad}] is not a number (${showValue(data[bad])})`));
    } else if (!isNumericTypedArray(data)) {
      // A plain array-like object can hold anything; typed arrays (but BigInt ones) hold numbers.
      const like = data as ArrayLike<unknown>;
      for (let i = 0; i < like.length; i++) {
        if (typeof like[i] !== "number") return left(new ShapeError(`fromArray: element [${i}] is not a number (${showValue(like[i])})`));
      }
    }
  }
  const resolved = resolveShape(shape, actual, flat.length);
  if (typeof resolved === "string") return left(new ShapeError(resolved));
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (dt === "int32" && !(Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX)) {
      // Stored as is, 2^40 would wrap modulo 2^32 and 1.5 truncate: both silently wrong.
      const why = Number.isInteger(v) ? `: out of int32 range [${INT32_MIN}, ${INT32_MAX}]` : "";
      return left(new ShapeError(`fromArray: element ${i} (${v}) is not a valid int32 value${why}`));
    }
    if (dt === "float32" && Number.isFinite(v) && !Number.isFinite(Math.fround(v))) {
      // Stored as is, it would become ±Infinity.
      return left(new ShapeError(`fromArray: element ${i} (${v}) overflows float32 (largest finite ${FLOAT32_MAX})`));
    }
    if (dt === "bool" && v !== 0 && v !== 1) {
      return left(new ShapeError(`fromArray: element ${i} (${v}) is not a valid ${dt} value`));
    }
  }
  return right(core.fromValues(flat, resolved, dt) as never);
}
