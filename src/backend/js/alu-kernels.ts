/**
 * @file The eager JS kernels of the kernel IR: an elementwise primitive's lowered expression
 * (compiler/alu.ts) evaluated over whole arrays, one typed loop per ALU op (not a closure per
 * element, so the engine compiles each to straight-line arithmetic). Results follow `alu.apply`
 * exactly: float32 values are rounded as each op stores them.
 */
import { allocate, type DType, type Storage } from "../../dtype.js";
import { ConcreteTensor } from "../../core/concrete.js";
import { apply, erf, type AluExp, type AluOp } from "../../compiler/alu.js";

/** Evaluates `exp` with operand i read from `args[i]` (all of one shape); returns a tensor of `exp.dtype`. */
export function runAlu(exp: AluExp, args: readonly ConcreteTensor[]): ConcreteTensor {
  const shape = args[0].shape;
  const n = args[0].storage.length;
  const out = valueOf(exp, args, n);
  // An expression that is one of its operands (or a constant) still gives a fresh tensor.
  return ConcreteTensor.wrap(exp.kind === "op" ? out : copyOf(out, exp.dtype, n), shape, exp.dtype);
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
  if (ins.length === 1) unaryLoop(exp.op, inDtype, exp.dtype, ins[0], out, n);
  else if (ins.length === 2) binaryLoop(exp.op, inDtype, ins[0], ins[1], out, n);
  else for (let i = 0; i < n; i++) out[i] = ins[0][i] ? ins[1][i] : ins[2][i]; // select
  return out;
}

function unaryLoop(op: AluOp, inDtype: DType, outDtype: DType, a: Storage, out: Storage, n: number): void {
  switch (op) {
    case "neg":
      for (let i = 0; i < n; i++) out[i] = -a[i];
      return;
    case "abs":
      for (let i = 0; i < n; i++) out[i] = Math.abs(a[i]);
      return;
    case "sqrt":
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(a[i]);
      return;
    case "exp":
      for (let i = 0; i < n; i++) out[i] = Math.exp(a[i]);
      return;
    case "log":
      for (let i = 0; i < n; i++) out[i] = Math.log(a[i]);
      return;
    case "tanh":
      for (let i = 0; i < n; i++) out[i] = Math.tanh(a[i]);
      return;
    case "sin":
      for (let i = 0; i < n; i++) out[i] = Math.sin(a[i]);
      return;
    case "cos":
      for (let i = 0; i < n; i++) out[i] = Math.cos(a[i]);
      return;
    case "erf":
      for (let i = 0; i < n; i++) out[i] = erf(a[i]);
      return;
    case "expm1":
      for (let i = 0; i < n; i++) out[i] = Math.expm1(a[i]);
      return;
    case "log1p":
      for (let i = 0; i < n; i++) out[i] = Math.log1p(a[i]);
      return;
    case "cast":
      if (outDtype === "bool") for (let i = 0; i < n; i++) out[i] = a[i] !== 0 ? 1 : 0;
      else if (outDtype === "int32") for (let i = 0; i < n; i++) out[i] = Math.trunc(a[i]);
      else (out as Float64Array).set(a as Float64Array);
      return;
    default:
      for (let i = 0; i < n; i++) out[i] = apply(op, inDtype, outDtype, [a[i]]);
  }
}

function binaryLoop(op: AluOp, inDtype: DType, a: Storage, b: Storage, out: Storage, n: number): void {
  switch (op) {
    case "add":
      for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
      return;
    case "sub":
      for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
      return;
    case "mul":
      // int32 products wrap modulo 2^32, as in C and XLA (a plain JS product would round above 2^53).
      if (inDtype === "int32") for (let i = 0; i < n; i++) out[i] = Math.imul(a[i], b[i]);
      else for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
      return;
    case "div":
      if (inDtype === "int32") for (let i = 0; i < n; i++) out[i] = Math.trunc(a[i] / b[i]);
      else for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
      return;
    case "max":
      for (let i = 0; i < n; i++) out[i] = Math.max(a[i], b[i]);
      return;
    case "min":
      for (let i = 0; i < n; i++) out[i] = Math.min(a[i], b[i]);
      return;
    case "pow":
      for (let i = 0; i < n; i++) out[i] = Math.pow(a[i], b[i]);
      return;
    case "lt":
      for (let i = 0; i < n; i++) out[i] = a[i] < b[i] ? 1 : 0;
      return;
    case "le":
      for (let i = 0; i < n; i++) out[i] = a[i] <= b[i] ? 1 : 0;
      return;
    case "gt":
      for (let i = 0; i < n; i++) out[i] = a[i] > b[i] ? 1 : 0;
      return;
    case "ge":
      for (let i = 0; i < n; i++) out[i] = a[i] >= b[i] ? 1 : 0;
      return;
    case "eq":
      for (let i = 0; i < n; i++) out[i] = a[i] === b[i] ? 1 : 0;
      return;
    case "ne":
      for (let i = 0; i < n; i++) out[i] = a[i] !== b[i] ? 1 : 0;
      return;
    default:
      for (let i = 0; i < n; i++) out[i] = apply(op, inDtype, inDtype, [a[i], b[i]]);
  }
}
