// The elementwise math ops: rounding (half to even), mod (sign of the divisor), clip, isNaN and
// isFinite, logaddexp, logit, and the activation units silu/swish, elu, selu, mish. Values against
// float64 formulas written here, special values, derivatives against finite differences, gradients
// at the kinks (the documented choices), and the rounding ALU ops in fused loops on both backends.
import { describe, expect, test } from "vitest";
import * as tg from "../../src/index.js";
import {
  ceil,
  clip,
  elu,
  floor,
  grad,
  isFinite,
  isNaN,
  jit,
  logaddexp,
  logit,
  mish,
  mod,
  round,
  selu,
  setBackend,
  showKernels,
  silu,
  swish,
  tensor,
  type Tensor,
} from "../../src/index.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { wasmAvailable } from "../../src/backend/wasm/probe.js";
import { checkJvp, checkVjp } from "../helpers/gradcheck.js";
import { tensor as f64, valuesOf } from "../helpers/tensors.js";

const vals = (t: unknown): number[] => valuesOf(t as AnyTensor);
const f64Grad = (f: (x: AnyTensor) => AnyTensor, xs: number[]): number[] =>
  vals(grad((x: Tensor<[number], "float64">) => tg.sum(f(x as AnyTensor) as Tensor<[number], "float64">))(f64(xs, [xs.length]) as never));

/** jvp vs finite differences and the vjp dot-product test of a unary op at `xs` (float64). */
function checkDerivatives(f: (x: AnyTensor) => AnyTensor, xs: number[]): void {
  const x = f64(xs, [xs.length]);
  const dir = f64(xs.map((_, i) => ((i * 7) % 5) / 5 - 0.4), [xs.length]);
  const w = f64(xs.map((_, i) => ((i * 3) % 7) / 7 - 0.3), [xs.length]);
  checkJvp((a) => [f(a)], [x], [dir]);
  checkVjp((a) => [f(a)], [x], [dir], [w]);
}

describe("floor, ceil, round", () => {
  const xs = [-2.5, -1.5, -0.5, -0.4, -0, 0, 0.4, 0.5, 1.5, 2.5, 2.6, 3.5, 1e300, Infinity, -Infinity, NaN];
  test("values, halves to even for round, ±0 kept", () => {
    const x = f64(xs, [xs.length]);
    expect(vals(floor(x as never))).toEqual([-3, -2, -1, -1, -0, 0, 0, 0, 1, 2, 2, 3, 1e300, Infinity, -Infinity, NaN]);
    expect(vals(ceil(x as never))).toEqual([-2, -1, -0, -0, -0, 0, 1, 1, 2, 3, 3, 4, 1e300, Infinity, -Infinity, NaN]);
    expect(vals(round(x as never))).toEqual([-2, -2, -0, -0, -0, 0, 0, 0, 2, 2, 3, 4, 1e300, Infinity, -Infinity, NaN]);
    expect(Object.is(vals(round(x as never))[2], -0)).toBe(true);
  });

  test("integer tensors pass through unchanged; float32 stays float32", () => {
    const i = tensor([-3, 4], "int32");
    expect(floor(i)).toBe(i);
    expect(round(i).dtype).toBe("int32");
    expect(round(tensor([0.5, 1.5, 2.5])).toArray()).toEqual([0, 2, 2]);
  });

  test("derivatives are 0 everywhere, at the jumps too", () => {
    for (const f of [floor, ceil, round]) expect(f64Grad((x) => f(x as never) as AnyTensor, [-1, 0.5, 1.2, 2])).toEqual([0, 0, 0, 0]);
  });

  test.each(wasmAvailable() ? (["wasm", "js"] as const) : (["js"] as const))("fused with other ops in a jitted loop (%s backend), equal to eager", (backend) => {
    setBackend(backend);
    try {
      const n = 4096 + 3;
      const data = Array.from({ length: n }, (_, i) => ((i % 41) - 20) / 4 + (i % 3 === 0 ? 0.125 : 0));
      const x = tensor(data);
      const f = (a: Tensor<[number]>) => tg.add(tg.add(round(tg.mul(a, 2)), floor(tg.mul(a, 3))), ceil(tg.sub(a, 0.75)));
      expect(showKernels(f)(x)).toContain(backend === "wasm" ? "WebAssembly SIMD" : "JS loop");
      expect(jit(f)(x).toArray()).toEqual(f(x).toArray());
      const expected = data.map((v) => {
        const r = Math.fround(v * 2);
        const half = Math.abs(r % 1) === 0.5 ? (Math.floor(r) % 2 === 0 ? Math.floor(r) : Math.ceil(r)) : Math.round(r);
        return half + Math.floor(Math.fround(v * 3)) + Math.ceil(Math.fround(v - 0.75));
      });
      expect(jit(f)(x).toArray()).toEqual(expected);
    } finally {
      setBackend("auto");
    }
  });
});

