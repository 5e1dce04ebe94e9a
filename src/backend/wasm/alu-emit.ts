/**
 * @file The SIMD code of kernel-IR instructions: each ALU op on float32 lanes as one instruction,
 * an inlined routine of vmath.ts (Exp, Log, Tanh) or an approximation written as ALU ops
 * (approx.ts: erf, expm1, log1p); bools are lane masks. The fused-loop generator (task-loop.ts)
 * emits every instruction of a kernel through `emitOp`.
 */
import type { FusedKernel, FusedOp } from "../../compiler/fusion.js";
import type { AluExp, AluOp } from "../../compiler/alu.js";
import { V128, type Code } from "./emit.js";
import { v } from "./simd.js";
import { emitExp, emitLog, emitTanh } from "./vmath.js";
import { APPROXIMATIONS } from "./approx.js";

/** ALU ops of f32 lanes that are one SIMD instruction. */
const LANEWISE: Partial<Record<AluOp, (c: Code) => Code>> = {
  Add: v.add, Sub: v.sub, Mul: v.mul, Div: v.div, Max: v.max, Min: v.min, Neg: v.neg, Abs: v.abs, Sqrt: v.sqrt,
  Lt: v.lt, Le: v.le, Gt: v.gt, Ge: v.ge, Eq: v.eq, Ne: v.ne,
  Floor: v.floor, Ceil: v.ceil, Round: v.nearest,
};
/** ALU ops inlined from vmath.ts. */
const INLINE: Partial<Record<AluOp, (c: Code, x: number) => number>> = { Exp: emitExp, Log: emitLog, Tanh: emitTanh };

/** Whether this lowering evaluates `op` (f32 lanes, bools as lane masks). */
export function emits(op: FusedOp, kernel: FusedKernel): boolean {
  if (op.op === "Const") return op.dtype === "float32";
  if (op.op === "Select") return op.dtype === "float32" && kernel.bool[op.args[0]];
  // a cast turns a mask into 0/1; comparisons and arithmetic take f32 lanes only
  if (op.op === "Cast") return op.dtype === "float32" && kernel.bool[op.args[0]];
  if (op.args.some((a) => kernel.bool[a])) return false;
  return op.op in LANEWISE || op.op in INLINE || op.op in APPROXIMATIONS;
}

/** Emits `op` on the v128 locals `args` (bools as lane masks); returns the local holding the result. */
export function emitOp(c: Code, op: FusedOp, args: number[]): number {
  if (op.op === "Const") {
    v.f32(c, op.value);
  } else if (op.op === "Select") {
    c.get(args[1]).get(args[2]).get(args[0]);
    v.bitselect(c);
  } else if (op.op === "Cast") {
    // a mask's all-ones lanes AND the bits of 1.0 give 1.0; zero lanes give +0
    c.get(args[0]);
    v.f32(c, 1);
    v.and(c);
  } else {
    const inline = INLINE[op.op];
    if (inline) return inline(c, args[0]);
    const approximation = APPROXIMATIONS[op.op];
    if (approximation) return emitTree(c, approximation, args, new Map());
    for (const a of args) c.get(a);
    LANEWISE[op.op]!(c);
  }
  const out = c.local(V128);
  c.set(out);
  return out;
}

/**
 * Emits an ALU expression tree whose operand i is in local `args[i]` (an approximation of an op);
 * a subexpression used twice is emitted once (`done`).
 */
function emitTree(c: Code, expr: AluExp, args: number[], done: Map<AluExp, number>): number {
  if (expr.kind === "arg") return args[expr.index];
  const known = done.get(expr);
  if (known !== undefined) return known;
  const ins = expr.kind === "op" ? expr.args.map((a) => emitTree(c, a, args, done)) : [];
  const instr: FusedOp = expr.kind === "const" ? { op: "Const", value: expr.value, args: [], dtype: expr.dtype } : { op: expr.op, args: ins.map((_, i) => i), dtype: expr.dtype };
  const out = emitOp(c, instr, ins);
  done.set(expr, out);
  return out;
}
