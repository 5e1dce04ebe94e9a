/**
 * @file Vectorized `exp`, `log` and `tanh` on four f32 lanes, emitted inline into generated
 * kernels. Each reads a v128 local and leaves its result in a new local. Error against the
 * float64 functions rounded to float32, over ~2 million float32 values of every exponent and both
 * signs (test/compiler/vmath.test.ts, which holds the bounds in brackets): exp 1 ulp [≤ 2],
 * log 3 ulp [≤ 3], tanh 1 ulp [≤ 2]. Special values (±0, ±∞, NaN, overflow, denormal inputs and
 * results) as in IEEE.
 */
import { V128, type Code } from "./emit.js";
import { v } from "./simd.js";

/** ln 2 split so that k·LN2_HI is exact for |k| < 2¹⁵ (Cody–Waite range reduction). */
const LN2_HI = 0.693359375;
const LN2_LO = -2.12194440e-4;

/** Evaluates the polynomial with `coefficients` (highest degree first) at local `x`, by Horner. */
function horner(c: Code, x: number, coefficients: readonly number[]): void {
  v.f32(c, coefficients[0]);
  for (const k of coefficients.slice(1)) {
    c.get(x);
    v.mul(c);
    v.f32(c, k);
    v.add(c);
  }
}

/** 1.5·2²³: adding it rounds a float below 2²² to an integer, which lands in the low mantissa bits. */
const ROUNDER = 12582912;

/**
 * eˣ: x = k·ln2 + r with |r| ≤ ln2/2, eʳ by its degree-7 Taylor polynomial (truncation below
 * 2⁻²⁷), and 2ᵏ applied as two exponent-field scalings so that results from 2⁻¹⁴⁹ up to overflow
 * (x > 88.72 → ∞) come out right. k is rounded by adding 1.5·2²³ (its bits then hold k), which
 * costs two instructions where nearest and a saturating convert cost many; the clamps use
 * pmin/pmax (one instruction each) with x first, so NaN propagates.
 */
export function emitExp(c: Code, input: number): number {
  const x = c.local(V128);
  const t = c.local(V128);
  const k = c.local(V128);
  const r = c.local(V128);
  const ki = c.local(V128);
  const k1 = c.local(V128);
  const out = c.local(V128);
  c.get(input);
  v.f32(c, -104);
  v.pmax(c);
  v.f32(c, 88.75);
  v.pmin(c);
  c.set(x);
  // t = x·log2(e) + 1.5·2²³, k = t − 1.5·2²³ (an integer), ki = k as i32 lanes
  c.get(x);
  v.f32(c, Math.LOG2E);
  v.mul(c);
  v.f32(c, ROUNDER);
  v.add(c);
  c.tee(t);
  v.f32(c, ROUNDER);
  v.sub(c);
  c.set(k);
  c.get(t);
  v.f32(c, ROUNDER);
  v.i32Sub(c);
  c.set(ki);
  // r = x − k·LN2_HI − k·LN2_LO
  c.get(x).get(k);
  v.f32(c, LN2_HI);
  v.mul(c);
  v.sub(c);
  c.get(k);
  v.f32(c, LN2_LO);
  v.mul(c);
  v.sub(c);
  c.set(r);
  horner(c, r, [1 / 5040, 1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1]);
  c.set(out);
  // 2ᵏ = 2^(k>>1) · 2^(k − k>>1), each a normal float for k ∈ [−150, 128]
  c.get(ki).i32(1);
  v.i32ShrS(c);
  c.set(k1);
  c.get(out);
  c.get(k1);
  scaleOf(c);
  v.mul(c);
  c.get(ki).get(k1);
  v.i32Sub(c);
  scaleOf(c);
  v.mul(c);
  c.set(out);
  return out;
}

/** Turns the i32 lanes on the stack into the floats 2^lane (for lanes in [−126, 127]). */
function scaleOf(c: Code): void {
  v.i32(c, 127);
  v.i32Add(c);
  c.i32(23);
  v.i32Shl(c);
}

/**
 * ln x: x = m·2ᵉ with m ∈ [√½, √2), ln m = 2·atanh(s) with s = (m−1)/(m+1), |s| ≤ 0.1716, by
 * its odd series to s⁹ (truncation below 2⁻²⁸). Denormal inputs are scaled by 2²³ first.
 * ln 0 = −∞, ln ∞ = ∞, negative or NaN → NaN.
 */
