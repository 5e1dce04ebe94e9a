/**
 * Every shape relation with a dim that is a type parameter (issue 15, item 2). Where `tsc` can
 * decide (the dim passes through, or meets itself, a 1, an absent dim or bounds known only at run
 * time) the result keeps it; where a result depends on its value it is `number` or one named,
 * unevaluated dim (`SliceLength<T, 0, 1, 1>`, `SumDim<T, T>`, `ProductDim<[B, T]>`); where a check
 * depends on its value (`1` against `T`, `T` against `3`), the call is an error whose parameter
 * type is one line naming the relation and both shapes, e.g.
 * `Checked<Broadcast<[B, 1, 8], [B, T, 8], "add">, Tensor<[B, T, 8], "float32">>`.
 */
import { expectError, expectType } from "tsd";
import {
  add,
  broadcastTo,
  concat,
  conv2d,
  dot,
  greater,
  nn,
  random,
  where,
  expandDims,
  flatten,
  matmul,
  mean,
  pad,
  reshape,
  slice,
  squeeze,
  stack,
  sum,
  transpose,
  type Dim,
  type ProductDim,
  type PaddedBy,
  type SliceLength,
  type SumDim,
  type Tensor,
} from "typegrad";

declare const w: Tensor<[8, 4]>;
declare const v8: Tensor<[8]>;
declare const ones: Tensor<[1, 1, 8]>;
declare const wide: Tensor<[number, number, 8]>;
declare const lit: Tensor<[3, 5, 8]>;
declare const kernel: Tensor<[3, 3, 3, 5]>;

export function relations<B extends Dim, T extends Dim>(
  x: Tensor<[B, T, 8]>,
  y: Tensor<[B, 1, 8]>,
  bw: Tensor<[B, 8, 4]>,
  img: Tensor<[B, T, T, 3]>,
  t: number,
) {
  // broadcast: a generic dim against itself, a 1, or no dim
  expectType<Tensor<[B, T, 8]>>(add(x, v8));
  expectType<Tensor<[B, T, 8]>>(add(x, ones));
  expectType<Tensor<[B, T, 8]>>(add(x, x));
  expectType<Tensor<[B, T, 8]>>(add(x, y));
  // …not decidable: a 1 on the left of T, T against `number` or a literal (one-line message)
  expectError(add(y, x));
  expectError(add(x, wide));
  expectError(add(x, lit));

  // matmul, batched matmul
  expectType<Tensor<[B, T, 4]>>(matmul(x, w));
  expectType<Tensor<[B, T, 4]>>(matmul(x, bw));

  // reductions and permutations
  expectType<Tensor<[B, 8]>>(sum(x, 1));
  expectType<Tensor<[B, T, 1]>>(mean(x, -1, true));
  expectType<Tensor<[B, 8, T]>>(transpose(x, [0, 2, 1]));
  expectType<Tensor<[8, T, B]>>(transpose(x));

  // reshape and flatten: shared dims are set aside, an inferred -1 is the product of what is left
  expectType<Tensor<[ProductDim<[B, T]>, 8]>>(reshape(x, [-1, 8]));
  expectType<Tensor<[B, ProductDim<[T, 8]>]>>(flatten(x));
  expectType<Tensor<[ProductDim<[B, T]>, 2, 4]>>(reshape(x, [-1, 2, 4]));
  expectError(reshape(x, [x.shape[0], -1]));

  // concat and stack
  expectType<Tensor<[B, T, 16]>>(concat([x, x], 2));
  expectType<Tensor<[B, SumDim<T, T>, 8]>>(concat([x, x], 1));
  expectType<Tensor<[2, B, T, 8]>>(stack([x, x]));
  expectType<Tensor<[B, 3, T, 8]>>(stack([x, x, x], 1));

  // slice: the case (one step of a generic sequence), full ranges, literal ranges
  expectType<Tensor<[B, number, 8]>>(slice(x, [null, [t, t + 1]]));
  expectType<Tensor<[B, T, 4]>>(slice(x, [null, null, [0, 4]]));
  expectType<Tensor<[B, SliceLength<T, 0, 1, 1>, 8]>>(slice(x, [null, [0, 1]]));

  // expandDims and squeeze
  expectType<Tensor<[B, 1, T, 8]>>(expandDims(x, 1));
  expectType<Tensor<[B, T, 8]>>(squeeze(expandDims(x, 1), 1));

  // pad: zero widths keep the dim, others add to it
  expectType<Tensor<[B, PaddedBy<T, 1, 1>, 8]>>(pad(x, [[0, 0], [1, 1], [0, 0]]));

  // broadcastTo: a generic dim against a literal is not decidable
  expectType<Tensor<[3, 4, 8]>>(broadcastTo(v8, [3, 4, 8]));
  expectError(broadcastTo(y, [3, 4, 8]));

  // conv2d over generic spatial dims: whether the kernel fits is not decidable
  expectError(conv2d(img, kernel));

  // where and dot
  expectType<Tensor<[B, T, 8]>>(where(greater(x, 0), x, 0));
  expectType<Tensor<[B, T, 8]>>(where(greater(x, 0), x, v8));
  expectType<Tensor<[]>>(dot(null! as Tensor<[T]>, null! as Tensor<[T]>));

  // layers keep a generic batch; a rank mismatch is decided even with a generic dim
  expectType<Tensor<[B, 4]>>(layer.apply(layer.init(random.key(0)), null! as Tensor<[B, 8]>));
  expectError(layer.apply(layer.init(random.key(0)), x));
}

const layer = nn.dense(8, 4);
