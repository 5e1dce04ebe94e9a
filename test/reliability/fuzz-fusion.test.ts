// Differential fuzzing of fused programs and matrix products: random elementwise programs (every
// family of ALU op, broadcasts of rows, columns and scalars, trailing and full reductions) on
// sizes from a few elements to past the thresholds where loops go to WebAssembly, to the worker
// pool and to several tasks, run three ways: jitted on the JS backend (generated JS loops), jitted
// on the WebAssembly backend (SIMD loops), and eagerly (one kernel per primitive). The JS loops
// must give the eager float32 bits exactly (same operations, same rounding, same summation order);
// the SIMD loops must agree within float32 rounding (their exp, log, tanh, erf, expm1 and log1p
// are within a few ulp); and all must agree with the same program in float64.
import fc from "fast-check";
import { afterEach, describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { jit, setBackend, showKernels } from "../../src/index.js";
import { wasmAvailable } from "../../src/backend/wasm/probe.js";
import { erfOf } from "../../src/primitives/erf.js";
import { expm1Of } from "../../src/primitives/expm1.js";
import { log1pOf } from "../../src/primitives/log1p.js";
import { assertAllclose, EXACT } from "../helpers/allclose.js";
import { uniformFloat32 } from "../helpers/random-shapes.js";

type T = AnyTensor;

/** One node of a random program: an operation on two earlier values (unary ones read the first). */
interface Node {
  readonly op: keyof typeof OPS;
  readonly a: number;
  readonly b: number;
}

/** How the program's last value leaves: as it is, summed or maximized over the last axis, or summed whole. */
type Ending = "value" | "sumRows" | "maxRows" | "sumAll";

const fill = (like: T, v: number) => ops.fullLike(like, v);

/**
 * The operations, each bounded so that float32 and float64 stay comparable (no overflow, no
 * division by values near zero). Together they reach every family of ALU op: arithmetic, min/max,
 * the transcendental functions, comparisons, selects and casts.
 */
const OPS = {
  add: (a: T, b: T) => ops.add(a, b),
  sub: (a: T, b: T) => ops.sub(a, b),
  mul: (a: T, b: T) => ops.mul(ops.tanh(a), b),
  div: (a: T, b: T) => ops.div(a, ops.add(fill(b, 1), ops.abs(b))),
  max: (a: T, b: T) => ops.max(a, b),
  min: (a: T, b: T) => ops.min(a, b),
  neg: (a: T) => ops.neg(a),
  tanh: (a: T) => ops.tanh(a),
  exp: (a: T) => ops.exp(ops.tanh(a)),
  log: (a: T) => ops.log(ops.add(fill(a, 1), ops.abs(a))),
  sqrt: (a: T) => ops.sqrt(ops.abs(a)),
  sin: (a: T) => ops.sin(a),
  erf: (a: T) => erfOf(a),
  expm1: (a: T) => expm1Of(ops.tanh(a)),
  log1p: (a: T) => log1pOf(ops.abs(a)),
  sign: (a: T, b: T) => ops.mul(ops.sign(a), b),
  select: (a: T, b: T) => ops.select(ops.compare(a, b, "gt"), a, ops.mul(b, fill(b, 0.5))),
  cast: (a: T, b: T) => ops.add(a, ops.cast(ops.compare(a, b, "le"), a.dtype)),
};

const OP_NAMES = Object.keys(OPS) as (keyof typeof OPS)[];

/** The inputs every program reads: two full arrays, a row, a column and a scalar, broadcast as they are used. */
function program(nodes: readonly Node[], ending: Ending) {
  return (x0: T, x1: T, row: T, column: T): T => {
    const [r, c] = x0.shape;
    const values: T[] = [
      x0,
      x1,
      ops.broadcastInDim(row, [r, c], [1]),
      ops.broadcastInDim(column, [r, c], [0]),
      fill(x0, 0.75),
    ];
    for (const n of nodes) values.push(OPS[n.op](values[n.a % values.length], values[n.b % values.length]));
    const out = values[values.length - 1];
    if (ending === "sumRows") return ops.reduceSum(out, [1]);
    if (ending === "maxRows") return ops.reduceMax(out, [1]);
    if (ending === "sumAll") return ops.reduceSum(out, [0, 1]);
    return out;
  };
}

/** Sizes from tiny and odd to past the long-loop (2^14), parallel (2^17) and chunk (2^16) thresholds. */
const shapeArb = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.integer({ min: 1, max: 9 }), fc.oneof(fc.integer({ min: 1, max: 17 }), fc.constantFrom(4, 8, 12, 16, 20))) },
  { weight: 2, arbitrary: fc.constantFrom<[number, number]>([64, 257], [128, 128], [33, 500]) },
  { weight: 1, arbitrary: fc.constantFrom<[number, number]>([256, 513], [260, 1024], [1, 140001]) },
);

const caseArb = fc.record({
  shape: shapeArb,
  nodes: fc.array(
    fc.record({ op: fc.constantFrom(...OP_NAMES), a: fc.nat(40), b: fc.nat(40) }),
    { minLength: 1, maxLength: 8 },
  ),
  ending: fc.constantFrom<Ending>("value", "value", "sumRows", "maxRows", "sumAll"),
  seed: fc.nat(1000),
});

