/**
 * @file The 128-bit SIMD instructions the elementwise kernels use, by short names: those `Code`
 * in emit.ts has are delegated to it; the rest (lane arithmetic, comparisons, bit selection,
 * conversions) push their encodings here. Operands are whatever the stack holds, as in the spec.
 */
import { uleb, type Code } from "./emit.js";

function simd(code: Code, opcode: number, ...imm: number[]): Code {
  code.bytes.push(0xfd, ...uleb(opcode), ...imm);
  return code;
}

/** The 16 little-endian bytes of four f32 lanes. */
function f32Bytes(lanes: readonly number[]): number[] {
  return Array.from(new Uint8Array(new Float32Array(lanes).buffer));
}

/** The 16 little-endian bytes of four i32 lanes. */
function i32Bytes(lanes: readonly number[]): number[] {
  return Array.from(new Uint8Array(new Int32Array(lanes).buffer));
}

/** SIMD instructions by name (opcodes from the WebAssembly SIMD proposal, now standard). */
export const v = {
  /** v128.const with four f32 lanes (one value is splatted). */
  f32: (c: Code, lanes: number | readonly number[]) => simd(c, 0x0c, ...f32Bytes(typeof lanes === "number" ? [lanes, lanes, lanes, lanes] : lanes)),
  /** v128.const with four i32 lanes (one value is splatted). */
  i32: (c: Code, lanes: number | readonly number[]) => simd(c, 0x0c, ...i32Bytes(typeof lanes === "number" ? [lanes, lanes, lanes, lanes] : lanes)),
  load: (c: Code, offset: number) => c.v128Load(offset),
  store: (c: Code, offset: number) => c.v128Store(offset),
  /** v128.load32_splat. */
  loadSplat: (c: Code, offset: number) => c.f32x4LoadSplat(offset),
  /** i8x16.shuffle of two vectors by 16 lane indices. */
  shuffle: (c: Code, lanes: readonly number[]) => c.i8x16Shuffle(lanes),
  f32Lane: (c: Code, lane: number) => simd(c, 0x1f, lane),
  i32Lane: (c: Code, lane: number) => simd(c, 0x1b, lane),
  f64Lane: (c: Code, lane: number) => simd(c, 0x21, lane),

  eq: (c: Code) => simd(c, 0x41),
  ne: (c: Code) => simd(c, 0x42),
  lt: (c: Code) => simd(c, 0x43),
  gt: (c: Code) => simd(c, 0x44),
  le: (c: Code) => simd(c, 0x45),
  ge: (c: Code) => simd(c, 0x46),
  i32Eq: (c: Code) => simd(c, 0x37),

  not: (c: Code) => simd(c, 0x4d),
  and: (c: Code) => simd(c, 0x4e),
  andNot: (c: Code) => simd(c, 0x4f),
  or: (c: Code) => simd(c, 0x50),
  xor: (c: Code) => simd(c, 0x51),
  /** v128.bitselect(a, b, mask): bits of `a` where the mask is set, else of `b`. */
  bitselect: (c: Code) => simd(c, 0x52),

  ceil: (c: Code) => simd(c, 0x67),
  floor: (c: Code) => simd(c, 0x68),
  /** f32x4.nearest: round to nearest, ties to even. */
  nearest: (c: Code) => simd(c, 0x6a),

  i32Shl: (c: Code) => simd(c, 0xab),
  i32ShrS: (c: Code) => simd(c, 0xac),
  i32ShrU: (c: Code) => simd(c, 0xad),
  i32Add: (c: Code) => simd(c, 0xae),
  i32Sub: (c: Code) => simd(c, 0xb1),

  abs: (c: Code) => simd(c, 0xe0),
  neg: (c: Code) => simd(c, 0xe1),
  sqrt: (c: Code) => simd(c, 0xe3),
  add: (c: Code) => c.f32x4Add(),
  sub: (c: Code) => simd(c, 0xe5),
  mul: (c: Code) => c.f32x4Mul(),
  div: (c: Code) => simd(c, 0xe7),
  min: (c: Code) => simd(c, 0xe8),
  max: (c: Code) => simd(c, 0xe9),
  /** f32x4.pmin(a, b) = b < a ? b : a: one instruction; NaN in `a` propagates. */
  pmin: (c: Code) => simd(c, 0xea),
  /** f32x4.pmax(a, b) = a < b ? b : a: one instruction; NaN in `a` propagates. */
  pmax: (c: Code) => simd(c, 0xeb),

  f64Add: (c: Code) => simd(c, 0xf0),
  /** f64x2.promote_low_f32x4: the two low f32 lanes as f64. */
  promoteLow: (c: Code) => simd(c, 0x5f),
  /** i32x4.trunc_sat_f32x4_s. */
  truncToI32: (c: Code) => simd(c, 0xf8),
  /** f32x4.convert_i32x4_s. */
  i32ToF32: (c: Code) => simd(c, 0xfa),

  // ---- float64 lanes, lane memory access, lane-width conversions (the window kernels) ----
  /** v128.const with two f64 lanes (one value, splatted). */
  f64: (c: Code, value: number) => simd(c, 0x0c, ...Array.from(new Uint8Array(new Float64Array([value, value]).buffer))),
  /** v128.load64_splat. */
  load64Splat: (c: Code, offset: number) => simd(c, 0x0a, 3, ...uleb(offset)),
  /** v128.store32_lane: stores lane `lane` of four 32-bit lanes. */
  store32Lane: (c: Code, offset: number, lane: number) => simd(c, 0x5a, 2, ...uleb(offset), lane),
  /** v128.store64_lane: stores lane `lane` of two 64-bit lanes. */
  store64Lane: (c: Code, offset: number, lane: number) => simd(c, 0x5b, 3, ...uleb(offset), lane),
  f64Eq: (c: Code) => simd(c, 0x47),
  f64Ne: (c: Code) => simd(c, 0x48),
  f64Gt: (c: Code) => simd(c, 0x4a),
  f64Div: (c: Code) => simd(c, 0xf3),
  /** f32x4.demote_f64x2_zero: the two f64 lanes as the low f32 lanes, the high ones 0. */
  demoteZero: (c: Code) => simd(c, 0x5e),
  /** f64x2.convert_low_i32x4_s: the two low i32 lanes as f64. */
  i32LowToF64: (c: Code) => simd(c, 0xfe),
  /** i64x2.extend_low_i32x4_s: the two low i32 lanes sign-extended (a 32-bit mask becomes a 64-bit one). */
  i64ExtendLow: (c: Code) => simd(c, 0xc7),
  /** i64x2.extend_high_i32x4_s. */
  i64ExtendHigh: (c: Code) => simd(c, 0xc8),

  // ---- lane masks from run-time counts (the fused loops' tail) ----
  /** i32x4.splat. */
  i32Splat: (c: Code) => simd(c, 0x11),
  /** i32x4.gt_s. */
  i32GtS: (c: Code) => simd(c, 0x3b),
};

/** Scalar instructions not in `Code`. */
export const s = {
  f64Add: (c: Code) => (c.bytes.push(0xa0), c),
  f64Store: (c: Code, offset: number) => (c.bytes.push(0x39, 3, ...uleb(offset)), c),
  f32Max: (c: Code) => (c.bytes.push(0x97), c),
  f64PromoteF32: (c: Code) => (c.bytes.push(0xbb), c),
  f32DemoteF64: (c: Code) => (c.bytes.push(0xb6), c),
};
