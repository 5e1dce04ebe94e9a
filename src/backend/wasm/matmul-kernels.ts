/**
 * @file The WebAssembly module behind the float32 matrix product, generated at run time: the 4×8
 * SIMD microkernel, the packers that lay operands out for it, and the task dispatcher (tasks.ts)
 * through which the calling thread and the pool's workers share the blocks of one product (see
 * matmul.ts, pool.ts).
 */
import { Code, encodeModule, I32, V128, type FunctionDef } from "./emit.js";
import { ARGS_BYTES, DATA, WORK_GLOBALS, emitWork } from "./tasks.js";
import { startEpilogue, type KernelEpilogue } from "./epilogue-emit.js";

// Function indices in the module (the order of `functions` in `matmulModule`).
const KERNEL = 0;

const params7 = [I32, I32, I32, I32, I32, I32, I32] as const;

/**
 * Two words the product with an epilogue reads (the last of the argument block, which no other
 * kernel uses while a product runs): the byte address of the epilogue's inputs (epilogue-emit.ts),
 * and of C's first element, from which each task finds its first column.
 */
export const EPILOGUE_WORDS = DATA + ARGS_BYTES - 8;

/**
 * Floats of k per pass over C (see `kernel`): a packed A block (16 groups · 4 rows · KC floats,
 * 128 KB) stays in L2 and a B panel (8 · KC floats, 16 KB) in L1 while they are reused.
 */
export const KC = 512;

/**
 * Steps of p up to which the kernel runs groups outside and tiles inside (see `kernel`). Measured
 * (`npx tsx bench/product-kernel.ts`, 2 threads): a first layer's strips product, 107520×9×32 with
 * rows kept, 1.64 / 1.60 → 1.46 / 1.47 ms; without kept rows, k of 32, and 512³ and 1024³ products
 * unchanged. A bound of 64 was no better than 32.
 */
const SHORT_K = 32;

/**
 * kernel(a, b, c, groups, k, tiles, ldc, lda, ldb, ags, bts, row0, period, kept, trash, rows): for
 * each 8-column tile of B, for each group of 4 rows of A (groups outside and tiles inside where k
 * is at most `SHORT_K`), C[4×8] = Σ_p a[:, p] ⊗ b[p, :], p
 * ascending from 0 (all byte addresses; ldc in floats). With `period` 0, row r of the task's block
 * is row r of C at `c`. Otherwise (period ≥ 4) the rows come in periods of `period` of which the first `kept`
 * are wanted (conv strips' valid rows): the task's row r is row row0 + r of the whole product,
 * written to row (s·kept + q) of C at `c`, s and q its period and place in it; the other rows, and
 * those past `rows`, go to the scratch row at `trash` (ldc floats), read by nobody. A is packed (groups of 4 rows interleaved by column, `ags` bytes from
 * one group's panel to the next: 16·k for a whole panel, more where a task takes a range of k
 * from longer panels) where lda = 0, else read in place:
 * rows lda bytes apart, contiguous along p (row-major operands and the overlapping rows of conv
 * strips need no packing). B likewise: packed in panels of 8 columns where ldb = 0, else read in
 * place, rows ldb bytes apart and contiguous along the columns (a large operand that only a few
 * groups of rows read, such as the strips of a filter gradient, is not worth a packing pass); packed
 * panels are `bts` bytes apart (32·k for whole ones). The sum runs in passes of KC steps of p over the whole block, each pass
 * resuming from the C the last one stored: long products (filter gradients contract over every
 * output position) then reread operands from cache, not memory. Every element of C is still summed
 * in the same order (0 + a₀b₀ + a₁b₁ + …) however the product is cut into tasks or passes, and
 * whether A was packed or not. With `relaxed`, each step is relaxed SIMD's fused multiply-add
 * (engines that validate it).
 */
