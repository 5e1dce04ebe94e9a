import { describe, expect, it } from "vitest";
import { scan, cond, whileLoop, foriLoop, switchCase } from "../../src/control/index.js";
import * as core from "../../src/core/ops.js";
import { grad, vjp } from "../../src/transforms/vjp.js";
import { jit, makeJaxpr } from "../../src/transforms/jit.js";
import { vmap } from "../../src/transforms/vmap.js";
import { jvp } from "../../src/transforms/jvp.js";
import { tensor } from "../helpers/tensors.js";

const f64 = (v: number[] | number, shape?: number[]) => tensor(v as never, "float64" as never, shape as never) as never;

describe("smoke", () => {
  it("scan cumsum", () => {
    const xs = core.fromValues([1, 2, 3, 4], [4], "float64");
    const [c, ys] = scan((c: any, x: any) => [core.add(c, x), core.mul(c, x)] as const, core.full([], 0, "float64"), xs) as any;
    console.log(c.toArray?.() ?? c, ys);
    expect((c as any).item()).toBe(10);
  });
  it("grad scan", () => {
    const xs = core.fromValues([1, 2, 3, 4], [4], "float64");
    const f = (w: any) => {
      const [c] = scan((c: any, x: any) => [core.tanh(core.add(core.mul(c, w), x)), c] as const, core.full([], 0.5, "float64"), xs) as any;
      return c;
    };
    const g = grad(f as any)(core.full([], 0.3, "float64")) as any;
    const eps = 1e-6;
    const fd = ((f(core.full([], 0.3 + eps, "float64")) as any).item() - (f(core.full([], 0.3 - eps, "float64")) as any).item()) / (2 * eps);
    console.log(g.item(), fd);
    expect(g.item()).toBeCloseTo(fd, 6);
    const gj = jit(grad(f as any))(core.full([], 0.3, "float64")) as any;
    expect(gj.item()).toBeCloseTo(fd, 6);
    console.log(String(makeJaxpr(grad(f as any))(core.full([], 0.3, "float64"))));
  });
  it("cond and grad", () => {
    const f = (x: any) => cond(core.compare(x, core.full([], 0, "float64"), "gt") as any, (v: any) => core.mul(v, v), (v: any) => core.neg(v), x) as any;
    expect(f(core.full([], 3, "float64")).item()).toBe(9);
    expect(f(core.full([], -3, "float64")).item()).toBe(3);
    expect((grad(f)(core.full([], 3, "float64")) as any).item()).toBe(6);
    expect((grad(f)(core.full([], -3, "float64")) as any).item()).toBe(-1);
    expect((jit(grad(f))(core.full([], -3, "float64")) as any).item()).toBe(-1);
    const vf = vmap(f);
    console.log((vf(core.fromValues([1, -2, 3], [3], "float64") as any) as any).toString?.());
  });
  it("while and fori", () => {
    const r = whileLoop((c: any) => core.compare(c, core.full([], 10, "float64"), "lt") as any, (c: any) => core.add(c, core.full([], 3, "float64")), core.full([], 0, "float64")) as any;
    expect(r.item()).toBe(12);
    const p = (x: any) => foriLoop(0, 5, (_i, acc: any) => core.mul(acc, x), core.full([], 1, "float64")) as any;
    expect(p(core.full([], 2, "float64")).item()).toBe(32);
    expect((grad(p)(core.full([], 2, "float64")) as any).item()).toBe(80);
    const [y, dy] = jvp((x: any) => whileLoop((c: any) => core.compare(c[1], core.full([], 3, "int32"), "lt") as any, (c: any) => [core.mul(c[0], x), core.add(c[1], core.full([], 1, "int32"))], [core.full([], 1, "float64"), core.full([], 0, "int32")])[0], [core.full([], 2, "float64")], [core.full([], 1, "float64")]) as any;
    expect(y.item()).toBe(8);
    expect(dy.item()).toBe(12);
  });
});
