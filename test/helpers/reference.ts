/**
 * @file Value oracle of the primitive harness: one plainly written float64 implementation per
 * primitive, by explicit multi-index arithmetic over row-major arrays. It shares no code with
 * `src/backend` (no strided copies, no permute-then-reduce), so that the two can only agree by
 * both being right. Results are rounded to the output dtype the way storage does (float32 by
 * `Math.fround`, int32 by wrapping, bool to 0/1).
 */
import type { DType } from "../../src/dtype.js";
import type { ConvWindow, PrimName, PrimParams, WindowParams } from "../../src/core/primitive.js";
import { Lit, type Atom, type Jaxpr, type Var } from "../../src/core/jaxpr.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { refGather, refScatter } from "./reference-indexing.js";

/** A reference array: row-major numbers with a shape and a dtype. */
export interface RefArray {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly data: readonly number[];
}

/** A reference array from a concrete tensor. */
export function refOf(t: AnyTensor): RefArray {
  const c = t.concrete();
  if (c === null) throw new Error("reference: needs a concrete tensor");
  return { shape: c.shape.slice(), dtype: c.dtype, data: Array.from(c.storage) };
}

/** A reference array of `values` rounded to `dtype`. */
export function refArray(values: readonly number[], shape: readonly number[], dtype: DType): RefArray {
  return { shape: shape.slice(), dtype, data: values.map((v) => roundTo(v, dtype)) };
}

/** Rounds a float64 result to what storage of `dtype` holds. */
export function roundTo(v: number, dtype: DType): number {
  switch (dtype) {
    case "float64":
      return v;
    case "float32":
      return Math.fround(v);
    case "int32":
      return v | 0; // int32 arithmetic wraps modulo 2^32 (casts saturate: see `cast` below)
    case "bool":
      return v !== 0 ? 1 : 0;
  }
}

// ---- index arithmetic ----

function size(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Flat row-major position of `idx` in `shape`. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d] + idx[d];
  return flat;
}

/** Calls `body` with every multi-index of `shape` in row-major order (once for rank 0; never for size 0). */
export function forEachIndex(shape: readonly number[], body: (idx: number[]) => void): void {
  if (size(shape) === 0) return;
  const idx = new Array<number>(shape.length).fill(0);
  for (;;) {
    body(idx.slice());
    let d = shape.length - 1;
    while (d >= 0) {
      idx[d]++;
      if (idx[d] < shape[d]) break;
      idx[d] = 0;
      d--;
    }
    if (d < 0) return;
  }
}

/** Builds an array of `shape` whose element at each multi-index is `at(idx)`, rounded to `dtype`. */
function generate(shape: readonly number[], dtype: DType, at: (idx: number[]) => number): RefArray {
  const data: number[] = [];
  forEachIndex(shape, (idx) => data.push(roundTo(at(idx), dtype)));
  return { shape: shape.slice(), dtype, data };
}

function get(x: RefArray, idx: readonly number[]): number {
  return x.data[ravel(idx, x.shape)];
}

// ---- scalar semantics ----

/** NumPy's maximum: NaN if either is NaN. */
function maxNaN(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return a > b ? a : b;
}

function minNaN(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return a < b ? a : b;
}

function unary(f: (v: number, dtype: DType) => number) {
  return ([x]: RefArray[]): RefArray[] => [generate(x.shape, x.dtype, (idx) => f(get(x, idx), x.dtype))];
}

function binary(f: (a: number, b: number, dtype: DType) => number, outDtype?: DType) {
  return ([x, y]: RefArray[]): RefArray[] => [generate(x.shape, outDtype ?? x.dtype, (idx) => f(get(x, idx), get(y, idx), x.dtype))];
}

/**
 * erf by Gauss–Legendre quadrature of `2/√π e^(−t²)` over [0, x] in 64 panels of 5 points (exact
 * to ~1e-16 for |x| ≤ 6; 1 beyond), independent of the library's series and continued fraction.
 */