export function productKernel(relaxed: boolean, epilogue: KernelEpilogue | null = null): Code {
  const code = new Code(16);
  const [A, B, C, GROUPS, K, TILES, LDC, LDA, LDB, AGS, BTS, ROW0, PERIOD, KEPT, TRASH, ROWS] = Array.from({ length: 16 }, (_, i) => i);
  const gper = code.local(I32);
  const gq = code.local(I32);
  const per = code.local(I32);
  const q = code.local(I32);
  const wrap = code.local(I32);
  const t = code.local(I32);
  const g = code.local(I32);
  const p = code.local(I32);
  const bp = code.local(I32);
  const kb = code.local(I32);
  const bstep = code.local(I32);
  const ke = code.local(I32);
  // packed A: one pointer; rows in place: one per row
  const ap = [code.local(I32), code.local(I32), code.local(I32), code.local(I32)];
  const cp = [code.local(I32), code.local(I32), code.local(I32), code.local(I32)];
  // a group's rows at tile 0 (short passes)
  const row0 = [code.local(I32), code.local(I32), code.local(I32), code.local(I32)];
  const acc = Array.from({ length: 8 }, () => code.local(V128));
  const b0 = code.local(V128);
  const b1 = code.local(V128);
  const a = code.local(V128);
  // NB: the loop over p is not unrolled by hand: V8 peels it, and unrolling it here makes
  // TurboFan hoist every load of the unrolled steps and spill accumulators (measured 30% slower).
  const fma = (target: number, bv: number) => {
    if (relaxed) code.get(a).get(bv).get(target).f32x4RelaxedMadd().set(target);
    else code.get(target).get(a).get(bv).f32x4Mul().f32x4Add().set(target);
  };
  const steps = (packed: boolean) => {
    //   bp = b + t·bts + kb·32 packed, b + t·32 + kb·ldb in place
    code.get(LDB).i32Eqz().if_();
    code.get(B).get(t).get(BTS).i32Mul().i32Add().get(kb).i32(5).i32Shl().i32Add().set(bp);
    code.else_();
    code.get(B).get(t).i32(5).i32Shl().i32Add().get(kb).get(LDB).i32Mul().i32Add().set(bp);
    code.end();
    if (packed) {
      //   ap = a + g·ags + kb·16
      code.get(A).get(g).get(AGS).i32Mul().i32Add().get(kb).i32(4).i32Shl().i32Add().set(ap[0]);
    } else {
      //   ap[r] = a + (4g + r)·lda + kb·4
      code.get(A).get(g).i32(2).i32Shl().get(LDA).i32Mul().i32Add().get(kb).i32(2).i32Shl().i32Add().set(ap[0]);
      for (let r = 1; r < 4; r++) code.get(ap[r - 1]).get(LDA).i32Add().set(ap[r]);
    }
    code.get(kb).set(p);
    code.block().loop();
    code.get(p).get(ke).i32GeU().brIf(1);
    code.get(bp).v128Load(0).set(b0);
    code.get(bp).v128Load(16).set(b1);
    for (let r = 0; r < 4; r++) {
      if (packed) code.get(ap[0]).f32x4LoadSplat(4 * r).set(a);
      else code.get(ap[r]).f32x4LoadSplat(0).set(a);
      fma(acc[2 * r], b0);
      fma(acc[2 * r + 1], b1);
    }
    code.get(bp).get(bstep).i32Add().set(bp);
    if (packed) code.get(ap[0]).i32(16).i32Add().set(ap[0]);
    else for (let r = 0; r < 4; r++) code.get(ap[r]).i32(4).i32Add().set(ap[r]);
    code.get(p).i32(1).i32Add().set(p);
    code.br(0);
    code.end().end();
  };

  // the epilogue: its inputs' address and C's (EPILOGUE_WORDS), rows of C's width; this task's
  // first column, from where its C starts
  const finish = epilogue === null ? null : (() => {
    const at = code.local(I32);
    const rowBytes = code.local(I32);
    const col = code.local(I32);
    code.i32(0).i32Load(EPILOGUE_WORDS).set(at);
    code.get(LDC).i32(2).i32Shl().set(rowBytes);
    code.get(C).i32(0).i32Load(EPILOGUE_WORDS + 4).i32Sub().i32(2).i32ShrU().get(LDC).i32RemU().i32(2).i32Shl().set(col);
    return { ...startEpilogue(code, epilogue, at, rowBytes), col, offset: code.local(I32) };
  })();
  // bytes from one step of p to the next in B
  code.i32(32).get(LDB).get(LDB).i32Eqz().select().set(bstep);
  // passes over k: [kb, ke) = [kb, min(kb + KC, k)); one pass (storing zeros) when k = 0
  code.i32(0).set(kb);
  code.block().loop();
  code.get(kb).i32(KC).i32Add().set(ke);
  code.get(ke).get(K).i32GtU().if_();
  code.get(K).set(ke);
  code.end();
  // the rows of the tile at group g (and tile t when `withTile`, else tile 0): C[(4g + r)·ldc + 8t …],
  // or remapped (see above); the next tile's rows lie 32 bytes on
  const rowsOf = (withTile: boolean, rows: readonly number[]) => {
    const tileOffset = () => {
      if (withTile) code.get(t).i32(5).i32Shl().i32Add();
    };
    code.get(PERIOD).i32Eqz().if_();
    code.get(C).get(g).i32(2).i32Shl().get(LDC).i32Mul().i32(2).i32Shl().i32Add();
    tileOffset();
    code.set(rows[0]);
    for (let r = 1; r < 4; r++) code.get(rows[r - 1]).get(LDC).i32(2).i32Shl().i32Add().set(rows[r]);
    code.else_();
    //   (per, q) of row row0 + 4g: divided out at g = 0, then moved on 4 rows per group (period ≥ 4)
    code.get(g).i32Eqz().if_();
    code.get(ROW0).get(PERIOD).i32DivU().set(gper);
    code.get(ROW0).get(gper).get(PERIOD).i32Mul().i32Sub().set(gq);
    code.end();
    for (let r = 0; r < 4; r++) {
      // row r of the group: q = gq + r, past the period's end → the next one
      code.get(gq).i32(r).i32Add().set(q);
      code.get(q).get(PERIOD).i32GeU().set(wrap);
      code.get(q).get(PERIOD).get(wrap).i32Mul().i32Sub().set(q);
      code.get(gper).get(wrap).i32Add().set(per);
      //   kept and inside: c + ((per·kept + q)·ldc + 8t)·4, else trash + 8t·4
      code.get(C).get(per).get(KEPT).i32Mul().get(q).i32Add().get(LDC).i32Mul().i32(2).i32Shl().i32Add();
      tileOffset();
      code.get(TRASH);
      tileOffset();
      code.get(q).get(KEPT).i32LtU();
      code.get(ROW0).get(g).i32(2).i32Shl().i32Add().i32(r).i32Add().get(ROWS).i32LtU().i32And().select().set(rows[r]);
    }
    // the next group's first row
    code.get(gq).i32(4).i32Add().set(gq);
    code.get(gq).get(PERIOD).i32GeU().if_();
    code.get(gq).get(PERIOD).i32Sub().set(gq);
    code.get(gper).i32(1).i32Add().set(gper);
    code.end();
    code.end();
  };
  // one 4×8 tile of C (group g, tile t, rows at cp) over this pass's steps
  const tile = () => {
    code.get(kb).i32Eqz().if_();
    for (const v of acc) code.v128Zero().set(v);
    code.else_();
    for (let r = 0; r < 4; r++) {
      code.get(cp[r]).v128Load(0).set(acc[2 * r]);
      code.get(cp[r]).v128Load(16).set(acc[2 * r + 1]);
    }
    code.end();
    code.get(LDA).i32Eqz().if_();
    steps(true);
    code.else_();
    steps(false);
    code.end();
    if (finish !== null) {
      // the last pass: the epilogue on each vector, its rows at this tile's columns
      code.get(ke).get(K).i32GeU().if_();
      for (let h = 0; h < 2; h++) {
        code.get(finish.col).get(t).i32(5).i32Shl().i32Add().i32(16 * h).i32Add().set(finish.offset);
        const rowValues = finish.loadRows(finish.offset);
        for (let r = 0; r < 4; r++) {
          const y = finish.apply(acc[2 * r + h], rowValues);
          code.get(y).set(acc[2 * r + h]);
        }
      }
      code.end();
    }
    for (let r = 0; r < 4; r++) {
      code.get(cp[r]).get(acc[2 * r]).v128Store(0);
      code.get(cp[r]).get(acc[2 * r + 1]).v128Store(16);
    }
  };
  /** `body` for i in [0, count): a counted loop over local i. */
  const each = (i: number, count: number, body: () => void) => {
    code.i32(0).set(i);
    code.block().loop();
    code.get(i).get(count).i32GeU().brIf(1);
    body();
    code.get(i).i32(1).i32Add().set(i);
    code.br(0);
    code.end().end();
  };
  // A long pass keeps a B panel in L1 while the groups' rows stream past it: tiles outside, groups
  // inside. A short one (few steps of p: a first layer's k = 9) is dominated by what a tile costs
  // around its steps, so groups go outside: each group's rows are found once for all its tiles.
  code.get(K).i32(SHORT_K).i32GtU().if_();
  each(t, TILES, () =>
    each(g, GROUPS, () => {
      rowsOf(true, cp);
      tile();
    }),
  );
  code.else_();
  each(g, GROUPS, () => {
    rowsOf(false, row0);
    each(t, TILES, () => {
      for (let r = 0; r < 4; r++) code.get(row0[r]).get(t).i32(5).i32Shl().i32Add().set(cp[r]);
      tile();
    });
  });
  code.end();
  code.get(ke).set(kb);
  code.get(kb).get(K).i32LtU().brIf(0);
  code.end().end();
  return code;
}

