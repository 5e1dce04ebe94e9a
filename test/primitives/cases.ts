/**
 * @file The case table of the primitive harness: for every primitive, a fast-check generator of
 * valid input shapes/dtypes and params, how to draw its input values (in "value" mode with ties,
 * zeros, NaN and infinities; in "smooth" mode away from every kink, so finite differences are
 * valid), and how to apply it through its `core/ops.ts` wrapper. Typed over `PrimName`, so a
 * primitive without a case fails `tsc` (and `all.test.ts` checks the same at run time).
 */
import fc from "fast-check";
import { erfOf } from "../../src/primitives/erf.js";
import { log1pOf } from "../../src/primitives/log1p.js";
import { expm1Of } from "../../src/primitives/expm1.js";
import { cumulativeOf } from "../../src/primitives/cumulative.js";
import { sortOf } from "../../src/primitives/sort.js";
import { isFloat, type DType } from "../../src/dtype.js";
import { ShapedArray } from "../../src/core/aval.js";
import { ConcreteTensor } from "../../src/core/concrete.js";
import { makeJaxprFlat } from "../../src/core/make-jaxpr.js";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import type { CompareOp, PrimName, PrimParams, WindowParams } from "../../src/core/primitive.js";
import { reduceWindowOf, selectAndGatherAddOf, selectAndScatterAddOf } from "../../src/primitives/_window.js";
import { floorOf } from "../../src/primitives/floor.js";
import { ceilOf } from "../../src/primitives/ceil.js";
import { roundOf } from "../../src/primitives/round.js";
import { remOf } from "../../src/primitives/rem.js";
import { jit } from "../../src/transforms/jit.js";
import type { Tol } from "../helpers/allclose.js";
import type { CheckName } from "../helpers/harness.js";
import { checkpointCase, customJvpCallCase, customLinCase, customVjpCallCase, debugPrintCase } from "./cases-custom.js";
import type { GradcheckOptions } from "../helpers/gradcheck.js";
import {
  Rng,
  dimArb,
  dotShapesArb,
  drawValues,
  padConfigArb,
  permutationArb,
  range,
  regroupArb,
  seedArb,
  shapeArb,
  shapeOfRank,
  sizeOf,
  sliceParamsArb,
  sprinkle,
  type ValueKind,
} from "../helpers/random-shapes.js";
import { tensor } from "../helpers/tensors.js";
import { COMMON_BODIES, type Body } from "./bodies.js";
import { condStructArb, drawCond, drawWhile, scanStructArb, whileStructArb } from "./control-cases.js";
import { gatherCase, scatterAddCase, scatterCase } from "./cases-indexing.js";
import { checkNaNOf } from "../../src/primitives/check-nan.js";

type T = AnyTensor;

/**
 * `value`: values for value/vmap/jit checks, including ties, ±0, NaN and ±∞.
 * `smooth`: float64 values away from kinks and ties, for derivative checks.
 */
export type Mode = "value" | "smooth";

/** One input of a case: its shape, dtype, and how its values are drawn in smooth mode. */
export interface InputSpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly kind: ValueKind;
}

/** The value-independent part of a case: input types and params. */
export interface Struct<P extends PrimName> {
  readonly inputs: readonly InputSpec[];
  readonly params: PrimParams[P];
}

/** How the harness exercises one primitive. */
export interface CaseDef<P extends PrimName> {
  readonly prim: P;
  /** The dtypes its value check runs in (float64 is always first; derivative checks use it). */
  readonly dtypes: readonly DType[];
  /** Its JVP is zero by definition rather than the derivative of its values (stopGradient). */
  readonly zeroDerivative?: boolean;
  /**
   * Reverse mode is refused by design (whileLoop, as in JAX): the reverse-mode checks assert that
   * the pullback fails with a `TraceError` that says so, instead of checking values.
   */
  readonly forwardOnly?: boolean;
  /**
   * Finite-difference step and tolerances for its derivative checks, where the defaults do not
   * fit (`dotRtol`: relative tolerance of the VJP dot-product test, default 1e-10).
   */
  readonly fd?: GradcheckOptions & { readonly dotRtol?: number };
  /** Tolerance of the float32 value check, when accumulation makes the default too tight. */
  readonly f32Tol?: Tol;
  /** Input types and params for a main dtype. */
  struct(dtype: DType, mode: Mode): fc.Arbitrary<Struct<P>>;
  /** Input values (one row-major array per input); default: each input by its kind. */
  draw?(rng: Rng, s: Struct<P>, mode: Mode): number[][];
  /** Applies the primitive through its `ops` wrapper. */
  apply(args: T[], params: PrimParams[P]): T[];
  /**
   * Checks the primitive refuses by design (forward mode through a custom VJP), each with the
   * error it must raise instead; the harness asserts that error.
   */
  readonly unsupported?: { readonly [C in CheckName]?: RegExp };
}

