/**
 * @file Export rules of the elementwise primitives. Most are one ONNX op; where ONNX Runtime's
 * op differs from typegrad's semantics on some inputs, the rule writes a short composite that
 * keeps typegrad's (each says which inputs, and why):
 * - `sign` keeps −0 and NaN (ONNX `Sign` gives 0 for −0);
 * - `pow` follows JavaScript, where 1^NaN and (±1)^±∞ are NaN (C's `pow` gives 1);
 * - int32 `div` gives 0 for a zero divisor and wraps −2³¹ / −1 (ONNX would trap on both);
 * - int32 `rem` gives 0 for a zero divisor and for −2³¹ rem −1 (C's `%` traps on both);
 * - `cast` from float to int32 saturates (values past the int32 range and ±∞ to its ends, NaN
 *   to 0; ONNX's is undefined out of range);
 * - `expm1` and `log1p` have no ONNX op: they are written with exp/log in forms accurate near 0
 *   (Kahan's; the naive `exp(x) − 1` loses every digit of a small x);
 * - `shiftRightLogical` shifts uint32 bit patterns (`BitShift` takes no signed type) and gives 0
 *   for shift amounts outside [0, 32), as typegrad does;
 * - `checkIndices` becomes an assert: a `Gather` from the valid range, which ONNX Runtime refuses
 *   to run when an index is outside it (`Where` first sends values below `lo` past the end, since
 *   `Gather` would read negative indices from the back);
 * - `checkNaN` becomes an assert the same way: a `Gather` at index 1 (past the end) when any
 *   element is NaN, else of a 1 that the operand is multiplied by (exact, so the operand comes
 *   out as it went in, and the check stays in the graph while the value is used).
 */
import type { CompareOp } from "../../core/primitive.js";
import { isFloat } from "../../dtype.js";
import { int, str, ONNX_TYPE, type GraphBuilder, type Value } from "../graph.js";
import { DATA_TYPE, type OnnxType } from "../schema.js";
import type { AnyRule, ExportRules } from "./types.js";

const typeOf = (x: Value): OnnxType => ONNX_TYPE[x.aval.dtype];

/** A rule that is one ONNX op applied to the inputs in order. */
function direct(op: string): AnyRule {
  return ({ g }, xs) => [g.op(op, xs.map((x) => x.name))];
}

/** A rule of one ONNX op on numbers, and `boolOp` (an ONNX logical op) on bool operands. */
function numericOr(op: string, boolOp: string): AnyRule {
  return ({ g }, xs) => [g.op(xs[0].aval.dtype === "bool" ? boolOp : op, xs.map((x) => x.name))];
}

const COMPARE: Record<CompareOp, string> = { lt: "Less", le: "LessOrEqual", gt: "Greater", ge: "GreaterOrEqual", eq: "Equal", ne: "Equal" };

/** Whether float `x` is NaN or ±∞. */
function notFinite(g: GraphBuilder, x: string): string {
  return g.op("Or", [g.op("IsNaN", [x]), g.op("IsInf", [x])]);
}

/** int32 `x / y` truncated toward zero, 0 where `y` is 0, and −2³¹ / −1 wrapping to −2³¹. */
function int32Div(g: GraphBuilder, x: string, y: string): string {
  const zero = g.scalar("int32", 0);
  const minusOne = g.scalar("int32", -1);
  const byZero = g.op("Equal", [y, zero]);
  const byMinusOne = g.op("Equal", [y, minusOne]);
  const safe = g.op("Where", [g.op("Or", [byZero, byMinusOne]), g.scalar("int32", 1), y]);
  const quotient = g.op("Where", [byMinusOne, g.op("Neg", [x]), g.op("Div", [x, safe])]);
  return g.op("Where", [byZero, zero, quotient]);
}

