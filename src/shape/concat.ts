/**
 * @file Joining tensors, twice: `Concat<Ss, Ax, Op>` / `Stack<Ss, Ax, Op>` at the type level and
 * `concatShape` / `stackShape` at run time, with the same error text. `concat` joins along an
 * existing axis (the other dims must match); `stack` adds a new axis (all shapes must match).
 */
import type { Add } from "./arith.js";
import type { Dim, DimMatch, IsTuple, MergeDim, Shape } from "./dim.js";
import { assertShape } from "./dim.js";
import { ShapeError, showShape } from "./errors.js";
import type { AxisError, NormalizeAxis } from "./axis.js";
import { normalizeAxis } from "./axis.js";
import type { ShowDim, ShowShape } from "./show.js";

/**
 * The sum of two dims joined by `concat`: a literal for literals, else `number` (left unevaluated,
 * as `SumDim<T, T>`, for a type-parameter dim).
 * @category Shape algebra
 */
export type SumDim<A, B> = A extends number ? (B extends number ? Add<A, B> : number) : number;

/**
 * Compares shape `S` with the running result `Acc` (started from the first shape `S0`): every dim
 * but `Ax` must match; the `Ax` dims add up. Returns the new running result or an error message.
 */
type JoinOne<S0 extends Shape, SFull extends Shape, S, Acc, Ax, Op extends string, Idx extends 0[] = [], Out extends Dim[] = []> =
  Acc extends readonly [infer a, ...infer AR]
    ? S extends readonly [infer s, ...infer SR]
      ? Idx["length"] extends Ax
        ? JoinOne<S0, SFull, SR, AR, Ax, Op, [...Idx, 0], [...Out, SumDim<a, s>]>
        : DimMatch<a, s> extends true
          ? JoinOne<S0, SFull, SR, AR, Ax, Op, [...Idx, 0], [...Out, MergeDim<a, s> & Dim]>
          : `${Op}: dim ${Idx["length"]} differs: ${ShowDim<a>} vs ${ShowDim<s>} (shapes ${ShowShape<S0>} and ${ShowShape<SFull>})`
      : never
    : Out;

type ConcatList<Ss, S0 extends Shape, Acc, Ax, Op extends string> = Ss extends readonly [infer S extends Shape, ...infer R]
  ? S["length"] extends S0["length"]
    ? JoinOne<S0, S, S, Acc, Ax, Op> extends infer Next
      ? Next extends string
        ? Next
        : ConcatList<R, S0, Next, Ax, Op>
      : never
    : `${Op}: rank differs: ${S0["length"]} vs ${S["length"]} (shapes ${ShowShape<S0>} and ${ShowShape<S>})`
  : Acc;

type ConcatTuple<Ss extends readonly Shape[], Ax, Op extends string> = Ss extends readonly [
  infer S0 extends Shape,
  ...infer R,
]
  ? IsTuple<S0> extends true
    ? NormalizeAxis<Ax, S0["length"]> extends [infer n]
      ? number extends n
        ? { -readonly [K in keyof S0]: number }
        : ConcatList<R, S0, S0, n, Op>
      : AxisError<Op, Ax, S0>
    : number[]
  : `${Op}: needs at least one tensor`;

/**
 * The shape of joining shapes `Ss` along axis `Ax`, or an error message: `Concat<[[600, 784],
 * [59400, 784]], 0>` is `[60000, 784]`, and `Concat<[[32, 28], [16, 28]], 1>` is
 * `"concat: dim 0 differs: 32 vs 16 (shapes [32, 28] and [16, 28])"`. With a list of unknown length
 * the joined dim is `number`.
 * @category Shape algebra
 */
export type Concat<Ss extends readonly Shape[], Ax extends number = 0, Op extends string = "concat"> =
  ConcatShape<Ss, Ax, Op> extends infer R ? R : never;

type ConcatShape<Ss extends readonly Shape[], Ax extends number = 0, Op extends string = "concat"> =
  number extends Ss["length"]
    ? Ss extends readonly (infer S extends Shape)[]
      ? NormalizeAxis<Ax, S["length"]> extends [infer n]
        ? { -readonly [K in keyof S]: K extends `${n & number}` ? number : S[K] }
        : AxisError<Op, Ax, S>
      : never
    : ConcatTuple<Ss, Ax, Op>;

type StackCheck<Ss, S0 extends Shape, Op extends string> = Ss extends readonly [infer S extends Shape, ...infer R]
  ? S["length"] extends S0["length"]
    ? JoinOne<S0, S, S, S0, -1, Op> extends infer Next
      ? Next extends string
        ? Next
        : StackCheck<R, S0, Op>
      : never
    : `${Op}: rank differs: ${S0["length"]} vs ${S["length"]} (shapes ${ShowShape<S0>} and ${ShowShape<S>})`
  : true;

