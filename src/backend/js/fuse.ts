/**
 * @file The JS lowering of a fused kernel (compiler/fusion.ts): one generated loop that reads each
 * input once, keeps intermediates in locals, accumulates reductions and writes only the kernel's
 * outputs. For float32 every intermediate is rounded with `Math.fround`, exactly as storing it
 * would, so fused and unfused results are identical; sums accumulate in float64 as the reduce
 * kernel does. The loop's sizes (element count, periods of row and column reads, reduction
 * lengths) are arguments, so loops that differ only in size share one compiled function.
 */
import { ConcreteTensor } from "../../core/concrete.js";
import { structureKey, type FusedKernel } from "../../compiler/fusion.js";
import { erf64, roundHalfEven, type AluOp } from "../../compiler/alu.js";
import { allocate } from "../../dtype.js";
import type { KernelRun } from "../backend.js";
import { LruMap } from "../../internal/lru.js";

/**
 * How each ALU op reads as a JS expression of its operands. Fused loops compute in their float
 * dtype (bools are JS booleans in the loop), so the int32 forms of the eager kernels never occur.
 */
const EXPRESSIONS: Record<AluOp, (args: string[]) => string> = {
  Add: ([a, b]) => `${a} + ${b}`,
  Sub: ([a, b]) => `${a} - ${b}`,
  Mul: ([a, b]) => `${a} * ${b}`,
  Div: ([a, b]) => `${a} / ${b}`,
  Max: ([a, b]) => `Math.max(${a}, ${b})`,
  Min: ([a, b]) => `Math.min(${a}, ${b})`,
  Pow: ([a, b]) => `Math.pow(${a}, ${b})`,
  Shr: ([a, b]) => `(${b} >= 0 && ${b} < 32 ? (${a} >>> ${b}) | 0 : 0)`,
  Neg: ([a]) => `-${a}`,
  Abs: ([a]) => `Math.abs(${a})`,
  Sqrt: ([a]) => `Math.sqrt(${a})`,
  Exp: ([a]) => `Math.exp(${a})`,
  Log: ([a]) => `Math.log(${a})`,
  Tanh: ([a]) => `Math.tanh(${a})`,
  Sin: ([a]) => `Math.sin(${a})`,
  Cos: ([a]) => `Math.cos(${a})`,
  Erf: ([a]) => `erf64(${a})`,
  Expm1: ([a]) => `Math.expm1(${a})`,
  Log1p: ([a]) => `Math.log1p(${a})`,
  Lt: ([a, b]) => `${a} < ${b}`,
  Le: ([a, b]) => `${a} <= ${b}`,
  Gt: ([a, b]) => `${a} > ${b}`,
  Ge: ([a, b]) => `${a} >= ${b}`,
  Eq: ([a, b]) => `${a} === ${b}`,
  Ne: ([a, b]) => `${a} !== ${b}`,
  Select: ([c, a, b]) => `${c} ? ${a} : ${b}`,
  Cast: ([a]) => a,
  Floor: ([a]) => `Math.floor(${a})`,
  Ceil: ([a]) => `Math.ceil(${a})`,
  Round: ([a]) => `roundHalfEven(${a})`,
  Rem: ([a, b]) => `${a} % ${b}`,
};

/**
 * The sizes `kernel`'s loop takes as `dims`: per input its period (row reads) or repeat (column
 * reads), else 0; then per reduction its number of results (leading axes) or its length.
 */
function dimsOf(kernel: FusedKernel): number[] {
  const reads = kernel.access.map((a) => (a.kind === "row" ? a.period : a.kind === "column" ? a.repeat : 0));
  return [...reads, ...kernel.reductions.map((r) => (r.strided ? r.rows : r.length))];
}

