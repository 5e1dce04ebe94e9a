/**
 * @file Taking elements by index arrays, twice: `Take<S, I, Ax>` / `TakeAlongAxis<S, I, Ax>` at the
 * type level and `takeShape` / `takeAlongAxisShape` at run time, with the same error text.
 * `take` replaces axis `Ax` of `S` by the index shape `I` (NumPy `take`; no axis: the flattened
 * tensor); `takeAlongAxis` picks along `Ax` one element per index, the other axes broadcasting
 * between `S` and `I` (NumPy `take_along_axis`).
 */
import type { Dim, IsTuple, Shape } from "./dim.js";
import { assertShape } from "./dim.js";
import { ShapeError, showShape } from "./errors.js";
import type { AxisError, NormalizeAxis } from "./axis.js";
import { normalizeAxis } from "./axis.js";
import type { Broadcast } from "./broadcast.js";
import { broadcastShapes } from "./broadcast.js";
import type { ShowShape } from "./show.js";

/** `S` with dim `N` replaced by the dims `R` (wrapped so a type-parameter dim flows through). */
type ReplaceDim<S, N, R extends readonly Dim[], Idx extends 0[] = [], Out extends Dim[] = []> = S extends readonly [infer H, ...infer T extends Dim[]]
  ? Idx["length"] extends N
    ? [...Out, ...R, ...T]
    : ReplaceDim<T, N, R, [...Idx, 0], [...Out, H & Dim]>
  : Out;

/**
 * The shape of `take(x, indices, axis)` for `x` of shape `S` and indices of shape `I`, or an error
 * message: `Take<[10, 64], [32, 20], 0>` is `[32, 20, 64]`, `Take<[3, 4], [5], -1>` is `[3, 5]`,
 * and without an axis (`undefined`) the result has the indices' shape.
 * @category Shape algebra
 */
export type Take<S extends Shape, I extends Shape, Ax, Op extends string = "take"> =
  TakeImpl<S, I, Ax, Op> extends infer R ? R : never;

type TakeImpl<S extends Shape, I extends Shape, Ax, Op extends string = "take"> = [Ax] extends [undefined]
  ? I
  : IsTuple<S> extends true
    ? NormalizeAxis<Ax, S["length"]> extends [infer n]
      ? number extends n
        ? number[]
        : IsTuple<I> extends true
          ? ReplaceDim<S, n, [...I]>
          : number[]
      : AxisError<Op, Ax, S>
    : number[];

/**
 * Runtime twin of `Take`: the result shape, or a `ShapeError` with the same text.
 * @category Shape algebra
 */
export function takeShape(op: string, shape: readonly number[], indices: readonly number[], axis: number | undefined): number[] {
  assertShape(op, shape);
  assertShape(op, indices);
  if (axis === undefined) return indices.slice();
  const a = normalizeAxis(op, axis, shape);
  return [...shape.slice(0, a), ...indices, ...shape.slice(a + 1)];
}

/**
 * The shape of `takeAlongAxis(x, indices, axis)`: `S` and `I` of one rank broadcast together,
 * except along `Ax`, which takes `I`'s dim. `TakeAlongAxis<[32, 10], [32, 1], 1>` is `[32, 1]`;
 * `TakeAlongAxis<[32, 10], [5], 0>` is `"takeAlongAxis: indices [5] and x [32, 10] differ in rank"`.
 * @category Shape algebra
 */
export type TakeAlongAxis<S extends Shape, I extends Shape, Ax, Op extends string = "takeAlongAxis"> =
  TakeAlongAxisImpl<S, I, Ax, Op> extends infer R ? R : never;

type TakeAlongAxisImpl<S extends Shape, I extends Shape, Ax, Op extends string = "takeAlongAxis"> =
  IsTuple<S> extends true
    ? IsTuple<I> extends true
      ? I["length"] extends S["length"]
        ? NormalizeAxis<Ax, S["length"]> extends [infer n]
          ? number extends n
            ? { -readonly [K in keyof S]: number }
            : Broadcast<ReplaceDim<S, n, [1]>, I, Op>
          : AxisError<Op, Ax, S>
        : `${Op}: indices ${ShowShape<I>} and x ${ShowShape<S>} differ in rank`
      : number[]
    : number[];

/**
 * Runtime twin of `TakeAlongAxis`: the result shape and the normalized axis, or a `ShapeError`.
 * @category Shape algebra
 */
export function takeAlongAxisShape(
  op: string,
  shape: readonly number[],
  indices: readonly number[],
  axis: number,
): {
  /** The result's shape (the other axes broadcast between `shape` and `indices`). */
  shape: number[];
  /** `axis`, counted from the front (a negative one resolved). */
  axis: number;
} {
  assertShape(op, shape);
  assertShape(op, indices);
  if (indices.length !== shape.length) throw new ShapeError(`${op}: indices ${showShape(indices)} and x ${showShape(shape)} differ in rank`);
  const a = normalizeAxis(op, axis, shape);
  return { shape: broadcastShapes(op, shape.map((d, i) => (i === a ? 1 : d)), indices), axis: a };
}