// Written with unconstrained `infer` only: a test such as `S extends readonly Dim[]` cannot be
// decided for a tuple holding a type-parameter dim (`[B, 128]`), and would leave `stack` unevaluated.
type Insert<S, At, D, Idx extends 0[] = [], Out extends unknown[] = []> = Idx["length"] extends At
  ? S extends readonly [...infer R]
    ? [...Out, D, ...R]
    : [...Out, D]
  : S extends readonly [infer H, ...infer R]
    ? Insert<R, At, D, [...Idx, 0], [...Out, H]>
    : [...Out, D];

/**
 * Inserts dim `D` at position `At` of `S` (used by `stack` and `expandDims`).
 * @category Shape algebra
 */
export type InsertDim<S extends Shape, At, D> = Insert<S, At, D>;

/**
 * Normalizes an axis for a new dim: range `[-(r+1), r]`.
 * @category Shape algebra
 */
export type NormalizeNewAxis<Ax, R extends number> = NormalizeAxis<Ax, Add<R, 1>>;

type StackTuple<Ss extends readonly Shape[], Ax, Op extends string> = Ss extends readonly [
  infer S0 extends Shape,
  ...infer R,
]
  ? IsTuple<S0> extends true
    ? NormalizeNewAxis<Ax, S0["length"]> extends [infer n]
      ? StackCheck<R, S0, Op> extends infer C
        ? C extends string
          ? C
          : number extends n
            ? number[]
            : InsertDim<S0, n, Ss["length"]>
        : never
      : AxisError<Op, Ax, S0>
    : number[]
  : `${Op}: needs at least one tensor`;

/**
 * The shape of stacking shapes `Ss` along a new axis `Ax`, or an error message:
 * `Stack<[[3, 4], [3, 4]], 0>` is `[2, 3, 4]`; shapes must match exactly.
 * @category Shape algebra
 */
export type Stack<Ss extends readonly Shape[], Ax extends number = 0, Op extends string = "stack"> =
  StackShape<Ss, Ax, Op> extends infer R ? R : never;

type StackShape<Ss extends readonly Shape[], Ax extends number = 0, Op extends string = "stack"> =
  number extends Ss["length"]
    ? Ss extends readonly (infer S extends Shape)[]
      ? NormalizeNewAxis<Ax, S["length"]> extends [infer n]
        ? InsertDim<S, n, number>
        : AxisError<Op, Ax, S>
      : never
    : StackTuple<Ss, Ax, Op>;

function joinCheck(op: string, shapes: readonly (readonly number[])[], axis: number | null): void {
  const s0 = shapes[0];
  for (const s of shapes.slice(1)) {
    if (s.length !== s0.length) {
      throw new ShapeError(`${op}: rank differs: ${s0.length} vs ${s.length} (shapes ${showShape(s0)} and ${showShape(s)})`);
    }
    s.forEach((d, i) => {
      if (i !== axis && d !== s0[i]) {
        throw new ShapeError(`${op}: dim ${i} differs: ${s0[i]} vs ${d} (shapes ${showShape(s0)} and ${showShape(s)})`);
      }
    });
  }
}

/**
 * Runtime twin of `Concat`: the joined shape and the normalized axis.
 * @category Shape algebra
 */
export function concatShape(
  op: string,
  shapes: readonly (readonly number[])[],
  axis: number,
): {
  /** The joined shape. */
  shape: number[];
  /** `axis`, counted from the front (a negative one resolved). */
  axis: number;
} {
  if (shapes.length === 0) throw new ShapeError(`${op}: needs at least one tensor`);
  shapes.forEach((s) => assertShape(op, s));
  const ax = normalizeAxis(op, axis, shapes[0]);
  joinCheck(op, shapes, ax);
  const out = [...shapes[0]];
  out[ax] = shapes.reduce((n, s) => n + s[ax], 0);
  return { shape: out, axis: ax };
}

/**
 * Runtime twin of `Stack`: the stacked shape and the normalized new axis.
 * @category Shape algebra
 */
export function stackShape(
  op: string,
  shapes: readonly (readonly number[])[],
  axis: number,
): {
  /** The stacked shape, with the new axis. */
  shape: number[];
  /** The new axis, counted from the front (a negative one resolved). */
  axis: number;
} {
  if (shapes.length === 0) throw new ShapeError(`${op}: needs at least one tensor`);
  shapes.forEach((s) => assertShape(op, s));
  const ax = normalizeAxis(op, axis, shapes[0], shapes[0].length + 1);
  joinCheck(op, shapes, null);
  const out = [...shapes[0]];
  out.splice(ax, 0, shapes.length);
  return { shape: out, axis: ax };
}
