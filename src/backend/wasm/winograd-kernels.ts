/**
 * @file The WebAssembly module behind Winograd convolutions (winograd.ts): F(2×2, 3×3), which
 * computes each 2×2 block of a stride-1 3×3 convolution's output from a 4×4 block of its input with
 * 16 multiplies per channel pair instead of 36. With the input tile `d`, the filter `g` and
 *
 *   Bᵀ = [1  0 −1  0]     G = [1    0    0 ]     Aᵀ = [1  1  1  0]
 *        [0  1  1  0]         [½    ½    ½ ]          [0  1 −1 −1]
 *        [0 −1  1  0]         [½   −½    ½ ]
 *        [0  1  0 −1]         [0    0    1 ]
 *
 * the output block is Aᵀ [Σ_c (G g Gᵀ) ⊙ (Bᵀ d B)] A: the sum over input channels is, for each of
 * the 16 places ξ of the 4×4 transforms, a matrix product [tiles × C] · [C × O], which the product
 * microkernel of matmul-kernels.ts runs. The filter's transform U = G g Gᵀ is small and written by
 * the caller. One task takes a range of tiles in blocks that fit a core's L2 cache: it transforms
 * a block's input tiles (V), runs the 16 products (M = V_ξ · U_ξ) and transforms M back into the
 * output, all in an area of its own, so that V and M never travel through main memory.
 */
import { Code, encodeModule, I32, V128, type FunctionDef } from "./emit.js";
import { productKernel } from "./matmul-kernels.js";
import { WORK_GLOBALS, emitWork } from "./tasks.js";

const KERNEL = 0;
const TASK = 1;

/**
 * Bytes of a task's header block (at `hdr`): word 0 the number of areas, word 1 a count of tasks
 * that produced a non-finite output, words 2… one lock per area (at most `MAX_AREAS`). Zeros for
 * the padding's pixels (`zeroBytes`) and a trash pixel for outputs past the edge (one pixel of
 * the product's width) follow on lines of their own, then the areas.
 */
export const WINOGRAD_HEADER = 64;
/** Areas the header has locks for. */
export const MAX_AREAS = WINOGRAD_HEADER / 4 - 2;

/** Bytes of the zeros after the header: one input pixel, or one pixel of the product's width, whichever is more. */
export const zeroBytes = (c4: number, op4: number): number => Math.ceil(Math.max(c4, op4) / 64) * 64;

/** Rounds a byte count up to a whole 64-byte line (emitted). */
function lineUp(code: Code): Code {
  return code.i32(63).i32Add().i32(-64).i32And();
}

/**
 * The two task functions, which share the input transform:
 *
 * conv(x, u, out, t0, t1, hdr, tb, h, w, c4, op4, o4, top, left, oh, ow): the output tiles
 * [t0, t1) (tile (b, ty, tx) covers output rows 2ty, 2ty + 1 and columns 2tx, 2tx + 1 of image b;
 * `th·tw` tiles an image, th = ⌈oh/2⌉, tw = ⌈ow/2⌉) of the convolution of the NHWC input at `x`
 * (h × w pixels of c4 bytes, c4 a multiple of 16; input pixel (2ty + i − top, 2tx + j − left) is
 * place (i, j) of the tile, zero outside the input) with the filter whose transform is at `u`
 * (U_ξ[c][o] at u + (ξ·c + c)·op4 + 4o, op4 a multiple of 32, columns past o zero), written to the
 * NHWC output at `out` (oh × ow pixels of o4 bytes, o4 ≤ op4 a multiple of 16), in blocks of `tb`
 * tiles (a multiple of 4) in an area of its own (see `WINOGRAD_HEADER`) holding V_ξ [tb × c] then
 * M_ξ [tb × op]. A task with a non-finite output adds 1 to the header's word 1.
 *
 * filter(x, ct, part, t0, t1, hdr, tb, …as conv): the filter gradient's transform summed over the
 * tiles [t0, t1), W_ξ[c][o] = Σ_t V_ξ[t][c] · E_ξ[t][o] with E = A e Aᵀ of the tile's 2×2 block
 * `e` of the NHWC `ct` (oh × ow pixels of o4 bytes, zero past the edge), written to `part` (W_ξ[c][o]
 * at part + (ξ·c + c)·op4 + 4o; columns past o unspecified). The caller finishes dW = Gᵀ W G. The
 * area holds V_ξ packed as the microkernel's A ([c/4][tb][4]), E_ξ [tb × op], and one W_ξ of a
 * block, which is added to `part` block after block, in tile order.
 */
