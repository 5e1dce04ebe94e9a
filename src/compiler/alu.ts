/**
 * @file The kernel IR: a small closed set of scalar ALU operations, the floor under the
 * elementwise primitives (in the spirit of tinygrad's ~25 ops and jax-js's `AluExp`). Each
 * elementwise primitive's `lower` rule writes it as an expression of these ops over its operands;
 * fusion joins such expressions into one loop, and every code generator (the eager JS kernels,
 * the generated JS loops, the WebAssembly SIMD loops) switches on ALU ops only, never on
 * primitive names. A new elementwise primitive is then its own file; a new ALU op touches this
 * file and each code generator.
 *
 * Semantics are per dtype, as the backends implement them: float ops are IEEE (float32 rounded
 * after every op), int32 `add`/`sub`/`mul` wrap modulo 2³², int32 `div` truncates toward zero,
 * `cast` to int32 truncates toward zero (NaN to 0, wrapping beyond 2³¹) and to bool is `x ≠ 0`.
 */
import type { DType } from "../dtype.js";

/** Every ALU op, by arity. This list is the kernel IR's instruction set. */
export const ALU_OPS = [
  // binary arithmetic
  "add", "sub", "mul", "div", "max", "min", "pow", "shr",
  // unary arithmetic and transcendental functions
  "neg", "abs", "sqrt", "exp", "log", "tanh", "sin", "cos", "erf", "expm1", "log1p",
  // comparisons (bool results)
  "lt", "le", "gt", "ge", "eq", "ne",
  // selection and conversion
  "select", "cast",
] as const;

/** An ALU operation. */
export type AluOp = (typeof ALU_OPS)[number];

/** The comparison ops (their result is bool). */
export type CompareAluOp = "lt" | "le" | "gt" | "ge" | "eq" | "ne";

/** Binary arithmetic ops: `int32` `shr` is the logical shift right of the bit pattern. */
export type BinaryAluOp = "add" | "sub" | "mul" | "div" | "max" | "min" | "pow" | "shr";

/** Unary ops of numbers. */
export type UnaryAluOp = "neg" | "abs" | "sqrt" | "exp" | "log" | "tanh" | "sin" | "cos" | "erf" | "expm1" | "log1p";

const ARITY: Record<AluOp, number> = {
  add: 2, sub: 2, mul: 2, div: 2, max: 2, min: 2, pow: 2, shr: 2,
  neg: 1, abs: 1, sqrt: 1, exp: 1, log: 1, tanh: 1, sin: 1, cos: 1, erf: 1, expm1: 1, log1p: 1,
  lt: 2, le: 2, gt: 2, ge: 2, eq: 2, ne: 2,
  select: 3, cast: 1,
};

/** The number of operands of `op`. */
export function arityOf(op: AluOp): number {
  return ARITY[op];
}

/** Whether `op` is a comparison. */
export function isComparison(op: AluOp): op is CompareAluOp {
  return op === "lt" || op === "le" || op === "gt" || op === "ge" || op === "eq" || op === "ne";
}

/**
 * An expression of the kernel IR: the `index`-th operand of the primitive being lowered, a
 * constant, or an op applied to expressions. `dtype` is the value's element type (`cast` converts
 * to its own dtype).
 */
export type AluExp =
  | { readonly kind: "arg"; readonly index: number; readonly dtype: DType }
  | { readonly kind: "const"; readonly value: number; readonly dtype: DType }
  | { readonly kind: "op"; readonly op: AluOp; readonly args: readonly AluExp[]; readonly dtype: DType };

const ARGS: Partial<Record<DType, AluExp[]>> = {};

/** The `index`-th operand, of `dtype` (one shared node per pair: eager kernels lower on every call). */
export function arg(index: number, dtype: DType): AluExp {
  const leaves = (ARGS[dtype] ??= []);
  return (leaves[index] ??= Object.freeze({ kind: "arg", index, dtype }));
}

/** `value` as a constant of `dtype`. */
export const constant = (value: number, dtype: DType): AluExp => ({ kind: "const", value, dtype });

function op(name: AluOp, args: readonly AluExp[], dtype: DType = args[0].dtype): AluExp {
  return { kind: "op", op: name, args, dtype };
}

/** Builders of ALU expressions, one per op (what `lower` rules are written with). */
export const alu = {
  add: (x: AluExp, y: AluExp) => op("add", [x, y]),
  sub: (x: AluExp, y: AluExp) => op("sub", [x, y]),
  mul: (x: AluExp, y: AluExp) => op("mul", [x, y]),
  div: (x: AluExp, y: AluExp) => op("div", [x, y]),
  max: (x: AluExp, y: AluExp) => op("max", [x, y]),
  min: (x: AluExp, y: AluExp) => op("min", [x, y]),
  pow: (x: AluExp, y: AluExp) => op("pow", [x, y]),
  shr: (x: AluExp, y: AluExp) => op("shr", [x, y]),
  neg: (x: AluExp) => op("neg", [x]),
  abs: (x: AluExp) => op("abs", [x]),
  sqrt: (x: AluExp) => op("sqrt", [x]),
  exp: (x: AluExp) => op("exp", [x]),
  log: (x: AluExp) => op("log", [x]),
  tanh: (x: AluExp) => op("tanh", [x]),
  sin: (x: AluExp) => op("sin", [x]),
  cos: (x: AluExp) => op("cos", [x]),
  erf: (x: AluExp) => op("erf", [x]),
  expm1: (x: AluExp) => op("expm1", [x]),
  log1p: (x: AluExp) => op("log1p", [x]),
  compare: (cmp: CompareAluOp, x: AluExp, y: AluExp) => op(cmp, [x, y], "bool"),
  select: (cond: AluExp, onTrue: AluExp, onFalse: AluExp) => op("select", [cond, onTrue, onFalse], onTrue.dtype),
  cast: (x: AluExp, dtype: DType) => op("cast", [x], dtype),
  /** A constant of `like`'s dtype. */
  constLike: (like: AluExp, value: number) => constant(value, like.dtype),
};

