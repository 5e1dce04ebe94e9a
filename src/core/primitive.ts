/** @file The closed set of primitives: their names, their params, and the shape of a primitive definition. */
import type { DType } from "../dtype.js";
import type { ShapedArray } from "./aval.js";
import type { ConcreteTensor } from "./concrete.js";
import type { Atom, Eqn, Jaxpr, Var } from "./jaxpr.js";
import type { AnyTensor as Tensor } from "./tensor.js";
import type { AluExp } from "../compiler/alu.js";

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

/**
 * Windows of `reduceWindow` and the max-pooling derivatives, over every dim of the operand: the
 * window size, the step between windows and the explicit padding `[lo, hi]` of each dim.
 */
export interface WindowParams {
  readonly window: readonly number[];
  readonly strides: readonly number[];
  readonly padding: readonly (readonly [number, number])[];
}

/** What a primitive's `simplify` rule sees of the program simplified so far. */
export interface SimplifyContext {
  /** The equation that defined a var, or undefined (an input of the program, a literal). */
  producerOf(x: Atom): Eqn | undefined;
  /** The equations so far that read a var. */
  readersOf(x: Atom): readonly Eqn[];
  /** The one value every element of `x` holds, when known (a literal or a broadcast literal). */
  constant(x: Atom): number | undefined;
  /** How many equations of the original program read a var, or return it (1 each). */
  uses(x: Atom): number;
}

type NoParams = Record<string, never>;

/** The params of every primitive without any: one shared object, so that kernels can recognise it at once. */
export const NO_PARAMS: NoParams = Object.freeze({});

/** The params of every primitive, by name. This interface is the list of primitives. */
export interface PrimParams {
  neg: NoParams;
  exp: NoParams;
  log: NoParams;
  sin: NoParams;
  cos: NoParams;
  sqrt: NoParams;
  tanh: NoParams;
  erf: NoParams;
  log1p: NoParams;
  expm1: NoParams;
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
  /** Valid range `[lo, hi)`; `op` and `what` name the caller and its values in the error. */
  checkIndices: { readonly op: string; readonly what: string; readonly lo: number; readonly hi: number };
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
  /**
   * A loop of `length` steps of `jaxpr`, which maps `[consts, carry, x slices]` to `[carry, y slices]`;
   * operands `[consts, init carry, xs]`, results `[final carry, stacked ys]`. `reverse` runs the
   * steps from the last slice to the first.
   */
  scan: {
    readonly jaxpr: Jaxpr;
    readonly numConsts: number;
    readonly numCarry: number;
    readonly length: number;
    readonly reverse: boolean;
    readonly name: string;
  };
  /** Runs `branches[index]` (index clamped into range) on the operands: operands `[index, ...operands]`. */
  cond: { readonly branches: readonly Jaxpr[]; readonly name: string };
  /**
   * Runs `body` on the carry while `cond` returns true: operands `[condConsts, bodyConsts, init carry]`;
   * `cond` maps `[condConsts, carry]` to a bool scalar, `body` maps `[bodyConsts, carry]` to the carry.
   */
  whileLoop: {
    readonly cond: Jaxpr;
    readonly body: Jaxpr;
    readonly condConsts: number;
    readonly bodyConsts: number;
    readonly name: string;
  };
  reduceWindow: WindowParams & { readonly op: "Add" | "Max" };
  selectAndScatterAdd: WindowParams;
  selectAndGatherAdd: WindowParams;
  floor: NoParams;
  ceil: NoParams;
  round: NoParams;
  rem: NoParams;
  gather: IndexDims & { readonly sliceSizes: readonly number[]; readonly fillValue: number };
  scatterAdd: IndexDims;
  scatter: IndexDims & { readonly combine: ScatterCombine };
  /** `f` with a user JVP rule: `fun` takes the operands less the rule's constants; `jvp` takes the rule's constants, then primals and tangents of the others. */
  customJvpCall: {
    readonly fun: Jaxpr;
    readonly jvp: Jaxpr;
    /** Leading operands that are `fun`'s closed-over constants, then `jvp`'s. */
    readonly numFunConsts: number;
    readonly numJvpConsts: number;
    readonly name: string;
  };
  /** `f` with a user VJP: `fwd` (outputs, residuals) and `bwd` (residuals, cotangents) are JS functions over flat tensor lists. */
  customVjpCall: {
    readonly fun: Jaxpr;
    readonly numConsts: number;
    readonly fwd: OpaqueFn<(...args: Tensor[]) => Tensor[]>;
    readonly bwd: OpaqueFn<(residuals: readonly Tensor[], cts: readonly Tensor[]) => Tensor[]>;
    readonly name: string;
  };
  /** The linear map of a `customVjp` function at a point: operands are residuals, then tangents; transposing calls `bwd`. */
  customLin: {
    readonly bwd: OpaqueFn<(residuals: readonly Tensor[], cts: readonly Tensor[]) => Tensor[]>;
    readonly numRes: number;
    readonly outAvals: readonly ShapedArray[];
    readonly name: string;
  };
  /** A rematerialized call: under reverse mode its intermediates are recomputed, except those `policy` saves. */
  checkpoint: {
    readonly jaxpr: Jaxpr;
    readonly numConsts: number;
    readonly policy: RematPolicy;
    readonly name: string;
  };
  /** Prints its operands (an effect: never removed, merged or folded); no outputs. */
  debugPrint: { readonly label: string };
  /** Running sum, product, maximum or minimum along `axis`, from the end when `reverse`. */
  cumulative: { readonly op: "add" | "mul" | "max" | "min"; readonly axis: number; readonly reverse: boolean };
  /**
   * Stable sort of equal-shaped operands along `dimension`, ordered lexicographically by the
   * first `numKeys` of them (NaN after every number, or before when `descending`); the others
   * are permuted along.
   */
  sort: { readonly dimension: number; readonly numKeys: number; readonly descending: boolean };
  /** `x` itself, after checking (now, or when a compiled program runs) that it holds no NaN; `op` and `what` name the caller. */
  checkNaN: { readonly op: string; readonly what: string };
}