function task(kind: "conv" | "filter"): Code {
  const code = new Code(16);
  const [X, U, OUT, T0, T1, HDR, TB, H, W, C4, OP4, O4, TOP, LEFT, OH, OW] = Array.from({ length: 16 }, (_, i) => i);
  // the filter task's names for its operands
  const [CT, PART] = [U, OUT];
  const L = () => code.local(I32);
  const [th, tw, tpi, slot, va, ma, sV, sM, sU, zeros, trash, b0, b1, t, tl, n, r, ty, tx, y, v, q, xi, groups] = Array.from({ length: 24 }, L);
  const rowBase = [L(), L(), L(), L()];
  const rowOk = [L(), L(), L(), L()];
  const colOff = [L(), L(), L(), L()];
  const colOk = [L(), L(), L(), L()];
  const pix = Array.from({ length: 16 }, L);
  const at = [L(), L(), L(), L()];
  const fin = code.local(V128);
  const d = Array.from({ length: 16 }, () => code.local(V128));
  const s = Array.from({ length: 16 }, () => code.local(V128));
  const forward = (counter: number, start: () => void, end: number, step: number, body: () => void) => {
    start();
    code.set(counter);
    code.block().loop();
    code.get(counter).get(end).i32GeU().brIf(1);
    body();
    if (step !== 0) code.get(counter).i32(step).i32Add().set(counter);
    code.br(0);
    code.end().end();
  };
  // tile t's image n and place (ty, tx), and its place tl in the block
  const place = () => {
    code.get(t).get(tpi).i32DivU().set(n);
    code.get(t).get(n).get(tpi).i32Mul().i32Sub().set(r);
    code.get(r).get(tw).i32DivU().set(ty);
    code.get(r).get(ty).get(tw).i32Mul().i32Sub().set(tx);
    code.get(t).get(b0).i32Sub().set(tl);
  };
  // at[2a + b]: the address of pixel (2ty + a, 2tx + b) of the oh × ow image n at `image` (pixels of o4 bytes), or `edge` past the edge
  const outputPixels = (image: number, edge: number) => {
    for (let a = 0; a < 2; a++) {
      for (let b = 0; b < 2; b++) {
        code.get(image).get(n).get(OH).i32Mul().get(ty).i32(1).i32Shl().i32Add().i32(a).i32Add().get(OW).i32Mul();
        code.get(tx).i32(1).i32Shl().i32Add().i32(b).i32Add().get(O4).i32Mul().i32Add();
        code.get(edge);
        code.get(ty).i32(1).i32Shl().i32(a).i32Add().get(OH).i32LtU().get(tx).i32(1).i32Shl().i32(b).i32Add().get(OW).i32LtU().i32And();
        code.select().set(at[2 * a + b]);
      }
    }
  };

  code.get(OH).i32(1).i32Add().i32(1).i32ShrU().set(th);
  code.get(OW).i32(1).i32Add().i32(1).i32ShrU().set(tw);
  code.get(th).get(tw).i32Mul().set(tpi);
  code.get(HDR).i32(WINOGRAD_HEADER).i32Add().set(zeros);
  //   trash = zeros + line(max(c4, op4))
  code.get(C4).get(OP4).get(C4).get(OP4).i32GtU().select();
  lineUp(code).get(zeros).i32Add().set(trash);
  code.get(TB).get(C4).i32Mul().set(sV);
  code.get(TB).get(OP4).i32Mul().set(sM);
  code.get(C4).get(OP4).i32Mul().i32(2).i32ShrU().set(sU);
  code.get(C4).i32(2).i32ShrU().set(v);
  // an area of its own: the first free lock, waiting for one if every area is taken (never for
  // long: a thread holds one only while it runs a task)
  code.i32(0).set(slot);
  code.block().loop();
  code.get(HDR).get(slot).i32(2).i32Shl().i32Add().i32(0).i32(1).i32AtomicCmpxchg(8).i32Eqz().brIf(1);
  code.get(slot).i32(1).i32Add().set(slot);
  code.get(slot).get(HDR).i32Load(0).i32GeU().if_();
  code.i32(0).set(slot);
  code.end();
  code.br(0);
  code.end().end();
  //   va = trash + line(op4) + slot·(16·(sV + sM) (+ sU for the filter's block sum)); ma = va + 16·sV
  code.get(OP4);
  lineUp(code).get(trash).i32Add().get(slot).get(sV).get(sM).i32Add().i32(4).i32Shl();
  if (kind === "filter") code.get(sU).i32Add();
  code.i32Mul().i32Add().set(va);
  code.get(va).get(sV).i32(4).i32Shl().i32Add().set(ma);
  code.v128Zero().set(fin);

  forward(b0, () => code.get(T0), T1, 0, () => {
    code.get(b0).get(TB).i32Add().set(b1);
    code.get(b1).get(T1).get(b1).get(T1).i32LtU().select().set(b1);

    // ---- V_ξ[tl] = Bᵀ d B, c channels at a time by vectors of 4
    forward(t, () => code.get(b0), b1, 1, () => {
      place();
      for (let i = 0; i < 4; i++) {
        code.get(ty).i32(1).i32Shl().i32(i).i32Add().get(TOP).i32Sub().set(y);
        code.get(y).i32(0).i32GeS().get(y).get(H).i32LtS().i32And().set(rowOk[i]);
        code.get(X).get(n).get(H).i32Mul().get(y).i32Add().get(W).i32Mul().get(C4).i32Mul().i32Add().set(rowBase[i]);
      }
      for (let j = 0; j < 4; j++) {
        code.get(tx).i32(1).i32Shl().i32(j).i32Add().get(LEFT).i32Sub().set(y);
        code.get(y).i32(0).i32GeS().get(y).get(W).i32LtS().i32And().set(colOk[j]);
        code.get(y).get(C4).i32Mul().set(colOff[j]);
      }
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          code.get(rowBase[i]).get(colOff[j]).i32Add().get(zeros).get(rowOk[i]).get(colOk[j]).i32And().select().set(pix[4 * i + j]);
        }
      }
      forward(xi, () => code.i32(0), C4, 16, () => {
        // columns: s[i][j] = (Bᵀ d)[i][j]
        for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) code.get(pix[4 * i + j]).get(xi).i32Add().v128Load().set(d[4 * i + j]);
        for (let j = 0; j < 4; j++) {
          const [d0, d1, d2, d3] = [d[j], d[4 + j], d[8 + j], d[12 + j]];
          code.get(d0).get(d2).f32x4Sub().set(s[j]);
          code.get(d1).get(d2).f32x4Add().set(s[4 + j]);
          code.get(d2).get(d1).f32x4Sub().set(s[8 + j]);
          code.get(d1).get(d3).f32x4Sub().set(s[12 + j]);
        }
        // rows: V[i][j] = (s B)[i][j], ξ = 4i + j, at y + ξ·sV: rows [tb × c] (conv) or packed
        // as A, these 4 channels' group at xi·tb (filter)
        if (kind === "conv") code.get(va).get(tl).get(C4).i32Mul().i32Add().get(xi).i32Add().set(y);
        else code.get(va).get(xi).get(TB).i32Mul().i32Add().get(tl).i32(4).i32Shl().i32Add().set(y);
        for (let i = 0; i < 4; i++) {
          const [s0, s1, s2, s3] = [s[4 * i], s[4 * i + 1], s[4 * i + 2], s[4 * i + 3]];
          const rows: [number, number, "add" | "sub"][] = [[s0, s2, "sub"], [s1, s2, "add"], [s2, s1, "sub"], [s1, s3, "sub"]];
          for (const [a, b, op] of rows) {
            code.get(y).get(a).get(b);
            if (op === "add") code.f32x4Add();
            else code.f32x4Sub();
            code.v128Store();
            code.get(y).get(sV).i32Add().set(y);
          }
        }
      });
    });
    code.get(b1).get(b0).i32Sub().i32(3).i32Add().i32(2).i32ShrU().set(groups);

    if (kind === "conv") {
      // ---- M_ξ = V_ξ · U_ξ on the microkernel (rows past the block's tiles are not read back)
      code.i32(0).set(xi);
      code.block().loop();
      code.get(xi).i32(16).i32GeU().brIf(1);
      code.get(va).get(xi).get(sV).i32Mul().i32Add();
      code.get(U).get(xi).get(sU).i32Mul().i32Add();
      code.get(ma).get(xi).get(sM).i32Mul().i32Add();
      code.get(groups).get(v).get(OP4).i32(5).i32ShrU().get(OP4).i32(2).i32ShrU().get(C4).get(OP4);
      for (let e = 0; e < 7; e++) code.i32(0);
      code.call(KERNEL);
      code.get(xi).i32(1).i32Add().set(xi);
      code.br(0);
      code.end().end();

      // ---- the output block Aᵀ M A, o channels at a time by vectors of 4
      forward(t, () => code.get(b0), b1, 1, () => {
        place();
        outputPixels(OUT, trash);
        code.get(ma).get(tl).get(OP4).i32Mul().i32Add().set(q);
        forward(xi, () => code.i32(0), O4, 16, () => {
          code.get(q).get(xi).i32Add().set(y);
          for (let e = 0; e < 16; e++) {
            code.get(y).v128Load().set(d[e]);
            if (e < 15) code.get(y).get(sM).i32Add().set(y);
          }
          // columns: s[0][j] = m0j + m1j + m2j, s[1][j] = m1j − m2j − m3j
          for (let j = 0; j < 4; j++) {
            code.get(d[j]).get(d[4 + j]).f32x4Add().get(d[8 + j]).f32x4Add().set(s[j]);
            code.get(d[4 + j]).get(d[8 + j]).f32x4Sub().get(d[12 + j]).f32x4Sub().set(s[4 + j]);
          }
          for (let a = 0; a < 2; a++) {
            const [s0, s1, s2, s3] = [s[4 * a], s[4 * a + 1], s[4 * a + 2], s[4 * a + 3]];
            code.get(s0).get(s1).f32x4Add().get(s2).f32x4Add().set(d[2 * a]);
            code.get(s1).get(s2).f32x4Sub().get(s3).f32x4Sub().set(d[2 * a + 1]);
          }
          for (let e = 0; e < 4; e++) {
            code.get(at[e]).get(xi).i32Add().get(d[e]).v128Store();
            // y − y: NaN for a non-finite y, 0 otherwise
            code.get(fin).get(d[e]).get(d[e]).f32x4Sub().f32x4Add().set(fin);
          }
        });
      });
    } else {
      // ---- E_ξ[tl] = A e Aᵀ of ct's 2×2 block, o channels at a time by vectors of 4
      forward(t, () => code.get(b0), b1, 1, () => {
        place();
        outputPixels(CT, zeros);
        code.get(ma).get(tl).get(OP4).i32Mul().i32Add().set(q);
        forward(xi, () => code.i32(0), O4, 16, () => {
          for (let e = 0; e < 4; e++) code.get(at[e]).get(xi).i32Add().v128Load().set(d[e]);
          // rows of A e: [e0·], [e0· + e1·], [e0· − e1·], [−e1·] (2 columns each)
          for (let j = 0; j < 2; j++) {
            const [e0, e1] = [d[j], d[2 + j]];
            code.get(e0).set(s[j]);
            code.get(e0).get(e1).f32x4Add().set(s[2 + j]);
            code.get(e0).get(e1).f32x4Sub().set(s[4 + j]);
            code.get(e1).f32x4Neg().set(s[6 + j]);
          }
          // then each row [u0, u1] times Aᵀ: [u0, u0 + u1, u0 − u1, −u1], E_ξ at q + xi + ξ·sM
          code.get(q).get(xi).i32Add().set(y);
          for (let i = 0; i < 4; i++) {
            const [u0, u1] = [s[2 * i], s[2 * i + 1]];
            for (let j = 0; j < 4; j++) {
              code.get(y);
              if (j === 0) code.get(u0);
              else if (j === 1) code.get(u0).get(u1).f32x4Add();
              else if (j === 2) code.get(u0).get(u1).f32x4Sub();
              else code.get(u1).f32x4Neg();
              code.v128Store();
              code.get(y).get(sM).i32Add().set(y);
            }
          }
        });
      });

      // ---- W_ξ = V_ξᵀ · E_ξ over the block's tiles: into `part` for the first block, else into
      // the area's last W_ξ and then added to `part`
      code.i32(0).set(xi);
      code.block().loop();
      code.get(xi).i32(16).i32GeU().brIf(1);
      code.get(va).get(xi).get(sV).i32Mul().i32Add();
      code.get(ma).get(xi).get(sM).i32Mul().i32Add();
      code.get(PART).get(xi).get(sU).i32Mul().i32Add().set(q);
      code.get(q).get(ma).get(sM).i32(4).i32Shl().i32Add().get(b0).get(T0).i32Eq().select();
      code.get(v).i32(2).i32ShrU().get(b1).get(b0).i32Sub().get(OP4).i32(5).i32ShrU().get(OP4).i32(2).i32ShrU();
      code.i32(0).get(OP4).get(TB).i32(4).i32Shl();
      for (let e = 0; e < 6; e++) code.i32(0);
      code.call(KERNEL);
      code.get(b0).get(T0).i32Ne().if_();
      code.get(ma).get(sM).i32(4).i32Shl().i32Add().set(y);
      forward(r, () => code.i32(0), sU, 16, () => {
        code.get(q).get(r).i32Add();
        code.get(q).get(r).i32Add().v128Load().get(y).get(r).i32Add().v128Load().f32x4Add();
        code.v128Store();
      });
      code.end();
      code.get(xi).i32(1).i32Add().set(xi);
      code.br(0);
      code.end().end();
    }
    code.get(b1).set(b0);
  });

  code.get(HDR).get(slot).i32(2).i32Shl().i32Add().i32(-1).i32AtomicAdd(8).drop();
  if (kind === "conv") {
    code.get(fin).get(fin).f32x4Ne().v128AnyTrue().if_();
    code.get(HDR).i32(1).i32AtomicAdd(4).drop();
    code.end();
  }
  return code;
}

