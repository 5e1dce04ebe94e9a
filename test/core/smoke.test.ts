import { test, expect } from "vitest";
import * as ops from "../../src/core/ops.js";
import { grad, jit, vmap, makeJaxpr, jvp, hessian, jacfwd, jacrev, valueAndGrad } from "../../src/index.js";

const t = (v: number[], s: number[]) => ops.fromValues(v, s, "float64");

test("smoke", () => {
  const x = t([1, 2, 3], [3]);
  const f = (x: any) => ops.reduceSum(ops.mul(ops.sin(x), x), [0]);
  console.log(String(f(x)));
  const g = grad(f as any)(x) as any;
  console.log(String(g));
  const gj = grad(jit(f) as any)(x) as any;
  console.log(String(gj));
  const jg = jit(grad(f as any))(x) as any;
  console.log(String(jg));
  console.log(String(makeJaxpr(grad(f as any))(x)));
  const d2 = grad(grad((y: any) => ops.reduceSum(ops.mul(ops.mul(y, y), y), []) as any) as any)(t([2], []) as any) as any;
  console.log("d2 x^3 at 2 =", String(d2));
  const vg = vmap(grad(f as any) as any)(t([1, 2, 3, 4, 5, 6], [2, 3]) as any) as any;
  console.log(String(vg));
  console.log(String(hessian(f as any)(x as any)));
  console.log(String(jacfwd(ops.sin as any)(x as any)), String(jacrev(ops.sin as any)(x as any)));
  const mm = (a: any, b: any) => ops.reduceSum(ops.dotGeneral(a, b, { contract: [[1], [0]], batch: [[], []] }), [0, 1]);
  const a = t([1, 2, 3, 4, 5, 6], [2, 3]); const b = t([1, 0, 2, 1, 0, 3], [3, 2]);
  console.log(String(grad(mm as any, { argnums: [0, 1] })(a, b)));
});