/** One instruction of a flattened kernel: an op on earlier values, or a constant. */
export type AluInstr =
  | { readonly op: AluOp; readonly args: readonly number[]; readonly dtype: DType }
  | { readonly op: "const"; readonly value: number; readonly args: readonly number[]; readonly dtype: DType };

/**
 * Appends `exp` to `program` as instructions (SSA: value k is input k for k < `base`, then one
 * value per instruction), with operand `i` of the expression read from value `operands[i]`.
 * Equal subexpressions share one instruction (by structure, via `seen`). Returns the value of
 * `exp`.
 */
export function flatten(exp: AluExp, operands: readonly number[], program: AluInstr[], base: number, seen: Map<string, number>): number {
  if (exp.kind === "arg") return operands[exp.index];
  const args = exp.kind === "op" ? exp.args.map((a) => flatten(a, operands, program, base, seen)) : [];
  const key = exp.kind === "const" ? `c${exp.dtype}:${Object.is(exp.value, -0) ? "-0" : exp.value}` : `${exp.op}:${exp.dtype}(${args.join(",")})`;
  const known = seen.get(key);
  if (known !== undefined) return known;
  program.push(exp.kind === "const" ? { op: "const", value: exp.value, args: [], dtype: exp.dtype } : { op: exp.op, args, dtype: exp.dtype });
  const value = base + program.length - 1;
  seen.set(key, value);
  return value;
}

/** A readable form of an instruction, e.g. `lt a b` or `cast[f32] t0`. */
export function showInstr(instr: AluInstr, ref: (value: number) => string, dtypeName: (d: DType) => string): string {
  if (instr.op === "const") return `const ${instr.value}`;
  const name = instr.op === "cast" ? `cast[${dtypeName(instr.dtype)}]` : instr.op;
  return `${name} ${instr.args.map(ref).join(" ")}`;
}

// ---- scalar semantics ----

/**
 * The value of `exp` on scalar operands, by the same rules the kernels follow (constant folding
 * and the reference the code generators are tested against).
 */
export function evaluate(exp: AluExp, operands: readonly number[]): number {
  if (exp.kind === "arg") return operands[exp.index];
  if (exp.kind === "const") return exp.value;
  const args = exp.args.map((a) => evaluate(a, operands));
  return store(exp.dtype, apply(exp.op, exp.args[0].dtype, exp.dtype, args));
}

/** `value` as stored in an array of `dtype`. */
export function store(dtype: DType, value: number): number {
  switch (dtype) {
    case "float32":
      return Math.fround(value);
    case "int32":
      return value | 0;
    case "bool":
      return value ? 1 : 0;
    default:
      return value;
  }
}

/** One op on scalars of dtype `inDtype` (the first operand's), before storing as `outDtype`. */
export function apply(name: AluOp, inDtype: DType, outDtype: DType, [a, b, c]: readonly number[]): number {
  const int = inDtype === "int32";
  switch (name) {
    case "add":
      return a + b;
    case "sub":
      return a - b;
    case "mul":
      return int ? Math.imul(a, b) : a * b;
    case "div":
      return int ? Math.trunc(a / b) : a / b;
    case "max":
      return Math.max(a, b);
    case "min":
      return Math.min(a, b);
    case "pow":
      return Math.pow(a, b);
    case "shr":
      return b >= 0 && b < 32 ? (a >>> b) | 0 : 0;
    case "neg":
      return -a;
    case "abs":
      return Math.abs(a);
    case "sqrt":
      return Math.sqrt(a);
    case "exp":
      return Math.exp(a);
    case "log":
      return Math.log(a);
    case "tanh":
      return Math.tanh(a);
    case "sin":
      return Math.sin(a);
    case "cos":
      return Math.cos(a);
    case "erf":
      return erf(a);
    case "expm1":
      return Math.expm1(a);
    case "log1p":
      return Math.log1p(a);
    case "lt":
      return a < b ? 1 : 0;
    case "le":
      return a <= b ? 1 : 0;
    case "gt":
      return a > b ? 1 : 0;
    case "ge":
      return a >= b ? 1 : 0;
    case "eq":
      return a === b ? 1 : 0;
    case "ne":
      return a !== b ? 1 : 0;
    case "select":
      return a ? b : c;
    case "cast":
      return outDtype === "bool" ? (a !== 0 ? 1 : 0) : outDtype === "int32" ? Math.trunc(a) : a;
  }
}

/**
 * The error function in float64, to within a few ulp: for |x| < 2.5 the everywhere-convergent
 * series `erf x = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))` (all terms positive, so no
 * cancellation), beyond it `1 − erfc x` with erfc from its continued fraction (Lentz's method).
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x); // erfc(6) < 2.2e-17: 1 in float64
  if (ax < 2.5) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum;
  }
  return Math.sign(x) * (1 - erfcLarge(ax));
}

/** erfc of x ≥ 2.5 by its continued fraction `e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))`. */
function erfcLarge(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}