export function emitLog(c: Code, input: number): number {
  const x = c.local(V128);
  const e = c.local(V128);
  const m = c.local(V128);
  const big = c.local(V128);
  const s = c.local(V128);
  const r2 = c.local(V128);
  const ef = c.local(V128);
  const out = c.local(V128);
  const small = c.local(V128);
  // small = x < 2⁻¹²⁶; x' = small ? x·2²³ : x; e-adjustment −23 where small
  c.get(input);
  v.f32(c, 1.1754943508222875e-38);
  v.lt(c);
  c.set(small);
  c.get(input);
  v.f32(c, 8388608);
  v.mul(c);
  c.get(input);
  c.get(small);
  v.bitselect(c);
  c.set(x);
  // e = (bits >> 23) − 127 − (small ? 23 : 0)
  c.get(x).i32(23);
  v.i32ShrU(c);
  v.i32(c, 127);
  v.i32Sub(c);
  v.i32(c, -23);
  v.i32(c, 0);
  c.get(small);
  v.bitselect(c);
  v.i32Add(c);
  c.set(e);
  // m = mantissa with exponent 0, in [1, 2)
  c.get(x);
  v.i32(c, 0x007fffff);
  v.and(c);
  v.i32(c, 0x3f800000);
  v.or(c);
  c.set(m);
  // m > √2 → m/2, e + 1 (the compare mask is −1 per lane)
  c.get(m);
  v.f32(c, Math.SQRT2);
  v.gt(c);
  c.set(big);
  c.get(m);
  v.f32(c, 0.5);
  v.mul(c);
  c.get(m).get(big);
  v.bitselect(c);
  c.set(m);
  c.get(e).get(big);
  v.i32Sub(c);
  c.set(e);
  // s = (m − 1)/(m + 1)
  c.get(m);
  v.f32(c, 1);
  v.sub(c);
  c.get(m);
  v.f32(c, 1);
  v.add(c);
  v.div(c);
  c.set(s);
  c.get(s).get(s);
  v.mul(c);
  c.set(r2);
  // ln m = 2s·(1 + s²/3 + s⁴/5 + s⁶/7 + s⁸/9)
  c.get(s).get(s);
  v.add(c);
  horner(c, r2, [1 / 9, 1 / 7, 1 / 5, 1 / 3, 1]);
  v.mul(c);
  c.set(out);
  // + e·ln2, in two parts
  c.get(e);
  v.i32ToF32(c);
  c.set(ef);
  c.get(ef);
  v.f32(c, LN2_HI);
  v.mul(c);
  c.get(ef);
  v.f32(c, LN2_LO);
  v.mul(c);
  c.get(out);
  v.add(c);
  v.add(c);
  c.set(out);
  // special values
  select(c, out, Infinity, () => {
    c.get(input);
    v.f32(c, Infinity);
    v.eq(c);
  });
  select(c, out, -Infinity, () => {
    c.get(input);
    v.f32(c, 0);
    v.eq(c);
  });
  select(c, out, NaN, () => {
    c.get(input);
    v.f32(c, 0);
    v.ge(c);
    v.not(c);
  });
  return out;
}

/** out = mask ? value : out, with the mask pushed by `mask`. */
function select(c: Code, out: number, value: number, mask: () => void): void {
  v.f32(c, value);
  c.get(out);
  mask();
  v.bitselect(c);
  c.set(out);
}

/** Coefficients (highest first) of p with tanh(a) ≈ a + a³·p(a²) on [0, 0.625]: a least-squares fit, ≤ 1 ulp. */
const TANH_SMALL = [-0.006104950327426195, 0.021003643050789833, -0.05385249853134155, 0.13332782685756683, -0.333333283662796];

/**
 * tanh x on a = |x|: below 0.625 the odd polynomial above; from there 1 − 2/(e²ᵃ + 1), which
 * saturates to 1 past a ≈ 9 without overflow trouble; the sign of x is copied onto the result
 * (so tanh(−0) = −0). NaN propagates through the exponential branch.
 */
export function emitTanh(c: Code, input: number): number {
  const a = c.local(V128);
  const a2 = c.local(V128);
  const twoA = c.local(V128);
  const out = c.local(V128);
  c.get(input);
  v.abs(c);
  c.set(a);
  c.get(a).get(a);
  v.mul(c);
  c.set(a2);
  // small branch: a + a·a²·p(a²)
  c.get(a);
  c.get(a).get(a2);
  v.mul(c);
  horner(c, a2, TANH_SMALL);
  v.mul(c);
  v.add(c);
  // large branch: 1 − 2/(e²ᵃ + 1)
  c.get(a).get(a);
  v.add(c);
  c.set(twoA);
  const e = emitExp(c, twoA);
  v.f32(c, 1);
  v.f32(c, 2);
  c.get(e);
  v.f32(c, 1);
  v.add(c);
  v.div(c);
  v.sub(c);
  // choose by a < 0.625, then copy the sign of x
  c.get(a);
  v.f32(c, 0.625);
  v.lt(c);
  v.bitselect(c);
  c.set(out);
  c.get(input);
  c.get(out);
  v.i32(c, -0x80000000);
  v.bitselect(c);
  c.set(out);
  return out;
}
