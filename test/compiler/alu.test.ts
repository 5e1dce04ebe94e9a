// The kernel IR (src/compiler/alu.ts): the eager JS kernels follow the scalar semantics `evaluate`
// for every ALU op and dtype; flattening shares equal subexpressions; kernels of one structure
// share one cache key.
import { describe, expect, test } from "vitest";
import { ALU_OPS, alu, arg, arityOf, constant, evaluate, flatten, isComparison, type AluExp, type AluInstr, type AluOp } from "../../src/compiler/alu.js";
import { aluKernel, runAlu } from "../../src/backend/js/alu-kernels.js";
import { ConcreteTensor } from "../../src/core/concrete.js";
import type { DType } from "../../src/dtype.js";
import * as ops from "../../src/core/ops.js";
import { jit, showKernels } from "../../src/index.js";

const VALUES = [-3.5, -1, -0.25, -0, 0, 1e-9, 0.5, 1, 2.75, 40, Infinity, -Infinity, NaN];
const INTS = [-7, -2, -1, 0, 1, 3, 31, 32, 2147483647, -2147483648];

/** The expression of `op` on operands of `dtype` (conditions bool), with its operands' dtypes. */
function expOf(op: AluOp, dtype: DType): { expr: AluExp; dtypes: DType[] } {
  if (op === "Select") return { expr: alu.Select(arg(0, "bool"), arg(1, dtype), arg(2, dtype)), dtypes: ["bool", dtype, dtype] };
  if (op === "Cast") return { expr: alu.Cast(arg(0, dtype), dtype === "float64" ? "int32" : "float64"), dtypes: [dtype] };
  const args = Array.from({ length: arityOf(op) }, (_, i) => arg(i, dtype));
  const expr: AluExp = { kind: "op", op, args, dtype: isComparison(op) ? "bool" : dtype };
  return { expr, dtypes: args.map(() => dtype) };
}

describe("kernel IR", () => {
  // every op on every dtype it takes (Shr is on int32 bit patterns only)
  const pairs = ALU_OPS.flatMap((op) => (["float64", "float32", "int32"] as const).map((d) => [op, d] as const)).filter(([op, d]) => op !== "Shr" || d === "int32");
  test.each(pairs)(
    "eager kernels of %s (%s) equal the scalar semantics",
    (op, dtype) => {
      const made = expOf(op, dtype);
      const pool = dtype === "int32" ? INTS : VALUES;
      const n = pool.length * pool.length;
      const values = made.dtypes.map((d, k) =>
        Array.from({ length: n }, (_, i) => (d === "bool" ? (i % 3 === 0 ? 1 : 0) : pool[k === 0 ? Math.floor(i / pool.length) : i % pool.length])),
      );
      const tensors = made.dtypes.map((d, k) => ConcreteTensor.fromValues(values[k], [n], d));
      const stored = tensors.map((t) => Array.from(t.storage));
      const expected = Array.from({ length: n }, (_, i) => evaluate(made.expr, stored.map((s) => s[i])));
      // the kernel the backend makes (a direct loop for one op) and the node-by-node evaluator
      for (const out of [aluKernel(made.expr)(tensors), runAlu(made.expr, tensors)]) {
        expect(Array.from(out.storage)).toEqual(expected);
        expect(out.dtype).toBe(made.expr.dtype);
      }
    },
  );

  test("flatten shares equal subexpressions and constants", () => {
    const x = arg(0, "float32");
    const sq = alu.Mul(x, x);
    const expr = alu.Add(alu.Mul(sq, constant(2, "float32")), alu.Mul(sq, constant(2, "float32")));
    const program: AluInstr[] = [];
    const out = flatten(expr, [0], program, 1, new Map());
    expect(program.map((i) => i.op)).toEqual(["Mul", "Const", "Mul", "Add"]);
    expect(out).toBe(4);
  });

  test("a composite lowering (sign: compares and selects) fuses into one loop and keeps ±0 and NaN", () => {
    const f = (x: ops.AnyTensor) => ops.mul(ops.sign(x), ops.exp(x));
    const listing = showKernels(f)(ops.fromValues([1, -2, 0, -0, NaN], [5], "float32"));
    expect(listing).toContain("fused loop");
    expect(listing).toMatch(/Select/);
    const y = Array.from(jit(f)(ops.fromValues([1, -2, 0, -0, NaN], [5], "float32")).storage as Float32Array);
    expect(y.slice(0, 2)).toEqual([Math.fround(Math.E), Math.fround(-Math.exp(-2))]);
    expect(Object.is(y[2], 0) && Object.is(y[3], -0) && Number.isNaN(y[4])).toBe(true);
  });
});
