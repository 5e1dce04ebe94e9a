/**
 * @file Reliability: tensor ops given shapes, axes and arguments that do not fit, eagerly and
 * inside `jit`, `grad` and `vmap`, throw the library's error classes with messages that name the
 * op and the offending values (both shapes where two meet); afterwards the same ops compute right.
 */
import { describe, expect, test } from "vitest";
import {
  add,
  argmax,
  broadcastTo,
  cast,
  concat,
  conv2d,
  cumsum,
  DTypeError,
  einsum,
  expandDims,
  grad,
  jit,
  matmul,
  maxPool2d,
  mean,
  mul,
  nn,
  pad,
  random,
  reshape,
  ShapeError,
  slice,
  softmax,
  sort,
  squeeze,
  stack,
  sum,
  take,
  tensor,
  transpose,
  vmap,
  where,
  zeros,
} from "../../src/index.js";
import { expectThrown, type ErrorClass } from "./expect-error.js";

type Case = { name: string; run: () => unknown; error: ErrorClass; message: RegExp };
/** Untyped callers: the types would refuse every case below at compile time. */
const u = (x: unknown) => x as never;
const z = (shape: number[], dtype?: string) => zeros(u(shape), u(dtype));

const cases: Case[] = [
  // ---- two shapes that do not meet ----
  { name: "matmul inner dims", run: () => matmul(z([2, 3]), z([4, 5])), error: ShapeError, message: /^matmul: inner dimensions differ: 3 vs 4 \(a is \[2, 3\], b is \[4, 5\]\)$/ },
  { name: "matmul of a scalar", run: () => matmul(z([]), z([3])), error: ShapeError, message: /^matmul: operands must have at least 1 dim \(a is \[\], b is \[3\]\)$/ },
  { name: "add that cannot broadcast", run: () => add(z([2, 3]), z([4])), error: ShapeError, message: /^add: cannot broadcast 3 with 4 \(shapes \[2, 3\] and \[4\]\)$/ },
  { name: "where that cannot broadcast", run: () => where(z([2], "bool"), z([3]), z([3])), error: ShapeError, message: /^where: cannot broadcast 2 with 3 \(shapes \[2\] and \[3\]\)$/ },
  { name: "broadcastTo a smaller dim", run: () => broadcastTo(z([3]), u([2, 4])), error: ShapeError, message: /^broadcastTo: cannot broadcast 3 to 4 \(shape \[3\] to \[2, 4\]\)$/ },
  { name: "concat with a differing dim", run: () => concat(u([z([2, 3]), z([2, 4])]), 0), error: ShapeError, message: /^concat: dim 1 differs: 3 vs 4 \(shapes \[2, 3\] and \[2, 4\]\)$/ },
  { name: "stack of different shapes", run: () => stack(u([z([2]), z([3])])), error: ShapeError, message: /^stack: dim 0 differs: 2 vs 3 \(shapes \[2\] and \[3\]\)$/ },
  { name: "conv2d channels", run: () => conv2d(z([1, 5, 5, 3]), z([3, 3, 4, 8])), error: ShapeError, message: /^conv2d: input channels differ: 3 vs 4 \(x is \[1, 5, 5, 3\], w is \[3, 3, 4, 8\]\)$/ },
  { name: "einsum letter sizes", run: () => einsum("ij,jk->ik", z([2, 3]), z([4, 5])), error: ShapeError, message: /^einsum: "j" is 3 in operand 0 and 4 in operand 1 \(spec "ij,jk->ik", operand shapes \[2, 3\], \[4, 5\]\)$/ },
  { name: "nn.dense given the wrong features", run: () => nn.dense(3, 4).apply(nn.dense(3, 4).init(random.key(0)), z([2, 5])), error: ShapeError, message: /^dense\(3, 4\) expects input \[3\] but got \[5\]$/ },
  { name: "maxPool2d window past the input", run: () => maxPool2d(z([1, 2, 2, 1]), u([3, 3])), error: ShapeError, message: /^maxPool2d: kernel 3 is larger than padded input 2/ },
  // ---- reshapes and permutations ----
  { name: "reshape to another count", run: () => reshape(z([2, 3]), u([4, 2])), error: ShapeError, message: /^reshape: cannot reshape \[2, 3\] \(6 elements\) to \[4, 2\] \(8 elements\)$/ },
  { name: "reshape with two -1", run: () => reshape(z([2, 3]), u([-1, -1])), error: ShapeError, message: /^reshape: only one -1 allowed in \[-1, -1\]$/ },
  { name: "reshape to a fractional dim", run: () => reshape(z([2, 3]), u([1.5, 4])), error: ShapeError, message: /^reshape: invalid dim 1\.5 in target shape \[1\.5, 4\]$/ },
  { name: "transpose by a repeated axis", run: () => transpose(z([2, 3]), u([0, 0])), error: ShapeError, message: /^transpose: \[0, 0\] is not a permutation of 2 axes \(shape \[2, 3\]\)$/ },
  { name: "transpose by too many axes", run: () => transpose(z([2, 3]), u([1, 0, 2])), error: ShapeError, message: /^transpose: \[1, 0, 2\] is not a permutation of 2 axes \(shape \[2, 3\]\)$/ },
  { name: "squeeze a dim that is not 1", run: () => squeeze(z([2, 3]), u(0)), error: ShapeError, message: /^squeeze: cannot squeeze axis 0 of size 2 \(shape \[2, 3\]\)$/ },
  { name: "pad by a negative width", run: () => pad(z([3]), u([[-5, 0]])), error: ShapeError, message: /^pad: widths must be non-negative integers, got \[\[-5,0\]\]$/ },
  { name: "slice with a bare number for a range", run: () => slice(z([4]), u([2])), error: TypeError, message: /^slice: the range for axis 0 must be null or \[start, end\?, step\?\], got number 2 \(shape \[4\]\)$/ },
  { name: "slice with a fractional index", run: () => slice(z([4]), u([[0.5, 2]])), error: ShapeError, message: /^slice: index 0\.5 is not an integer \(axis 0 of \[4\]\)$/ },
  { name: "slice with step 0", run: () => slice(z([4]), u([[0, 4, 0]])), error: ShapeError, message: /^slice: step must be a positive integer, got 0 \(axis 0 of \[4\]\)$/ },
  // ---- axes ----
  { name: "concat along an axis past the rank", run: () => concat(u([z([2, 3]), z([2, 3])]), u(2)), error: ShapeError, message: /^concat: axis 2 out of range for rank-2 tensor \[2, 3\]$/ },
  { name: "concat of nothing", run: () => concat(u([]), 0), error: ShapeError, message: /^concat: needs at least one tensor$/ },
  { name: "sum over axis 2 of a matrix", run: () => sum(z([2, 3]), u(2)), error: ShapeError, message: /^sum: axis 2 out of range for rank-2 tensor \[2, 3\]$/ },
  { name: "sum over a repeated axis", run: () => sum(z([2, 3]), u([0, 0])), error: ShapeError, message: /^sum: repeated axis 0 in \[0, 0\] for rank-2 tensor \[2, 3\]$/ },
  { name: "sum over axis 0.5", run: () => sum(z([2, 3]), u(0.5)), error: ShapeError, message: /^sum: axis 0\.5 out of range for rank-2 tensor \[2, 3\]$/ },
  { name: "mean over axis -3", run: () => mean(z([2, 3]), u(-3)), error: ShapeError, message: /^mean: axis -3 out of range for rank-2 tensor \[2, 3\]$/ },
  { name: "argmax over axis 1 of a vector", run: () => argmax(z([3]), u(1)), error: ShapeError, message: /^argmax: axis 1 out of range for rank-1 tensor \[3\]$/ },
  { name: "softmax over axis 5", run: () => softmax(z([2, 3]), u(5)), error: ShapeError, message: /^softmax: axis 5 out of range for rank-2 tensor \[2, 3\]$/ },
  { name: "expandDims at axis 3 of a vector", run: () => expandDims(z([2]), u(3)), error: ShapeError, message: /^expandDims: axis 3 out of range for rank-1 tensor \[2\]$/ },
  { name: "cumsum over axis 3", run: () => cumsum(z([2]), u(3)), error: ShapeError, message: /^cumsum: axis 3 out of range for rank-1 tensor \[2\]$/ },
  { name: "sort over axis 2", run: () => sort(z([3]), u(2)), error: ShapeError, message: /^sort: axis 2 out of range for rank-1 tensor \[3\]$/ },
  // ---- indices and dtypes ----
  { name: "take index 5 of 3", run: () => take(z([3]), tensor([5], "int32")), error: RangeError, message: /^take: index 5 at position \[0\] is out of range \[-3, 3\)$/ },
  { name: "cast to float16", run: () => cast(z([3]), u("float16")), error: DTypeError, message: /^cast: unknown dtype "float16"; expected one of "bool", "int32", "float32", "float64"$/ },
  // ---- the same mistakes under transforms, in the words of the eager op ----
  { name: "matmul inside jit", run: () => jit((a: never, b: never) => matmul(a, b))(u(z([2, 3])), u(z([4, 5]))), error: ShapeError, message: /^matmul: inner dimensions differ: 3 vs 4 \(a is \[2, 3\], b is \[4, 5\]\)$/ },
  { name: "reshape inside grad", run: () => grad((a: never) => sum(reshape(a, u([4]))))(u(z([3]))), error: ShapeError, message: /^reshape: cannot reshape \[3\] \(3 elements\) to \[4\] \(4 elements\)$/ },
  { name: "add inside vmap (per-example shapes)", run: () => vmap((a: never, b: never) => add(a, b))(u(z([5, 2])), u(z([5, 3]))), error: ShapeError, message: /^add: cannot broadcast 2 with 3 \(shapes \[2\] and \[3\]\)$/ },
  { name: "grad of a non-scalar", run: () => grad((a: never) => mul(a, a))(u(z([3]))), error: ShapeError, message: /^grad: f must return a scalar tensor, but it returned a tensor of shape \[3\]$/ },
  { name: "grad with respect to int32", run: () => grad((a: never) => sum(a))(u(z([3], "int32"))), error: DTypeError, message: /^grad: can only differentiate with respect to float tensors, got int32$/ },
  { name: "vmap over different sizes", run: () => vmap((a: never, b: never) => add(a, b))(u(z([2, 3])), u(z([4, 3]))), error: RangeError, message: /^vmap: mapped axes have different sizes: 2 vs 4 \(argument 1\)$/ },
];

describe("ops refuse shapes, axes and arguments that do not fit, naming the op and the values", () => {
  test.each(cases)("$name", ({ run, error, message }) => {
    expectThrown(run, error, message);
  });
});

test("afterwards the same ops compute the right values", () => {
  const a = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  expect(matmul(a, transpose(a)).toArray()).toEqual([
    [14, 32],
    [32, 77],
  ]);
  expect(reshape(a, [3, 2]).toArray()).toEqual([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  expect(sum(a, 1).toArray()).toEqual([6, 15]);
  expect(slice(a, [null, [1, 3]]).toArray()).toEqual([
    [2, 3],
    [5, 6],
  ]);
  expect(jit((x: typeof a) => sum(mul(x, x)))(a).item()).toBe(91);
});
