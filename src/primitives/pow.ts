/** @file The `pow` primitive: elementwise power x^y of equal-shaped float operands. */
import * as ops from "../core/ops.js";
import { alu } from "../compiler/alu.js";
import type { PrimitiveDef } from "../core/primitive.js";
import { arithmeticShape, elementwiseVmap } from "./_rules.js";

export const pow: PrimitiveDef<"pow"> = {
  name: "pow",

  // ---- shape ----
  shape: arithmeticShape("pow"),

  // ---- lower ----
  lower: ([x, y]) => alu.Pow(x, y),

  // ---- jvp ----
  // d x^y = y · x^(y−1) · xDot + log(x) · x^y · yDot
  // NB: where y = 0 the first factor is 0 (not 0 · x^−1, which is NaN at x = 0), and where x = 0
  // we use log(1) = 0 in the second, as JAX does; both keep x^2 and 0^y smooth where they are.
  jvp: ([x, y], [xDot, yDot]) => {
    const z = ops.pow(x, y);
    const zero = ops.fullLike(x, 0);
    const one = ops.fullLike(x, 1);
    const dzdx = ops.select(ops.compare(y, zero, "eq"), zero, ops.mul(y, ops.pow(x, ops.sub(y, one))));
    const logX = ops.log(ops.select(ops.compare(x, zero, "eq"), one, x));
    return [[z], [ops.add(ops.mul(dzdx, xDot), ops.mul(ops.mul(logX, z), yDot))]];
  },

  // ---- vmap ----
  vmap: elementwiseVmap(([x, y]) => ops.pow(x, y)),
};