/** int32 `x rem y` (the sign of `x`, as C's `%`), 0 where `y` is 0 or −1 (where `%` would trap or overflow; the remainder is 0 there anyway). */
function int32Rem(g: GraphBuilder, x: string, y: string): string {
  const zero = g.scalar("int32", 0);
  const trivial = g.op("Or", [g.op("Equal", [y, zero]), g.op("Equal", [y, g.scalar("int32", -1)])]);
  const safe = g.op("Where", [trivial, g.scalar("int32", 1), y]);
  return g.op("Where", [trivial, zero, g.op("Mod", [x, safe], { fmod: int(1) })]);
}

/** Float `x` to int32 as typegrad casts: truncated toward zero, saturated to the int32 range, NaN to 0. */
function floatToInt32(g: GraphBuilder, x: string, from: OnnxType): string {
  // In float64 every step is exact: NaN to 0, clamp to [−2³¹, 2³¹ − 1] (±∞ included), truncate
  // (fmod keeps the dividend's sign, so x − fmod(x, 1) is x truncated); the final cast is then exact
  // (ONNX leaves out-of-range conversions undefined).
  const d = g.cast(x, from, "float64");
  const c = (v: number) => g.scalar("float64", v);
  const number = g.op("Where", [g.op("IsNaN", [d]), c(0), d]);
  const clamped = g.op("Min", [g.op("Max", [number, c(-(2 ** 31))]), c(2 ** 31 - 1)]);
  const truncated = g.op("Sub", [clamped, g.op("Mod", [clamped, c(1)], { fmod: int(1) })]);
  return g.cast(truncated, "float64", "int32");
}