/** Byte lanes of `i8x16.shuffle` taking f32 lanes `l` (0–3 from the first operand, 4–7 from the second). */
function f32Lanes(...l: number[]): number[] {
  return l.flatMap((x) => [4 * x, 4 * x + 1, 4 * x + 2, 4 * x + 3]);
}

/** Transposes the 4×4 block whose rows are in locals `rows`, leaving its columns in `cols`. */
function transpose4(code: Code, rows: readonly number[], tmp: readonly number[], cols: readonly number[]): void {
  const lo = f32Lanes(0, 4, 1, 5);
  const hi = f32Lanes(2, 6, 3, 7);
  code.get(rows[0]).get(rows[1]).i8x16Shuffle(lo).set(tmp[0]);
  code.get(rows[0]).get(rows[1]).i8x16Shuffle(hi).set(tmp[1]);
  code.get(rows[2]).get(rows[3]).i8x16Shuffle(lo).set(tmp[2]);
  code.get(rows[2]).get(rows[3]).i8x16Shuffle(hi).set(tmp[3]);
  code.get(tmp[0]).get(tmp[2]).i8x16Shuffle(f32Lanes(0, 1, 4, 5)).set(cols[0]);
  code.get(tmp[0]).get(tmp[2]).i8x16Shuffle(f32Lanes(2, 3, 6, 7)).set(cols[1]);
  code.get(tmp[1]).get(tmp[3]).i8x16Shuffle(f32Lanes(0, 1, 4, 5)).set(cols[2]);
  code.get(tmp[1]).get(tmp[3]).i8x16Shuffle(f32Lanes(2, 3, 6, 7)).set(cols[3]);
}

