/**
 * @file The explicit patch matrix of a 2-d convolution (NHWC input): `im2col` builds blocks of its
 * rows and `col2imAdd` adds patch-shaped rows back into an input-shaped array. Row `(n, p, q)`
 * holds the `kh·kw·C` values of image `n` under output position `(p, q)` in `(i, j, c)` order
 * (the row-major flattening of an HWIO filter's first three axes), zero over the padding. The
 * conv kernels (`conv.ts`) use these where their strided views do not apply.
 */

/** Storage of a float tensor. */
export type Floats = Float32Array | Float64Array;

type Pair = readonly [number, number];

/** Elements of the patch block built per step: a block of 128 KiB–256 KiB stays in L2 while it is used. */
const BLOCK_ELEMENTS = 1 << 15;

/** Sizes of one convolution: input `[n, h, w, c]`, filter `[kh, kw, c, o]`, output `[n, oh, ow, o]`. */
export interface ConvGeometry {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly kh: number;
  readonly kw: number;
  readonly o: number;
  readonly oh: number;
  readonly ow: number;
  readonly strides: Pair;
  readonly padding: readonly [Pair, Pair];
}

/** The patch matrix is the input itself (`[N·H·W, C]`): a 1×1 filter, stride 1, no padding. */
export function patchesAreInput(g: ConvGeometry): boolean {
  const [[t, b], [l, r]] = g.padding;
  return g.kh === 1 && g.kw === 1 && g.strides[0] === 1 && g.strides[1] === 1 && t + b + l + r === 0;
}

/**
 * Walks rows `row0 … row0 + rows − 1` of the patch matrix of geometry `g`: for each row `r` and
 * window row `i`, `visit(r, i, src, j0, j1)` gets the window columns `j0 ≤ j < j1` that fall inside
 * the image, whose channels form one contiguous run of the input from offset `src`; `src` is −1
 * where none does (the window row lies in the padding).
 */
function eachWindowRow(g: ConvGeometry, row0: number, rows: number, visit: (r: number, i: number, src: number, j0: number, j1: number) => void): void {
  const { h, w, c, kh, kw, oh, ow } = g;
  const [sh, sw] = g.strides;
  const top0 = g.padding[0][0];
  const left0 = g.padding[1][0];
  let n = Math.floor(row0 / (oh * ow));
  let p = Math.floor(row0 / ow) % oh;
  let q = row0 % ow;
  for (let r = 0; r < rows; r++) {
    const top = p * sh - top0;
    const left = q * sw - left0;
    const j0 = Math.max(0, -left);
    const j1 = Math.min(kw, w - left);
    for (let i = 0; i < kh; i++) {
      const y = top + i;
      visit(r, i, y < 0 || y >= h || j1 <= j0 ? -1 : ((n * h + y) * w + left + j0) * c, j0, j1);
    }
    if (++q === ow) {
      q = 0;
      if (++p === oh) {
        p = 0;
        n++;
      }
    }
  }
}

/** Writes rows `row0 … row0 + rows − 1` of the patch matrix of `x` into `out` (row-major, from 0). */
export function im2col(x: Floats, g: ConvGeometry, row0: number, rows: number, out: Floats): void {
  const { c, kh, kw } = g;
  const k = kh * kw * c;
  const rowLen = kw * c;
  eachWindowRow(g, row0, rows, (r, i, src, j0, j1) => {
    const dst = r * k + i * rowLen;
    if (src < 0) {
      out.fill(0, dst, dst + rowLen);
      return;
    }
    if (j0 > 0) out.fill(0, dst, dst + j0 * c);
    const len = (j1 - j0) * c;
    const d = dst + j0 * c;
    if (len < 64) for (let e = 0; e < len; e++) out[d + e] = x[src + e];
    else out.set(x.subarray(src, src + len), d);
    if (j1 < kw) out.fill(0, dst + j1 * c, dst + rowLen);
  });
}

/** Adds rows `row0 …` of a patch-shaped matrix `cols` into the input-shaped `dx`, skipping the padding. */
export function col2imAdd(cols: Floats, g: ConvGeometry, row0: number, rows: number, dx: Floats): void {
  const { c, kh, kw } = g;
  const k = kh * kw * c;
  const rowLen = kw * c;
  eachWindowRow(g, row0, rows, (r, i, dst, j0, j1) => {
    if (dst < 0) return;
    const src = r * k + i * rowLen + j0 * c;
    const len = (j1 - j0) * c;
    for (let e = 0; e < len; e++) dx[dst + e] += cols[src + e];
  });
}

/** Patch rows per block: a block holds about `BLOCK_ELEMENTS` elements, at least one row. */
export function blockRows(k: number): number {
  return Math.max(1, Math.floor(BLOCK_ELEMENTS / Math.max(k, 1)));
}

