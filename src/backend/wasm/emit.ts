/**
 * @file A small WebAssembly binary writer: enough of the format (types, an imported memory,
 * functions with locals, mutable i32 globals, exports, and the scalar and SIMD instructions our kernels use) to
 * generate kernels at run time without a toolchain.
 */

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (32-bit range). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  let more = true;
  while (more) {
    let byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) more = false;
    else byte |= 0x80;
    out.push(byte);
  }
  return out;
}

/** Builds the body of one function: typed helpers for each instruction we emit. */
export class Code {
  readonly bytes: number[] = [];
  private readonly localTypes: ValType[] = [];

  constructor(private readonly numParams: number) {}

  /** Declares a local of type `t`; returns its index. */
  local(t: ValType): number {
    this.localTypes.push(t);
    return this.numParams + this.localTypes.length - 1;
  }

  private op(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }

  private simd(opcode: number, ...imm: number[]): this {
    return this.op(0xfd, ...uleb(opcode), ...imm);
  }

  // ---- control ----
  block(): this {
    return this.op(0x02, 0x40);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  if_(): this {
    return this.op(0x04, 0x40);
  }
  else_(): this {
    return this.op(0x05);
  }
  end(): this {
    return this.op(0x0b);
  }
  /** Traps (tests of how a trapping kernel is reported). */
  unreachable(): this {
    return this.op(0x00);
  }
  br(depth: number): this {
    return this.op(0x0c, ...uleb(depth));
  }
  brIf(depth: number): this {
    return this.op(0x0d, ...uleb(depth));
  }

  // ---- variables ----
  get(i: number): this {
    return this.op(0x20, ...uleb(i));
  }
  set(i: number): this {
    return this.op(0x21, ...uleb(i));
  }
  tee(i: number): this {
    return this.op(0x22, ...uleb(i));
  }
  globalGet(i: number): this {
    return this.op(0x23, ...uleb(i));
  }
  globalSet(i: number): this {
    return this.op(0x24, ...uleb(i));
  }

  // ---- i32 ----
  i32(v: number): this {
    return this.op(0x41, ...sleb(v | 0));
  }
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Mul(): this {
    return this.op(0x6c);
  }
  i32Shl(): this {
    return this.op(0x74);
  }
  i32LtU(): this {
    return this.op(0x49);
  }
  i32GeU(): this {
    return this.op(0x4f);
  }
  i32Eqz(): this {
    return this.op(0x45);
  }
  /** `select` of two values of a number type: the first if the i32 on top is non-zero. */
  select(): this {
    return this.op(0x1b);
  }
  drop(): this {
    return this.op(0x1a);
  }
  i32Eq(): this {
    return this.op(0x46);
  }
  i32Ne(): this {
    return this.op(0x47);
  }
  i32GtU(): this {
    return this.op(0x4b);
  }
  i32GtS(): this {
    return this.op(0x4a);
  }
  i32LtS(): this {
    return this.op(0x48);
  }
  i32GeS(): this {
    return this.op(0x4e);
  }
  i32And(): this {
    return this.op(0x71);
  }
  i32ShrU(): this {
    return this.op(0x76);
  }
  i32DivU(): this {
    return this.op(0x6e);
  }
  i32RemU(): this {
    return this.op(0x70);
  }

  // ---- calls and stack ----
  /** Calls function number `index` of the module (its position in `encodeModule`'s list). */
  call(index: number): this {
    return this.op(0x10, ...uleb(index));
  }

  // ---- i32 memory ----
  i32Load(offset = 0): this {
    return this.op(0x28, 2, ...uleb(offset));
  }
  i32Store(offset = 0): this {
    return this.op(0x36, 2, ...uleb(offset));
  }

  // ---- atomics (threads proposal; valid on shared and unshared memories) ----
  private atomic(opcode: number, offset: number): this {
    return this.op(0xfe, ...uleb(opcode), 2, ...uleb(offset));
  }
  i32AtomicLoad(offset = 0): this {
    return this.atomic(0x10, offset);
  }
  /** Atomic add: pops address and operand, pushes the old value. */
  i32AtomicAdd(offset = 0): this {
    return this.atomic(0x1e, offset);
  }
  /** Atomic compare-exchange: pops address, expected, replacement; pushes the old value. */
  i32AtomicCmpxchg(offset = 0): this {
    return this.atomic(0x48, offset);
  }

  // ---- f32 memory ----
  f32Load(offset = 0): this {
    return this.op(0x2a, 2, ...uleb(offset));
  }
  f32Store(offset = 0): this {
    return this.op(0x38, 2, ...uleb(offset));
  }

  // ---- SIMD ----
  v128Load(offset = 0): this {
    return this.simd(0x00, 4, ...uleb(offset));
  }
  v128Store(offset = 0): this {
    return this.simd(0x0b, 4, ...uleb(offset));
  }
  v128Zero(): this {
    return this.simd(0x0c, ...new Array(16).fill(0));
  }
  /** A v128 constant of four copies of the float32 `value`. */
  f32x4Const(value: number): this {
    const bytes = new Uint8Array(new Float32Array([value, value, value, value]).buffer);
    return this.simd(0x0c, ...bytes);
  }
  f32x4Splat(): this {
    return this.simd(0x13);
  }
  /** `i8x16.shuffle` of the two operands on the stack by byte indices 0–31. */
  i8x16Shuffle(lanes: readonly number[]): this {
    return this.simd(0x0d, ...lanes);
  }
  f32x4LoadSplat(offset = 0): this {
    // v128.load32_splat
    return this.simd(0x09, 2, ...uleb(offset));
  }
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Neg(): this {
    return this.simd(0xe1);
  }
  f32x4Sub(): this {
    return this.simd(0xe5);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
  /** Lane-wise `a ≠ b` (true for NaN lanes): all-ones or all-zeros lanes. */
  f32x4Ne(): this {
    return this.simd(0x42);
  }
  /** 1 if any bit of the vector is set, else 0. */
  v128AnyTrue(): this {
    return this.simd(0x53);
  }
  /** Relaxed SIMD fused multiply-add: a·b + c (operands pushed as a, b, c). */
  f32x4RelaxedMadd(): this {
    return this.simd(0x105);
  }

  /** The encoded body: local declarations, then the instructions and the final `end`. */
  encode(): number[] {
    const groups: [number, ValType][] = [];
    for (const t of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const locals = [...uleb(groups.length), ...groups.flatMap(([n, t]) => [...uleb(n), t])];
    const body = [...locals, ...this.bytes, 0x0b];
    return [...uleb(body.length), ...body];
  }
}

/** One exported function of a module. */
export interface FunctionDef {
  readonly name: string;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  readonly code: Code;
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function name(s: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(s));
  return [...uleb(bytes.length), ...bytes];
}

/**
 * A module importing memory `env.memory` and exporting `functions` and `globals`: mutable i32
 * globals, numbered in list order from 0 and starting at 0. A global is per instance, so per
 * thread: the place for a thread's own state that the JS around a call can read afterwards.
 */
export function encodeModule(functions: readonly FunctionDef[], options: { sharedMemory?: boolean; globals?: readonly string[] } = {}): Uint8Array<ArrayBuffer> {
  const globals = options.globals ?? [];
  const types = functions.flatMap((f) => [0x60, ...uleb(f.params.length), ...f.params, ...uleb(f.results.length), ...f.results]);
  const memoryLimits = options.sharedMemory ? [0x03, 0x01, ...uleb(65536)] : [0x00, 0x01];
  const imports = [...uleb(1), ...name("env"), ...name("memory"), 0x02, ...memoryLimits];
  const funcs = [...uleb(functions.length), ...functions.flatMap((_, i) => uleb(i))];
  // i32, mutable, initialised by `i32.const 0`
  const globalDefs = [...uleb(globals.length), ...globals.flatMap(() => [I32, 0x01, 0x41, 0x00, 0x0b])];
  const exports = [
    ...uleb(functions.length + globals.length),
    ...functions.flatMap((f, i) => [...name(f.name), 0x00, ...uleb(i)]),
    ...globals.flatMap((g, i) => [...name(g), 0x03, ...uleb(i)]),
  ];
  const code = [...uleb(functions.length), ...functions.flatMap((f) => f.code.encode())];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...uleb(functions.length), ...types]),
    ...section(2, imports),
    ...section(3, funcs),
    ...(globals.length > 0 ? section(6, globalDefs) : []),
    ...section(7, exports),
    ...section(10, code),
  ]);
}
