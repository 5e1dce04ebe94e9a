/**
 * @file Matrix-product shapes, twice: `MatMul<A, B, Op>` at the type level and
 * `matmulShape(op, a, b)` at run time, with the same error text. NumPy `matmul` rules:
 * `[m, k] @ [k, n]` is `[m, n]`; a 1-D left operand is a row vector and a 1-D right operand a
 * column vector, each dropped from the result; leading (batch) dims broadcast.
 */
import type { Dim, DimMatch, Shape, IsTuple } from "./dim.js";
import { assertShape } from "./dim.js";
import { ShapeError, showShape } from "./errors.js";
import type { Broadcast } from "./broadcast.js";
import { broadcastShapes } from "./broadcast.js";
import type { ShowDim, ShowShape } from "./show.js";

type InnerError<Op extends string, KA, KB, A extends Shape, B extends Shape> =
  `${Op}: inner dimensions differ: ${ShowDim<KA>} vs ${ShowDim<KB>} (a is ${ShowShape<A>}, b is ${ShowShape<B>})`;

/** Checks the contracted dims `KA`, `KB`, then builds `Out`; the merged dim is not needed in `Out`. */
type Contract<Op extends string, KA, KB, A extends Shape, B extends Shape, Out> =
  DimMatch<KA, KB> extends true ? Out : InnerError<Op, KA, KB, A, B>;

type BatchDims<Op extends string, BA extends Shape, BB extends Shape, A extends Shape, B extends Shape> =
  Broadcast<BA, BB> extends infer R
    ? R extends `${string}: cannot broadcast ${infer X} with ${infer Y} (${string}`
      ? `${Op}: batch dims do not broadcast: ${X} with ${Y} (a is ${ShowShape<A>}, b is ${ShowShape<B>})`
      : R
    : never;

type MatMulTuple<A extends Shape, B extends Shape, Op extends string> = A extends readonly []
  ? `${Op}: operands must have at least 1 dim (a is ${ShowShape<A>}, b is ${ShowShape<B>})`
  : B extends readonly []
    ? `${Op}: operands must have at least 1 dim (a is ${ShowShape<A>}, b is ${ShowShape<B>})`
    : A extends readonly [infer KA]
      ? B extends readonly [infer KB]
        ? Contract<Op, KA, KB, A, B, []>
        : B extends readonly [...infer BB extends Dim[], infer KB, infer N]
          ? Contract<Op, KA, KB, A, B, [...BB, N]>
          : never
      : A extends readonly [...infer BA extends Dim[], infer M, infer KA]
        ? B extends readonly [infer KB]
          ? Contract<Op, KA, KB, A, B, [...BA, M]>
          : B extends readonly [...infer BB extends Dim[], infer KB, infer N]
            ? DimMatch<KA, KB> extends true
              ? BatchDims<Op, BA, BB, A, B> extends infer Batch
                ? Batch extends string
                  ? Batch
                  : Batch extends readonly unknown[]
                    ? [...Batch, M, N]
                    : never
                : never
              : InnerError<Op, KA, KB, A, B>
            : never
        : never;

/**
 * The shape of `matmul(a, b)` for shapes `A` and `B` (NumPy rules, any rank), or an error message
 * naming `Op` and both shapes: `MatMul<[32, 784], [784, 128]>` is `[32, 128]`, and
 * `MatMul<[32, 784], [128, 10]>` is
 * `"matmul: inner dimensions differ: 784 vs 128 (a is [32, 784], b is [128, 10])"`.
 * Works when leading dims are type parameters (`[B, 784]`); of unknown rank, `number[]`.
 * @category Shape algebra
 */
export type MatMul<A extends Shape, B extends Shape, Op extends string = "matmul"> =
  MatMulShape<A, B, Op> extends infer R ? R : never;

type MatMulShape<A extends Shape, B extends Shape, Op extends string = "matmul"> =
  IsTuple<A> extends true ? (IsTuple<B> extends true ? MatMulTuple<A, B, Op> : number[]) : number[];

/**
 * Runtime twin of `MatMul`: the result shape of `matmul`, or a `ShapeError` with the same text.
 * @category Shape algebra
 */
export function matmulShape(op: string, a: readonly number[], b: readonly number[]): number[] {
  assertShape(op, a);
  assertShape(op, b);
  if (a.length === 0 || b.length === 0) {
    throw new ShapeError(`${op}: operands must have at least 1 dim (a is ${showShape(a)}, b is ${showShape(b)})`);
  }
  const ka = a[a.length - 1];
  const kb = b.length === 1 ? b[0] : b[b.length - 2];
  if (ka !== kb) {
    throw new ShapeError(`${op}: inner dimensions differ: ${ka} vs ${kb} (a is ${showShape(a)}, b is ${showShape(b)})`);
  }
  if (a.length === 1) return b.length === 1 ? [] : [...b.slice(0, -2), b[b.length - 1]];
  if (b.length === 1) return a.slice(0, -1);
  let batch: number[];
  try {
    batch = broadcastShapes("matmul", a.slice(0, -2), b.slice(0, -2));
  } catch (e) {
    const m = e instanceof ShapeError ? /cannot broadcast (\d+) with (\d+)/.exec(e.message) : null;
    if (m === null) throw e;
    throw new ShapeError(`${op}: batch dims do not broadcast: ${m[1]} with ${m[2]} (a is ${showShape(a)}, b is ${showShape(b)})`);
  }
  return [...batch, a[a.length - 2], b[b.length - 1]];
}

/**
 * The shape of the inner product of two vectors: `[]`, or an error message:
 * `Dot<[3], [4]>` is `"dot: inner dimensions differ: 3 vs 4 (a is [3], b is [4])"`.
 * @category Shape algebra
 */
export type Dot<A extends Shape, B extends Shape> =
  DotShape<A, B> extends infer R ? R : never;

type DotShape<A extends Shape, B extends Shape> = A extends readonly [unknown]
  ? B extends readonly [unknown]
    ? MatMul<A, B, "dot">
    : `dot: expects two 1-D tensors (a is ${ShowShape<A>}, b is ${ShowShape<B>})`
  : `dot: expects two 1-D tensors (a is ${ShowShape<A>}, b is ${ShowShape<B>})`;

/**
 * Runtime twin of `Dot`.
 * @category Shape algebra
 */
export function dotShape(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== 1 || b.length !== 1) {
    throw new ShapeError(`dot: expects two 1-D tensors (a is ${showShape(a)}, b is ${showShape(b)})`);
  }
  return matmulShape("dot", a, b);
}
