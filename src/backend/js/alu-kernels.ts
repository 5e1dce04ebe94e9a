/**
 * @file The eager JS kernels of the kernel IR: an elementwise primitive's lowered expression
 * (compiler/alu.ts) evaluated over whole arrays, one typed loop per ALU op. Results follow `alu.apply`
 * exactly: float32 values are rounded as each op stores them.
 */
import { allocate, type DType, type Storage } from "../../dtype.js";
import { ConcreteTensor } from "../../core/concrete.js";
import { apply, erf, type AluExp, type AluOp, type BinaryAluOp, type CompareAluOp, type UnaryAluOp } from "../../compiler/alu.js";

/** An eager kernel: operands of one shape in, the expression's value out. */
export type EagerKernel = (args: readonly ConcreteTensor[]) => ConcreteTensor;

/**
 * The eager kernel of `exp` (operand i read from `args[i]`, all of one shape; the result is of
 * `exp.dtype`). One op applied to the operands as they come, the common case, calls its loop
 * directly; anything else evaluates the expression node by node.
 */
export function aluKernel(exp: AluExp): EagerKernel {
  if (exp.kind === "op" && exp.args.every((a, i) => a.kind === "arg" && a.index === i)) {
    const { op, dtype } = exp;
    const inDtype = exp.args[0].dtype;
    if (exp.args.length === 2 && op !== "select") {
      const loop = binary(op, inDtype);
      return (args) => {
        const a = args[0].storage;
        const out = allocate(dtype, a.length, false);
        loop(a, args[1].storage, out, a.length);
        return ConcreteTensor.wrap(out, args[0].shape, dtype);
      };
    }
    if (exp.args.length === 1 && op !== "cast") {
      const loop = UNARY_LOOPS[op as UnaryAluOp];
      return (args) => {
        const a = args[0].storage;
        const out = allocate(dtype, a.length, false);
        loop(a, out, a.length);
        return ConcreteTensor.wrap(out, args[0].shape, dtype);
      };
    }
  }
  return (args) => runAlu(exp, args);
}

/** Evaluates `exp` with operand i read from `args[i]` (all of one shape); returns a tensor of `exp.dtype`. */
export function runAlu(exp: AluExp, args: readonly ConcreteTensor[]): ConcreteTensor {
  const n = args[0].storage.length;
  const out = valueOf(exp, args, n);
  // An expression that is one of its operands (or a constant) still gives a fresh tensor.
  return ConcreteTensor.wrap(exp.kind === "op" ? out : copyOf(out, exp.dtype, n), args[0].shape, exp.dtype);
}

/** The loop of a binary op on operands of `dtype`. */
function binary(op: AluOp, dtype: DType): Binary {
  if (dtype === "int32" && (op === "mul" || op === "div")) return INT_LOOPS[op];
  return BINARY_LOOPS[op as BinaryAluOp | CompareAluOp] ?? genericBinary(op, dtype);
}

function copyOf(src: Storage, dtype: DType, n: number): Storage {
  const out = allocate(dtype, n, false);
  (out as Float64Array).set(src as Float64Array);
  return out;
}

function valueOf(exp: AluExp, args: readonly ConcreteTensor[], n: number): Storage {
  if (exp.kind === "arg") return args[exp.index].storage;
  if (exp.kind === "const") {
    const filled = allocate(exp.dtype, n, false);
    filled.fill(exp.value);
    return filled;
  }
  const ins = exp.args.map((a) => valueOf(a, args, n));
  const out = allocate(exp.dtype, n, false);
  const inDtype = exp.args[0].dtype;
  if (ins.length === 3) selectLoop(ins[0], ins[1], ins[2], out, n);
  else if (exp.op === "cast") castLoop(exp.dtype, ins[0], out, n);
  else if (ins.length === 2) binary(exp.op, inDtype)(ins[0], ins[1], out, n);
  else UNARY_LOOPS[exp.op as UnaryAluOp](ins[0], out, n);
  return out;
}

type Unary = (a: Storage, out: Storage, n: number) => void;
type Binary = (a: Storage, b: Storage, out: Storage, n: number) => void;

// One small function per op, each with one loop: its element accesses see few array types, so the
// engine compiles each to straight-line arithmetic (one function switching over every op is
// measurably slower).

const UNARY_LOOPS: Record<UnaryAluOp, Unary> = {
  neg: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = -a[i];
  },
  abs: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.abs(a[i]);
  },
  sqrt: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.sqrt(a[i]);
  },
  exp: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.exp(a[i]);
  },
  log: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.log(a[i]);
  },
  tanh: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.tanh(a[i]);
  },
  sin: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.sin(a[i]);
  },
  cos: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.cos(a[i]);
  },
  erf: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = erf(a[i]);
  },
  expm1: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.expm1(a[i]);
  },
  log1p: (a, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.log1p(a[i]);
  },
};

const BINARY_LOOPS: Partial<Record<BinaryAluOp | CompareAluOp, Binary>> = {
  add: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
  },
  sub: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
  },
  mul: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
  },
  div: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
  },
  max: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.max(a[i], b[i]);
  },
  min: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.min(a[i], b[i]);
  },
  pow: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.pow(a[i], b[i]);
  },
  lt: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] < b[i] ? 1 : 0;
  },
  le: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] <= b[i] ? 1 : 0;
  },
  gt: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] > b[i] ? 1 : 0;
  },
  ge: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] >= b[i] ? 1 : 0;
  },
  eq: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] === b[i] ? 1 : 0;
  },
  ne: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = a[i] !== b[i] ? 1 : 0;
  },
};

/** int32 products wrap modulo 2^32 and quotients truncate, as in C and XLA. */
const INT_LOOPS: Record<"mul" | "div", Binary> = {
  mul: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.imul(a[i], b[i]);
  },
  div: (a, b, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.trunc(a[i] / b[i]);
  },
};

/** Binary ops without a dedicated loop (`shr`), through the scalar semantics. */
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
  else if (to === "int32") for (let i = 0; i < n; i++) out[i] = Math.trunc(a[i]);
  else (out as Float64Array).set(a as Float64Array);
}