/** A generated case: a struct and values for it. */
export interface Case<P extends PrimName = PrimName> {
  readonly prim: P;
  readonly struct: Struct<P>;
  readonly values: number[][];
}

// ---- drawing values ----

/** Draws one input's values: its kind in smooth mode; general floats with corner values sprinkled in value mode. */
export function drawInput(rng: Rng, spec: InputSpec, mode: Mode): number[] {
  const n = sizeOf(spec.shape);
  if (!isFloat(spec.dtype)) return drawValues(rng, n, spec.kind);
  if (mode === "smooth") return drawValues(rng, n, spec.kind);
  return sprinkle(rng, drawValues(rng, n, "real"));
}

/** Draws values for every input of `s`, using the case's own drawing rule if it has one. */
export function drawCase<P extends PrimName>(def: CaseDef<P>, rng: Rng, s: Struct<P>, mode: Mode): number[][] {
  return def.draw ? def.draw(rng, s, mode) : s.inputs.map((spec) => drawInput(rng, spec, mode));
}

/** The tensors of a case's inputs. */
export function argsOf(s: Struct<PrimName>, values: readonly (readonly number[])[]): ConcreteTensor[] {
  return s.inputs.map((spec, i) => tensor(values[i], spec.shape, spec.dtype));
}

/** An arbitrary of complete cases of `def` in `dtype` and `mode`. */
export function caseArb<P extends PrimName>(def: CaseDef<P>, dtype: DType, mode: Mode): fc.Arbitrary<Case<P>> {
  return def
    .struct(dtype, mode)
    .chain((struct) => seedArb.map((seed) => printable({ prim: def.prim, struct, values: drawCase(def, new Rng(seed), struct, mode) })));
}

/** Gives a case a short rendering in fast-check's counterexample reports (a jaxpr param would print pages). */
export function printable<C extends Case>(c: C): C {
  return Object.assign(c, { [fc.toStringMethod]: () => describeCase(c) });
}

/** A case as `prim(f64[2,3], …) {params} values [[…], …]`, with long value lists cut short. */
export function describeCase(c: Case): string {
  const vals = c.values.map((v) => `[${v.slice(0, 12).join(", ")}${v.length > 12 ? `, … (${v.length})` : ""}]`);
  return `${c.prim}${describeStruct(c.struct)} values [${vals.join(", ")}]`;
}

/** A readable one-line description of a case's types and params (for failure messages). */
export function describeStruct(s: Struct<PrimName>): string {
  const ins = s.inputs.map((i) => `${i.dtype}[${i.shape.join(",")}]`).join(", ");
  const params = Object.entries(s.params as object)
    .map(([k, v]) => `${k}=${typeof v === "object" && v !== null && "eqns" in v ? "<jaxpr>" : JSON.stringify(v)}`)
    .join(", ");
  return `(${ins})${params ? ` {${params}}` : ""}`;
}

// ---- helpers for structs ----

/** The smooth-mode kind of a numeric input of `dtype`. */
function kindFor(dtype: DType, floatKind: ValueKind): ValueKind {
  if (dtype === "bool") return "bool";
  if (dtype === "int32") return floatKind === "nonzero" || floatKind === "positive" ? "intNonzero" : "int";
  return floatKind;
}

function input(shape: readonly number[], dtype: DType, floatKind: ValueKind = "real"): InputSpec {
  return { shape, dtype, kind: kindFor(dtype, floatKind) };
}

const noParams = {} as Record<string, never>;

function unaryDef<P extends PrimName>(
  prim: P,
  dtypes: readonly DType[],
  floatKind: ValueKind,
  apply: (x: T) => T,
): CaseDef<P> {
  return {
    prim,
    dtypes,
    struct: (dtype) => shapeArb().map((shape) => ({ inputs: [input(shape, dtype, floatKind)], params: noParams as PrimParams[P] })),
    apply: ([x]) => [apply(x)],
  };
}

