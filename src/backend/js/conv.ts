/**
 * @file Kernels of the 2-d convolution primitives (NHWC operand, HWIO filter) as matrix products
 * over the patch matrix, whose row `(n, p, q)` holds the `kh·kw·C` input values under output
 * position `(p, q)`, zero where the window hangs over the padding. With `M = N·H'·W'` rows and
 * `K = kh·kw·C` columns:
 *   conv2d               = patches · W         [M, K] · [K, O]
 *   conv2dBackpropFilter = patchesᵀ · ct       [K, M] · [M, O]
 *   conv2dBackpropInput  = a stride-1 convolution of ct with the flipped filter, or
 *                          col2im(ct · Wᵀ): each row of [M, O] · [O, K] added back over its window
 * The patch matrix is not built: "strips" (kh× the input, below) make it a strided view that the
 * matmul reads in place (`patches.ts` has the explicit im2col / col2im for the other cases).
 * float32 products of some size run on the WebAssembly SIMD matmul, which gets the strips built
 * straight in its own memory (a staged operand); float64 and small products run on JS loops over
 * strips in a reused array. Padding counts as zeros that take part in the sums (as in XLA), so `0 · ∞` in a padded
 * tap of conv2d or its filter gradient is NaN whichever kernel runs.
 */
import { allocate, type DType } from "../../dtype.js";
import { ConcreteTensor } from "../../core/concrete.js";
import { MATMUL_SIMD_MIN_WORK, type EpilogueInputs, type StagedOperand, type StripsCall, type WasmMatmul } from "../wasm/matmul.js";
import { blockRows, col2imAdd, im2col, patchesAreInput, type ConvGeometry, type Floats } from "./patches.js";

export type { ConvGeometry } from "./patches.js";

// ---- matrix products ----

const scratch: { [slot: string]: Floats } = {};

/** A reused buffer of at least `size` elements of `dtype`'s array type (contents undefined). */
function buffer(slot: "patches" | "product" | "filter" | "filterT", dtype: DType, size: number): Floats {
  const key = `${slot}:${dtype}`;
  let buf = scratch[key];
  if (buf === undefined || buf.length < size) {
    buf = dtype === "float32" ? new Float32Array(size) : new Float64Array(size);
    scratch[key] = buf;
  }
  return buf;
}

/** `simd`, where it takes an `m×k` by `k×n` product of these operands (float32, large enough). */
function wasmFor(simd: WasmMatmul | null, a: Floats, b: Floats, m: number, k: number, n: number): WasmMatmul | null {
  return simd !== null && a instanceof Float32Array && b instanceof Float32Array && m * n * k >= MATMUL_SIMD_MIN_WORK ? simd : null;
}

/**
 * `out[outOff + i·n + j] = Σ_p a[aOff + i·aRow + p·aCol] · b[bOff + p·bRow + j·bCol]` for an
 * `m×k` by `k×n` product (overwriting `out`), on the SIMD kernel for float32 when it pays.
 */
function matmul(
  simd: WasmMatmul | null,
  a: Floats, aOff: number, aRow: number, aCol: number,
  b: Floats, bOff: number, bRow: number, bCol: number,
  m: number, k: number, n: number, out: Floats, outOff: number,
): void {
  const wasm = wasmFor(simd, a, b, m, k, n);
  if (wasm !== null) {
    wasm.multiply(a as Float32Array, aOff, aRow, aCol, b as Float32Array, bOff, bRow, bCol, m, k, n, out, outOff);
    return;
  }
  if (bCol === 1) {
    // Rows of b are contiguous: accumulate a[i, p] · b[p, :] into row i.
    for (let i = 0; i < m; i++) {
      const o = outOff + i * n;
      out.fill(0, o, o + n);
      for (let p = 0; p < k; p++) {
        const av = a[aOff + i * aRow + p * aCol];
        const bp = bOff + p * bRow;
        for (let j = 0; j < n; j++) out[o + j] += av * b[bp + j];
      }
    }
    return;
  }
  // Columns of b are contiguous (bRow = 1): one dot product per output element.
  for (let i = 0; i < m; i++) {
    const ai = aOff + i * aRow;
    for (let j = 0; j < n; j++) {
      const bj = bOff + j * bCol;
      let acc = 0;
      for (let p = 0; p < k; p++) acc += a[ai + p * aCol] * b[bj + p * bRow];
      out[outOff + i * n + j] = acc;
    }
  }
}

