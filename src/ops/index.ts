/** @file The typed, user-facing tensor API (free functions and `Tensor` methods), exported by name. */

export { tensor, zeros, ones, full, arange, linspace, eye, fromArray, parseNested } from "./creation.js";
export type { NestedArray, NestedShape, RaggedCheck, LiteralDType, ShapeCheck, ArangeLen, ArrayData, DefaultDType } from "./creation.js";
export {
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  neg,
  exp,
  log,
  sqrt,
  abs,
  sin,
  cos,
  tanh,
  erf,
  expm1,
  log1p,
  sign,
  square,
  reciprocal,
  less,
  lessEqual,
  greater,
  greaterEqual,
  equal,
  notEqual,
  where,
  cast,
  stopGradient,
} from "./elementwise.js";
export type { BinaryArg, BinaryShape, CompareArg, SameOp, FloatOp } from "./elementwise.js";
export { relu, leakyRelu, sigmoid, gelu, softplus, softmax, logSoftmax, logSumExp } from "./activations.js";
export { sum, mean, max, min, argmax, argmin } from "./reduction.js";
export type { AxisParam, ReducedShape, SumDType } from "./reduction.js";
export { reshape, flatten, transpose, expandDims, squeeze, concat, stack, slice, broadcastTo, pad } from "./movement.js";
export type { ShapesOf, ConcatOf, StackOf, PromoteAll, PadShape } from "./movement.js";
export { matmul, dot } from "./linalg.js";
export { oneHot } from "./indexing.js";
export type { IndexOptions } from "./indexing.js";
export { conv2d } from "./conv.js";
export type { Conv2dShape, ConvOptions, Conv2dStrides } from "./conv.js";
export type { AnyTensor, Operand, ShapeOf, DTypeOf, Checked, ShapeResult, FloatOf, ResultDType } from "./operand.js";
export { installMethods } from "./methods.js";
export { take, takeAlongAxis } from "./take.js";
export { at } from "./at.js";
export type { IndexEntry, IndexRef, AtShape, EntryShapes, UpdateArg } from "./at.js";
export type { IndexMode, GatherOptions, ScatterOptions } from "./indexing.js";
export { dynamicSlice, dynamicUpdateSlice } from "./dynamic-slice.js";
export type { Starts } from "./dynamic-slice.js";

export type { PaddedDim, PaddedBy } from "./movement.js";
export { tupleOf, mapTuple } from "./tuple.js";
export type { TupleOf, MapTuple } from "./tuple.js";
export { withDims, checkDims } from "./with-dims.js";
export type { DimsCheck } from "./with-dims.js";
export { maxPool2d, avgPool2d, maxPool1d, avgPool1d, globalMaxPool, globalAvgPool, reduceWindow } from "./pool.js";
export type { PoolSize2, PoolOptions, AvgPoolOptions, Padding1d, PoolShape, Pool2dShape, Pool1dShape, GlobalPoolShape, ReduceWindowShape } from "./pool.js";
export { floor, ceil, round, mod, clip, isNaN, isFinite, logaddexp, logit } from "./math.js";
export { silu, swish, elu, selu, mish } from "./activation-units.js";
export { variance, variance as var, std, norm } from "./statistics.js";
export type { SpreadOptions } from "./statistics.js";
export { safeNorm } from "./norm.js";
export { cumsum, cumprod, cummax, cummin } from "./cumulative.js";
export type { CumulativeOptions, CumulativeAxis, CumulativeShape } from "./cumulative.js";
export { sort, argsort, topK } from "./sort.js";
export type { SortOptions } from "./sort.js";
export { einsum } from "./einsum.js";
export type { EinsumOf } from "./einsum.js";
