/**
 * Every shape relation not covered by generic.test-d.ts, with a dim that is a type parameter
 * (issue 15, item 2): pooling, take/gather, one-hot, indexing, dynamic slices, einsum, cumulative
 * ops, sorting, attention and heads, control flow carries, and layer stacks.
 */
import { expectError, expectType } from "tsd";
import {
  argsort,
  at,
  avgPool1d,
  avgPool2d,
  cond,
  conv2d,
  cumsum,
  dynamicSlice,
  dynamicUpdateSlice,
  einsum,
  foriLoop,
  globalAvgPool,
  losses,
  matmul,
  maxPool2d,
  mul,
  nn,
  oneHot,
  random,
  scan,
  softmax,
  sort,
  tanh,
  take,
  takeAlongAxis,
  topK,
  whileLoop,
  add,
  argmax,
  reduceWindow,
  slice,
  stack as stackOf,
  std,
  tupleOf,
  type Dim,
  type Tensor,
} from "typegrad";

declare const v: <T>() => T;
const key = random.key(0);

export function relations<B extends Dim, T extends Dim, H extends Dim>(
  x: Tensor<[B, T, 8]>,
  img: Tensor<[B, 28, 28, 3]>,
  seq: Tensor<[B, T, 3]>,
  idx: Tensor<[B, 5], "int32">,
  ids: Tensor<[B, T], "int32">,
  wh: Tensor<[H, 3]>,
) {
  // conv2d and pooling over a generic batch: spatial dims are literal, so sizes are computed
  expectType<Tensor<[B, 26, 26, 5]>>(conv2d(img, v<Tensor<[3, 3, 3, 5]>>()));
  expectType<Tensor<[B, 14, 14, 3]>>(maxPool2d(img, 2));
  expectType<Tensor<[B, 14, 14, 3]>>(avgPool2d(img, 2));
  expectType<Tensor<[B, 3]>>(globalAvgPool(img));
  expectError(maxPool2d(img, 30));
  // "same" padding with stride 1 (or a 1-window) keeps a spatial dim whatever it is: generic, named
  expectType<Tensor<[B, T, T, 5]>>(conv2d(v<Tensor<[B, T, T, 3]>>(), v<Tensor<[3, 3, 3, 5]>>(), { padding: "same" }));
  expectType<Tensor<[B, "h", "w", 5]>>(conv2d(v<Tensor<[B, "h", "w", 3]>>(), v<Tensor<[5, 5, 3, 5]>>(), { padding: "same" }));
  expectType<Tensor<[B, T, T, 5]>>(conv2d(v<Tensor<[B, T, T, 3]>>(), v<Tensor<[1, 1, 3, 5]>>()));
  // …a stride or a valid window over a generic dim needs its value: not decidable
  expectError(conv2d(v<Tensor<[B, T, T, 3]>>(), v<Tensor<[3, 3, 3, 5]>>(), { padding: "same", strides: 2 }));
  // pooling over a literal length; over a generic one, whether the window fits is not decidable
  expectType<Tensor<[B, 5, 3]>>(avgPool1d(v<Tensor<[B, 10, 3]>>(), 2));
  expectError(avgPool1d(seq, 2));

  // take / takeAlongAxis / oneHot / at
  expectType<Tensor<[B, 5, 8]>>(take(x, v<Tensor<[5], "int32">>(), 1));
  expectType<Tensor<[5, T, 8]>>(take(x, v<Tensor<[5], "int32">>(), 0));
  expectType<Tensor<[B, T, 1]>>(takeAlongAxis(x, v<Tensor<[B, T, 1], "int32">>(), 2));
  expectType<Tensor<[B, 5, 10], "float32">>(oneHot(idx, 10));
  expectType<Tensor<[B, T, 10], "float32">>(oneHot(ids, 10));
  expectType<Tensor<[B, 8]>>(at(v<Tensor<[B, 4, 8]>>(), [null, 0]).get());
  expectType<Tensor<[B, T]>>(at(x, [null, null, -1]).get());
  // an integer index into a generic axis: whether it is in range is not decidable
  expectError(at(x, [0]));

  // dynamicSlice / dynamicUpdateSlice
  expectType<Tensor<[B, 10, 8]>>(dynamicUpdateSlice(v<Tensor<[B, 10, 8]>>(), v<Tensor<[B, 1, 8]>>(), [0, 0, 0]));
  // sizes against a generic dim: whether they fit is not decidable
  expectError(dynamicSlice(x, [0, 0, 0], [x.shape[0], 1, 8]));
  expectError(dynamicUpdateSlice(x, v<Tensor<[B, 1, 8]>>(), [0, 0, 0]));

  // einsum with generic dims
  expectType<Tensor<[B, T, 4]>>(einsum("btd,de->bte", x, v<Tensor<[8, 4]>>()));
  expectType<Tensor<[B, T, T]>>(einsum("btd,bsd->bts", x, x));

  // cumulative and sorting ops keep the shape
  expectType<Tensor<[B, T, 8]>>(cumsum(x, 1));
  expectType<Tensor<[B, T, 8]>>(sort(x, 1));
  expectType<Tensor<[B, T, 8], "int32">>(argsort(x));
  expectType<Tensor<[B, T, 3]>>(topK(x, 3)[0]);

  // attention and heads
  expectType<Tensor<[B, T, 8]>>(nn.dotProductAttention(x, x, x));
  expectType<Tensor<[B, 2, T, 4]>>(nn.splitHeads(x, 2));
  expectType<Tensor<[B, T, 8]>>(nn.mergeHeads(nn.splitHeads(x, 2)));

  // control flow: carries with generic dims keep them
  const [c, ys] = scan((h: Tensor<[B, 8]>, xt: Tensor<[B, 8]>) => [tanh(add(h, xt)), mul(h, h)] as const, v<Tensor<[B, 8]>>(), v<Tensor<[T, B, 8]>>());
  expectType<Tensor<[B, 8]>>(c);
  expectType<Tensor<[T, B, 8]>>(ys);
  expectType<Tensor<[B, T, 8]>>(cond(v<Tensor<[], "bool">>(), (a) => tanh(a), (a) => mul(a, 2), x));
  expectType<Tensor<[B, T, 8]>>(whileLoop(() => v<Tensor<[], "bool">>(), (a: Tensor<[B, T, 8]>) => tanh(a), x));
  expectType<Tensor<[B, T, 8]>>(foriLoop(0, 3, (_i, a: Tensor<[B, T, 8]>) => tanh(a), x));

  // matmul: two different type-parameter dims contracted cannot be decided
  expectError(matmul(seq, wh));

  // losses, softmax and statistics over generic dims
  expectType<Tensor<[B, T, 8]>>(softmax(x));
  expectType<Tensor<[]>>(losses.mse(x, x));
  expectType<Tensor<[]>>(losses.softmaxCrossEntropy(x, v<Tensor<[B, T], "int32">>()));
  expectType<Tensor<[B, T], "int32">>(argmax(x, -1));
  expectType<Tensor<[B, 8]>>(std(x, 1));
  expectType<Tensor<[B, T, 8]>>(reduceWindow(x, "max", [1, 1, 1]));

  // per-step tensors of a generic sequence, stacked back: the tuple's length is the new dim
  const steps = tupleOf(3, (i) => slice(x, [null, [i, i + 1]]));
  expectType<Tensor<[B, 3, number, 8]>>(stackOf(steps, 1));
}

