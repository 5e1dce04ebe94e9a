/**
 * @file The WebAssembly modules behind Winograd convolutions (winograd.ts). F(m×m, 3×3) computes
 * each m×m block of a stride-1 3×3 convolution's output from an n×n block of its input (n = m + 2)
 * with n² multiplies per channel pair instead of 9m²: with the input tile `d`, the filter `g` and
 * the scheme's matrices Bᵀ (n×n), G (n×3) and Aᵀ (m×n) (`F2` below), the output block is
 * Aᵀ [Σ_c (G g Gᵀ) ⊙ (Bᵀ d B)] A. The sum over input channels is, for each of the n² places ξ of
 * the transforms, a matrix product [tiles × C] · [C × O], which the product microkernel of
 * matmul-kernels.ts runs. The filter's transform U = G g Gᵀ is small and written by the caller.
 * One task takes a range of tiles in blocks that fit a core's L2 cache: it transforms a block's
 * input tiles (V), runs the n² products (M = V_ξ · U_ξ) and transforms M back into the output,
 * all in an area of its own, so that V and M never travel through main memory.
 */
import { Code, encodeModule, I32, V128, type FunctionDef } from "./emit.js";
import { productKernel } from "./matmul-kernels.js";
import { WORK_GLOBALS, emitWork } from "./tasks.js";
import { epilogueBytes, epilogueReads, startEpilogue, type KernelEpilogue } from "./epilogue-emit.js";

const KERNEL = 0;
const TASK = 1;

/** A Winograd scheme F(m×m, 3×3): output tiles of m × m, input tiles of n × n (n = m + 2). */
export interface WinogradScheme {
  readonly m: number;
  readonly n: number;
  /** Bᵀ, n × n: the input tile's transform is Bᵀ d B. */
  readonly bt: readonly (readonly number[])[];
  /** G, n × 3: the filter's transform is G g Gᵀ. */
  readonly g: readonly (readonly number[])[];
  /** Aᵀ, m × n: the output block is Aᵀ M A. */
  readonly at: readonly (readonly number[])[];
}

/** F(2×2, 3×3): additions and subtractions only in the tiles' transforms. */
export const F2: WinogradScheme = {
  m: 2,
  n: 4,
  bt: [
    [1, 0, -1, 0],
    [0, 1, 1, 0],
    [0, -1, 1, 0],
    [0, 1, 0, -1],
  ],
  g: [
    [1, 0, 0],
    [0.5, 0.5, 0.5],
    [0.5, -0.5, 0.5],
    [0, 0, 1],
  ],
  at: [
    [1, 1, 1, 0],
    [0, 1, -1, -1],
  ],
};

/**
 * Pushes Σ_k coefs[k]·value(k) (vectors), terms in order of k except that a term with coefficient
 * 1 goes first (so that d₂ − d₁ is a subtraction, not a negation and an addition); zero terms are skipped.
 */
