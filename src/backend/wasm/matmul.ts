/**
 * @file Matrix product on WebAssembly SIMD: a kernel generated at run time that computes 4×8
 * tiles of C with eight f32x4 accumulators, over operands packed for sequential access (A in
 * groups of 4 rows interleaved by column, B in panels of 8 columns). Relaxed SIMD's fused
 * multiply-add is used where the engine validates it; otherwise a multiply and an add.
 */
import { Code, encodeModule, I32, V128 } from "./emit.js";

/** Rows of A handled per cache block: keeps the packed block of A within L2 while B panels stream. */
const ROW_BLOCK = 64;

function kernel(relaxed: boolean): Code {
  // params: packedA, packedB, c, rows (multiple of 4), k, tiles (of 8 columns), ldc (floats)
  const code = new Code(7);
  const [A, B, C, ROWS, K, TILES, LDC] = [0, 1, 2, 3, 4, 5, 6];
  const block = code.local(I32);
  const blockEnd = code.local(I32);
  const t = code.local(I32);
  const i = code.local(I32);
  const p = code.local(I32);
  const ap = code.local(I32);
  const bp = code.local(I32);
  const cp = code.local(I32);
  const acc = Array.from({ length: 8 }, () => code.local(V128));
  const b0 = code.local(V128);
  const b1 = code.local(V128);
  const a = code.local(V128);

  const fma = (target: number, bv: number) => {
    if (relaxed) code.get(a).get(bv).get(target).f32x4RelaxedMadd().set(target);
    else code.get(target).get(a).get(bv).f32x4Mul().f32x4Add().set(target);
  };

  // for (block = 0; block < rows; block += ROW_BLOCK)
  code.i32(0).set(block);
  code.block().loop();
  code.get(block).get(ROWS).i32GeU().brIf(1);
  //   blockEnd = min(block + ROW_BLOCK, rows)
  code.get(block).i32(ROW_BLOCK).i32Add().set(blockEnd);
  code.get(blockEnd).get(ROWS).i32GeU().if_().get(ROWS).set(blockEnd).end();
  //   for (t = 0; t < tiles; t++)
  code.i32(0).set(t);
  code.block().loop();
  code.get(t).get(TILES).i32GeU().brIf(1);
  //     for (i = block; i < blockEnd; i += 4)
  code.get(block).set(i);
  code.block().loop();
  code.get(i).get(blockEnd).i32GeU().brIf(1);
  for (const v of acc) code.v128Zero().set(v);
  //       ap = A + i·k·4 (group i/4 holds k·4 floats); bp = B + t·k·32
  code.get(A).get(i).get(K).i32Mul().i32(2).i32Shl().i32Add().set(ap);
  code.get(B).get(t).get(K).i32Mul().i32(5).i32Shl().i32Add().set(bp);
  code.i32(0).set(p);
  code.block().loop();
  code.get(p).get(K).i32GeU().brIf(1);
  code.get(bp).v128Load(0).set(b0);
  code.get(bp).v128Load(16).set(b1);
  for (let r = 0; r < 4; r++) {
    code.get(ap).f32x4LoadSplat(4 * r).set(a);
    fma(acc[2 * r], b0);
    fma(acc[2 * r + 1], b1);
  }
  code.get(bp).i32(32).i32Add().set(bp);
  code.get(ap).i32(16).i32Add().set(ap);
  code.get(p).i32(1).i32Add().set(p);
  code.br(0);
  code.end().end();
  //       store the 4×8 tile: C[(i + r)·ldc + t·8 …]
  for (let r = 0; r < 4; r++) {
    code.get(C).get(i).i32(r).i32Add().get(LDC).i32Mul().get(t).i32(3).i32Shl().i32Add().i32(2).i32Shl().i32Add().set(cp);
    code.get(cp).get(acc[2 * r]).v128Store(0);
    code.get(cp).get(acc[2 * r + 1]).v128Store(16);
  }
  code.get(i).i32(4).i32Add().set(i);
  code.br(0);
  code.end().end();
  code.get(t).i32(1).i32Add().set(t);
  code.br(0);
  code.end().end();
  code.get(block).i32(ROW_BLOCK).i32Add().set(block);
  code.br(0);
  code.end().end();
  return code;
}

type KernelFn = (a: number, b: number, c: number, rows: number, k: number, tiles: number, ldc: number) => void;