// ---- strips: the patch matrix as a strided view ----
//
// The strip of output row (n, p) holds the kh input rows it reads, interleaved by column:
// strip[g, col, i, c] = xPadded[n, p·sh + i, col, c] with g = n·H' + p. The window of output
// position q is then the contiguous run of strip g from column q·sw to q·sw + kw, so row
// r = g·R + q of the patch matrix, with columns in (j, i, c) order, starts at r·(sw·kh·C): a
// plain strided matrix the matmul reads in place. Each strip is R·sw columns wide (R ≥ W'), so
// rows q ≥ W' are "garbage" rows that straddle into the next strip; their results are dropped.
// Building strips copies kh× the input instead of kh·kw× for the patch matrix.

interface Strips {
  /** Output rows per strip (W' valid ones, then garbage). */
  readonly r: number;
  /** Elements from one patch row to the next: sw·kh·C. */
  readonly rowStride: number;
  /** Rows of the strided patch matrix: N·H'·R. */
  readonly rows: number;
}

function stripsOf(g: ConvGeometry): Strips {
  const [, sw] = g.strides;
  const r = Math.ceil(((g.ow - 1) * sw + g.kw) / sw);
  return { r, rowStride: sw * g.kh * g.c, rows: g.n * g.oh * r };
}

/** Elements of the strips buffer: the strips, then zeros for the garbage rows of the last one. */
function stripsLength(g: ConvGeometry, st: Strips): number {
  return st.rows * st.rowStride + Math.max(0, g.kh * g.kw * g.c - st.rowStride);
}

/**
 * Where the strips' data lies: padding rows above the input (`top0`), padding columns before it
 * (`left0`), columns per strip row, and the end of the data columns (`last`): columns
 * [left0, last) of rows inside the input hold data, every other place zeros.
 */
function stripsLayout(g: ConvGeometry, st: Strips): { top0: number; left0: number; cols: number; last: number } {
  const cols = st.r * g.strides[1];
  const left0 = Math.min(g.padding[1][0], cols);
  return { top0: g.padding[0][0], left0, cols, last: Math.min(cols, left0 + g.w) };
}

/**
 * The strips of `xs` in a reused buffer, written in JS (float64, and products too small for the
 * SIMD kernel; the kernel memory gets the same layout from the WebAssembly `strips` builder). Each
 * column of a strip row is one input pixel's `c` channels or zeros, then zeros past the strips so
 * that the garbage rows of the last strip never read past the end.
 */
function stripsArray(xs: Floats, g: ConvGeometry, st: Strips): Floats {
  const out = buffer("patches", xs instanceof Float32Array ? "float32" : "float64", stripsLength(g, st));
  const { h, w, c, kh, oh } = g;
  const [sh] = g.strides;
  const { top0, left0, cols, last } = stripsLayout(g, st);
  const colLen = kh * c;
  for (let n = 0; n < g.n; n++) {
    for (let p = 0; p < oh; p++) {
      for (let i = 0; i < kh; i++) {
        const y = p * sh + i - top0;
        const dataEnd = y >= 0 && y < h ? last : left0;
        // column col holds pixel (y, col − left0) for col in [left0, dataEnd), zeros elsewhere
        let dst = (n * oh + p) * cols * colLen + i * c;
        let src = ((n * h + y) * w - left0) * c;
        for (let col = 0; col < cols; col++, dst += colLen, src += c) {
          if (col >= left0 && col < dataEnd) for (let e = 0; e < c; e++) out[dst + e] = xs[src + e];
          else out.fill(0, dst, dst + c);
        }
      }
    }
  }
  out.fill(0, st.rows * st.rowStride, stripsLength(g, st));
  return out;
}

/**
 * The strips of float32 `xs` as an operand the SIMD matmul builds in its own memory: the input is
 * copied in (unless it lives there), then the module's `strips` function lays it out (one call for
 * the whole input).
 */