function binaryDef<P extends PrimName>(
  prim: P,
  dtypes: readonly DType[],
  kinds: [ValueKind, ValueKind],
  apply: (x: T, y: T) => T,
  draw?: CaseDef<P>["draw"],
): CaseDef<P> {
  return {
    prim,
    dtypes,
    struct: (dtype) =>
      shapeArb().map((shape) => ({
        inputs: [input(shape, dtype, kinds[0]), input(shape, dtype, kinds[1])],
        params: noParams as PrimParams[P],
      })),
    draw,
    apply: ([x, y]) => [apply(x, y)],
  };
}

/**
 * Values of two equal-shaped operands for max/min/compare. Smooth: y = x ± (0.05…2), so no
 * element ties and finite differences never cross the switch. Value: about a quarter of the
 * elements tie exactly, plus the usual corner values.
 */
function pairDraw<P extends PrimName>(rng: Rng, s: Struct<P>, mode: Mode): number[][] {
  const [xs, ys] = s.inputs;
  const n = sizeOf(xs.shape);
  if (mode === "smooth") {
    const x = drawValues(rng, n, "real");
    return [x, x.map((v) => v + rng.sign() * rng.uniform(0.05, 2))];
  }
  const x = drawInput(rng, xs, mode);
  const y = drawInput(rng, ys, mode).map((v, i) => (rng.next() < 0.25 ? x[i] : v));
  return [x, y];
}

/** Values drawn for an input whose elements must be distinct in smooth mode (reduceMax, argmax). */
function distinctDraw<P extends PrimName>(rng: Rng, s: Struct<P>, mode: Mode): number[][] {
  return s.inputs.map((spec) => (mode === "smooth" && isFloat(spec.dtype) ? drawValues(rng, sizeOf(spec.shape), "distinct") : drawInput(rng, spec, mode)));
}

/** dotGeneral operands of `dtype` with random dimension numbers (see `dotShapesArb`). */
function dotStructArb(dtype: DType): fc.Arbitrary<Struct<"dotGeneral">> {
  return dotShapesArb().map(({ x, y, dims }) => ({ inputs: [input(x, dtype), input(y, dtype)], params: dims }));
}

// ---- jitCall: small staged programs ----



const inner = jit((a: T, b: T) => [ops.sub(ops.mul(a, a), ops.cos(b))], { name: "inner" });

const JIT_BODIES: readonly Body[] = [
  ...COMMON_BODIES,
  {
    name: "closure",
    shapes: shapeArb({ minRank: 1 }).map((s) => [s]),
    kinds: ["real"],
    build: ([s], dtype) => {
      const c = tensor(
        range(sizeOf(s)).map((i) => 0.5 + 0.25 * i),
        s,
        dtype,
      );
      return (x) => [ops.add(ops.mul(x, c), ops.broadcastInDim(ConcreteTensor.full([], 0.5, dtype), x.shape, []))];
    },
  },
  {
    name: "nestedJit",
    shapes: shapeArb().map((s) => [s, s]),
    kinds: ["real", "real"],
    build: () => (x, y) => [ops.neg(inner(x, y)[0]), ops.exp(y)],
  },
  {
    name: "relu",
    shapes: shapeArb().map((s) => [s]),
    kinds: ["nonzero"],
    build: () => (x) => [ops.max(x, ops.zerosLike(x))],
  },
];

function jitStructArb(dtype: DType): fc.Arbitrary<Struct<"jitCall">> {
  return fc
    .integer({ min: 0, max: JIT_BODIES.length - 1 })
    .chain((b) => JIT_BODIES[b].shapes.map((shapes) => ({ body: JIT_BODIES[b], shapes })))
    .map(({ body, shapes }) => {
      const closed = makeJaxprFlat(
        body.build(shapes, dtype),
        shapes.map((s) => new ShapedArray(s, dtype)),
      );
      const consts = closed.consts.map((c): InputSpec => input(c.shape, c.dtype));
      const args = shapes.map((s, i) => input(s, dtype, body.kinds[i]));
      return {
        inputs: [...consts, ...args],
        params: { jaxpr: closed.jaxpr, numConsts: closed.consts.length, name: body.name },
      };
    });
}

// ---- the table ----