function combine(code: Code, coefs: readonly number[], value: (k: number) => void): void {
  const terms = coefs.map((c, k) => [c, k] as const).filter(([c]) => c !== 0);
  const lead = terms.findIndex(([c]) => c === 1);
  if (lead > 0) terms.unshift(...terms.splice(lead, 1));
  if (terms.length === 0) {
    code.v128Zero();
    return;
  }
  terms.forEach(([c, k], i) => {
    value(k);
    if (i === 0) {
      if (c === -1) code.f32x4Neg();
      else if (c !== 1) code.f32x4Const(c).f32x4Mul();
    } else if (c === 1) code.f32x4Add();
    else if (c === -1) code.f32x4Sub();
    else code.f32x4Const(c).f32x4Mul().f32x4Add();
  });
}

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
 * The two task functions of a scheme F(m×m, 3×3) (input tiles n × n, n² places ξ), which share
 * the input transform:
 *
 * conv(x, u, out, t0, t1, hdr, tb, h, w, c4, op4, o4, top, left, oh, ow): the output tiles
 * [t0, t1) (tile (b, ty, tx) covers output rows m·ty … m·ty + m − 1 and the same columns from
 * m·tx of image b; `th·tw` tiles an image, th = ⌈oh/m⌉, tw = ⌈ow/m⌉) of the convolution of the
 * NHWC input at `x` (h × w pixels of c4 bytes, c4 a multiple of 16; input pixel
 * (m·ty + i − top, m·tx + j − left) is place (i, j) of the tile, zero outside the input) with the
 * filter whose transform is at `u` (U_ξ[c][o] at u + (ξ·c + c)·op4 + 4o, op4 a multiple of 32,
 * columns past o zero), written to the NHWC output at `out` (oh × ow pixels of o4 bytes, o4 ≤ op4
 * a multiple of 16), in blocks of `tb` tiles (a multiple of 4) in an area of its own (see
 * `WINOGRAD_HEADER`) holding V_ξ [tb × c] then M_ξ [tb × op]. A task with a non-finite output adds
 * 1 to the header's word 1.
 *
 * filter(x, ct, part, t0, t1, hdr, tb, …as conv): the filter gradient's transform summed over the
 * tiles [t0, t1), W_ξ[c][o] = Σ_t V_ξ[t][c] · E_ξ[t][o] with E = A e Aᵀ of the tile's m×m block
 * `e` of the NHWC `ct` (oh × ow pixels of o4 bytes, zero past the edge): the transpose of the
 * scheme in the filter (the output block is linear in g, Aᵀ[(G g Gᵀ) ⊙ V]A, so its gradient in g
 * is Gᵀ[(A e Aᵀ) ⊙ V]G). Written to `part` (W_ξ[c][o] at part + (ξ·c + c)·op4 + 4o; columns past
 * o unspecified); the caller finishes dW = Gᵀ W G. The area holds V_ξ packed as the microkernel's
 * A ([c/4][tb][4]), E_ξ [tb × op], and one W_ξ of a block, which is added to `part` block after
 * block, in tile order.
 */
