/**
 * @file The kernel IR: a small closed set of scalar ALU operations, the floor under the
 * elementwise primitives (in the spirit of tinygrad's ~25 ops and jax-js's `AluExp`). Each
 * elementwise primitive's `lower` rule writes it as an expression of these ops over its operands;
 * fusion joins such expressions into one loop, and every code generator (the eager JS kernels,
 * the generated JS loops, the WebAssembly SIMD loops) switches on ALU ops only, never on
 * primitive names. A new elementwise primitive is then its own file; a new ALU op touches this
 * file and each code generator. ALU ops are capitalized (`Add`, `Exp`, `Lt`) so that the kernel
 * IR never shares a name with a primitive (`alu.Add` builds an `Add`).
 *
 * Semantics are per dtype, as the backends implement them: float ops are IEEE (float32 rounded
 * after every op), int32 `Add`/`Sub`/`Mul` wrap modulo 2³², int32 `Div` truncates toward zero,
 * `Cast` to int32 truncates toward zero and saturates (NaN to 0, values past the int32 range to
 * its ends, as JAX converts) and to bool is `x ≠ 0`.
 */
import { saturatingInt32, type DType } from "../dtype.js";

/** Every ALU op, by arity. This list is the kernel IR's instruction set. */
export const ALU_OPS = [
  // binary arithmetic
  "Add", "Sub", "Mul", "Div", "Max", "Min", "Pow", "Shr",
  // unary arithmetic and transcendental functions
  "Neg", "Abs", "Sqrt", "Exp", "Log", "Tanh", "Sin", "Cos", "Erf", "Expm1", "Log1p",
  // comparisons (bool results)
  "Lt", "Le", "Gt", "Ge", "Eq", "Ne",
  // selection and conversion
  "Select", "Cast",
  // rounding (to an integral float) and the remainder of a truncated division
  "Floor", "Ceil", "Round", "Rem",
] as const;

/** An ALU operation. */
export type AluOp = (typeof ALU_OPS)[number];

/** The comparison ops (their result is bool). */
export type CompareAluOp = "Lt" | "Le" | "Gt" | "Ge" | "Eq" | "Ne";

/**
 * Binary arithmetic ops: `Shr` is the logical shift right of an int32 bit pattern, `Rem` the
 * remainder of the division truncated toward zero (C's `fmod`, JS's `%`: the sign of the dividend).
 */
export type BinaryAluOp = "Add" | "Sub" | "Mul" | "Div" | "Max" | "Min" | "Pow" | "Shr" | "Rem";

/** Unary ops of numbers (`Round` rounds half to even, as IEEE's roundTiesToEven and NumPy). */
export type UnaryAluOp = "Neg" | "Abs" | "Sqrt" | "Exp" | "Log" | "Tanh" | "Sin" | "Cos" | "Erf" | "Expm1" | "Log1p" | "Floor" | "Ceil" | "Round";

const ARITY: Record<AluOp, number> = {
  Add: 2, Sub: 2, Mul: 2, Div: 2, Max: 2, Min: 2, Pow: 2, Shr: 2,
  Neg: 1, Abs: 1, Sqrt: 1, Exp: 1, Log: 1, Tanh: 1, Sin: 1, Cos: 1, Erf: 1, Expm1: 1, Log1p: 1,
  Lt: 2, Le: 2, Gt: 2, Ge: 2, Eq: 2, Ne: 2,
  Select: 3, Cast: 1,
  Floor: 1, Ceil: 1, Round: 1, Rem: 2,
};

/** The number of operands of `op`. */
export function arityOf(op: AluOp): number {
  return ARITY[op];
}

/** Whether `op` is a comparison. */
export function isComparison(op: AluOp): op is CompareAluOp {
  return op === "Lt" || op === "Le" || op === "Gt" || op === "Ge" || op === "Eq" || op === "Ne";
}

/**
 * An expression of the kernel IR: the `index`-th operand of the primitive being lowered, a
 * constant, or an op applied to expressions. `dtype` is the value's element type (`Cast` converts
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

/** Builders of ALU expressions, one per op and named as it (what `lower` rules are written with). */
export const alu = {
  Add: (x: AluExp, y: AluExp) => op("Add", [x, y]),
  Sub: (x: AluExp, y: AluExp) => op("Sub", [x, y]),
  Mul: (x: AluExp, y: AluExp) => op("Mul", [x, y]),
  Div: (x: AluExp, y: AluExp) => op("Div", [x, y]),
  Max: (x: AluExp, y: AluExp) => op("Max", [x, y]),
  Min: (x: AluExp, y: AluExp) => op("Min", [x, y]),
  Pow: (x: AluExp, y: AluExp) => op("Pow", [x, y]),
  Shr: (x: AluExp, y: AluExp) => op("Shr", [x, y]),
  Neg: (x: AluExp) => op("Neg", [x]),
  Abs: (x: AluExp) => op("Abs", [x]),
  Sqrt: (x: AluExp) => op("Sqrt", [x]),
  Exp: (x: AluExp) => op("Exp", [x]),
  Log: (x: AluExp) => op("Log", [x]),
  Tanh: (x: AluExp) => op("Tanh", [x]),
  Sin: (x: AluExp) => op("Sin", [x]),
  Cos: (x: AluExp) => op("Cos", [x]),
  Erf: (x: AluExp) => op("Erf", [x]),
  Expm1: (x: AluExp) => op("Expm1", [x]),
  Log1p: (x: AluExp) => op("Log1p", [x]),
  Lt: (x: AluExp, y: AluExp) => op("Lt", [x, y], "bool"),
  Le: (x: AluExp, y: AluExp) => op("Le", [x, y], "bool"),
  Gt: (x: AluExp, y: AluExp) => op("Gt", [x, y], "bool"),
  Ge: (x: AluExp, y: AluExp) => op("Ge", [x, y], "bool"),
  Eq: (x: AluExp, y: AluExp) => op("Eq", [x, y], "bool"),
  Ne: (x: AluExp, y: AluExp) => op("Ne", [x, y], "bool"),
  Select: (cond: AluExp, onTrue: AluExp, onFalse: AluExp) => op("Select", [cond, onTrue, onFalse], onTrue.dtype),
  Cast: (x: AluExp, dtype: DType) => op("Cast", [x], dtype),
  Floor: (x: AluExp) => op("Floor", [x]),
  Ceil: (x: AluExp) => op("Ceil", [x]),
  Round: (x: AluExp) => op("Round", [x]),
  Rem: (x: AluExp, y: AluExp) => op("Rem", [x, y]),
  /** A constant of `like`'s dtype. */
  constLike: (like: AluExp, value: number) => constant(value, like.dtype),
};

