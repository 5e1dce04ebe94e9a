/**
 * @file float32 approximations of the ALU ops that have no SIMD instruction nor an inlined routine
 * in vmath.ts, written as kernel-IR expressions of ops that do (the SIMD generator emits them in
 * place of the op). Each is within a few float32 ulp: a short series where cancellation would
 * lose digits, the direct formula elsewhere, joined by a select.
 */
import { alu, arg, constant, type AluExp, type AluOp } from "../../compiler/alu.js";

const x = arg(0, "float32");
const c = (value: number) => constant(value, "float32");

/** Horner's rule: `coefs[0] + t·(coefs[1] + t·(…))`. */
function horner(t: AluExp, coefs: readonly number[]): AluExp {
  let acc = c(coefs[coefs.length - 1]);
  for (let i = coefs.length - 2; i >= 0; i--) acc = alu.Add(c(coefs[i]), alu.Mul(t, acc));
  return acc;
}

/**
 * erf: below |x| = 0.5 its Taylor series `2/√π · Σ (−1)ⁿ x^(2n+1) / (n! (2n+1))` to x¹³; above,
 * `1 − erfc |x|` with erfc's Chebyshev fit of relative error < 1.2e-7 (Numerical Recipes' erfcc),
 * signed.
 */
function erfApprox(): AluExp {
  const x2 = alu.Mul(x, x);
  const series = alu.Mul(alu.Mul(c(2 / Math.sqrt(Math.PI)), x), horner(x2, [1, -1 / 3, 1 / 10, -1 / 42, 1 / 216, -1 / 1320, 1 / 9360]));
  const z = alu.Abs(x);
  const t = alu.Div(c(1), alu.Add(c(1), alu.Mul(c(0.5), z)));
  const poly = horner(t, [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277]);
  const erfc = alu.Mul(t, alu.Exp(alu.Sub(poly, alu.Mul(z, z))));
  const far = alu.Sub(c(1), erfc);
  const signed = alu.Select(alu.Lt(x, c(0)), alu.Neg(far), far);
  return alu.Select(alu.Lt(z, c(0.5)), series, signed);
}

/** expm1: below |x| = 0.5 its Taylor series to x⁹ (no cancellation); above, `eˣ − 1`. */
function expm1Approx(): AluExp {
  const factorials = [1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040, 1 / 40320, 1 / 362880];
  const series = alu.Mul(x, horner(x, factorials));
  return alu.Select(alu.Lt(alu.Abs(x), c(0.5)), series, alu.Sub(alu.Exp(x), c(1)));
}

/**
 * log1p: below |x| = 0.5 as `2 atanh(s)` with `s = x / (2 + x)` (|s| ≤ 1/3; series to s¹⁵);
 * above, `log(1 + x)`, where rounding 1 + x costs at most an ulp of the result.
 */
function log1pApprox(): AluExp {
  const s = alu.Div(x, alu.Add(c(2), x));
  const s2 = alu.Mul(s, s);
  const series = alu.Mul(alu.Mul(c(2), s), horner(s2, [1, 1 / 3, 1 / 5, 1 / 7, 1 / 9, 1 / 11, 1 / 13, 1 / 15]));
  return alu.Select(alu.Lt(alu.Abs(x), c(0.5)), series, alu.Log(alu.Add(c(1), x)));
}

/** The approximated ops, as expressions of operand 0. */
export const APPROXIMATIONS: Partial<Record<AluOp, AluExp>> = {
  Erf: erfApprox(),
  Expm1: expm1Approx(),
  Log1p: log1pApprox(),
};