/**
 * A packer: for panels q in [q0, q1) of `width` (4 for A, 8 for B) lines along one dimension, and
 * p in [0, k), dst[(q·k + p)·width + c] = src[line(q·width + c)·ls + p·ps] (element strides; byte
 * addresses). A: lines are rows of A (ls = row stride, ps = column stride); B: lines are columns
 * of B (ls = column stride, ps = row stride). One of the strides must be 1: with ls = 1 each step
 * copies contiguous vectors, with ps = 1 it transposes 4×4 blocks; other strides are packed in JS.
 */
function packer(width: 4 | 8): Code {
  const code = new Code(7);
  const [SRC, DST, Q0, Q1, K, LS, PS] = [0, 1, 2, 3, 4, 5, 6];
  const q = code.local(I32);
  const p = code.local(I32);
  const s = code.local(I32);
  const d = code.local(I32);
  const h = code.local(I32);
  const lsBytes = code.local(I32);
  const psBytes = code.local(I32);
  const pb = code.local(I32);
  const pe = code.local(I32);
  const rows = [code.local(V128), code.local(V128), code.local(V128), code.local(V128)];
  const tmp = [code.local(V128), code.local(V128), code.local(V128), code.local(V128)];
  const cols = [code.local(V128), code.local(V128), code.local(V128), code.local(V128)];
  const halves = width / 4;

  code.get(LS).i32(2).i32Shl().set(lsBytes);
  code.get(PS).i32(2).i32Shl().set(psBytes);
  code.get(LS).i32(1).i32Eq().if_();
  {
    // Lines are adjacent: each p copies `width` contiguous floats from src + (q·width + p·ps)·4.
    // Blocks of PACK_STEPS values of p, every panel q inside a block: the source rows of a block
    // (each read by all panels) stay in cache instead of being fetched once per panel.
    code.i32(0).set(pb);
    code.block().loop();
    code.get(pb).get(K).i32GeU().brIf(1);
    code.get(pb).i32(PACK_STEPS).i32Add().set(pe);
    code.get(pe).get(K).i32GtU().if_();
    code.get(K).set(pe);
    code.end();
    code.get(Q0).set(q);
    code.block().loop();
    code.get(q).get(Q1).i32GeU().brIf(1);
    // d = dst + (q·k + pb)·width·4, s = src + (q·width + pb·ps)·4
    code.get(DST).get(q).get(K).i32Mul().get(pb).i32Add().i32(width * 4).i32Mul().i32Add().set(d);
    code.get(SRC).get(q).i32(width * 4).i32Mul().i32Add().get(pb).get(psBytes).i32Mul().i32Add().set(s);
    code.get(pb).set(p);
    code.block().loop();
    code.get(p).get(pe).i32GeU().brIf(1);
    for (let v = 0; v < halves; v++) code.get(d).get(s).v128Load(16 * v).v128Store(16 * v);
    code.get(s).get(psBytes).i32Add().set(s);
    code.get(d).i32(width * 4).i32Add().set(d);
    code.get(p).i32(1).i32Add().set(p);
    code.br(0);
    code.end().end();
    code.get(q).i32(1).i32Add().set(q);
    code.br(0);
    code.end().end();
    code.get(pe).set(pb);
    code.br(0);
    code.end().end();
  }
  code.else_();
  {
    code.get(Q0).set(q);
    code.block().loop();
    code.get(q).get(Q1).i32GeU().brIf(1);
    // d = dst + q·k·width·4
    code.get(DST).get(q).get(K).i32Mul().i32(width * 4).i32Mul().i32Add().set(d);
    // Each line is contiguous along p: transpose 4 lines × 4 p at a time, then the tail of k.
    code.i32(0).set(p);
    code.block().loop();
    code.get(p).i32(4).i32Add().get(K).i32GtU().brIf(1);
    for (let half = 0; half < halves; half++) {
      // s = src + ((q·width + 4·half)·ls + p)·4
      code.get(SRC).get(q).i32(width).i32Mul().i32(4 * half).i32Add().get(LS).i32Mul().get(p).i32Add().i32(2).i32Shl().i32Add().set(s);
      for (let r = 0; r < 4; r++) {
        code.get(s).v128Load().set(rows[r]);
        if (r < 3) code.get(s).get(lsBytes).i32Add().set(s);
      }
      transpose4(code, rows, tmp, cols);
      for (let r = 0; r < 4; r++) code.get(d).get(cols[r]).v128Store(r * width * 4 + 16 * half);
    }
    code.get(d).i32(width * 16).i32Add().set(d);
    code.get(p).i32(4).i32Add().set(p);
    code.br(0);
    code.end().end();
    code.block().loop();
    code.get(p).get(K).i32GeU().brIf(1);
    // s = src + (q·width·ls + p)·4; one float per line
    code.get(SRC).get(q).i32(width).i32Mul().get(LS).i32Mul().get(p).i32Add().i32(2).i32Shl().i32Add().set(s);
    code.i32(0).set(h);
    code.block().loop();
    code.get(h).i32(width).i32GeU().brIf(1);
    code.get(d).get(h).i32(2).i32Shl().i32Add().get(s).f32Load().f32Store();
    code.get(s).get(lsBytes).i32Add().set(s);
    code.get(h).i32(1).i32Add().set(h);
    code.br(0);
    code.end().end();
    code.get(d).i32(width * 4).i32Add().set(d);
    code.get(p).i32(1).i32Add().set(p);
    code.br(0);
    code.end().end();
    code.get(q).i32(1).i32Add().set(q);
    code.br(0);
    code.end().end();
  }
  code.end();
  return code;
}