const FLOATS: readonly DType[] = ["float64", "float32"];
const NUMERIC: readonly DType[] = ["float64", "float32", "int32"];
const ALL: readonly DType[] = ["float64", "float32", "int32", "bool"];
const COMPARE_OPS: readonly CompareOp[] = ["lt", "le", "gt", "ge", "eq", "ne"];

/** Every primitive's case definition. */
export const cases: { readonly [P in PrimName]: CaseDef<P> } = {
  neg: unaryDef("neg", NUMERIC, "real", ops.neg),
  exp: unaryDef("exp", FLOATS, "real", ops.exp),
  log: unaryDef("log", FLOATS, "positive", ops.log),
  sin: unaryDef("sin", FLOATS, "real", ops.sin),
  cos: unaryDef("cos", FLOATS, "real", ops.cos),
  sqrt: unaryDef("sqrt", FLOATS, "positive", ops.sqrt),
  tanh: unaryDef("tanh", FLOATS, "real", ops.tanh),
  erf: unaryDef("erf", FLOATS, "real", erfOf),
  log1p: unaryDef("log1p", FLOATS, "positive", log1pOf),
  expm1: unaryDef("expm1", FLOATS, "real", expm1Of),
  abs: unaryDef("abs", NUMERIC, "nonzero", ops.abs),
  sign: unaryDef("sign", NUMERIC, "nonzero", ops.sign),

  add: binaryDef("add", NUMERIC, ["real", "real"], ops.add),
  sub: binaryDef("sub", NUMERIC, ["real", "real"], ops.sub),
  mul: binaryDef("mul", NUMERIC, ["real", "real"], ops.mul),
  div: binaryDef("div", NUMERIC, ["real", "nonzero"], ops.div),
  max: binaryDef("max", NUMERIC, ["real", "real"], ops.max, pairDraw),
  min: binaryDef("min", NUMERIC, ["real", "real"], ops.min, pairDraw),
  pow: binaryDef("pow", FLOATS, ["positive", "real"], ops.pow),

  compare: {
    prim: "compare",
    dtypes: ALL,
    struct: (dtype) =>
      fc.tuple(shapeArb(), fc.constantFrom(...COMPARE_OPS)).map(([shape, op]) => ({
        inputs: [input(shape, dtype), input(shape, dtype)],
        params: { op },
      })),
    draw: pairDraw,
    apply: ([x, y], { op }) => [ops.compare(x, y, op)],
  },

  select: {
    prim: "select",
    dtypes: ALL,
    struct: (dtype) => shapeArb().map((shape) => ({ inputs: [input(shape, "bool"), input(shape, dtype), input(shape, dtype)], params: noParams })),
    apply: ([c, a, b]) => [ops.select(c, a, b)],
  },

  cast: {
    prim: "cast",
    dtypes: ALL,
    // Values stay 0.1 away from integers, so casts to int32/bool are locally constant. Float to
    // float casts are linear, so a large step is exact up to rounding, and rounding to float32
    // (6e-8 relative) is what limits these checks: hence the step and tolerances.
    fd: { eps: 1e-2, atol: 1e-4, rtol: 1e-4, dotRtol: 1e-6 },
    struct: (dtype) =>
      fc.tuple(shapeArb(), fc.constantFrom<DType>(...ALL)).map(([shape, to]) => ({ inputs: [input(shape, dtype, "awayFromInt")], params: { dtype: to } })),
    apply: ([x], { dtype }) => [ops.cast(x, dtype)],
  },

  stopGradient: { ...unaryDef("stopGradient", ALL, "real", ops.stopGradient), zeroDerivative: true },

  reduceSum: {
    prim: "reduceSum",
    dtypes: ALL,
    struct: (dtype) =>
      shapeArb()
        .chain((shape) => fc.tuple(fc.constant(shape), fc.shuffledSubarray(range(shape.length))))
        .map(([shape, axes]) => ({ inputs: [input(shape, dtype)], params: { axes } })),
    apply: ([x], { axes }) => [ops.reduceSum(x, axes)],
  },

  reduceMax: {
    prim: "reduceMax",
    dtypes: NUMERIC,
    // Dims ≥ 1: reduceMax rejects every zero-size operand (see reduce-max.test.ts).
    struct: (dtype) =>
      shapeArb({ minDim: 1 })
        .chain((shape) => fc.tuple(fc.constant(shape), fc.shuffledSubarray(range(shape.length))))
        .map(([shape, axes]) => ({ inputs: [input(shape, dtype)], params: { axes } })),
    draw: distinctDraw,
    apply: ([x], { axes }) => [ops.reduceMax(x, axes)],
  },

  argmax: {
    prim: "argmax",
    dtypes: NUMERIC,
    struct: (dtype) =>
      shapeArb({ minRank: 1 })
        .chain((shape) => fc.tuple(fc.constant(shape), fc.integer({ min: 0, max: shape.length - 1 }), dimArb(1, 5)))
        .map(([shape, axis, d]) => ({ inputs: [input(shape.map((s, i) => (i === axis ? d : s)), dtype)], params: { axis } })),
    draw: distinctDraw,
    apply: ([x], { axis }) => [ops.argmax(x, axis)],
  },

  checkIndices: {
    prim: "checkIndices",
    dtypes: ["int32"],
    // Values always in range here (the check passes); failures are in check-indices.test.ts.
    struct: (dtype) =>
      fc
        .tuple(shapeArb(), fc.integer({ min: -4, max: 2 }), fc.integer({ min: 1, max: 9 }))
        .map(([shape, lo, width]) => ({ inputs: [input(shape, dtype)], params: { op: "harness", what: "index", lo, hi: lo + width } })),
    draw: (rng, s) => [range(sizeOf(s.inputs[0].shape)).map(() => rng.int(s.params.lo, s.params.hi - 1))],
    apply: ([x], { op, what, lo, hi }) => [ops.checkIndices(x, op, what, lo, hi)],
  },

  reshape: {
    prim: "reshape",
    dtypes: ALL,
    struct: (dtype) =>
      fc
        .integer({ min: 0, max: 4 })
        .chain((k) => shapeOfRank(k))
        .chain((atoms) => fc.tuple(regroupArb(atoms), regroupArb(atoms)))
        .map(([from, to]) => ({ inputs: [input(from, dtype)], params: { shape: to } })),
    apply: ([x], { shape }) => [ops.reshape(x, shape)],
  },

  broadcastInDim: {
    prim: "broadcastInDim",
    dtypes: ALL,
    struct: (dtype) =>
      fc
        .integer({ min: 0, max: 4 })
        .chain((rank) => fc.tuple(shapeOfRank(rank), fc.subarray(range(rank))))
        .chain(([shape, dims]) => fc.tuple(fc.constant(shape), fc.constant(dims), fc.array(fc.boolean(), { minLength: dims.length, maxLength: dims.length })))
        .map(([shape, broadcastDims, stretch]) => ({
          inputs: [input(broadcastDims.map((d, i) => (stretch[i] ? 1 : shape[d])), dtype)],
          params: { shape, broadcastDims },
        })),
    apply: ([x], { shape, broadcastDims }) => [ops.broadcastInDim(x, shape, broadcastDims)],
  },

  transpose: {
    prim: "transpose",
    dtypes: ALL,
    struct: (dtype) =>
      shapeArb()
        .chain((shape) => fc.tuple(fc.constant(shape), permutationArb(shape.length)))
        .map(([shape, perm]) => ({ inputs: [input(shape, dtype)], params: { perm } })),
    apply: ([x], { perm }) => [ops.transpose(x, perm)],
  },

  slice: {
    prim: "slice",
    dtypes: ALL,
    struct: (dtype) =>
      shapeArb()
        .chain((shape) => fc.tuple(fc.constant(shape), sliceParamsArb(shape)))
        .map(([shape, params]) => ({ inputs: [input(shape, dtype)], params })),
    apply: ([x], { start, limit, strides }) => [ops.slice(x, start, limit, strides)],
  },

  pad: {
    prim: "pad",
    dtypes: NUMERIC,
    struct: (dtype) =>
      shapeArb()
        .chain((shape) => fc.tuple(fc.constant(shape), padConfigArb(shape), fc.constantFrom(0, -2, dtype === "int32" ? 3 : 1.5)))
        .map(([shape, config, value]) => ({ inputs: [input(shape, dtype)], params: { value, config } })),
    apply: ([x], { value, config }) => [ops.pad(x, value, config)],
  },

  concatenate: {
    prim: "concatenate",
    dtypes: ALL,
    struct: (dtype) =>
      fc
        .tuple(shapeArb({ minRank: 1 }), fc.integer({ min: 1, max: 3 }))
        .chain(([shape, n]) => fc.tuple(fc.constant(shape), fc.integer({ min: 0, max: shape.length - 1 }), fc.array(dimArb(), { minLength: n, maxLength: n })))
        .map(([shape, axis, sizes]) => ({
          inputs: sizes.map((d) => input(
            shape.map((s, i) => (i === axis ? d : s)),
            dtype,
          )),
          params: { axis },
        })),
    apply: (xs, { axis }) => [ops.concatenate(xs, axis)],
  },

  dotGeneral: {
    prim: "dotGeneral",
    dtypes: NUMERIC,
    f32Tol: { rtol: 1e-4, atol: 1e-3 },
    struct: dotStructArb,
    apply: ([x, y], dims) => [ops.dotGeneral(x, y, dims)],
  },

  shiftRightLogical: {
    prim: "shiftRightLogical",
    dtypes: ["int32"],
    struct: (dtype) => shapeArb().map((shape) => ({ inputs: [{ shape, dtype, kind: "bits" }, { shape, dtype, kind: "shift" }], params: noParams })),
    apply: ([x, y]) => [ops.shiftRightLogical(x, y)],
  },

  threefry2x32: {
    prim: "threefry2x32",
    dtypes: ["int32"],
    struct: (dtype) => shapeArb().map((shape) => ({ inputs: range(4).map((): InputSpec => ({ shape, dtype, kind: "bits" })), params: noParams })),
    apply: ([k0, k1, x0, x1]) => ops.threefry2x32(k0, k1, x0, x1),
  },

  jitCall: {
    prim: "jitCall",
    dtypes: FLOATS,
    f32Tol: { rtol: 1e-4, atol: 1e-4 },
    struct: jitStructArb,
    apply: (args, params) => ops.bind("jitCall", args, params),
  },

  conv2d: {
    prim: "conv2d",
    dtypes: FLOATS,
    f32Tol: { rtol: 1e-4, atol: 1e-3 },
    struct: (dtype) =>
      convGeometryArb().map((g) => ({
        inputs: [input([g.n, g.h, g.w, g.c], dtype), input([g.kh, g.kw, g.c, g.o], dtype)],
        params: { strides: g.strides, padding: g.padding },
      })),
    apply: ([x, w], window) => [ops.conv2d(x, w, window)],
  },

  conv2dBackpropInput: {
    prim: "conv2dBackpropInput",
    dtypes: FLOATS,
    f32Tol: { rtol: 1e-4, atol: 1e-3 },
    struct: (dtype) =>
      convGeometryArb().map((g) => ({
        inputs: [input([g.n, g.oh, g.ow, g.o], dtype), input([g.kh, g.kw, g.c, g.o], dtype)],
        params: { strides: g.strides, padding: g.padding, inputSize: [g.h, g.w] as const },
      })),
    apply: ([ct, w], params) => [ops.conv2dBackpropInput(ct, w, params)],
  },

  conv2dBackpropFilter: {
    prim: "conv2dBackpropFilter",
    dtypes: FLOATS,
    f32Tol: { rtol: 1e-4, atol: 1e-3 },
    struct: (dtype) =>
      convGeometryArb().map((g) => ({
        inputs: [input([g.n, g.h, g.w, g.c], dtype), input([g.n, g.oh, g.ow, g.o], dtype)],
        params: { strides: g.strides, padding: g.padding, kernelSize: [g.kh, g.kw] as const },
      })),
    apply: ([x, ct], params) => [ops.conv2dBackpropFilter(x, ct, params)],
  },

  scan: {
    prim: "scan",
    dtypes: FLOATS,
    f32Tol: { rtol: 1e-4, atol: 1e-4 },
    struct: scanStructArb,
    apply: (args, params) => ops.bind("scan", args, params),
  },

  cond: {
    prim: "cond",
    dtypes: FLOATS,
    struct: condStructArb,
    draw: (rng, s, mode) => drawCond(rng, s, mode, drawInput),
    apply: (args, params) => ops.bind("cond", args, params),
  },

  whileLoop: {
    prim: "whileLoop",
    dtypes: FLOATS,
    forwardOnly: true,
    f32Tol: { rtol: 1e-4, atol: 1e-4 },
    struct: whileStructArb,
    draw: (rng, s, mode) => drawWhile(rng, s, mode, drawInput),
    apply: (args, params) => ops.bind("whileLoop", args, params),
  },
  reduceWindow: {
    prim: "reduceWindow",
    dtypes: NUMERIC,
    f32Tol: { rtol: 1e-5, atol: 1e-5 },
    struct: (dtype) =>
      fc.tuple(shapeArb({ maxDim: 6 }), fc.constantFrom<"Add" | "Max">("Add", "Max")).chain(([shape, op]) =>
        windowParamsArb(shape).map((window) => ({ inputs: [input(shape, dtype)], params: { op, ...window } })),
      ),
    draw: distinctDraw,
    apply: ([x], { op, ...window }) => [reduceWindowOf(x, op, window)],
  },

  selectAndScatterAdd: {
    prim: "selectAndScatterAdd",
    dtypes: FLOATS,
    struct: (dtype) =>
      shapeArb({ maxDim: 6 }).chain((shape) =>
        windowParamsArb(shape).map((window) => ({
          inputs: [input(windowCounts(shape, window), dtype), input(shape, dtype)],
          params: window,
        })),
      ),
    // The operand only selects: distinct values in smooth mode, so no selection changes under a step.
    draw: (rng, s, mode) => [drawInput(rng, s.inputs[0], mode), ...distinctDraw(rng, { ...s, inputs: [s.inputs[1]] }, mode)],
    apply: ([source, operand], window) => [selectAndScatterAddOf(source, operand, window)],
  },

  selectAndGatherAdd: {
    prim: "selectAndGatherAdd",
    dtypes: FLOATS,
    struct: (dtype) =>
      shapeArb({ maxDim: 6 }).chain((shape) =>
        windowParamsArb(shape).map((window) => ({ inputs: [input(shape, dtype), input(shape, dtype)], params: window })),
      ),
    draw: (rng, s, mode) => [drawInput(rng, s.inputs[0], mode), ...distinctDraw(rng, { ...s, inputs: [s.inputs[1]] }, mode)],
    apply: ([tangent, operand], window) => [selectAndGatherAddOf(tangent, operand, window)],
  },
  floor: unaryDef("floor", FLOATS, "awayFromInt", floorOf),
  ceil: unaryDef("ceil", FLOATS, "awayFromInt", ceilOf),
  // Smooth: at least 0.1 from every half-integer (where round jumps); value: exact halves too.
  round: {
    ...unaryDef("round", FLOATS, "real", roundOf),
    draw: (rng, s, mode) => {
      const n = sizeOf(s.inputs[0].shape);
      if (mode === "smooth") return [range(n).map(() => rng.int(-3, 3) + rng.uniform(-0.4, 0.4))];
      return [drawInput(rng, s.inputs[0], mode).map((v) => (rng.next() < 0.3 ? rng.int(-4, 3) + 0.5 : v))];
    },
  },
  rem: binaryDef("rem", NUMERIC, ["real", "nonzero"], remOf),
  gather: gatherCase,
  scatterAdd: scatterAddCase,
  scatter: scatterCase,
  customJvpCall: customJvpCallCase,
  customVjpCall: customVjpCallCase,
  customLin: customLinCase,
  checkpoint: checkpointCase,
  debugPrint: debugPrintCase,

  cumulative: {
    prim: "cumulative",
    dtypes: NUMERIC,
    // Smooth values are distinct, so running maxima and minima never switch under a finite-difference step.
    struct: (dtype) =>
      shapeArb({ minRank: 1 })
        .chain((shape) =>
          fc.tuple(fc.constant(shape), fc.integer({ min: 0, max: shape.length - 1 }), fc.constantFrom(...CUMULATIVE_OPS), fc.boolean()),
        )
        .map(([shape, axis, op, reverse]) => ({ inputs: [input(shape, dtype, "distinct")], params: { op, axis, reverse } })),
    apply: ([x], params) => [cumulativeOf(x, params)],
  },

  sort: {
    prim: "sort",
    dtypes: ALL,
    // 1–3 operands, some payloads int32 (argsort's iota); smooth keys are distinct, so the
    // permutation is constant under a finite-difference step. Value mode has ties and NaN.
    struct: (dtype) =>
      fc
        .tuple(shapeArb({ minRank: 1 }), fc.integer({ min: 1, max: 3 }))
        .chain(([shape, count]) =>
          fc.tuple(
            fc.constant(shape),
            fc.integer({ min: 0, max: shape.length - 1 }),
            fc.integer({ min: 1, max: count }),
            fc.boolean(),
            fc.array(fc.boolean(), { minLength: count, maxLength: count }),
          ),
        )
        .map(([shape, dimension, numKeys, descending, intPayload]) => ({
          inputs: intPayload.map((asInt, i) =>
            i < numKeys ? input(shape, dtype, "distinct") : input(shape, asInt && dtype !== "bool" ? "int32" : dtype),
          ),
          params: { dimension, numKeys, descending },
        })),
    apply: (xs, params) => sortOf(xs, params),
  },
  // Values never NaN here (the check passes); failures are in check-nan.test.ts.
  checkNaN: {
    prim: "checkNaN",
    dtypes: FLOATS,
    struct: (dtype) => shapeArb().map((shape) => ({ inputs: [input(shape, dtype, "real")], params: { op: "harness", what: "value" } })),
    // the corner values of value mode, ±∞ and ±0 included, but no NaN
    draw: (rng, s, mode) => [drawInput(rng, s.inputs[0], mode).map((v) => (Number.isNaN(v) ? Infinity : v))],
    apply: ([x], { op, what }) => [checkNaNOf(x, op, what)],
  },
};

