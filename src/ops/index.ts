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

export type { PaddedDim, PaddedBy } from "./movement.js";
export { tupleOf, mapTuple } from "./tuple.js";
export type { TupleOf, MapTuple } from "./tuple.js";
export { withDims, checkDims } from "./with-dims.js";
export type { DimsCheck } from "./with-dims.js";