/** Steps of p per block when packing adjacent lines (see `packer`). */
const PACK_STEPS = 64;

/**
 * compact(c, rows, n, ldc): moves rows of C stored `ldc` floats apart to `n` floats apart, in
 * place (forward: row i's destination overlaps no later row's source).
 */
function compact(): Code {
  const code = new Code(4);
  const [C, ROWS, N, LDC] = [0, 1, 2, 3];
  const i = code.local(I32);
  const j = code.local(I32);
  const s = code.local(I32);
  const d = code.local(I32);
  code.i32(1).set(i);
  code.block().loop();
  code.get(i).get(ROWS).i32GeU().brIf(1);
  code.get(C).get(i).get(LDC).i32Mul().i32(2).i32Shl().i32Add().set(s);
  code.get(C).get(i).get(N).i32Mul().i32(2).i32Shl().i32Add().set(d);
  code.i32(0).set(j);
  code.block().loop();
  code.get(j).get(N).i32GeU().brIf(1);
  code.get(d).get(j).i32(2).i32Shl().i32Add().get(s).get(j).i32(2).i32Shl().i32Add().f32Load().f32Store();
  code.get(j).i32(1).i32Add().set(j);
  code.br(0);
  code.end().end();
  code.get(i).i32(1).i32Add().set(i);
  code.br(0);
  code.end().end();
  return code;
}