describe("mod", () => {
  test("the sign of the divisor, as NumPy's %", () => {
    expect(mod(tensor([-7, 7, -7, 7, 5.5, -0.5]), tensor([3, -3, -3, 3, 2, 1])).toArray()).toEqual([2, -2, -1, 1, 1.5, 0.5]);
    expect(mod(tensor([-7, 7, -7, 0], "int32"), tensor([3, -3, -3, 5], "int32")).toArray()).toEqual([2, -2, -1, 0]);
    expect(mod(tensor([[1, 2, 3]]), 2).toArray()).toEqual([[1, 0, 1]]);
  });

  test("exact where a − b·floor(a / b) is not", () => {
    const a = 1e17 + 16; // a float64 integer; 1e17 + 16 ≡ 2 (mod 3)
    expect(vals(mod(f64([a, -a], [2]) as never, 3))).toEqual([(1e17 + 16) % 3, 3 - ((1e17 + 16) % 3)]);
    expect(vals(mod(f64([1e-300], [1]) as never, -1))).toEqual([-1 + 1e-300]);
  });

  test("zero divisors: NaN for floats, 0 for int32; ±∞", () => {
    expect(vals(mod(f64([1, Infinity, -1, 1], [4]) as never, f64([0, 2, Infinity, -Infinity], [4]) as never))).toEqual([NaN, NaN, Infinity, -Infinity]);
    expect(mod(tensor([5], "int32"), tensor([0], "int32")).toArray()).toEqual([0]);
  });

  test("derivatives: 1 in a, −floor(a / b) in b", () => {
    const x = f64([-7.3, 7.3, 2.2], [3]);
    const y = f64([3, -3, 0.7], [3]);
    const f = (a: AnyTensor, b: AnyTensor) => mod(a as never, b as never) as AnyTensor;
    checkJvp((a, b) => [f(a, b)], [x, y], [f64([1, 0.5, -1], [3]), f64([0.3, 1, 0.2], [3])]);
    checkVjp((a, b) => [f(a, b)], [x, y], [f64([1, 0.5, -1], [3]), f64([0.3, 1, 0.2], [3])], [f64([1, 2, 3], [3])]);
    const gb = grad((b: Tensor<[3], "float64">) => tg.sum(mod(x as Tensor<[3], "float64">, b)))(y as never);
    expect(vals(gb)).toEqual([3, 3, -3]); // −floor(−7.3/3), −floor(7.3/−3), −floor(2.2/0.7)
  });
});

describe("clip", () => {
  test("bounds as numbers or tensors, either omitted; min > max gives max", () => {
    const x = tensor([-2, 0.5, 3]);
    expect(clip(x, 0, 1).toArray()).toEqual([0, 0.5, 1]);
    expect(clip(x, 0).toArray()).toEqual([0, 0.5, 3]);
    expect(clip(x, undefined, 1).toArray()).toEqual([-2, 0.5, 1]);
    expect(clip(x, 2, 1).toArray()).toEqual([1, 1, 1]);
    expect(clip(tensor([[-2, 0.5, 3]]), tensor([[-1], [1]]), 2).toArray()).toEqual([[-1, 0.5, 2], [1, 1, 2]]);
    expect(clip(tensor([-5, 9], "int32"), 0, 4).toArray()).toEqual([0, 4]);
    expect(vals(clip(f64([NaN], [1]) as never, 0, 1))).toEqual([NaN]);
  });

  test("gradient 1 inside, 0 outside, ½ at a bound exactly", () => {
    expect(f64Grad((x) => clip(x as never, 0, 1) as AnyTensor, [-1, 0, 0.5, 1, 2])).toEqual([0, 0.5, 1, 0.5, 0]);
  });
});

describe("isNaN and isFinite", () => {
  test("floats and integers", () => {
    const x = tensor([1, NaN, Infinity, -Infinity, 0]);
    expect(isNaN(x).toArray()).toEqual([false, true, false, false, false]);
    expect(isFinite(x).toArray()).toEqual([true, false, false, false, true]);
    expect(isNaN(tensor([1, 2], "int32")).toArray()).toEqual([false, false]);
    expect(isFinite(tensor([1, 2], "int32")).toArray()).toEqual([true, true]);
    expect(isFinite(x).dtype).toBe("bool");
  });
});