function stagedStrips(xs: Float32Array, g: ConvGeometry, st: Strips): StagedOperand {
  const { top0, left0, cols, last } = stripsLayout(g, st);
  return {
    extent: stripsLength(g, st),
    scratch: xs.length,
    write: (area, at, scratchAt) => {
      // the input is copied in unless it is resident
      let src = area.home(xs);
      if (src < 0) area.mem.set(xs, (src = scratchAt));
      area.strips(src, at, g.n, g.oh, g.h, g.w, g.c, g.kh, g.strides[0], top0, left0, cols, last);
      area.mem.fill(0, at + st.rows * st.rowStride, at + stripsLength(g, st));
    },
  };
}

/**
 * `ct` ([strips · ow, o]) as an operand with the rows of the strips' garbage places: strip s's
 * `ow` rows, then `r − ow` zero rows, written straight into the kernel memory by the strips
 * builder (the layout of a 1-row filter's strips of ct, whose padding columns are those zero
 * rows), read where ct lies if it is resident, else copied in first.
 */
function stagedRows(cts: Float32Array, strips: number, ow: number, r: number, o: number): StagedOperand {
  return {
    extent: strips * r * o,
    scratch: cts.length,
    write: (area, at, scratchAt) => {
      let src = area.home(cts);
      if (src < 0) {
        if (r === ow) {
          area.mem.set(cts, at);
          return;
        }
        area.mem.set(cts, (src = scratchAt));
      }
      // strips · 1 rows of r columns: pixel (s, col) of ct for col < ow, zeros after
      area.strips(src, at, strips, 1, 1, ow, o, 1, 1, 0, 0, r, ow);
    },
  };
}

/**
 * The transposed patch matrix of a one-channel input `xs` (geometry `g`, c = 1) as a staged
 * operand, written straight into the kernel memory: row i·kw + j (a filter tap) holds, for every
 * output position (b, p, q) in order, input pixel (p·sh + i − top, q·sw + j − left), or 0 where
 * that lies in the padding. With stride 1 along the width, each row is a call of the strips
 * builder (one filter row, its columns shifted by j); otherwise it is written here.
 */
function stagedTapRows(xs: Float32Array, g: ConvGeometry): StagedOperand {
  const { n, h, w, kh, kw, oh, ow } = g;
  const [sh, sw] = g.strides;
  const [top, left] = [g.padding[0][0], g.padding[1][0]];
  const m = n * oh * ow;
  return {
    extent: kh * kw * m,
    scratch: sw === 1 ? xs.length : 0,
    write: (area, at, scratchAt) => {
      const { mem } = area;
      if (sw === 1) {
        let src = area.home(xs);
        if (src < 0) mem.set(xs, (src = scratchAt));
        // column q of output row p reads input pixel (p·sh + i − top, q + j − left): one job for
        // all the taps, each too small to share with workers alone
        const calls: StripsCall[] = [];
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) calls.push([src, at + (i * kw + j) * m, n, oh, h, w, 1, 1, sh, top - i, left - j, ow, Math.min(ow, left - j + w)]);
        }
        area.stripsAll(calls);
        return;
      }
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          let dst = at + (i * kw + j) * m;
          // output columns q whose input column q·sw + j − left lies inside [0, w)
          const q0 = Math.min(ow, Math.max(0, Math.ceil((left - j) / sw)));
          const q1 = Math.max(q0, Math.min(ow, Math.floor((w - 1 + left - j) / sw) + 1));
          for (let b = 0; b < n; b++) {
            for (let p = 0; p < oh; p++, dst += ow) {
              const y = p * sh + i - top;
              if (y < 0 || y >= h) {
                mem.fill(0, dst, dst + ow);
                continue;
              }
              const row = (b * h + y) * w - left + j;
              for (let q = 0; q < q0; q++) mem[dst + q] = 0;
              for (let q = q0; q < q1; q++) mem[dst + q] = xs[row + q * sw];
              for (let q = q1; q < ow; q++) mem[dst + q] = 0;
            }
          }
        }
      }
    },
  };
}

/** Whether every element of `xs` is finite (a branch per element: no dependency chain to wait on). */
function allFinite(xs: Floats): boolean {
  for (let i = 0; i < xs.length; i++) if (xs[i] - xs[i] !== 0) return false;
  return true;
}