/**
 * strips(src, dst, n, oh, h, w, cBytes, kh, sh, top, left, cols, last): the conv strips (js/conv.ts)
 * of an NHWC input at `src` written to `dst` (byte addresses; `cBytes` a multiple of 4) in one
 * call: for image b, output row p and filter row i, the strip's columns 0…cols−1 get the channels
 * of input pixel (p·sh + i − top, col − left) where that is inside the input (columns
 * [left, last) of rows 0 ≤ y < h), and zeros elsewhere. `top`, `left` and `last` may be negative.
 */
function strips(): Code {
  const code = new Code(13);
  const [SRC, DST, N, OH, H, W, CB, KH, SH, TOP, LEFT, COLS, LAST] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const b = code.local(I32);
  const p = code.local(I32);
  const i = code.local(I32);
  const col = code.local(I32);
  const e = code.local(I32);
  const y = code.local(I32);
  const d = code.local(I32);
  const s = code.local(I32);
  const end = code.local(I32);
  const colBytes = code.local(I32);
  const vecBytes = code.local(I32);
  const lo = code.local(I32);
  const hi = code.local(I32);
  const stop = code.local(I32);
  const from8 = code.local(I32);
  code.get(KH).get(CB).i32Mul().set(colBytes);
  code.get(CB).i32(-16).i32And().set(vecBytes);
  code.get(DST).set(d);
  code.i32(0).set(b);
  code.block().loop();
  code.get(b).get(N).i32GeU().brIf(1);
  code.i32(0).set(p);
  code.block().loop();
  code.get(p).get(OH).i32GeU().brIf(1);
  code.i32(0).set(i);
  code.block().loop();
  code.get(i).get(KH).i32GeU().brIf(1);
  //   this filter row's first value: d = dst + ((b·oh + p)·cols·kh + i)·cBytes
  code.get(DST).get(b).get(OH).i32Mul().get(p).i32Add().get(COLS).i32Mul().get(colBytes).i32Mul().i32Add().get(i).get(CB).i32Mul().i32Add().set(d);
  code.get(p).get(SH).i32Mul().get(i).i32Add().get(TOP).i32Sub().set(y);
  //   data columns end at `last` on rows inside the input, at `left` (none) outside it
  code.get(LAST).get(LEFT).get(y).i32(0).i32GeS().get(y).get(H).i32LtS().i32And().select().set(end);
  //   s = src + ((b·h + y)·w − left)·cBytes: column col's pixel is at s + col·cBytes
  code.get(SRC).get(b).get(H).i32Mul().get(y).i32Add().get(W).i32Mul().get(LEFT).i32Sub().get(CB).i32Mul().i32Add().set(s);
  code.get(KH).i32(1).i32Eq().if_();
  {
    // One filter row: the strip's data columns are one contiguous run in both the input and the
    // strip, copied by vectors between runs of zeros. [lo, hi): the data columns inside [0, cols).
    code.get(LEFT).i32(0).get(LEFT).i32(0).i32GtS().select().set(lo);
    code.get(lo).get(COLS).get(lo).get(COLS).i32LtS().select().set(lo);
    code.get(end).get(lo).get(end).get(lo).i32GtS().select().set(hi);
    code.get(hi).get(COLS).get(hi).get(COLS).i32LtS().select().set(hi);
    const run = (from: () => void, to: () => void, source: (() => void) | null) => {
      from();
      code.set(e);
      to();
      code.set(stop);
      if (source !== null) {
        source();
        code.set(from8);
      }
      // whole vectors while 16 bytes remain, then single floats
      for (const bytes of [16, 4]) {
        code.block().loop();
        code.get(e).i32(bytes).i32Add().get(stop).i32GtU().brIf(1);
        code.get(e);
        if (source === null) (bytes === 16 ? code.v128Zero() : code.i32(0));
        else (bytes === 16 ? code.get(from8).v128Load() : code.get(from8).i32Load());
        if (bytes === 16) code.v128Store();
        else code.i32Store();
        code.get(e).i32(bytes).i32Add().set(e);
        if (source !== null) code.get(from8).i32(bytes).i32Add().set(from8);
        code.br(0);
        code.end().end();
      }
    };
    const at = (col: number | null) => () => {
      code.get(d);
      if (col !== null) code.get(col).get(CB).i32Mul().i32Add();
    };
    run(at(null), at(lo), null);
    run(at(lo), at(hi), () => code.get(s).get(lo).get(CB).i32Mul().i32Add());
    run(at(hi), () => code.get(d).get(COLS).get(CB).i32Mul().i32Add(), null);
  }
  code.else_();
  code.i32(0).set(col);
  code.block().loop();
  code.get(col).get(COLS).i32GeU().brIf(1);
  // signed: `left` and `last` may be negative (a filter column's row of taps, see js/conv.ts)
  code.get(col).get(LEFT).i32GeS().get(col).get(end).i32LtS().i32And().if_();
  {
    code.i32(0).set(e);
    code.block().loop();
    code.get(e).get(vecBytes).i32GeU().brIf(1);
    code.get(d).get(e).i32Add().get(s).get(col).get(CB).i32Mul().i32Add().get(e).i32Add().v128Load().v128Store();
    code.get(e).i32(16).i32Add().set(e);
    code.br(0);
    code.end().end();
    code.block().loop();
    code.get(e).get(CB).i32GeU().brIf(1);
    code.get(d).get(e).i32Add().get(s).get(col).get(CB).i32Mul().i32Add().get(e).i32Add().f32Load().f32Store();
    code.get(e).i32(4).i32Add().set(e);
    code.br(0);
    code.end().end();
  }
  code.else_();
  {
    code.i32(0).set(e);
    code.block().loop();
    code.get(e).get(vecBytes).i32GeU().brIf(1);
    code.get(d).get(e).i32Add().v128Zero().v128Store();
    code.get(e).i32(16).i32Add().set(e);
    code.br(0);
    code.end().end();
    code.block().loop();
    code.get(e).get(CB).i32GeU().brIf(1);
    code.get(d).get(e).i32Add().i32(0).i32Store();
    code.get(e).i32(4).i32Add().set(e);
    code.br(0);
    code.end().end();
  }
  code.end();
  code.get(d).get(colBytes).i32Add().set(d);
  code.get(col).i32(1).i32Add().set(col);
  code.br(0);
  code.end().end();
  code.end();
  code.get(i).i32(1).i32Add().set(i);
  code.br(0);
  code.end().end();
  code.get(p).i32(1).i32Add().set(p);
  code.br(0);
  code.end().end();
  code.get(b).i32(1).i32Add().set(b);
  code.br(0);
  code.end().end();
  return code;
}