function inputs(shape: readonly [number, number], seed: number, dtype: "float32" | "float64"): T[] {
  const [r, c] = shape;
  const values = (n: number, s: number) => Array.from(uniformFloat32(n, s), (v) => 4 * v - 2);
  return [
    ops.fromValues(values(r * c, seed), [r, c], dtype),
    ops.fromValues(values(r * c, seed + 1), [r, c], dtype),
    ops.fromValues(values(c, seed + 2), [c], dtype),
    ops.fromValues(values(r, seed + 3), [r], dtype),
  ];
}

/** A tolerance scaled to the result: sums over many elements carry proportionally more rounding. */
function scaled(expected: T, terms: number): { rtol: number; atol: number } {
  const data = expected.concrete()!.storage;
  let big = 1;
  for (let i = 0; i < data.length; i++) if (Number.isFinite(data[i])) big = Math.max(big, Math.abs(data[i]));
  return { rtol: 2e-4, atol: 2e-5 * big * Math.sqrt(terms) };
}

describe("fused programs: JS loops, SIMD loops, eager kernels and float64 agree", () => {
  afterEach(() => setBackend("auto"));

  test("random programs over random sizes", () => {
    // what the cases exercised, so that a fuzz that silently stopped fusing would fail
    const seen = { jsLoops: 0, simdLoops: 0, parallelSized: 0 };
    fc.assert(
      fc.property(caseArb, ({ shape, nodes, ending, seed }) => {
        const f = program(nodes, ending);
        const x32 = inputs(shape, seed, "float32");
        const eager = f(...(x32 as [T, T, T, T]));
        setBackend("js");
        const jsLoops = jit(f)(...(x32 as [T, T, T, T]));
        if (showKernels(f)(...(x32 as [T, T, T, T])).includes("(JS loop)")) seen.jsLoops++;
        if (shape[0] * shape[1] >= 1 << 17) seen.parallelSized++;
        assertAllclose(jsLoops, eager, EXACT, `JS loops vs eager (${nodes.map((n) => n.op).join(" ")}, ${ending}, [${shape}])`);
        const terms = ending === "sumAll" ? shape[0] * shape[1] : ending === "sumRows" ? shape[1] : 1;
        if (wasmAvailable()) {
          setBackend("wasm");
          const simd = jit(f)(...(x32 as [T, T, T, T]));
          if (showKernels(f)(...(x32 as [T, T, T, T])).includes("WebAssembly SIMD")) seen.simdLoops++;
          assertAllclose(simd, eager, scaled(eager, terms), `SIMD loops vs eager (${nodes.map((n) => n.op).join(" ")}, ${ending}, [${shape}])`);
        }
        setBackend("auto");
        const x64 = x32.map((x) => ops.cast(x, "float64"));
        const reference = f(...(x64 as [T, T, T, T]));
        const { rtol, atol } = scaled(reference, terms);
        assertAllclose(eager, reference, { rtol: 10 * rtol, atol: 10 * atol }, "float32 vs float64");
      }),
      { numRuns: 150, seed: 20261204 },
    );
    expect(seen.jsLoops).toBeGreaterThan(20);
    if (wasmAvailable()) expect(seen.simdLoops).toBeGreaterThan(10);
    expect(seen.parallelSized).toBeGreaterThan(0);
  });
});

describe("matrix products on both backends agree with float64", () => {
  afterEach(() => setBackend("auto"));
  // m·k·n from below to above the SIMD threshold (16384) and the parallel one (2^22), odd sizes included
  const dims = fc.tuple(
    fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(63, 129, 255, 300)),
    fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(64, 127, 257)),
    fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(65, 130, 256)),
  );

  test("dotGeneral [m, k] · [k, n], plain and transposed operands", () => {
    fc.assert(
      fc.property(dims, fc.boolean(), fc.nat(1000), ([m, k, n], transposed, seed) => {
        const a = ops.fromValues(uniformFloat32(m * k, seed), transposed ? [k, m] : [m, k], "float32");
        const b = ops.fromValues(uniformFloat32(k * n, seed + 7), [k, n], "float32");
        const dims = { contract: [[transposed ? 0 : 1], [0]] as [number[], number[]], batch: [[], []] as [number[], number[]] };
        const product = (x: T, y: T) => ops.dotGeneral(x, y, dims);
        const reference = product(ops.cast(a, "float64"), ops.cast(b, "float64"));
        const tol = { rtol: 1e-4, atol: 1e-5 * k };
        setBackend("js");
        assertAllclose(product(a, b), reference, tol, `JS product [${m}, ${k}]·[${k}, ${n}]`);
        if (wasmAvailable()) {
          setBackend("wasm");
          assertAllclose(product(a, b), reference, tol, `SIMD product [${m}, ${k}]·[${k}, ${n}]`);
          assertAllclose(jit(product)(a, b), reference, tol, `jitted SIMD product [${m}, ${k}]·[${k}, ${n}]`);
        }
      }),
      { numRuns: 40, seed: 20261205 },
    );
  });
});
