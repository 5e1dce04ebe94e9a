/**
 * @file Matrix products on `dotGeneral`: `matmul` (NumPy rules: 1-D operands as vectors,
 * broadcast batch dims) and `dot` (inner product of vectors). The inner-dimension check is a
 * compile error naming both shapes, and works in functions generic over the batch dim.
 */
import type { DType, Promote } from "../dtype.js";
import { promoteDTypes } from "../dtype.js";
import type { Tensor } from "../core/tensor.js";
import * as core from "../core/ops.js";
import type { Shape } from "../shape/dim.js";
import type { Dot, MatMul } from "../shape/matmul.js";
import { dotShape, matmulShape } from "../shape/matmul.js";
import type { Checked, ShapeResult, T } from "./operand.js";
import { castTo, expandTo, untyped } from "./operand.js";

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

function matmulRaw(x: T, y: T): T {
  const shape = matmulShape("matmul", x.shape, y.shape);
  const dt = promoteDTypes(x.dtype, y.dtype);
  const a = castTo(x, dt);
  const b = castTo(y, dt);
  const ra = a.ndim;
  const rb = b.ndim;
  if (rb <= 2) {
    // [..., m, k] @ [k, n] (or [k]): contract the last dim of a with the first of b, no batch.
    return core.dotGeneral(a, b, { contract: [[ra - 1], [0]], batch: [[], []] });
  }
  if (ra === 1) {
    // [k] @ [..., k, n]: the free dims of b, in order, are the result.
    return core.dotGeneral(a, b, { contract: [[0], [rb - 2]], batch: [[], []] });
  }
  // Both at least 2-D with batch dims: broadcast the batch dims, then a batched product.
  const batch = shape.slice(0, -2);
  const nb = batch.length;
  const a2 = expandTo(a, [...batch, ...a.shape.slice(-2)]);
  const b2 = expandTo(b, [...batch, ...b.shape.slice(-2)]);
  return core.dotGeneral(a2, b2, { contract: [[nb + 1], [nb]], batch: [range(nb), range(nb)] });
}

/**
 * Matrix product with NumPy `matmul` rules: `[m, k] @ [k, n]` is `[m, n]`; a 1-D operand is a
 * vector (its dim is dropped from the result); leading batch dims broadcast.
 * @example
 * const h = matmul(zeros([32, 784]), zeros([784, 128])); // Tensor<[32, 128]>
 * // @ts-expect-error: matmul: inner dimensions differ: 784 vs 128
 * matmul(zeros([32, 784]), zeros([128, 10]));
 * @category Linear algebra
 */
export function matmul<A extends Shape, B extends Shape, DA extends DType, DB extends DType>(
  a: Tensor<A, DA>,
  b: Checked<MatMul<A, B>, Tensor<B, DB>>,
): Tensor<ShapeResult<MatMul<A, B>>, Promote<DA, DB>> {
  return matmulRaw(untyped(a), untyped(b as Tensor<B, DB>)) as never;
}

/**
 * Inner product of two vectors of equal length.
 * @example
 * const d = dot(ones([3]), ones([3])); // Tensor<[]>: 3
 * @category Linear algebra
 */
export function dot<A extends Shape, B extends Shape, DA extends DType, DB extends DType>(
  a: Tensor<A, DA>,
  b: Checked<Dot<A, B>, Tensor<B, DB>>,
): Tensor<ShapeResult<Dot<A, B>>, Promote<DA, DB>> {
  const x = untyped(a);
  const y = untyped(b as unknown as Tensor<B, DB>);
  dotShape(x.shape, y.shape);
  return matmulRaw(x, y) as never;
}