/**
 * The module's binary: `kernel`, `packA`, `packB`, `work` (tasks are `kernel` calls, claimed
 * through the claim word of `slot`, see tasks.ts), `compact`, `strips` and the `claimed` global, over an imported memory.
 */
export function matmulModule(sharedMemory: boolean, relaxed: boolean, slot: number, epilogue: KernelEpilogue | null = null): Uint8Array<ArrayBuffer> {
  const functions: FunctionDef[] = [
    { name: "kernel", params: Array.from({ length: 16 }, () => I32), results: [], code: productKernel(relaxed, epilogue) },
    { name: "packA", params: params7, results: [], code: packer(4) },
    { name: "packB", params: params7, results: [], code: packer(8) },
    { name: "work", params: [], results: [I32], code: emitWork(slot, KERNEL, 16) },
    { name: "compact", params: [I32, I32, I32, I32], results: [], code: compact() },
    { name: "strips", params: Array.from({ length: 13 }, () => I32), results: [], code: strips() },
  ];
  return encodeModule(functions, { sharedMemory, globals: WORK_GLOBALS });
}

/**
 * A module of its own for the strips builder as a task function: `strips` and `work` (tasks are
 * `strips` calls, each over a range of images, claimed through the claim word of `slot`), so that
 * the pool builds large strips in parallel.
 */