/**
 * Random windows over every dim of `shape`: sizes 1–3, strides 1–3, and padding below the window
 * size on each side (none on an empty dim), so every window holds an element of the operand (a
 * window of padding only has the constant maximum −∞, which finite differences cannot check).
 */
function windowParamsArb(shape: readonly number[]): fc.Arbitrary<WindowParams> {
  const dim = (d: number) =>
    fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.nat(2), fc.nat(2))
      .map(([w, s, lo, hi]) => (d === 0 ? [w, s, 0, 0] : [w, s, Math.min(lo, w - 1), Math.min(hi, w - 1)]));
  return fc.tuple(...shape.map(dim)).map((dims) => ({
    window: dims.map((t) => t[0]),
    strides: dims.map((t) => t[1]),
    padding: dims.map((t) => [t[2], t[3]] as const),
  }));
}

/** The number of windows along each dim of `shape`. */
function windowCounts(shape: readonly number[], { window, strides, padding }: WindowParams): number[] {
  return shape.map((d, i) => {
    const padded = d + padding[i][0] + padding[i][1];
    return padded < window[i] ? 0 : Math.floor((padded - window[i]) / strides[i]) + 1;
  });
}

const CUMULATIVE_OPS: readonly PrimParams["cumulative"]["op"][] = ["add", "mul", "max", "min"];