/** Reorders filter rows between (i, j, c) order (HWIO) and the strips' (j, i, c) order. */
function swapTaps(src: Floats, g: ConvGeometry, toStrips: boolean, out: Floats): Floats {
  const { kh, kw, c, o } = g;
  const run = c * o;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const hwio = (i * kw + j) * run;
      const strip = (j * kh + i) * run;
      if (toStrips) out.set(src.subarray(hwio, hwio + run), strip);
      else out.set(src.subarray(strip, strip + run), hwio);
    }
  }
  return out;
}

// ---- kernels ----

/**
 * Writes the convolution of `xs` (geometry `g`) into `out` by strips; `wStrips` is the filter with
 * its rows in the strips' (j, i, c) order.
 */
function stripsConv(simd: WasmMatmul | null, xs: Floats, wStrips: Floats, g: ConvGeometry, out: Floats): void {
  const { n, c, kh, kw, o, oh, ow } = g;
  const k = kh * kw * c;
  const st = stripsOf(g);
  // float32 products on the SIMD kernel build the strips in its memory; others in a reused array
  const wasm = wasmFor(simd, xs, wStrips, st.rows, k, o);
  const strips = wasm !== null ? stagedStrips(xs as Float32Array, g, st) : stripsArray(xs, g, st);
  if (wasm !== null) {
    // the garbage rows of each strip are dropped as C leaves the kernel memory
    wasm.multiply(strips as StagedOperand, 0, st.rowStride, 1, wStrips as Float32Array, 0, o, 1, st.rows, k, o, out, 0, { period: st.r, kept: ow });
    return;
  }
  const product = (target: Floats) => matmul(null, strips as Floats, 0, st.rowStride, 1, wStrips, 0, o, 1, st.rows, k, o, target, 0);
  if (st.r === ow) {
    product(out);
    return;
  }
  // Rows of every strip, garbage included, then the valid ones copied out.
  const full = buffer("product", out instanceof Float32Array ? "float32" : "float64", st.rows * o);
  product(full);
  for (let s = 0; s < n * oh; s++) out.set(full.subarray(s * st.r * o, (s * st.r + ow) * o), s * ow * o);
}

/** `conv2d` of `x` `[n, h, w, c]` with `w` `[kh, kw, c, o]`: `[n, oh, ow, o]`. */
export function conv2dKernel(x: ConcreteTensor, w: ConcreteTensor, g: ConvGeometry, simd: WasmMatmul | null): ConcreteTensor {
  const { n, c, kh, kw, o, oh, ow } = g;
  const m = n * oh * ow;
  const k = kh * kw * c;
  const dtype = x.dtype;
  // every element is written below (zeros only for an empty sum)
  const out = allocate(dtype, m * o, k === 0) as Floats;
  const xs = x.storage as Floats;
  const ws = w.storage as Floats;
  if (m === 0 || o === 0 || k === 0) return ConcreteTensor.wrap(out, [n, oh, ow, o], dtype);
  if (patchesAreInput(g)) matmul(simd, xs, 0, k, 1, ws, 0, o, 1, m, k, o, out, 0);
  else stripsConv(simd, xs, swapTaps(ws, g, true, buffer("filter", dtype, k * o)), g, out);
  return ConcreteTensor.wrap(out, [n, oh, ow, o], dtype);
}

/**
 * `conv2d` on the SIMD product with the elementwise loop that finishes its result as the product's
 * epilogue (wasm/epilogue-emit.ts): the loop's output, or null where the product would not run on
 * WebAssembly by conv strips (float64, a 1×1 convolution, too little work, a product cut along k).
 */
export function conv2dWithEpilogue(x: ConcreteTensor, w: ConcreteTensor, g: ConvGeometry, simd: WasmMatmul | null, epilogue: EpilogueInputs): ConcreteTensor | null {
  const { n, c, kh, kw, o, oh, ow } = g;
  const k = kh * kw * c;
  if (x.dtype !== "float32" || w.dtype !== "float32" || n * oh * ow === 0 || o === 0 || k === 0 || patchesAreInput(g)) return null;
  const xs = x.storage as Float32Array;
  const wStrips = swapTaps(w.storage as Float32Array, g, true, buffer("filter", "float32", k * o)) as Float32Array;
  const st = stripsOf(g);
  const wasm = wasmFor(simd, xs, wStrips, st.rows, k, o);
  if (wasm === null) return null;
  const out = allocate("float32", n * oh * ow * o, false);
  const done = wasm.multiply(stagedStrips(xs, g, st), 0, st.rowStride, 1, wStrips, 0, o, 1, st.rows, k, o, out, 0, { period: st.r, kept: ow }, epilogue);
  return done ? ConcreteTensor.wrap(out, [n, oh, ow, o], "float32") : null;
}