/**
 * Which intermediates of a `checkpoint`ed function reverse mode keeps instead of recomputing (JAX's names).
 * @category Transforms
 */
export type RematPolicy = "nothingSaveable" | "dotsSaveable" | "everythingSaveable";

/**
 * A JS function held in a primitive's params (custom VJP rules): printed by its name, compared by
 * identity.
 */
export class OpaqueFn<F extends (...args: never[]) => unknown> {
  constructor(
    readonly fn: F,
    readonly name: string,
  ) {}

  toJSON(): string {
    return this.name;
  }
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


/** Eager kernel of a primitive on concrete tensors: one call into the backend. */
export type ImplRule<P extends PrimName> = (args: ConcreteTensor[], params: PrimParams[P]) => ConcreteTensor[];

/**
 * Lowering of an elementwise primitive to the kernel IR: its one result as an ALU expression of
 * its operands (`args[i]` stands for operand i, with its dtype). Fusion, the eager kernels and
 * every code generator work from this expression alone.
 */
export type LowerRule<P extends PrimName> = (args: AluExp[], params: PrimParams[P]) => AluExp;

/** The rules every primitive has. */
interface CommonRules<P extends PrimName> {
  readonly name: P;
  /** Shape/dtype rule (abstract evaluation); throws `ShapeError` on inputs that do not fit. */
  shape(avalsIn: ShapedArray[], params: PrimParams[P]): ShapedArray[];
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
   * A fused loop reads this primitive's result without materializing it (a broadcast): the result
   * axis each operand axis becomes.
   */
  readonly loopBroadcast?: (params: PrimParams[P]) => readonly number[];
  /** A fused loop accumulates this primitive (a reduction): the combining ALU op and the axes. */
  readonly loopReduction?: (params: PrimParams[P]) => { readonly op: "Add" | "Max"; readonly axes: readonly number[] };
  /**
   * Algebraic identity for the simplifier: the atom this equation equals (e.g. a transpose by the
   * identity permutation is its operand), an equivalent cheaper equation, or cheaper equations of
   * which the last defines this one's outputs; null when none applies. The context shows the
   * program simplified so far, to match short patterns. Identities of elementwise primitives need
   * no rule: the simplifier reads them off `lower`.
   */
  simplify?(eqn: Eqn<P>, context: SimplifyContext): Atom | Eqn | readonly Eqn[] | null;
  /** Set on primitives whose params hold whole programs (calls, control flow): never merged or folded. */
  readonly higherOrder?: true;
  /** Set on primitives with a side effect (printing): never removed as dead, merged or folded. */
  readonly effect?: true;
  /**
   * Call-like primitives: the jaxpr an equation runs and the operands it passes to it (a subset of
   * its own, in the jaxpr's input order). NaN checks re-run it equation by equation.
   */
  callee?<X>(inputs: readonly X[], params: PrimParams[P]): { readonly jaxpr: Jaxpr; readonly inputs: X[] };
  /**
   * Set on calls that mean nothing once derivatives are taken (custom derivative rules): the
   * planner replaces them by the equations of their `callee` when it compiles a jaxpr.
   */
  readonly inlinable?: true;
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
   * without it (or when it returns null) such an equation is staged whole.
   */
  partialEvalEqn?(eqn: Eqn<P>, unknownIns: readonly boolean[]): EqnSplit | null;
}

/**
 * Everything typegrad knows about one primitive. One file in `src/primitives/` defines one: an
 * elementwise primitive gives `lower` (its kernel follows from it), any other its own `impl`.
 */
export type PrimitiveDef<P extends PrimName> = CommonRules<P> &
  ({ readonly lower: LowerRule<P>; readonly impl?: never } | { readonly impl: ImplRule<P>; readonly lower?: never });

/** A primitive's rules as the registry completes them: every primitive has an eager kernel. */
export type PrimitiveRules<P extends PrimName> = CommonRules<P> & { readonly impl: ImplRule<P>; readonly lower?: LowerRule<P> };

/** Type-safe table over every primitive: a missing entry is a compile error. */
export type PrimTable = { readonly [P in PrimName]: PrimitiveDef<P> };

/** The completed table the transforms and the planner read. */
export type RuleTable = { readonly [P in PrimName]: PrimitiveRules<P> };

/**
 * What `gather` and the scatters do with a window that does not fit in the operand: `"clip"`
 * clamps its start so that it fits; `"fill"` gives `fillValue` for the whole window (gather) or
 * drops its updates (scatter), as JAX's `GatherScatterMode` `CLIP` and `FILL_OR_DROP`.
 */
export type GatherScatterMode = "clip" | "fill";

/**
 * Dimension numbers of `gather` and the scatters (a simplification of XLA's): the last axis of the
 * indices holds one start per operand axis in `axes`; the other index axes are batch axes. Each
 * batch position names a window of the operand (of `sliceSizes`, or the updates' shape for a
 * scatter) whose axes in `collapsed` (each of size 1) are dropped. Results and updates are laid
 * out batch axes first, then the window's remaining axes in operand order.
 */
export interface IndexDims {
  readonly axes: readonly number[];
  readonly collapsed: readonly number[];
  readonly mode: GatherScatterMode;
}

/** How `scatter` combines an update with the operand's element: JAX's `scatter`, `scatter_mul`, `scatter_min`, `scatter_max`. */
export type ScatterCombine = "set" | "mul" | "min" | "max";
