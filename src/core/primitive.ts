/** @file The closed set of primitives: their names, their params, and the shape of a primitive definition. */
import type { DType } from "../dtype.js";
import type { ShapedArray } from "./aval.js";
import type { ConcreteTensor } from "./concrete.js";
import type { Eqn, Jaxpr, Var } from "./jaxpr.js";
import type { AnyTensor as Tensor } from "./tensor.js";

/** The comparison a `compare` primitive performs. */
export type CompareOp = "lt" | "le" | "gt" | "ge" | "eq" | "ne";

/** `dotGeneral` dimension numbers: contracted and batch axes of each operand. */
export interface DotDims {
  readonly contract: readonly [readonly number[], readonly number[]];
  readonly batch: readonly [readonly number[], readonly number[]];
}

/**
 * Window of a 2-d convolution (NHWC operand, HWIO filter): the step between windows and the
 * explicit zero padding `[lo, hi]` of each spatial dim (height, width).
 */
export interface ConvWindow {
  readonly strides: readonly [number, number];
  readonly padding: readonly [readonly [number, number], readonly [number, number]];
}

type NoParams = Record<string, never>;

/** The params of every primitive, by name. This interface is the list of primitives. */
export interface PrimParams {
  neg: NoParams;
  exp: NoParams;
  log: NoParams;
  sin: NoParams;
  cos: NoParams;
  sqrt: NoParams;
  tanh: NoParams;
  abs: NoParams;
  sign: NoParams;
  add: NoParams;
  sub: NoParams;
  mul: NoParams;
  div: NoParams;
  max: NoParams;
  min: NoParams;
  pow: NoParams;
  compare: { readonly op: CompareOp };
  select: NoParams;
  cast: { readonly dtype: DType };
  stopGradient: NoParams;
  reduceSum: { readonly axes: readonly number[] };
  reduceMax: { readonly axes: readonly number[] };
  argmax: { readonly axis: number };
  reshape: { readonly shape: readonly number[] };
  broadcastInDim: { readonly shape: readonly number[]; readonly broadcastDims: readonly number[] };
  transpose: { readonly perm: readonly number[] };
  slice: { readonly start: readonly number[]; readonly limit: readonly number[]; readonly strides: readonly number[] };
  pad: { readonly value: number; readonly config: readonly (readonly [number, number, number])[] };
  concatenate: { readonly axis: number };
  dotGeneral: DotDims;
  conv2d: ConvWindow;
  conv2dBackpropInput: ConvWindow & { readonly inputSize: readonly [number, number] };
  conv2dBackpropFilter: ConvWindow & { readonly kernelSize: readonly [number, number] };
  shiftRightLogical: NoParams;
  threefry2x32: NoParams;
  jitCall: {
    readonly jaxpr: Jaxpr;
    readonly numConsts: number;
    readonly name: string;
    /** Per input: whether its buffer may be reused for the outputs (`jit`'s `donate`). */
    readonly donated?: readonly boolean[];
  };
}

/** The name of a primitive. */
export type PrimName = keyof PrimParams;

/** A batch dim of a vmapped value, or `null` when the value is the same for every example. */
export type BatchDim = number | null;

/** Marks an input of a linear function whose value is unknown while transposing. */
export class UndefPrimal {
  constructor(readonly aval: ShapedArray) {}
}

/**
 * What a `partialEval` rule may ask of the partial-evaluation trace. Its tensors are that trace's
 * tracers, each known (a value now) or unknown (staged into the jaxpr being built).
 */
export interface PartialEvalContext {
  /** The value of `x` when it is known, else `null`. */
  knownValue(x: Tensor): Tensor | null;
  /** A known tracer of a value computed now (by binding on known values). */
  pure(value: Tensor): Tensor;
  /** Stages `prim` on tracers of this trace (known ones become constants); returns its unknown outputs. */
  stage<Q extends PrimName>(prim: Q, args: readonly Tensor[], params: PrimParams[Q]): Tensor[];
}

/**
 * An equation split by partial evaluation: `known` runs on its known inputs and outputs its known
 * outputs followed by `residuals`; `unknown` takes `residuals` followed by its unknown inputs and
 * outputs the rest. `outUnknowns` says, per output of the original equation, which it is.
 */
export interface EqnSplit {
  readonly known: Eqn;
  readonly unknown: Eqn;
  readonly outUnknowns: readonly boolean[];
  readonly residuals: readonly Var[];
}

/** Everything typegrad knows about one primitive. One file in `src/primitives/` defines one. */
export interface PrimitiveDef<P extends PrimName> {
  readonly name: P;
  /** Shape/dtype rule (abstract evaluation); throws `ShapeError` on inputs that do not fit. */
  shape(avalsIn: ShapedArray[], params: PrimParams[P]): ShapedArray[];
  /** Eager kernel on concrete tensors (the JS backend). */
  impl(args: ConcreteTensor[], params: PrimParams[P]): ConcreteTensor[];
  /** Forward-mode rule: primal outputs and their tangents, written with traceable ops. */
  jvp(primals: Tensor[], tangents: Tensor[], params: PrimParams[P]): [Tensor[], Tensor[]];
  /**
   * Transposition rule, only for primitives linear in some input. Given output cotangents and the
   * inputs (linear ones as `UndefPrimal`), returns a cotangent per input (`null` for known ones).
   */
  transpose?(cts: Tensor[], args: (Tensor | UndefPrimal)[], params: PrimParams[P]): (Tensor | null)[];
  /** Batching rule: maps batched inputs to batched outputs and their batch dims. */
  vmap(args: Tensor[], dims: BatchDim[], params: PrimParams[P], axisSize: number): [Tensor[], BatchDim[]];
  /**
   * Partial-evaluation rule, only for primitives whose params hold jaxprs (`jitCall`; `cond` and
   * `scan` later), so that the known part of an application runs now instead of being staged whole.
   * Called with at least one unknown input; returns the output tracers, known or unknown. Without
   * it an application with an unknown input is staged whole.
   */
  partialEval?(trace: PartialEvalContext, args: Tensor[], params: PrimParams[P]): Tensor[];
  /**
   * The same split on a jaxpr equation whose inputs are partly unknown (`unknownIns`), for when a
   * jaxpr containing it is partially evaluated. Called with some inputs known and some unknown;
   * without it such an equation is staged whole.
   */
  partialEvalEqn?(eqn: Eqn<P>, unknownIns: readonly boolean[]): EqnSplit;
}

/** Type-safe table over every primitive: a missing entry is a compile error. */
export type PrimTable = { readonly [P in PrimName]: PrimitiveDef<P> };
