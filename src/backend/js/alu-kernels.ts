/**
 * @file The eager JS kernels of the kernel IR: an elementwise primitive's lowered expression
 * (compiler/alu.ts) evaluated over whole arrays, one typed loop per ALU op. Results follow `alu.apply`
 * exactly: float32 values are rounded as each op stores them.
 */
import { allocate, saturatingInt32, type DType, type Storage } from "../../dtype.js";
import { ConcreteTensor } from "../../core/concrete.js";
import { apply, erf64, roundHalfEven, type AluExp, type AluOp, type BinaryAluOp, type CompareAluOp, type UnaryAluOp } from "../../compiler/alu.js";

/** An eager kernel: operands of one shape in, the expression's value out. */
export type EagerKernel = (args: readonly ConcreteTensor[]) => ConcreteTensor;

/**
 * The eager kernel of `exp` (operand i read from `args[i]`, all of one shape; the result is of
 * `exp.dtype`). One op applied to the operands as they come, the common case, calls its loop
 * directly; anything else evaluates the expression node by node.
 */
export function aluKernel(expr: AluExp): EagerKernel {
  if (expr.kind === "op" && expr.args.every((a, i) => a.kind === "arg" && a.index === i)) {
    const { op, dtype } = expr;
    const inDtype = expr.args[0].dtype;
    if (expr.args.length === 2 && op !== "Select") {
      const loop = binary(op, inDtype);
      return (args) => {
        const a = args[0].storage;
        const out = allocate(dtype, a.length, false);
        loop(a, args[1].storage, out, a.length);
        return ConcreteTensor.wrap(out, args[0].shape, dtype);
      };
    }
    if (expr.args.length === 1 && op !== "Cast") {
      const loop = UNARY_LOOPS[op as UnaryAluOp];
      return (args) => {
        const a = args[0].storage;
        const out = allocate(dtype, a.length, false);
        loop(a, out, a.length);
        return ConcreteTensor.wrap(out, args[0].shape, dtype);
      };
    }
  }
  return (args) => runAlu(expr, args);
}

/** Evaluates `exp` with operand i read from `args[i]` (all of one shape); returns a tensor of `exp.dtype`. */
export function runAlu(expr: AluExp, args: readonly ConcreteTensor[]): ConcreteTensor {
  const n = args[0].storage.length;
  const out = valueOf(expr, args, n);
  // An expression that is one of its operands (or a constant) still gives a fresh tensor.
  return ConcreteTensor.wrap(expr.kind === "op" ? out : copyOf(out, expr.dtype, n), args[0].shape, expr.dtype);
}

/** The loop of a binary op on operands of `dtype`. */
function binary(op: AluOp, dtype: DType): Binary {
  if (dtype === "int32" && (op === "Mul" || op === "Div")) return INT_LOOPS[op];
  return BINARY_LOOPS[op as BinaryAluOp | CompareAluOp] ?? genericBinary(op, dtype);
}

function copyOf(src: Storage, dtype: DType, n: number): Storage {
  const out = allocate(dtype, n, false);
  (out as Float64Array).set(src as Float64Array);
  return out;
}

function valueOf(expr: AluExp, args: readonly ConcreteTensor[], n: number): Storage {
  if (expr.kind === "arg") return args[expr.index].storage;
  if (expr.kind === "const") {
    const filled = allocate(expr.dtype, n, false);
    filled.fill(expr.value);
    return filled;
  }
  const ins = expr.args.map((a) => valueOf(a, args, n));
  const out = allocate(expr.dtype, n, false);
  const inDtype = expr.args[0].dtype;
  if (ins.length === 3) selectLoop(ins[0], ins[1], ins[2], out, n);
  else if (expr.op === "Cast") castLoop(expr.dtype, ins[0], out, n);
  else if (ins.length === 2) binary(expr.op, inDtype)(ins[0], ins[1], out, n);
  else UNARY_LOOPS[expr.op as UnaryAluOp](ins[0], out, n);
  return out;
}

type Unary = (a: Storage, out: Storage, n: number) => void;
type Binary = (a: Storage, b: Storage, out: Storage, n: number) => void;

// One small function per op, each with one loop: its element accesses see few array types, so the
// engine compiles each to straight-line arithmetic (one function switching over every op is
// measurably slower).

const UNARY_LOOPS: Record<UnaryAluOp, Unary> = {
  Neg: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = -a[i];
  },
  Abs: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.abs(a[i]);
  },
  Sqrt: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.sqrt(a[i]);
  },
  Exp: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.exp(a[i]);
  },
  Log: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.log(a[i]);
  },
  Tanh: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.tanh(a[i]);
  },
  Sin: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.sin(a[i]);
  },
  Cos: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.cos(a[i]);
  },
  Erf: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = erf64(a[i]);
  },
  Expm1: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.expm1(a[i]);
  },
  Log1p: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.log1p(a[i]);
  },
  Floor: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.floor(a[i]);
  },
  Ceil: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.ceil(a[i]);
  },
  Round: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = roundHalfEven(a[i]);
  },
};

const BINARY_LOOPS: Partial<Record<BinaryAluOp | CompareAluOp, Binary>> = {
  Add: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
  },
  Sub: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
  },
  Mul: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
  },
  Div: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
  },
  Max: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.max(a[i], b[i]);
  },
  Min: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.min(a[i], b[i]);
  },
  Pow: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.pow(a[i], b[i]);
  },
  // int32 too: a zero divisor gives NaN, which int32 storage holds as 0.
  Rem: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] % b[i];
  },
  Lt: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] < b[i] ? 1 : 0;
  },
  Le: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] <= b[i] ? 1 : 0;
  },
  Gt: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] > b[i] ? 1 : 0;
  },
  Ge: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] >= b[i] ? 1 : 0;
  },
  Eq: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] === b[i] ? 1 : 0;
  },
  Ne: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] !== b[i] ? 1 : 0;
  },
};

/** int32 products wrap modulo 2^32 and quotients truncate, as in C and XLA. */
const INT_LOOPS: Record<"Mul" | "Div", Binary> = {
  Mul: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.imul(a[i], b[i]);
  },
  Div: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.trunc(a[i] / b[i]);
  },
};

/** Binary ops without a dedicated loop (`Shr`), through the scalar semantics. */
function genericBinary(op: AluOp, dtype: DType): Binary {
  return (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = apply(op, dtype, dtype, [a[i], b[i]]);
  };
}

function selectLoop(c: Storage, a: Storage, b: Storage, out: Storage, n: number): void {
  for (let i = 0; i < n; i++) out[i] = c[i] ? a[i] : b[i];
}

function castLoop(to: DType, a: Storage, out: Storage, n: number): void {
  if (to === "bool") for (let i = 0; i < n; i++) out[i] = a[i] !== 0 ? 1 : 0;
  else if (to === "int32") for (let i = 0; i < n; i++) out[i] = saturatingInt32(a[i]);
  else (out as Float64Array).set(a as Float64Array);
}