/** The generated JS source of `kernel`'s loop (also what the kernel dump shows); its sizes are read from `dims` (`dimsOf`). */
export function jsSource(kernel: FusedKernel): string {
  const round = (expr: string) => (kernel.dtype === "float32" ? `Math.fround(${expr})` : expr);
  const n = kernel.inputs.length;
  const read = (k: number): string => {
    const a = kernel.access[k];
    const index = a.kind === "row" ? `i % p${k}` : a.kind === "column" ? `(i / p${k}) | 0` : "i";
    // Bool arrays hold 0/1 bytes; in the loop they are booleans.
    return kernel.bool[k] ? `(a${k}[${index}] === 1)` : `a${k}[${index}]`;
  };
  const name = (i: number) => (i < n ? (kernel.scalar[i] ? `s${i}` : read(i)) : `t${i - n}`);
  const hoisted: string[] = [];
  const body: string[] = [];
  for (let k = 0; k < n; k++) hoisted.push(kernel.scalar[k] ? `const s${k} = ins[${k}][0]${kernel.bool[k] ? " === 1" : ""};` : `const a${k} = ins[${k}];`);
  kernel.access.forEach((a, k) => {
    if (a.kind === "row" || a.kind === "column") hoisted.push(`const p${k} = dims[${k}];`);
  });
  kernel.reductions.forEach((_, q) => hoisted.push(`const d${q} = dims[${n + q}];`));
  kernel.ops.forEach((op, j) => {
    const args = op.args.map((a) => `(${name(a)})`);
    let expr: string;
    if (op.op === "Const") expr = round(Object.is(op.value, -0) ? "-0" : String(op.value));
    else if (op.dtype === "bool") expr = op.op === "Cast" ? `${args[0]} !== 0` : EXPRESSIONS[op.op](args);
    else if (op.op === "Cast") expr = kernel.bool[op.args[0]] ? `${args[0]} ? 1 : 0` : round(args[0]);
    else expr = round(EXPRESSIONS[op.op](args));
    (kernel.scalar[n + j] ? hoisted : body).push(`const t${j} = ${expr};`);
  });
  const m = kernel.outputs.length;
  const after: string[] = [];
  kernel.reductions.forEach((r, q) => {
    const init = r.op === "Add" ? "0" : "-Infinity";
    if (r.strided) {
      // one float64 accumulator per result, the rows added in order (as the eager reduce kernel)
      hoisted.push(`const r${q} = new Float64Array(d${q}); let at${q} = 0;`);
      after.push(`outs[${m + q}].set(r${q});`);
      return;
    }
    // accumulator, elements left in the current run, and the next result's index
    hoisted.push(`let r${q} = ${init}, left${q} = d${q}, at${q} = 0;`);
  });
  kernel.outputs.forEach((o, q) => body.push(`outs[${q}][i] = ${kernel.bool[o.value] ? `${name(o.value)} ? 1 : 0` : name(o.value)};`));
  kernel.reductions.forEach((r, q) => {
    const init = r.op === "Add" ? "0" : "-Infinity";
    if (r.strided) {
      body.push(`r${q}[at${q}] += ${name(r.value)};`);
      body.push(`if (++at${q} === d${q}) at${q} = 0;`);
      return;
    }
    body.push(r.op === "Add" ? `r${q} += ${name(r.value)};` : `r${q} = Math.max(r${q}, ${name(r.value)});`);
    body.push(`if (--left${q} === 0) { outs[${m + q}][at${q}++] = r${q}; r${q} = ${init}; left${q} = d${q}; }`);
  });
  return `${hoisted.join("\n")}\nfor (let i = 0; i < n; i++) {\n  ${body.join("\n  ")}\n}${after.length ? `\n${after.join("\n")}` : ""}`;
}

type Loop = (ins: ArrayLike<number>[], outs: ArrayLike<number>[], n: number, dims: readonly number[]) => void;

/**
 * Compiled loops by kernel structure (`structureKey`: sizes are arguments), so equal loops in
 * different programs, and at different sizes, compile once (the most recently used 512).
 */
const loops = new LruMap<string, Loop>(512);
/** Loops compiled so far, evicted ones included (tests). */
let compiledCount = 0;

/** How many JS loops were ever compiled (tests count them). */
export function compiledJsLoops(): number {
  return compiledCount;
}

/** Lowers `kernel` to a JS loop (the caller checked `codegenAvailable`). */
export function compileJs(kernel: FusedKernel): KernelRun {
  const key = structureKey(kernel);
  let loop = loops.get(key);
  if (loop === undefined) {
    // The loop's helpers (functions Math lacks) are passed in, not looked up globally.
    const make = new Function("erf64", "roundHalfEven", `return (ins, outs, n, dims) => {\n${jsSource(kernel)}\n};`) as (
      erfFn: typeof erf64,
      roundFn: typeof roundHalfEven,
    ) => Loop;
    loop = make(erf64, roundHalfEven);
    compiledCount++;
    loops.set(key, loop);
  }
  const run = loop;
  const { dtype, shape, size } = kernel;
  const outDtypes = kernel.outputs.map((o) => (kernel.bool[o.value] ? "bool" : dtype));
  const reduced = kernel.reductions.map((r) => ({ rows: r.rows, shape: r.out.aval.shape as number[] }));
  const dims = dimsOf(kernel);
  return (ins) => {
    const outs = outDtypes.map((d) => allocate(d, size, false));
    const results = reduced.map((r) => allocate(dtype, r.rows, false));
    run(
      ins.map((t) => t.storage),
      [...outs, ...results],
      size,
      dims,
    );
    return [
      ...outs.map((o, q) => ConcreteTensor.wrap(o, shape, outDtypes[q])),
      ...results.map((o, q) => ConcreteTensor.wrap(o, reduced[q].shape, dtype)),
    ];
  };
}

let available: boolean | undefined;

/** Whether this platform lets us generate code (a strict content security policy may not). */
export function codegenAvailable(): boolean {
  if (available === undefined) {
    try {
      available = new Function("return 1")() === 1;
    } catch {
      available = false;
    }
  }
  return available;
}