/**
 * With stride 1, the transpose of a convolution in its input is itself a convolution: of `ct`
 * padded by `k − 1 − pad` on each side, with the filter flipped in space and its channel axes
 * swapped. Returns that convolution's geometry, or `null` where it does not apply (strides, or
 * padding beyond `k − 1`, which would crop).
 */
export function transposedGeometry(g: ConvGeometry): ConvGeometry | null {
  const [[t, b], [l, r]] = g.padding;
  const { kh, kw } = g;
  if (g.strides[0] !== 1 || g.strides[1] !== 1 || Math.max(t, b) > kh - 1 || Math.max(l, r) > kw - 1) return null;
  return {
    n: g.n, h: g.oh, w: g.ow, c: g.o, kh, kw, o: g.c, oh: g.h, ow: g.w,
    strides: [1, 1],
    padding: [[kh - 1 - t, kh - 1 - b], [kw - 1 - l, kw - 1 - r]],
  };
}

/**
 * The flipped, channel-swapped filter of `transposedGeometry` in strips order: row (j', i', o),
 * column c holds w[kh − 1 − i', kw − 1 − j', c, o].
 */
function flippedStrips(w: Floats, g: ConvGeometry, out: Floats): Floats {
  const { kh, kw, c, o } = g;
  for (let j = 0; j < kw; j++) {
    for (let i = 0; i < kh; i++) {
      const src = ((kh - 1 - i) * kw + (kw - 1 - j)) * c * o;
      const dst = (j * kh + i) * o * c;
      for (let f = 0; f < o; f++) {
        for (let e = 0; e < c; e++) out[dst + f * c + e] = w[src + e * o + f];
      }
    }
  }
  return out;
}

/** `conv2dBackpropInput` of `ct` `[n, oh, ow, o]` with `w` `[kh, kw, c, o]`: `[n, h, w, c]`. */
export function conv2dBackpropInputKernel(ct: ConcreteTensor, w: ConcreteTensor, g: ConvGeometry, simd: WasmMatmul | null): ConcreteTensor {
  const { n, h, c, kh, kw, o, oh, ow } = g;
  const m = n * oh * ow;
  const k = kh * kw * c;
  const dtype = ct.dtype;
  const cts = ct.storage as Floats;
  const ws = w.storage as Floats;
  const tg = transposedGeometry(g);
  const asConvolution = tg !== null && allFinite(ws);
  // written whole as a product or a convolution; summed into, window by window, otherwise
  const dx = allocate(dtype, n * h * g.w * c, !(m > 0 && k > 0 && o > 0 && (patchesAreInput(g) || asConvolution))) as Floats;
  if (m === 0 || k === 0 || o === 0) return ConcreteTensor.wrap(dx, [n, h, g.w, c], dtype);
  if (patchesAreInput(g)) {
    matmul(simd, cts, 0, o, 1, ws, 0, 1, o, m, o, k, dx, 0);
    return ConcreteTensor.wrap(dx, [n, h, g.w, c], dtype);
  }
  // As a convolution, the padding of ct joins the sums as 0 · w: only a finite filter gives the
  // same values as summing over the real taps alone.
  if (asConvolution) {
    stripsConv(simd, cts, flippedStrips(ws, g, buffer("filter", dtype, k * o)), tg!, dx);
    return ConcreteTensor.wrap(dx, [n, h, g.w, c], dtype);
  }
  // Otherwise by blocks of rows of ct · Wᵀ (W read transposed in place: element (o, kk) is
  // w[kk·O + o]), each added back over the window it came from.
  const step = blockRows(k);
  const cols = buffer("patches", dtype, Math.min(step, m) * k);
  for (let r0 = 0; r0 < m; r0 += step) {
    const rows = Math.min(step, m - r0);
    matmul(simd, cts, r0 * o, o, 1, ws, 0, 1, o, rows, o, k, cols, 0);
    col2imAdd(cols, g, r0, rows, dx);
  }
  return ConcreteTensor.wrap(dx, [n, h, g.w, c], dtype);
}