export function erfByQuadrature(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) > 6) return Math.sign(x);
  const nodes = [0, -0.5384693101056831, 0.5384693101056831, -0.906179845938664, 0.906179845938664];
  const weights = [0.5688888888888889, 0.47862867049936647, 0.47862867049936647, 0.23692688505618908, 0.23692688505618908];
  const panels = 64;
  const h = x / panels;
  let sum = 0;
  for (let p = 0; p < panels; p++) {
    const mid = (p + 0.5) * h;
    for (let q = 0; q < 5; q++) {
      const t = mid + (nodes[q] * h) / 2;
      sum += weights[q] * Math.exp(-t * t);
    }
  }
  return ((sum * h) / 2) * (2 / Math.sqrt(Math.PI));
}

const signOf = (v: number): number => (Number.isNaN(v) ? NaN : v > 0 ? 1 : v < 0 ? -1 : v);

// ---- the oracle table ----

/** A reference implementation of one primitive. */
export type RefImpl<P extends PrimName> = (args: RefArray[], params: PrimParams[P]) => RefArray[];

/** Reference implementations, one per primitive (a missing one fails `tsc`). */
export const reference: { readonly [P in PrimName]: RefImpl<P> } = {
  neg: unary((v) => -v),
  exp: unary(Math.exp),
  log: unary(Math.log),
  sin: unary(Math.sin),
  cos: unary(Math.cos),
  sqrt: unary(Math.sqrt),
  tanh: unary(Math.tanh),
  erf: unary(erfByQuadrature),
  log1p: unary(Math.log1p),
  expm1: unary(Math.expm1),
  abs: unary((v) => (v < 0 ? -v : v === 0 ? 0 : v)),
  sign: unary(signOf),
  add: binary((a, b) => a + b),
  sub: binary((a, b) => a - b),
  mul: binary((a, b, dtype) => (dtype === "int32" ? Math.imul(a, b) : a * b)),
  div: binary((a, b, dtype) => (dtype === "int32" ? Math.trunc(a / b) : a / b)),
  max: binary(maxNaN),
  min: binary(minNaN),
  pow: binary((a, b) => a ** b),

  compare: (args, { op }) =>
    binary((a, b) => {
      switch (op) {
        case "lt":
          return a < b ? 1 : 0;
        case "le":
          return a <= b ? 1 : 0;
        case "gt":
          return a > b ? 1 : 0;
        case "ge":
          return a >= b ? 1 : 0;
        case "eq":
          return a === b ? 1 : 0;
        case "ne":
          return a !== b ? 1 : 0;
      }
    }, "bool")(args),

  select: ([c, a, b]) => [generate(a.shape, a.dtype, (idx) => (get(c, idx) !== 0 ? get(a, idx) : get(b, idx)))],

  cast: ([x], { dtype }) => [
    generate(x.shape, dtype, (idx) => {
      const v = get(x, idx);
      if (dtype === "bool") return Number.isNaN(v) || v !== 0 ? 1 : 0;
      // truncation toward zero, saturated to the int32 range (±∞ to its ends), NaN to 0
      if (dtype === "int32") return Number.isNaN(v) ? 0 : Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.trunc(v)));
      return v;
    }),
  ],

  stopGradient: ([x]) => [x],

  reduceSum: ([x], { axes }) => {
    const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const outShape = kept.map((i) => x.shape[i]);
    const reducedShape = axes.map((a) => x.shape[a]);
    const dtype = x.dtype === "bool" ? "int32" : x.dtype;
    return [
      generate(outShape, dtype, (outIdx) => {
        let acc = 0;
        forEachIndex(reducedShape, (rIdx) => {
          const idx = new Array<number>(x.shape.length);
          kept.forEach((a, k) => (idx[a] = outIdx[k]));
          axes.forEach((a, k) => (idx[a] = rIdx[k]));
          acc = dtype === "int32" ? (acc + get(x, idx)) | 0 : acc + get(x, idx);
        });
        return acc;
      }),
    ];
  },

  reduceMax: ([x], { axes }) => {
    const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const reducedShape = axes.map((a) => x.shape[a]);
    return [
      generate(
        kept.map((i) => x.shape[i]),
        x.dtype,
        (outIdx) => {
          let acc = -Infinity;
          forEachIndex(reducedShape, (rIdx) => {
            const idx = new Array<number>(x.shape.length);
            kept.forEach((a, k) => (idx[a] = outIdx[k]));
            axes.forEach((a, k) => (idx[a] = rIdx[k]));
            acc = maxNaN(acc, get(x, idx));
          });
          return acc;
        },
      ),
    ];
  },

  argmax: ([x], { axis }) => {
    const kept = x.shape.map((_, i) => i).filter((i) => i !== axis);
    return [
      generate(
        kept.map((i) => x.shape[i]),
        "int32",
        (outIdx) => {
          const idx = new Array<number>(x.shape.length);
          kept.forEach((a, k) => (idx[a] = outIdx[k]));
          let best = -1;
          let bestVal = -Infinity;
          for (let j = 0; j < x.shape[axis]; j++) {
            idx[axis] = j;
            const v = get(x, idx);
            if (Number.isNaN(v)) return j; // the first NaN wins, as in NumPy
            if (best < 0 || v > bestVal) {
              best = j;
              bestVal = v;
            }
          }
          return best;
        },
      ),
    ];
  },

  reshape: ([x], { shape }) => [{ shape: shape.slice(), dtype: x.dtype, data: x.data.slice() }],

  broadcastInDim: ([x], { shape, broadcastDims }) => [
    generate(shape, x.dtype, (outIdx) => get(x, broadcastDims.map((d, i) => (x.shape[i] === 1 ? 0 : outIdx[d])))),
  ],

  transpose: ([x], { perm }) => [
    generate(
      perm.map((p) => x.shape[p]),
      x.dtype,
      (outIdx) => {
        const idx = new Array<number>(x.shape.length);
        perm.forEach((p, j) => (idx[p] = outIdx[j]));
        return get(x, idx);
      },
    ),
  ],

  slice: ([x], { start, limit, strides }) => {
    const shape = x.shape.map((_, i) => Math.max(0, Math.ceil((limit[i] - start[i]) / strides[i])));
    return [generate(shape, x.dtype, (outIdx) => get(x, outIdx.map((j, i) => start[i] + j * strides[i])))];
  },

  pad: ([x], { value, config }) => {
    const shape = x.shape.map((d, i) => {
      const [lo, hi, interior] = config[i];
      return lo + hi + d + Math.max(0, d - 1) * interior;
    });
    return [
      generate(shape, x.dtype, (outIdx) => {
        const idx: number[] = [];
        for (let i = 0; i < shape.length; i++) {
          const [lo, , interior] = config[i];
          const p = outIdx[i] - lo; // position on the grid that starts at the first element of x
          if (p < 0 || p % (interior + 1) !== 0) return value;
          const q = p / (interior + 1);
          if (q >= x.shape[i]) return value;
          idx.push(q);
        }
        return get(x, idx);
      }),
    ];
  },

  concatenate: (xs, { axis }) => {
    const shape = xs[0].shape.slice();
    shape[axis] = xs.reduce((acc, x) => acc + x.shape[axis], 0);
    return [
      generate(shape, xs[0].dtype, (outIdx) => {
        let j = outIdx[axis];
        for (const x of xs) {
          if (j < x.shape[axis]) {
            const idx = outIdx.slice();
            idx[axis] = j;
            return get(x, idx);
          }
          j -= x.shape[axis];
        }
        throw new Error("reference concatenate: index past the end");
      }),
    ];
  },

  dotGeneral: ([x, y], { contract, batch }) => {
    const [xc, yc] = contract;
    const [xb, yb] = batch;
    const free = (ndim: number, c: readonly number[], b: readonly number[]) =>
      Array.from({ length: ndim }, (_, i) => i).filter((i) => !c.includes(i) && !b.includes(i));
    const xf = free(x.shape.length, xc, xb);
    const yf = free(y.shape.length, yc, yb);
    const shape = [...xb.map((a) => x.shape[a]), ...xf.map((a) => x.shape[a]), ...yf.map((a) => y.shape[a])];
    const contractShape = xc.map((a) => x.shape[a]);
    const isInt = x.dtype === "int32";
    return [
      generate(shape, x.dtype, (outIdx) => {
        const xi = new Array<number>(x.shape.length);
        const yi = new Array<number>(y.shape.length);
        xb.forEach((a, k) => (xi[a] = outIdx[k]));
        yb.forEach((a, k) => (yi[a] = outIdx[k]));
        xf.forEach((a, k) => (xi[a] = outIdx[xb.length + k]));
        yf.forEach((a, k) => (yi[a] = outIdx[xb.length + xf.length + k]));
        let acc = 0;
        forEachIndex(contractShape, (cIdx) => {
          xc.forEach((a, k) => (xi[a] = cIdx[k]));
          yc.forEach((a, k) => (yi[a] = cIdx[k]));
          acc = isInt ? (acc + Math.imul(get(x, xi), get(y, yi))) | 0 : acc + get(x, xi) * get(y, yi);
        });
        return acc;
      }),
    ];
  },

  // Zero fill: the unsigned value divided by 2^b, rounded down; amounts outside [0, 31] give 0.
  checkIndices: ([x], { lo, hi }) => {
    if (x.data.some((v) => !(v >= lo && v < hi))) throw new RangeError("checkIndices: out of range");
    return [x];
  },

  shiftRightLogical: binary((a, b) => (b >= 0 && b <= 31 ? Math.floor((a < 0 ? a + 2 ** 32 : a) / 2 ** b) : 0)),

  threefry2x32: ([k0, k1, x0, x1]) => {
    const n = x0.data.length;
    const y0: number[] = [];
    const y1: number[] = [];
    for (let i = 0; i < n; i++) {
      const [a, b] = threefryBlock(k0.data[i], k1.data[i], x0.data[i], x1.data[i]);
      y0.push(roundTo(a, "int32"));
      y1.push(roundTo(b, "int32"));
    }
    return [
      { shape: x0.shape.slice(), dtype: "int32", data: y0 },
      { shape: x0.shape.slice(), dtype: "int32", data: y1 },
    ];
  },

  jitCall: (args, { jaxpr }) => refEvalJaxpr(jaxpr, args),

  // Padding is zeros that take part in the sums (a padded tap adds 0 · w, as in XLA).
  conv2d: ([x, w], window) => {
    const [n, h, wd] = x.shape;
    const [kh, kw, c, o] = w.shape;
    const [oh, ow] = [0, 1].map((d) => Math.floor(([h, wd][d] + window.padding[d][0] + window.padding[d][1] - [kh, kw][d]) / window.strides[d]) + 1);
    return [
      generate([n, oh, ow, o], x.dtype, ([b, p, q, f]) => {
        let acc = 0;
        forEachIndex([kh, kw, c], ([i, j, e]) => (acc += paddedAt(x, window, b, p, q, i, j, e) * get(w, [i, j, e, f])));
        return acc;
      }),
    ];
  },

  // dx[n, y, x, c] = Σ ct[n, p, q, o] · w[i, j, c, o] over the windows with p·sh + i − lo = y (and likewise x).
  conv2dBackpropInput: ([ct, w], params) => {
    const [n, oh, ow] = ct.shape;
    const [kh, kw, c, o] = w.shape;
    const [[top], [left]] = params.padding;
    const [sh, sw] = params.strides;
    return [
      generate([n, ...params.inputSize, c], ct.dtype, ([b, y, xx, e]) => {
        let acc = 0;
        forEachIndex([oh, ow, kh, kw, o], ([p, q, i, j, f]) => {
          if (p * sh + i - top === y && q * sw + j - left === xx) acc += get(ct, [b, p, q, f]) * get(w, [i, j, e, f]);
        });
        return acc;
      }),
    ];
  },

  // dw[i, j, c, o] = Σ xPadded[n, p·sh + i, q·sw + j, c] · ct[n, p, q, o] over n, p, q.
  conv2dBackpropFilter: ([x, ct], params) => {
    const [n, , , c] = x.shape;
    const [, oh, ow, o] = ct.shape;
    return [
      generate([...params.kernelSize, c, o], x.dtype, ([i, j, e, f]) => {
        let acc = 0;
        forEachIndex([n, oh, ow], ([b, p, q]) => (acc += paddedAt(x, params, b, p, q, i, j, e) * get(ct, [b, p, q, f])));
        return acc;
      }),
    ];
  },

  // Loops and branches: the body interpreted by the reference, step by step.
  scan: (args, { jaxpr, numConsts, numCarry, length, reverse }) => {
    const consts = args.slice(0, numConsts);
    let carry = args.slice(numConsts, numConsts + numCarry);
    const xs = args.slice(numConsts + numCarry);
    const steps: RefArray[][] = new Array(length);
    for (let k = 0; k < length; k++) {
      const i = reverse ? length - 1 - k : k;
      const slices = xs.map((x) => {
        const n = x.data.length / length;
        return { shape: x.shape.slice(1), dtype: x.dtype, data: x.data.slice(i * n, (i + 1) * n) };
      });
      const outs = refEvalJaxpr(jaxpr, [...consts, ...carry, ...slices]);
      carry = outs.slice(0, numCarry);
      steps[i] = outs.slice(numCarry);
    }
    const ys = jaxpr.avalsOut.slice(numCarry).map((a, j) => ({
      shape: [length, ...a.shape],
      dtype: a.dtype,
      data: steps.flatMap((s) => s[j].data),
    }));
    return [...carry, ...ys];
  },

  cond: ([index, ...operands], { branches }) => refEvalJaxpr(branches[Math.min(Math.max(index.data[0], 0), branches.length - 1)], operands),

  whileLoop: (args, { cond, body, condConsts, bodyConsts }) => {
    const cc = args.slice(0, condConsts);
    const bc = args.slice(condConsts, condConsts + bodyConsts);
    let carry = args.slice(condConsts + bodyConsts);
    while (refEvalJaxpr(cond, [...cc, ...carry])[0].data[0]) carry = refEvalJaxpr(body, [...bc, ...carry]);
    return carry;
  },
  // Windows by explicit multi-indices; padding adds nothing and is never a maximum (an empty
  // window's maximum is −∞, or the least int32).
  reduceWindow: ([x], params) => [
    generate(refWindowShape(x.shape, params), x.dtype, (outIdx) => {
      const vals = windowElements(x, params, outIdx).map((idx) => get(x, idx));
      if (params.op === "Add") return vals.reduce((a, v) => (x.dtype === "int32" ? (a + v) | 0 : a + v), 0);
      return vals.reduce(maxNaN, x.dtype === "int32" ? -(2 ** 31) : -Infinity);
    }),
  ],

  // dx[i] = Σ over windows o holding i as one of their c(o) maxima of source[o] / c(o).
  selectAndScatterAdd: ([source, operand], params) => {
    const acc = new Map<number, number>();
    forEachIndex(refWindowShape(operand.shape, params), (outIdx) => {
      const maxima = windowMaxima(operand, params, outIdx);
      for (const idx of maxima) {
        const k = ravel(idx, operand.shape);
        acc.set(k, (acc.get(k) ?? 0) + get(source, outIdx) / maxima.length);
      }
    });
    return [generate(operand.shape, source.dtype, (idx) => acc.get(ravel(idx, operand.shape)) ?? 0)];
  },

  // y[o] = the mean of tangent over the maxima of window o (0 for a window of padding only).
  selectAndGatherAdd: ([tangent, operand], params) => [
    generate(refWindowShape(operand.shape, params), tangent.dtype, (outIdx) => {
      const maxima = windowMaxima(operand, params, outIdx);
      return maxima.length === 0 ? 0 : maxima.reduce((a, idx) => a + get(tangent, idx), 0) / maxima.length;
    }),
  ],
  floor: unary(floorByTrunc),
  ceil: unary((v) => {
    const t = Math.trunc(v);
    return t < v ? t + 1 : t;
  }),
  // Halves to even, from the floor and the fraction; an integral zero keeps the sign of v.
  round: unary((v) => {
    if (!Number.isFinite(v)) return v;
    const f = floorByTrunc(v);
    const frac = v - f;
    const r = frac < 0.5 ? f : frac > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
    return r === 0 ? (v < 0 || Object.is(v, -0) ? -0 : 0) : r;
  }),
  // x − y·trunc(x / y), exact for the small quotients the cases draw; fmod's special cases
  // (x infinite or y zero: NaN; y infinite: x).
  rem: binary((a, b, dtype) => {
    if (dtype === "int32") return b === 0 ? 0 : a - b * Math.trunc(a / b);
    if (!Number.isFinite(a) || b === 0 || Number.isNaN(b)) return NaN;
    if (!Number.isFinite(b)) return a;
    return a - b * Math.trunc(a / b);
  }),
  gather: refGather,
  scatterAdd: (args, dims) => refScatter(args, dims, "add"),
  scatter: (args, { combine, ...dims }) => refScatter(args, dims, combine),
  // The calls evaluate the function they hold (the custom rules change derivatives, not values).
  customJvpCall: (args, { fun, numFunConsts, numJvpConsts }) => refEvalJaxpr(fun, [...args.slice(0, numFunConsts), ...args.slice(numFunConsts + numJvpConsts)]),
  customVjpCall: (args, { fun }) => refEvalJaxpr(fun, args),
  customLin: (_args, { name }) => {
    throw new Error(`customLin(${name}) has no forward evaluation`);
  },
  checkpoint: (args, { jaxpr }) => refEvalJaxpr(jaxpr, args),
  debugPrint: () => [],
  // Element i is the running value over the elements from the start (from the end when reversed)
  // through i, accumulated in float64 (int32 wrapping); a NaN sticks in maxima and minima.
  cumulative: ([x], { op, axis, reverse }) => {
    const n = x.shape[axis];
    const isInt = x.dtype === "int32";
    const step = (acc: number, v: number): number => {
      switch (op) {
        case "add":
          return isInt ? (acc + v) | 0 : acc + v;
        case "mul":
          return isInt ? Math.imul(acc, v) : acc * v;
        case "max":
          return maxNaN(acc, v);
        case "min":
          return minNaN(acc, v);
      }
    };
    const start = { add: 0, mul: 1, max: -Infinity, min: Infinity }[op];
    return [
      generate(x.shape, x.dtype, (idx) => {
        const at = idx.slice();
        let acc = start;
        for (let j = reverse ? n - 1 : 0; reverse ? j >= idx[axis] : j <= idx[axis]; j += reverse ? -1 : 1) {
          at[axis] = j;
          acc = step(acc, get(x, at));
        }
        return acc;
      }),
    ];
  },

  // Each element's place is the number of elements of its line that come before it: smaller
  // keys (lexicographically, NaN above every number, mirrored when descending), then equal keys
  // at smaller positions.
  sort: (xs, { dimension, numKeys, descending }) => {
    const shape = xs[0].shape;
    const n = shape[dimension];
    const before = (idx: readonly number[], p: number, q: number): boolean => {
      const at = (j: number) => {
        const k = idx.slice();
        k[dimension] = j;
        return k;
      };
      for (let k = 0; k < numKeys; k++) {
        const a = get(xs[k], at(p));
        const b = get(xs[k], at(q));
        const aNaN = Number.isNaN(a);
        const bNaN = Number.isNaN(b);
        if (aNaN !== bNaN) return descending ? aNaN : bNaN;
        if (!aNaN && a !== b) return descending ? a > b : a < b;
      }
      return p < q;
    };
    const outs = xs.map((x) => ({ shape: shape.slice(), dtype: x.dtype, data: new Array<number>(x.data.length) }));
    forEachIndex(shape, (idx) => {
      if (idx[dimension] !== 0) return;
      const places = Array.from({ length: n }, (_, p) => Array.from({ length: n }, (_, q) => q).filter((q) => q !== p && before(idx, q, p)).length);
      places.forEach((place, p) => {
        const src = idx.slice();
        src[dimension] = p;
        const dst = idx.slice();
        dst[dimension] = place;
        xs.forEach((x, k) => (outs[k].data[ravel(dst, shape)] = get(x, src)));
      });
    });
    return outs;
  },
  checkNaN: ([x]) => {
    if (x.data.some((v) => Number.isNaN(v))) throw new RangeError("checkNaN: NaN");
    return [x];
  },
};