/** The sizes of a small 2-d convolution: input `[n, h, w, c]`, filter `[kh, kw, c, o]`, output `[n, oh, ow, o]`. */
interface ConvGeometry {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly o: number;
  readonly kh: number;
  readonly kw: number;
  readonly oh: number;
  readonly ow: number;
  readonly strides: readonly [number, number];
  readonly padding: readonly [readonly [number, number], readonly [number, number]];
}

/**
 * Random small convolutions: kernels 1–3 (1×1 often), strides 1–3, padding 0–2 on each side
 * (asymmetric), channels 0–3 (1 often), spatial dims raised where needed so the kernel fits.
 */
function convGeometryArb(): fc.Arbitrary<ConvGeometry> {
  const pad = fc.integer({ min: 0, max: 2 });
  return fc
    .record({
      n: dimArb(0, 2),
      h: dimArb(0, 6),
      w: dimArb(0, 6),
      c: dimArb(0, 3),
      o: dimArb(0, 3),
      kh: fc.integer({ min: 1, max: 3 }),
      kw: fc.integer({ min: 1, max: 3 }),
      sh: fc.integer({ min: 1, max: 3 }),
      sw: fc.integer({ min: 1, max: 3 }),
      pads: fc.tuple(pad, pad, pad, pad),
    })
    .map(({ n, h, w, c, o, kh, kw, sh, sw, pads: [t, b, l, r] }) => {
      const hh = Math.max(h, kh - t - b);
      const ww = Math.max(w, kw - l - r);
      const oh = Math.floor((hh + t + b - kh) / sh) + 1;
      const ow = Math.floor((ww + l + r - kw) / sw) + 1;
      return { n, h: hh, w: ww, c, o, kh, kw, oh, ow, strides: [sh, sw] as const, padding: [[t, b], [l, r]] as const };
    });
}