/** Export rules of the elementwise primitives (and `stopGradient`, `checkIndices`, `checkNaN`). */
export const elementwiseRules: ExportRules = {
  neg: direct("Neg"),
  exp: direct("Exp"),
  log: direct("Log"),
  sin: direct("Sin"),
  cos: direct("Cos"),
  sqrt: direct("Sqrt"),
  tanh: direct("Tanh"),
  erf: direct("Erf"),
  abs: direct("Abs"),
  add: direct("Add"),
  sub: direct("Sub"),
  mul: direct("Mul"),
  max: numericOr("Max", "Or"),
  min: numericOr("Min", "And"),
  // ONNX Runtime has no bool Where: bool branches select by logic
  select: ({ g }, [c, a, b]) =>
    a.aval.dtype === "bool"
      ? [g.op("Or", [g.op("And", [c.name, a.name]), g.op("And", [g.op("Not", [c.name]), b.name])])]
      : [g.op("Where", [c.name, a.name, b.name])],
  stopGradient: direct("Identity"),
  floor: direct("Floor"),
  ceil: direct("Ceil"),
  // ONNX's Round rounds halves to even, as typegrad's.
  round: direct("Round"),
  // fmod = 1: the remainder of the truncated division (the sign of x), as typegrad's, exact.
  rem: ({ g }, [x, y]) => [x.aval.dtype === "int32" ? int32Rem(g, x.name, y.name) : g.op("Mod", [x.name, y.name], { fmod: int(1) })],

  // log1p x = x · log(u) / (u − 1) with u = 1 + x rounded (Goldberg), x itself where u = 1, +∞ at +∞
  log1p: ({ g }, [x]) => {
    const t = typeOf(x);
    const one = g.scalar(t, 1);
    const u = g.op("Add", [one, x.name]);
    const general = g.op("Div", [g.op("Mul", [g.op("Log", [u]), x.name]), g.op("Sub", [u, one])]);
    const atInf = g.op("Where", [g.op("IsInf", [u], { detect_negative: int(0) }), u, general]);
    return [g.op("Where", [g.op("Equal", [u, one]), x.name, atInf])];
  },

  // expm1 x = (u − 1) · x / log(u) with u = eˣ rounded (Kahan), x where u = 1, −1 where u − 1 = −1, +∞ at +∞
  expm1: ({ g }, [x]) => {
    const t = typeOf(x);
    const one = g.scalar(t, 1);
    const minusOne = g.scalar(t, -1);
    const u = g.op("Exp", [x.name]);
    const um1 = g.op("Sub", [u, one]);
    const general = g.op("Div", [g.op("Mul", [um1, x.name]), g.op("Log", [u])]);
    const atInf = g.op("Where", [g.op("IsInf", [u], { detect_negative: int(0) }), u, general]);
    const atMinusOne = g.op("Where", [g.op("Equal", [um1, minusOne]), minusOne, atInf]);
    return [g.op("Where", [g.op("Equal", [u, one]), x.name, atMinusOne])];
  },

  // sign x = 1 for x > 0, −1 for x < 0, x itself otherwise (±0 and NaN), as typegrad's lowering
  sign: ({ g }, [x]) => {
    const t = typeOf(x);
    const zero = g.scalar(t, 0);
    const negative = g.op("Where", [g.op("Less", [x.name, zero]), g.scalar(t, -1), x.name]);
    return [g.op("Where", [g.op("Greater", [x.name, zero]), g.scalar(t, 1), negative])];
  },

  div: ({ g }, [x, y]) => [x.aval.dtype === "int32" ? int32Div(g, x.name, y.name) : g.op("Div", [x.name, y.name])],

  pow: ({ g }, [x, y]) => {
    const z = g.op("Pow", [x.name, y.name]);
    if (!isFloat(x.aval.dtype)) return [z];
    const t = typeOf(x);
    const unitBase = g.op("Equal", [g.op("Abs", [x.name]), g.scalar(t, 1)]);
    const jsNaN = g.op("And", [unitBase, notFinite(g, y.name)]);
    return [g.op("Where", [jsNaN, g.scalar(t, NaN), z])];
  },

  compare: ({ g }, [x, y], { op }) => {
    // Less & co. take no bool operands: compare them as 0 and 1
    const asNumber = (v: Value) => (v.aval.dtype === "bool" && op !== "eq" && op !== "ne" ? g.cast(v.name, "bool", "int32") : v.name);
    const out = g.op(COMPARE[op], [asNumber(x), asNumber(y)]);
    return [op === "ne" ? g.op("Not", [out]) : out];
  },

  cast: ({ g }, [x], { dtype }) => {
    const from = typeOf(x);
    if (isFloat(x.aval.dtype) && dtype === "int32") return [floatToInt32(g, x.name, from)];
    return [g.op("Cast", [x.name], { to: int(DATA_TYPE[ONNX_TYPE[dtype]]) })];
  },

  shiftRightLogical: ({ g }, [x, y]) => {
    const zero = g.scalar("int32", 0);
    const inRange = g.op("And", [g.op("GreaterOrEqual", [y.name, zero]), g.op("Less", [y.name, g.scalar("int32", 32)])]);
    const amount = g.cast(g.op("Where", [inRange, y.name, zero]), "int32", "uint32");
    const shifted = g.op("BitShift", [g.cast(x.name, "int32", "uint32"), amount], { direction: str("RIGHT") });
    return [g.op("Where", [inRange, g.cast(shifted, "uint32", "int32"), zero])];
  },

  checkNaN: ({ g }, [x]) => {
    const t = typeOf(x);
    const nans = g.op("ReduceSum", [g.cast(g.op("IsNaN", [x.name]), "bool", "int32")], { keepdims: int(0) });
    const index = g.cast(g.op("Min", [nans, g.scalar("int32", 1)]), "int32", "int64");
    return [g.op("Mul", [x.name, g.op("Gather", [g.constant(t, [1], [1]), index], { axis: int(0) })])];
  },

  checkIndices: ({ g }, [x], { lo, hi }) => {
    const index = g.op("Sub", [g.cast(x.name, "int32", "int64"), g.scalar("int64", lo)]);
    const belowRange = g.op("Less", [index, g.scalar("int64", 0)]);
    const checked = g.op("Where", [belowRange, g.scalar("int64", hi - lo), index]);
    const valid = g.op("Range", [g.scalar("int32", lo), g.scalar("int32", hi), g.scalar("int32", 1)]);
    return [g.op("Gather", [valid, checked], { axis: int(0) })];
  },
};