/** One instruction of a flattened kernel: an op on earlier values, or a constant. */
export type AluInstr =
  | { readonly op: AluOp; readonly args: readonly number[]; readonly dtype: DType }
  | { readonly op: "Const"; readonly value: number; readonly args: readonly number[]; readonly dtype: DType };

/**
 * Appends `exp` to `program` as instructions (SSA: value k is input k for k < `base`, then one
 * value per instruction), with operand `i` of the expression read from value `operands[i]`.
 * Equal subexpressions share one instruction (by structure, via `seen`). Returns the value of
 * `exp`.
 */
export function flatten(expr: AluExp, operands: readonly number[], program: AluInstr[], base: number, seen: Map<string, number>): number {
  if (expr.kind === "arg") return operands[expr.index];
  const args = expr.kind === "op" ? expr.args.map((a) => flatten(a, operands, program, base, seen)) : [];
  const key = expr.kind === "const" ? `c${expr.dtype}:${Object.is(expr.value, -0) ? "-0" : expr.value}` : `${expr.op}:${expr.dtype}(${args.join(",")})`;
  const known = seen.get(key);
  if (known !== undefined) return known;
  program.push(expr.kind === "const" ? { op: "Const", value: expr.value, args: [], dtype: expr.dtype } : { op: expr.op, args, dtype: expr.dtype });
  const value = base + program.length - 1;
  seen.set(key, value);
  return value;
}

/** A readable form of an instruction, e.g. `Lt a b` or `Cast[f32] t0`. */
export function showInstr(instr: AluInstr, ref: (value: number) => string, dtypeName: (d: DType) => string): string {
  if (instr.op === "Const") return `Const ${instr.value}`;
  const name = instr.op === "Cast" ? `Cast[${dtypeName(instr.dtype)}]` : instr.op;
  return `${name} ${instr.args.map(ref).join(" ")}`;
}

// ---- scalar semantics ----

/**
 * The value of `exp` on scalar operands, by the same rules the kernels follow (constant folding
 * and the reference the code generators are tested against).
 */
export function evaluate(expr: AluExp, operands: readonly number[]): number {
  if (expr.kind === "arg") return operands[expr.index];
  if (expr.kind === "const") return expr.value;
  const args = expr.args.map((a) => evaluate(a, operands));
  return store(expr.dtype, apply(expr.op, expr.args[0].dtype, expr.dtype, args));
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
    case "Add":
      return a + b;
    case "Sub":
      return a - b;
    case "Mul":
      return int ? Math.imul(a, b) : a * b;
    case "Div":
      return int ? Math.trunc(a / b) : a / b;
    case "Max":
      return Math.max(a, b);
    case "Min":
      return Math.min(a, b);
    case "Pow":
      return Math.pow(a, b);
    case "Shr":
      return b >= 0 && b < 32 ? (a >>> b) | 0 : 0;
    case "Neg":
      return -a;
    case "Abs":
      return Math.abs(a);
    case "Sqrt":
      return Math.sqrt(a);
    case "Exp":
      return Math.exp(a);
    case "Log":
      return Math.log(a);
    case "Tanh":
      return Math.tanh(a);
    case "Sin":
      return Math.sin(a);
    case "Cos":
      return Math.cos(a);
    case "Erf":
      return erf64(a);
    case "Expm1":
      return Math.expm1(a);
    case "Log1p":
      return Math.log1p(a);
    case "Lt":
      return a < b ? 1 : 0;
    case "Le":
      return a <= b ? 1 : 0;
    case "Gt":
      return a > b ? 1 : 0;
    case "Ge":
      return a >= b ? 1 : 0;
    case "Eq":
      return a === b ? 1 : 0;
    case "Ne":
      return a !== b ? 1 : 0;
    case "Select":
      return a ? b : c;
    case "Cast":
      return outDtype === "bool" ? (a !== 0 ? 1 : 0) : outDtype === "int32" ? saturatingInt32(a) : a;
    case "Floor":
      return Math.floor(a);
    case "Ceil":
      return Math.ceil(a);
    case "Round":
      return roundHalfEven(a);
    case "Rem":
      return a % b;
  }
}

/**
 * `x` rounded to the nearest integer, halves to the even one (2.5 → 2, −3.5 → −4; ±0, ±∞ and NaN
 * as they are, and −0.4 → −0), as NumPy's `round` and WebAssembly's `nearest`. `Math.round`
 * rounds halves up; where it did so to an odd integer, step back.
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The error function in float64, to within a few ulp: for |x| < 2.5 the everywhere-convergent
 * series `erf x = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))` (all terms positive, so no
 * cancellation), beyond it `1 − erfc x` with erfc from its continued fraction (Lentz's method).
 */
export function erf64(x: number): number {
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