export function stripsModule(sharedMemory: boolean, slot: number): Uint8Array<ArrayBuffer> {
  const functions: FunctionDef[] = [
    { name: "strips", params: Array.from({ length: 13 }, () => I32), results: [], code: strips() },
    { name: "work", params: [], results: [I32], code: emitWork(slot, 0, 13) },
  ];
  return encodeModule(functions, { sharedMemory, globals: WORK_GLOBALS });
}

/** The exports of an instance of `stripsModule`. */
export interface StripsExports {
  strips(src: number, dst: number, n: number, oh: number, h: number, w: number, cBytes: number, kh: number, sh: number, top: number, left: number, cols: number, last: number): void;
  work(): number;
  readonly claimed: { value: number };
}

/** The exports of an instance of `matmulModule`. */
export interface MatmulExports {
  kernel(a: number, b: number, c: number, groups: number, k: number, tiles: number, ldc: number, lda: number, ldb: number, ags: number, bts: number, row0: number, period: number, kept: number, trash: number, rows: number): void;
  packA(src: number, dst: number, g0: number, g1: number, k: number, rowStride: number, colStride: number): void;
  packB(src: number, dst: number, t0: number, t1: number, k: number, colStride: number, rowStride: number): void;
  work(): number;
  /** The task this instance has claimed and not finished, + 1 (tasks.ts `WORK_GLOBALS`). */
  readonly claimed: { value: number };
  compact(c: number, rows: number, n: number, ldc: number): void;
  strips(src: number, dst: number, n: number, oh: number, h: number, w: number, cBytes: number, kh: number, sh: number, top: number, left: number, cols: number, last: number): void;
}