describe("logaddexp and logit", () => {
  test("logaddexp: values, no overflow, equal infinities", () => {
    const a = [0, 1, -3, 1000, -1000, -Infinity, -Infinity, Infinity, 2];
    const b = [0, -2, 5, 1000, -1001, -Infinity, 0, Infinity, NaN];
    const y = vals(logaddexp(f64(a, [9]) as never, f64(b, [9]) as never));
    const ref = [Math.LN2, 1 + Math.log1p(Math.exp(-3)), 5 + Math.log1p(Math.exp(-8)), 1000 + Math.LN2, -1000 + Math.log1p(Math.exp(-1)), -Infinity, 0, Infinity, NaN];
    y.forEach((v, i) => (Number.isFinite(ref[i]) ? expect(v).toBeCloseTo(ref[i], 14) : expect(v).toBe(ref[i])));
  });

  test("logaddexp: derivative sigmoid(a − b), ½ at ties, finite at equal infinities", () => {
    const a = f64([0.3, -1, 2, 1], [4]);
    const b = f64([1.1, 0.5, -4, 1], [4]);
    checkJvp((x, y) => [logaddexp(x as never, y as never) as AnyTensor], [a, b], [f64([1, -1, 0.5, 2], [4]), f64([0.2, 0.3, 1, -1], [4])]);
    const ga = grad((x: Tensor<[4], "float64">) => tg.sum(logaddexp(x, b as Tensor<[4], "float64">)))(a as never);
    vals(ga).forEach((v, i) => expect(v).toBeCloseTo(1 / (1 + Math.exp(vals(b)[i] - vals(a)[i])), 14));
    expect(vals(grad((x: Tensor<[2], "float64">) => tg.sum(logaddexp(x, x)))(f64([-Infinity, 3], [2]) as never))).toEqual([1, 1]);
  });

  test("logit: log(x / (1 − x)), its ends and its derivative", () => {
    expect(vals(logit(f64([0.5, 0, 1, -0.1, 0.9], [5]) as never)).map((v) => +v.toFixed(12))).toEqual([0, -Infinity, Infinity, NaN, +Math.log(9).toFixed(12)]);
    checkDerivatives((x) => logit(x as never) as AnyTensor, [0.01, 0.3, 0.5, 0.97]);
    f64Grad((x) => logit(x as never) as AnyTensor, [0.2]).forEach((g) => expect(g).toBeCloseTo(1 / (0.2 * 0.8), 12));
  });
});

describe("activation units", () => {
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const A = 1.6732632423543772;
  const L = 1.0507009873554805;
  const units: [string, (x: AnyTensor) => AnyTensor, (v: number) => number][] = [
    ["silu", (x) => silu(x as never) as AnyTensor, (v) => v * sig(v)],
    ["swish", (x) => swish(x as never) as AnyTensor, (v) => v * sig(v)],
    ["elu", (x) => elu(x as never) as AnyTensor, (v) => (v > 0 ? v : Math.expm1(v))],
    ["elu(0.5)", (x) => elu(x as never, 0.5) as AnyTensor, (v) => (v > 0 ? v : 0.5 * Math.expm1(v))],
    ["selu", (x) => selu(x as never) as AnyTensor, (v) => L * (v > 0 ? v : A * Math.expm1(v))],
    ["mish", (x) => mish(x as never) as AnyTensor, (v) => v * Math.tanh(Math.log1p(Math.exp(v)))],
  ];
  const xs = [-6, -1.3, -0.2, 1e-9, 0.7, 2.5, 9];

  test.each(units)("%s matches its formula in float64", (_name, f, ref) => {
    vals(f(f64(xs, [xs.length]))).forEach((v, i) => expect(v).toBeCloseTo(ref(xs[i]), 13));
  });

  // (elu with alpha ≠ 1 and selu have a kink at 0: no finite difference across it)
  test.each(units)("%s: derivatives against finite differences", (_name, f) => checkDerivatives(f, xs.map((v) => (v === 1e-9 ? 0.05 : v))));

  test.each(units)("%s: large inputs give finite values and gradients, no NaN from a discarded branch", (_name, f) => {
    const big = [-1000, -80, 80, 1000];
    vals(f(f64(big, [4]))).forEach((v) => expect(Number.isNaN(v)).toBe(false));
    f64Grad(f, big).forEach((g) => expect(Number.isFinite(g)).toBe(true));
  });

  test("elu's derivative at 0 is alpha (the test is x > 0); selu's is scale·alpha", () => {
    expect(f64Grad((x) => elu(x as never, 0.5) as AnyTensor, [0])).toEqual([0.5]);
    f64Grad((x) => selu(x as never) as AnyTensor, [0]).forEach((g) => expect(g).toBeCloseTo(L * A, 14));
  });

  test("integers compute in float32", () => {
    expect(silu(tensor([1, 2], "int32")).dtype).toBe("float32");
    expect(mish(tensor([0], "float64")).dtype).toBe("float64");
  });
});
