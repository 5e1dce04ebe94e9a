/**
 * 05 — Automatic vs numerical differentiation. The gradient of f(w) = Σ tanh(w·x)·x with respect
 * to n parameters, three ways: the exact formula, central finite differences (2n evaluations of f,
 * and an error that depends on the step size), and `grad` (one forward and one backward pass,
 * exact to rounding). The traced program of the gradient is printed at the end.
 */
import { abs, fromArray, grad, makeJaxpr, max, mul, random, square, sub, sum, tanh, type Tensor } from "../src/index.js";
import * as E from "fp-ts/lib/Either.js";
import { isMain, logger, type RunOptions } from "./lib/run.js";

function numericalGradient(f: (w: Tensor<[number], "float64">) => number, w: Float64Array, eps: number): Float64Array {
  const g = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const plus = w.slice();
    const minus = w.slice();
    plus[i] += eps;
    minus[i] -= eps;
    g[i] = (f(vector(plus)) - f(vector(minus))) / (2 * eps);
  }
  return g;
}

const vector = (v: Float64Array) => E.getOrElseW((e: Error) => { throw e; })(fromArray(v, [v.length]));

export async function run(options: RunOptions = {}) {
  const log = logger(options);
  const sizes = options.quick ? [10, 100] : [10, 100, 1000];
  const rows: { n: number; numericalError: number; autodiffError: number; numericalMs: number; autodiffMs: number }[] = [];
  log("   n | finite differences: max error, time | grad: max error, time");
  for (const n of sizes) {
    const [kw, kx] = random.splitList(random.key(n));
    const w = random.normal(kw, [n], { dtype: "float64" }).data() as Float64Array;
    const x = random.normal(kx, [n], { dtype: "float64" });
    const f = (v: Tensor<[number], "float64">) => sum(mul(tanh(mul(v, x)), x));
    const exact = sub(1, square(tanh(mul(vector(w), x))));
    const exactGrad = mul(exact, square(x));

    let t0 = performance.now();
    const numerical = numericalGradient((v) => f(v).item() as number, w, 1e-5);
    const numericalMs = performance.now() - t0;
    t0 = performance.now();
    const automatic = grad(f)(vector(w));
    const autodiffMs = performance.now() - t0;

    const err = (g: Tensor<[number], "float64">) => max(abs(sub(g, exactGrad))).item() as number;
    const row = { n, numericalError: err(vector(numerical)), autodiffError: err(automatic), numericalMs, autodiffMs };
    rows.push(row);
    log(
      `${String(n).padStart(4)} | ${row.numericalError.toExponential(1).padStart(8)}, ${numericalMs.toFixed(1).padStart(7)} ms (${2 * n} evaluations) | ` +
        `${row.autodiffError.toExponential(1).padStart(8)}, ${autodiffMs.toFixed(1).padStart(6)} ms`,
    );
  }
  log("\nthe traced program of grad(f) for n = 3 (what reverse mode computes):");
  const x3 = random.normal(random.key(5), [3], { dtype: "float64" });
  const f3 = (v: Tensor<[number], "float64">) => sum(mul(tanh(mul(v, x3)), x3));
  log(String(makeJaxpr(grad(f3))(x3)));
  return rows;
}

if (isMain(import.meta.url)) await run();