/** floor by truncation toward zero, stepping down for negative non-integers (−0 stays −0). */
function floorByTrunc(v: number): number {
  const t = Math.trunc(v);
  return t > v ? t - 1 : t;
}

/** Windows along each dim: those that fit the padded operand whole, one every stride. */
function refWindowShape(shape: readonly number[], { window, strides, padding }: WindowParams): number[] {
  return shape.map((d, i) => {
    let n = 0;
    while (n * strides[i] + window[i] <= d + padding[i][0] + padding[i][1]) n++;
    return n;
  });
}

/** The multi-indices of the operand elements (padding excluded) in window `outIdx`, in row-major window order. */
function windowElements(x: RefArray, { window, strides, padding }: WindowParams, outIdx: readonly number[]): number[][] {
  const out: number[][] = [];
  forEachIndex(window, (w) => {
    const idx = w.map((k, i) => outIdx[i] * strides[i] + k - padding[i][0]);
    if (idx.every((v, i) => v >= 0 && v < x.shape[i])) out.push(idx);
  });
  return out;
}

/** The elements of window `outIdx` equal to its maximum (all NaNs when it holds a NaN). */
function windowMaxima(x: RefArray, params: WindowParams, outIdx: readonly number[]): number[][] {
  const elements = windowElements(x, params, outIdx);
  const vals = elements.map((idx) => get(x, idx));
  if (vals.some(Number.isNaN)) return elements.filter((_, k) => Number.isNaN(vals[k]));
  const m = Math.max(...vals);
  return elements.filter((_, k) => vals[k] === m);
}

