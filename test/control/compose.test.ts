/**
 * @file Control flow composed with the other transforms of the same issue: a checkpointed scan
 * body, a custom-JVP function inside a scan, a NaN check that finds a NaN born inside a loop, and
 * debugPrint from inside a scan body under jit.
 */
import { describe, expect, test } from "vitest";
import { checkpoint, customJvp, debugPrint, grad, jit, NaNError, scan, setDebugPrintSink, type Tensor } from "../../src/index.js";
import { add, cos, log, mul, sin, sub, sum, tanh, tensor } from "../../src/ops/index.js";

type F64<S extends readonly (number | string)[]> = Tensor<S, "float64">;
const xs = tensor([0.1, -0.4, 0.7, 0.2, -1.1], "float64");

describe("control flow with custom derivatives, checkpoint and debugging", () => {
  test("a checkpointed scan body gives the same gradient as the plain one, eagerly and under jit", () => {
    const body = (h: F64<[]>, x: F64<[]>) => [tanh(add(mul(h, 0.9), sin(x))), mul(h, h)] as const;
    const plain = (w: F64<[]>) => sum(scan((h: F64<[]>, x: F64<[]>) => body(mul(h, w), x), tensor(0.3, "float64"), xs)[1]);
    const remat = (w: F64<[]>) => sum(scan((h: F64<[]>, x: F64<[]>) => checkpoint(body)(mul(h, w), x), tensor(0.3, "float64"), xs)[1]);
    const w = tensor(1.2, "float64");
    expect(grad(remat)(w).item()).toBeCloseTo(grad(plain)(w).item() as number, 12);
    expect(jit(grad(remat))(w).item()).toBeCloseTo(grad(plain)(w).item() as number, 12);
  });

  test("a customJvp function inside a scan: its rule gives the derivative", () => {
    // f(x) = sin x with a deliberately different rule (2·cos x), to see the rule is used.
    const f = customJvp((x: F64<[]>) => sin(x), ([x], [t]) => [sin(x), mul(mul(cos(x), 2), t)]);
    const loss = (w: F64<[]>) => scan((c: F64<[]>, x: F64<[]>) => [add(c, f(mul(w, x))), c] as const, tensor(0, "float64"), xs)[0];
    const w = tensor(0.5, "float64");
    const expected = (xs.toArray() as number[]).reduce((s, x) => s + 2 * Math.cos(0.5 * x) * x, 0);
    expect(grad(loss)(w).item()).toBeCloseTo(expected, 12);
    expect(jit(grad(loss))(w).item()).toBeCloseTo(expected, 12);
  });

  test("debugNans finds a NaN born inside a scan", () => {
    const f = jit((x: F64<[5]>) => scan((c: F64<[]>, v: F64<[]>) => [add(c, log(sub(v, 0.5))), c] as const, tensor(0, "float64"), x)[0], { debugNans: true });
    expect(() => f(xs)).toThrow(NaNError);
  });

  test("debugPrint prints from inside a scan body under jit", () => {
    const lines: string[] = [];
    setDebugPrintSink((line) => lines.push(String(line)));
    try {
      jit((x: F64<[5]>) => scan((c: F64<[]>, v: F64<[]>) => {
        debugPrint("step", v);
        return [add(c, v), c] as const;
      }, tensor(0, "float64"), x)[0])(xs);
    } finally {
      setDebugPrintSink(null);
    }
    expect(lines.length).toBe(5);
  });
});