/** A compiled matmul kernel with its own memory. */
export class WasmMatmul {
  private readonly memory = new WebAssembly.Memory({ initial: 16 });
  private readonly run: KernelFn;
  private view: Float32Array;

  private constructor(
    module: WebAssembly.Module,
    /** Whether the kernel uses relaxed SIMD's fused multiply-add. */
    readonly relaxed: boolean,
  ) {
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.run = instance.exports.matmul as KernelFn;
    this.view = new Float32Array(this.memory.buffer);
  }

  /** Compiles the kernel (with relaxed FMA when available); `null` where WebAssembly SIMD is missing. */
  static create(): WasmMatmul | null {
    if (typeof WebAssembly === "undefined") return null;
    for (const relaxed of [true, false]) {
      const bytes = encodeModule([{ name: "matmul", params: [I32, I32, I32, I32, I32, I32, I32], results: [], code: kernel(relaxed) }]);
      if (WebAssembly.validate(bytes)) return new WasmMatmul(new WebAssembly.Module(bytes), relaxed);
    }
    return null;
  }

  private ensure(floats: number): Float32Array {
    const bytes = floats * 4;
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / 65536));
    if (this.view.buffer !== this.memory.buffer) this.view = new Float32Array(this.memory.buffer);
    return this.view;
  }

  /**
   * C[m×n] = A·B where element (i, p) of A is `a[aOff + i·aRow + p·aCol]` and element (p, j) of B is
   * `b[bOff + p·bRow + j·bCol]`: any strides, so transposed operands need no copy.
   */
  multiply(
    a: Float32Array,
    aOff: number,
    aRow: number,
    aCol: number,
    b: Float32Array,
    bOff: number,
    bRow: number,
    bCol: number,
    m: number,
    k: number,
    n: number,
    out: Float32Array | Float64Array,
    outOff: number,
  ): void {
    const rows = Math.ceil(m / 4) * 4;
    const tiles = Math.ceil(n / 8);
    const ldc = tiles * 8;
    const aFloats = rows * k;
    const bFloats = tiles * k * 8;
    const mem = this.ensure(aFloats + bFloats + rows * ldc);
    const aBase = 0;
    const bBase = aFloats;
    const cBase = aFloats + bFloats;
    // Pack A: group g, column p, row r of the group → aBase + (g·k + p)·4 + r. The loop order
    // follows whichever of A's strides is 1, so the source is read sequentially.
    if (rows !== m) mem.fill(0, aBase, aBase + aFloats);
    if (aCol === 1 || aRow !== 1) {
      for (let i = 0; i < m; i++) {
        let dst = aBase + (i >> 2) * k * 4 + (i & 3);
        let src = aOff + i * aRow;
        for (let p = 0; p < k; p++, dst += 4, src += aCol) mem[dst] = a[src];
      }
    } else {
      for (let p = 0; p < k; p++) {
        const src = aOff + p * aCol;
        for (let i = 0; i < m; i++) mem[aBase + (i >> 2) * k * 4 + p * 4 + (i & 3)] = a[src + i];
      }
    }
    // Pack B: tile t, row p, column c of the tile → bBase + (t·k + p)·8 + c (zero-padded).
    if (n % 8 !== 0) mem.fill(0, bBase, bBase + bFloats);
    if (bCol === 1 || bRow !== 1) {
      for (let p = 0; p < k; p++) {
        const src = bOff + p * bRow;
        for (let j = 0; j < n; j++) mem[bBase + ((j >> 3) * k + p) * 8 + (j & 7)] = b[src + j * bCol];
      }
    } else {
      for (let j = 0; j < n; j++) {
        const src = bOff + j * bCol;
        const dst = bBase + (j >> 3) * k * 8 + (j & 7);
        for (let p = 0; p < k; p++) mem[dst + p * 8] = b[src + p];
      }
    }
    this.run(aBase * 4, bBase * 4, cBase * 4, rows, k, tiles, ldc);
    for (let i = 0; i < m; i++) {
      const src = cBase + i * ldc;
      out.set(mem.subarray(src, src + n), outOff + i * n);
    }
  }
}

let instance: WasmMatmul | null | undefined;

/** The shared kernel, compiled on first use; `null` without WebAssembly SIMD. */
export function wasmMatmul(): WasmMatmul | null {
  if (instance === undefined) instance = WasmMatmul.create();
  return instance;
}