// Layer stacks with a generic batch and a generic sequence length.
const stack = nn.serial(nn.dense(8, 16), nn.relu, nn.dense(16, 4));
const seqModel = nn.serial(nn.embedding(30, 8), nn.lstm(8, 16), nn.layerNorm(16));
const cnn = nn.serial(nn.conv2d(3, 4, 3), nn.relu, nn.maxPool2d(2), nn.flatten, nn.dense(13 * 13 * 4, 10));
const fcn = nn.serial(nn.conv2d(3, 8, 3, { padding: "same" }), nn.relu, nn.conv2d(8, 4, 1), nn.globalAvgPool);
const both = nn.parallel(nn.dense(8, 4), nn.residual(nn.dense(8, 8)));
export function layers<B extends Dim, T extends Dim>(x: Tensor<[B, 8]>, xs: Tensor<[B, T, 8]>, ids: Tensor<[B, T], "int32">, img: Tensor<[B, 28, 28, 3]>) {
  expectType<Tensor<[B, 4]>>(stack.apply(stack.init(key), x));
  expectType<[Tensor<[B, 4]>, Tensor<[B, 8]>]>(both.apply(both.init(key), x));
  expectType<Tensor<[B, T, 16]>>(seqModel.apply(seqModel.init(key), ids));
  expectType<Tensor<[B, T, 16]>>(nn.lstm(8, 16).apply(nn.lstm(8, 16).init(key), xs));
  expectType<Tensor<[B, T, 8]>>(nn.multiHeadAttention(8, 2).apply(nn.multiHeadAttention(8, 2).init(key), xs));
  expectType<Tensor<[B, 10]>>(cnn.apply(cnn.init(key), img));
  // a fully convolutional stack over generic image sizes
  expectType<Tensor<[B, 4]>>(fcn.apply(fcn.init(key), v<Tensor<[B, T, T, 3]>>()));
  // a per-example shape the stack does not take: decided even with a generic batch
  expectError(stack.apply(stack.init(key), v<Tensor<[B, 9]>>()));
  expectError(cnn.apply(cnn.init(key), v<Tensor<[B, 28, 28, 1]>>()));
}