/** `conv2dBackpropFilter` of `x` `[n, h, w, c]` and `ct` `[n, oh, ow, o]`: `[kh, kw, c, o]`. */
export function conv2dBackpropFilterKernel(x: ConcreteTensor, ct: ConcreteTensor, g: ConvGeometry, simd: WasmMatmul | null): ConcreteTensor {
  const { n, c, kh, kw, o, oh, ow } = g;
  const m = n * oh * ow;
  const k = kh * kw * c;
  const dtype = x.dtype;
  const dw = allocate(dtype, k * o) as Floats;
  const xs = x.storage as Floats;
  const cts = ct.storage as Floats;
  if (m === 0 || k === 0 || o === 0) return ConcreteTensor.wrap(dw, [kh, kw, c, o], dtype);
  if (patchesAreInput(g)) {
    // xᵀ read in place: element (c, r) is x[r·C + c].
    matmul(simd, xs, 0, 1, k, cts, 0, o, 1, k, m, o, dw, 0);
    return ConcreteTensor.wrap(dw, [kh, kw, c, o], dtype);
  }
  const single = c === 1 ? wasmFor(simd, xs, cts, k, m, o) : null;
  if (single !== null) {
    // One input channel (a first layer): the taps' rows of the transposed patch matrix, k × m and
    // a few rows only, are cheap to write whole, and ct is then read as it is (no strips, no
    // garbage rows to stage). dW in HWIO order is that product itself.
    single.multiply(stagedTapRows(xs as Float32Array, g), 0, m, 1, cts as Float32Array, 0, o, 1, k, m, o, dw, 0);
    return ConcreteTensor.wrap(dw, [kh, kw, c, o], dtype);
  }
  const st = stripsOf(g);
  if (st.r === ow || allFinite(xs)) {
    // stripsᵀ · ct, where ct gets zero rows in the garbage places: a garbage row then adds
    // (finite values) · 0 = 0. With a non-finite input that would be NaN, hence the fallback.
    const dwt = buffer("filter", dtype, k * o);
    const wasm = wasmFor(simd, xs, cts, k, st.rows, o);
    if (wasm !== null) {
      const ctRows = stagedRows(cts as Float32Array, n * oh, ow, st.r, o);
      const strips = stagedStrips(xs as Float32Array, g, st);
      if (o < k) {
        // dWᵀ = ctᵀ · strips: the kernel reads the strips (k wide) in place and packs only ct
        // (o wide), the smaller of the two operands a long product over positions must pack.
        const dwT = buffer("filterT", dtype, o * k);
        wasm.multiply(ctRows, 0, 1, o, strips, 0, st.rowStride, 1, o, st.rows, k, dwT, 0);
        for (let f = 0; f < o; f++) for (let kk = 0; kk < k; kk++) dwt[kk * o + f] = dwT[f * k + kk];
      } else {
        wasm.multiply(strips, 0, 1, st.rowStride, ctRows, 0, o, 1, k, st.rows, o, dwt, 0);
      }
    } else {
      let ctRows = cts;
      if (st.r !== ow) {
        ctRows = buffer("product", dtype, st.rows * o);
        for (let s = 0; s < n * oh; s++) {
          ctRows.set(cts.subarray(s * ow * o, (s + 1) * ow * o), s * st.r * o);
          ctRows.fill(0, (s * st.r + ow) * o, (s + 1) * st.r * o);
        }
      }
      matmul(null, stripsArray(xs, g, st), 0, 1, st.rowStride, ctRows, 0, o, 1, k, st.rows, o, dwt, 0);
    }
    swapTaps(dwt, g, false, dw);
  } else {
    const step = blockRows(k);
    const patches = buffer("patches", dtype, Math.min(step, m) * k);
    const part = buffer("product", dtype, k * o);
    for (let r0 = 0; r0 < m; r0 += step) {
      const rows = Math.min(step, m - r0);
      im2col(xs, g, r0, rows, patches);
      // patchesᵀ read in place: element (kk, r) of the block is patches[r·K + kk].
      matmul(simd, patches, 0, 1, k, cts, r0 * o, o, 1, k, rows, o, part, 0);
      for (let e = 0; e < k * o; e++) dw[e] += part[e];
    }
  }
  return ConcreteTensor.wrap(dw, [kh, kw, c, o], dtype);
}