/** Element `(b, p·sh + i − lo, q·sw + j − lo, e)` of NHWC `x`, or 0 in the padding. */
function paddedAt(x: RefArray, window: ConvWindow, b: number, p: number, q: number, i: number, j: number, e: number): number {
  const y = p * window.strides[0] + i - window.padding[0][0];
  const xx = q * window.strides[1] + j - window.padding[1][0];
  return y < 0 || y >= x.shape[1] || xx < 0 || xx >= x.shape[2] ? 0 : get(x, [b, y, xx, e]);
}

// ---- Threefry-2x32 ----

const U32 = 2 ** 32;
const u32 = (v: number): number => ((v % U32) + U32) % U32;
const rotl32 = (v: number, r: number): number => u32(v * 2 ** r) + Math.floor(v / 2 ** (32 - r));
const xor32 = (a: number, b: number): number => u32(a ^ b);

/**
 * Threefry-2x32 with 20 rounds, from the description in Salmon et al. (SC 2011) and Random123's
 * documentation, on unsigned words held as plain numbers: rounds r = 0…19 mix with rotation
 * R[r mod 8], and after every fourth round the key schedule k0, k1, k0⊕k1⊕0x1BD11BDA is injected
 * (shifted by the injection count s, which is also added to the second word).
 */
export function threefryBlock(k0In: number, k1In: number, x0In: number, x1In: number): [number, number] {
  const rotations = [13, 15, 26, 6, 17, 29, 16, 24];
  const k = [u32(k0In), u32(k1In)];
  const schedule = [k[0], k[1], xor32(xor32(k[0], k[1]), 0x1bd11bda)];
  let x0 = u32(u32(x0In) + schedule[0]);
  let x1 = u32(u32(x1In) + schedule[1]);
  for (let r = 0; r < 20; r++) {
    x0 = u32(x0 + x1);
    x1 = xor32(rotl32(x1, rotations[r % 8]), x0);
    if (r % 4 === 3) {
      const s = (r + 1) / 4;
      x0 = u32(x0 + schedule[s % 3]);
      x1 = u32(x1 + schedule[(s + 1) % 3] + s);
    }
  }
  return [x0, x1];
}

/** Interprets a jaxpr with the reference implementations (the oracle of `jitCall`). */
export function refEvalJaxpr(jaxpr: Jaxpr, args: readonly RefArray[]): RefArray[] {
  const env = new Map<Var, RefArray>();
  jaxpr.inBinders.forEach((v, i) => env.set(v, args[i]));
  const read = (x: Atom): RefArray => {
    if (x instanceof Lit) return refOf(x.val);
    const v = env.get(x);
    if (v === undefined) throw new Error("refEvalJaxpr: unbound variable");
    return v;
  };
  for (const eqn of jaxpr.eqns) {
    const impl = reference[eqn.prim] as RefImpl<PrimName>;
    const outs = impl(eqn.inputs.map(read), eqn.params);
    eqn.outBinders.forEach((v, i) => env.set(v, outs[i]));
  }
  return jaxpr.outs.map(read);
}