/**
 * A module for one kind of task: `kernel` (the product microkernel), `task` (`conv` or `filter`),
 * and `work` (tasks are `task` calls, claimed through the claim word of `slot`).
 */
export function winogradModule(kind: "conv" | "filter", sharedMemory: boolean, relaxed: boolean, slot: number): Uint8Array<ArrayBuffer> {
  const functions: FunctionDef[] = [
    { name: "kernel", params: Array.from({ length: 16 }, () => I32), results: [], code: productKernel(relaxed) },
    { name: "task", params: Array.from({ length: 16 }, () => I32), results: [], code: task(kind) },
    { name: "work", params: [], results: [I32], code: emitWork(slot, TASK, 16) },
  ];
  return encodeModule(functions, { sharedMemory, globals: WORK_GLOBALS });
}

/**
 * sum(dst, src, count, stride, e0, e1): dst[e] = (…(src₀[e] + src₁[e]) + …) + src_{count−1}[e]
 * for the bytes [e0, e1) (multiples of 16) of `count` arrays `stride` bytes apart: the tasks'
 * sums of a filter gradient added in task order, by ranges that tasks share out.
 */
function sum(): Code {
  const code = new Code(6);
  const [DST, SRC, COUNT, STRIDE, E0, E1] = [0, 1, 2, 3, 4, 5];
  const e = code.local(I32);
  const q = code.local(I32);
  const p = code.local(I32);
  const acc = code.local(V128);
  code.get(E0).set(e);
  code.block().loop();
  code.get(e).get(E1).i32GeU().brIf(1);
  code.get(SRC).get(e).i32Add().set(p);
  code.get(p).v128Load().set(acc);
  code.i32(1).set(q);
  code.block().loop();
  code.get(q).get(COUNT).i32GeU().brIf(1);
  code.get(p).get(STRIDE).i32Add().set(p);
  code.get(acc).get(p).v128Load().f32x4Add().set(acc);
  code.get(q).i32(1).i32Add().set(q);
  code.br(0);
  code.end().end();
  code.get(DST).get(e).i32Add().get(acc).v128Store();
  code.get(e).i32(16).i32Add().set(e);
  code.br(0);
  code.end().end();
  return code;
}

/** A module of `sum` as a task function, with its `work` dispatcher (claim word of `slot`). */
export function sumModule(sharedMemory: boolean, slot: number): Uint8Array<ArrayBuffer> {
  const functions: FunctionDef[] = [
    { name: "sum", params: Array.from({ length: 6 }, () => I32), results: [], code: sum() },
    { name: "work", params: [], results: [I32], code: emitWork(slot, 0, 6) },
  ];
  return encodeModule(functions, { sharedMemory, globals: WORK_GLOBALS });
}

/** The exports of an instance of `sumModule`. */
export interface SumExports {
  sum(dst: number, src: number, count: number, stride: number, e0: number, e1: number): void;
  work(): number;
  readonly claimed: { value: number };
}

/** The exports of an instance of `winogradModule`. */
export interface WinogradExports {
  task(x: number, u: number, out: number, t0: number, t1: number, hdr: number, tb: number, h: number, w: number, c4: number, op4: number, o4: number, top: number, left: number, oh: number, ow: number): void;
  work(): number;
  readonly claimed: { value: number };
}