function task(kind: "conv" | "filter", scheme: WinogradScheme, epilogue: KernelEpilogue | null): Code {
  const { m, n, bt, at: aT } = scheme;
  const places = n * n;
  const code = new Code(16);
  const [X, U, OUT, T0, T1, HDR, TB, H, W, C4, OP4, O4, TOP, LEFT, OH, OW] = Array.from({ length: 16 }, (_, i) => i);
  // the filter task's names for its operands
  const [CT, PART] = [U, OUT];
  const L = () => code.local(I32);
  const [th, tw, tpi, slot, va, ma, sV, sM, sU, zeros, trash, b0, b1, t, tl, img, r, ty, tx, y, v, q, xi, groups] = Array.from({ length: 24 }, L);
  const rowBase = Array.from({ length: n }, L);
  const rowOk = Array.from({ length: n }, L);
  const colOff = Array.from({ length: n }, L);
  const colOk = Array.from({ length: n }, L);
  const pix = Array.from({ length: places }, L);
  const outAt = Array.from({ length: m * m }, L);
  const fin = code.local(V128);
  const d = Array.from({ length: places }, () => code.local(V128));
  const s = Array.from({ length: places }, () => code.local(V128));
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
  // tile t's image and place (ty, tx), and its place tl in the block
  const place = () => {
    code.get(t).get(tpi).i32DivU().set(img);
    code.get(t).get(img).get(tpi).i32Mul().i32Sub().set(r);
    code.get(r).get(tw).i32DivU().set(ty);
    code.get(r).get(ty).get(tw).i32Mul().i32Sub().set(tx);
    code.get(t).get(b0).i32Sub().set(tl);
  };
  // outAt[m·a + b]: the address of pixel (m·ty + a, m·tx + b) of the oh × ow image at `image`
  // (pixels of o4 bytes), or `edge` past the edge
  const outputPixels = (image: number, edge: number) => {
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < m; b++) {
        code.get(image).get(img).get(OH).i32Mul().get(ty).i32(m).i32Mul().i32Add().i32(a).i32Add().get(OW).i32Mul();
        code.get(tx).i32(m).i32Mul().i32Add().i32(b).i32Add().get(O4).i32Mul().i32Add();
        code.get(edge);
        code.get(ty).i32(m).i32Mul().i32(a).i32Add().get(OH).i32LtU().get(tx).i32(m).i32Mul().i32(b).i32Add().get(OW).i32LtU().i32And();
        code.select().set(outAt[m * a + b]);
      }
    }
  };

  code.get(OH).i32(m - 1).i32Add().i32(m).i32DivU().set(th);
  code.get(OW).i32(m - 1).i32Add().i32(m).i32DivU().set(tw);
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
  //   va = trash + line(op4) + slot·(n²·(sV + sM) (+ sU for the filter's block sum)); ma = va + n²·sV
  code.get(OP4);
  lineUp(code).get(trash).i32Add().get(slot).get(sV).get(sM).i32Add().i32(places).i32Mul();
  if (kind === "filter") code.get(sU).i32Add();
  code.i32Mul().i32Add().set(va);
  code.get(va).get(sV).i32(places).i32Mul().i32Add().set(ma);
  code.v128Zero().set(fin);
  // the epilogue's inputs lie just below U (winograd.ts), rows op4 bytes apart
  const epilogueAt = code.local(I32);
  if (epilogue !== null) code.get(U).i32(epilogueBytes(epilogue, 0)).i32Sub().get(OP4).i32(epilogueReads(epilogue).rows.length).i32Mul().i32Sub().set(epilogueAt);
  const finish = epilogue === null ? null : startEpilogue(code, epilogue, epilogueAt, OP4);

  forward(b0, () => code.get(T0), T1, 0, () => {
    code.get(b0).get(TB).i32Add().set(b1);
    code.get(b1).get(T1).get(b1).get(T1).i32LtU().select().set(b1);

    // ---- V_ξ[tl] = Bᵀ d B, c channels at a time by vectors of 4
    forward(t, () => code.get(b0), b1, 1, () => {
      place();
      for (let i = 0; i < n; i++) {
        code.get(ty).i32(m).i32Mul().i32(i).i32Add().get(TOP).i32Sub().set(y);
        code.get(y).i32(0).i32GeS().get(y).get(H).i32LtS().i32And().set(rowOk[i]);
        code.get(X).get(img).get(H).i32Mul().get(y).i32Add().get(W).i32Mul().get(C4).i32Mul().i32Add().set(rowBase[i]);
      }
      for (let j = 0; j < n; j++) {
        code.get(tx).i32(m).i32Mul().i32(j).i32Add().get(LEFT).i32Sub().set(y);
        code.get(y).i32(0).i32GeS().get(y).get(W).i32LtS().i32And().set(colOk[j]);
        code.get(y).get(C4).i32Mul().set(colOff[j]);
      }
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          code.get(rowBase[i]).get(colOff[j]).i32Add().get(zeros).get(rowOk[i]).get(colOk[j]).i32And().select().set(pix[n * i + j]);
        }
      }
      forward(xi, () => code.i32(0), C4, 16, () => {
        // columns: s[i][j] = (Bᵀ d)[i][j]
        for (let j = 0; j < n; j++) {
          for (let k = 0; k < n; k++) code.get(pix[n * k + j]).get(xi).i32Add().v128Load().set(d[k]);
          for (let i = 0; i < n; i++) {
            combine(code, bt[i], (k) => code.get(d[k]));
            code.set(s[n * i + j]);
          }
        }
        // rows: V[i][j] = (s B)[i][j], ξ = n·i + j, at y + ξ·sV: rows [tb × c] (conv) or packed
        // as A, these 4 channels' group at xi·tb (filter)
        if (kind === "conv") code.get(va).get(tl).get(C4).i32Mul().i32Add().get(xi).i32Add().set(y);
        else code.get(va).get(xi).get(TB).i32Mul().i32Add().get(tl).i32(4).i32Shl().i32Add().set(y);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            code.get(y);
            combine(code, bt[j], (k) => code.get(s[n * i + k]));
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
      code.get(xi).i32(places).i32GeU().brIf(1);
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
          const rowValues = finish?.loadRows(xi);
          // columns: s[a][j] = (Aᵀ M)[a][j], M's column j loaded at q + xi + (n·k + j)·sM
          for (let j = 0; j < n; j++) {
            code.get(q).get(xi).i32Add().get(sM).i32(j).i32Mul().i32Add().set(y);
            for (let k = 0; k < n; k++) {
              code.get(y).v128Load().set(d[k]);
              if (k < n - 1) code.get(y).get(sM).i32(n).i32Mul().i32Add().set(y);
            }
            for (let a = 0; a < m; a++) {
              combine(code, aT[a], (k) => code.get(d[k]));
              code.set(s[n * a + j]);
            }
          }
          // rows: y[a][b] = (s A)[a][b]
          for (let a = 0; a < m; a++) {
            for (let b = 0; b < m; b++) {
              combine(code, aT[b], (k) => code.get(s[n * a + k]));
              code.set(d[0]);
              // y − y: NaN for a non-finite y, 0 otherwise (the convolution's own value: the
              // direct kernel computes it again where it is not finite)
              code.get(fin).get(d[0]).get(d[0]).f32x4Sub().f32x4Add().set(fin);
              const written = finish === null ? d[0] : finish.apply(d[0], rowValues!);
              code.get(outAt[m * a + b]).get(xi).i32Add().get(written).v128Store();
            }
          }
        });
      });
    } else {
      // ---- E_ξ[tl] = A e Aᵀ of ct's m×m block, o channels at a time by vectors of 4
      forward(t, () => code.get(b0), b1, 1, () => {
        place();
        outputPixels(CT, zeros);
        code.get(ma).get(tl).get(OP4).i32Mul().i32Add().set(q);
        forward(xi, () => code.i32(0), O4, 16, () => {
          for (let e = 0; e < m * m; e++) code.get(outAt[e]).get(xi).i32Add().v128Load().set(d[e]);
          // columns: s[i][b] = (A e)[i][b] = Σ_a Aᵀ[a][i]·e[a][b]
          for (let b = 0; b < m; b++) {
            for (let i = 0; i < n; i++) {
              combine(code, aT.map((row) => row[i]), (a) => code.get(d[m * a + b]));
              code.set(s[m * i + b]);
            }
          }
          // rows: E[i][j] = (s Aᵀ)[i][j] = Σ_b s[i][b]·Aᵀ[b][j], at q + xi + (n·i + j)·sM
          code.get(q).get(xi).i32Add().set(y);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) {
              code.get(y);
              combine(code, aT.map((row) => row[j]), (b) => code.get(s[m * i + b]));
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
      code.get(xi).i32(places).i32GeU().brIf(1);
      code.get(va).get(xi).get(sV).i32Mul().i32Add();
      code.get(ma).get(xi).get(sM).i32Mul().i32Add();
      code.get(PART).get(xi).get(sU).i32Mul().i32Add().set(q);
      code.get(q).get(ma).get(sM).i32(places).i32Mul().i32Add().get(b0).get(T0).i32Eq().select();
      code.get(v).i32(2).i32ShrU().get(b1).get(b0).i32Sub().get(OP4).i32(5).i32ShrU().get(OP4).i32(2).i32ShrU();
      code.i32(0).get(OP4).get(TB).i32(4).i32Shl();
      for (let e = 0; e < 6; e++) code.i32(0);
      code.call(KERNEL);
      code.get(b0).get(T0).i32Ne().if_();
      code.get(ma).get(sM).i32(places).i32Mul().i32Add().set(y);
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
 * A module for one kind of task of one scheme: `kernel` (the product microkernel), `task` (`conv`
 * or `filter`, the convolution with an `epilogue` or none), and `work` (tasks are `task` calls,
 * claimed through the claim word of `slot`).
 */
export function winogradModule(kind: "conv" | "filter", scheme: WinogradScheme, sharedMemory: boolean, relaxed: boolean, slot: number, epilogue: KernelEpilogue | null = null): Uint8Array<ArrayBuffer> {
  const functions: FunctionDef[] = [
    { name: "kernel", params: Array.from({ length: 16 }, () => I32), results: [], code: productKernel(relaxed) },
    { name: "task", params: Array.from({ length: 16 }, () => I32), results: [], code: task(kind, scheme, epilogue) },
    { name: "work", params: [], results: [I32], code: emitWork(slot, TASK, 16) },
  ];
  return encodeModule(functions, { sharedMemory, globals: WORK_GLOBALS });
}

/** The exports of an instance of `winogradModule`. */
export interface WinogradExports {
  task(x: number, u: number, out: number, t0: number, t1: number, hdr: number, tb: number, h: number, w: number, c4: number, op4: number, o4: number, top: number, left: number, oh: number, ow: number): void;
  work(): number;
  readonly claimed: { value: number };
}
