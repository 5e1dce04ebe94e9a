/**
 * @file Reproducible random inputs for property tests: fast-check arbitraries for shapes (rank
 * 0–4, dims 0–5, with size-0 and size-1 dims drawn often), axis subsets and permutations, and
 * float64 element values drawn from a seeded generator (one fast-check integer per tensor, so
 * large tensors stay cheap and every failure is replayable from fast-check's seed and path).
 */
import fc from "fast-check";
import type { DotDims } from "../../src/core/primitive.js";

/** The seed of every property test in the suite: runs are identical from one invocation to the next. */
export const SEED = 20_250_607;

/** fast-check parameters: fixed seed, `numRuns` cases. */
export function runs(numRuns: number): fc.Parameters<unknown> {
  return { seed: SEED, numRuns };
}

// ---- shapes ----

/** Options of `shapeArb`. */
export interface ShapeOptions {
  readonly minRank?: number;
  readonly maxRank?: number;
  readonly minDim?: number;
  readonly maxDim?: number;
}

/**
 * One dim in `[min, max]`. The corners come up often but not so often that most rank-4 shapes are
 * empty: 0 about one time in thirteen, 1 about one time in four.
 */
export function dimArb(min = 0, max = 5): fc.Arbitrary<number> {
  const weighted: fc.WeightedArbitrary<number>[] = [];
  if (min <= 0 && max >= 0) weighted.push({ arbitrary: fc.constant(0), weight: 1 });
  if (min <= 1 && max >= 1) weighted.push({ arbitrary: fc.constant(1), weight: 2 });
  if (Math.max(min, 1) <= max) weighted.push({ arbitrary: fc.integer({ min: Math.max(min, 1), max }), weight: 10 });
  return fc.oneof(...weighted);
}

/** A shape of rank `minRank..maxRank` with dims in `minDim..maxDim` (defaults: rank 0–4, dims 0–5). */
export function shapeArb(opts: ShapeOptions = {}): fc.Arbitrary<number[]> {
  const { minRank = 0, maxRank = 4, minDim = 0, maxDim = 5 } = opts;
  return fc.integer({ min: minRank, max: maxRank }).chain((rank) => fc.array(dimArb(minDim, maxDim), { minLength: rank, maxLength: rank }));
}

/** A shape of exactly `rank` dims. */
export function shapeOfRank(rank: number, minDim = 0, maxDim = 5): fc.Arbitrary<number[]> {
  return fc.array(dimArb(minDim, maxDim), { minLength: rank, maxLength: rank });
}

/** The numbers 0..n−1. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** A permutation of 0..n−1. */
export function permutationArb(n: number): fc.Arbitrary<number[]> {
  return fc.shuffledSubarray(range(n), { minLength: n, maxLength: n });
}

/** A subset of 0..n−1, sorted ascending (as reductions take their axes). */
export function axesSubsetArb(n: number, minLength = 0): fc.Arbitrary<number[]> {
  return fc.subarray(range(n), { minLength: Math.min(minLength, n) });
}

/** The number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

// ---- params of movement primitives ----

/** Per-axis [start, limit, stride] of a valid slice of `shape`. */
export function sliceParamsArb(shape: readonly number[]): fc.Arbitrary<{ start: number[]; limit: number[]; strides: number[] }> {
  const axis = (d: number) =>
    fc.integer({ min: 0, max: d }).chain((start) => fc.tuple(fc.constant(start), fc.integer({ min: start, max: d }), fc.integer({ min: 1, max: 3 })));
  return fc.tuple(...shape.map(axis)).map((triples) => ({
    start: triples.map((t) => t[0]),
    limit: triples.map((t) => t[1]),
    strides: triples.map((t) => t[2]),
  }));
}

/** A pad config for `shape` with negative (cropping) low/high and interior padding; never a negative size. */
export function padConfigArb(shape: readonly number[]): fc.Arbitrary<[number, number, number][]> {
  const axis = (d: number) =>
    fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 2 })).map(([lo, hi, interior]) => {
      const out = lo + hi + d + Math.max(0, d - 1) * interior;
      return (out < 0 ? [Math.max(lo, 0), Math.max(hi, 0), interior] : [lo, hi, interior]) as [number, number, number];
    });
  return fc.tuple(...shape.map(axis));
}

/** Groups `atoms` (a shape) into consecutive products and inserts 1s, keeping rank ≤ 4: a shape of the same size. */
export function regroupArb(atoms: readonly number[]): fc.Arbitrary<number[]> {
  return fc
    .tuple(fc.array(fc.boolean(), { minLength: Math.max(0, atoms.length - 1), maxLength: Math.max(0, atoms.length - 1) }), fc.array(fc.nat(), { maxLength: 2 }))
    .map(([merges, ones]) => {
      const out: number[] = [];
      atoms.forEach((d, i) => {
        if (i > 0 && merges[i - 1]) out[out.length - 1] *= d;
        else out.push(d);
      });
      for (const p of ones) if (out.length < 4) out.splice(p % (out.length + 1), 0, 1);
      return out;
    });
}

/**
 * Operand shapes and dimension numbers for dotGeneral: random batch and contracted axes placed at
 * random positions in each operand (so contracted pairs come in any order), and free axes on both
 * sides; ranks ≤ 4.
 */
export function dotShapesArb(): fc.Arbitrary<{ x: number[]; y: number[]; dims: DotDims }> {
  return fc
    .record({ nb: fc.integer({ min: 0, max: 2 }), nc: fc.integer({ min: 0, max: 2 }) })
    .chain(({ nb, nc }) =>
      fc.record({
        nb: fc.constant(nb),
        nc: fc.constant(nc),
        batchDims: shapeOfRank(nb),
        contractDims: shapeOfRank(nc),
        xFree: fc.integer({ min: 0, max: 4 - nb - nc }).chain((k) => shapeOfRank(k)),
        yFree: fc.integer({ min: 0, max: 4 - nb - nc }).chain((k) => shapeOfRank(k)),
      }),
    )
    .chain((r) =>
      fc.record({
        r: fc.constant(r),
        xPerm: permutationArb(r.nb + r.nc + r.xFree.length),
        yPerm: permutationArb(r.nb + r.nc + r.yFree.length),
      }),
    )
    .map(({ r, xPerm, yPerm }) => {
      // Logical axis j (batch first, then contracted, then free) sits at position perm[j].
      const place = (perm: number[], free: number[]) => {
        const logical = [...r.batchDims, ...r.contractDims, ...free];
        const shape = new Array<number>(logical.length);
        logical.forEach((d, j) => (shape[perm[j]] = d));
        return { shape, batch: range(r.nb).map((k) => perm[k]), contract: range(r.nc).map((k) => perm[r.nb + k]) };
      };
      const x = place(xPerm, r.xFree);
      const y = place(yPerm, r.yFree);
      return { x: x.shape, y: y.shape, dims: { contract: [x.contract, y.contract], batch: [x.batch, y.batch] } };
    });
}

// ---- values ----

/** A small seeded generator (mulberry32): floats in [0, 1), reproducible from its seed. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer uniform in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** −1 or 1. */
  sign(): number {
    return this.next() < 0.5 ? -1 : 1;
  }

  /** One of `xs`. */
  pick<X>(xs: readonly X[]): X {
    return xs[Math.floor(this.next() * xs.length)];
  }
}

/** `length` float32 values uniform in [−1, 1) from an `Rng` seeded with `seed`. */
export function uniformFloat32(length: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length }, () => rng.uniform(-1, 1));
}

/** A seed for `Rng`, without fast-check's bias toward small numbers. */
export const seedArb: fc.Arbitrary<number> = fc.noBias(fc.integer({ min: 0, max: 0x7fffffff }));

/**
 * How the elements of one tensor are drawn:
 * - `real`: uniform in [−3, 3]
 * - `positive`: uniform in [0.2, 3]
 * - `nonzero`: magnitude in [0.3, 3], either sign
 * - `awayFromInt`: in [−3, 3] with a fractional part in [0.1, 0.9] (casts to int are then smooth)
 * - `int`: integers in [−9, 9]; `intNonzero`: the same without 0
 * - `bool`: 0 or 1
 * - `distinct`: distinct values at least 0.05 apart, in random order (no ties for max/argmax)
 * - `bits`: any int32 bit pattern; `shift`: shift amounts in [−3, 35] (some out of range)
 */
export type ValueKind = "real" | "positive" | "nonzero" | "awayFromInt" | "int" | "intNonzero" | "bool" | "distinct" | "bits" | "shift";

/** `n` values of `kind` from `rng`. */
export function drawValues(rng: Rng, n: number, kind: ValueKind): number[] {
  const out = new Array<number>(n);
  if (kind === "distinct") {
    const keys = range(n).map(() => rng.next());
    const order = range(n).sort((a, b) => keys[a] - keys[b]);
    const base = rng.uniform(-2, 0);
    order.forEach((pos, rank) => (out[pos] = base + rank * (0.05 + 0.05 * rng.next()) + rank * 1e-3));
    return out;
  }
  for (let i = 0; i < n; i++) {
    switch (kind) {
      case "real":
        out[i] = rng.uniform(-3, 3);
        break;
      case "positive":
        out[i] = rng.uniform(0.2, 3);
        break;
      case "nonzero":
        out[i] = rng.sign() * rng.uniform(0.3, 3);
        break;
      case "awayFromInt":
        out[i] = rng.int(-3, 2) + rng.uniform(0.1, 0.9);
        break;
      case "int":
        out[i] = rng.int(-9, 9);
        break;
      case "intNonzero":
        out[i] = rng.sign() * rng.int(1, 9);
        break;
      case "bool":
        out[i] = rng.next() < 0.5 ? 1 : 0;
        break;
      case "bits":
        out[i] = (rng.next() * 4294967296) | 0;
        break;
      case "shift":
        out[i] = rng.int(-3, 35);
        break;
    }
  }
  return out;
}

/** Special float values that value tests sprinkle in: zeros of both signs, NaN and infinities. */
export const SPECIALS: readonly number[] = [0, -0, NaN, Infinity, -Infinity];

/**
 * Adds corner values to float data for value-only tests. Per call, the rate is one of 0, 10% and
 * 30%; each chosen element becomes a special (±0, NaN, ±∞), a repeat of an earlier element
 * (a tie) or a small integer, in equal parts.
 */
export function sprinkle(rng: Rng, values: number[]): number[] {
  const p = rng.pick([0, 0.1, 0.3]) / 3;
  return values.map((v, i) => {
    const u = rng.next();
    if (u < p) return rng.pick(SPECIALS);
    if (u < 2 * p && i > 0) return values[rng.int(0, i - 1)];
    if (u < 3 * p) return rng.int(-2, 2);
    return v;
  });
}

/** An arbitrary of `n` values of `kind` (one seed per draw). */
export function valuesArb(n: number, kind: ValueKind = "real"): fc.Arbitrary<number[]> {
  return seedArb.map((seed) => drawValues(new Rng(seed), n, kind));
}

/** An arbitrary of a shape with float64 values for it, as `[shape, values]`. */
export function shapedValuesArb(opts: ShapeOptions = {}, kind: ValueKind = "real"): fc.Arbitrary<[number[], number[]]> {
  return shapeArb(opts).chain((shape) => valuesArb(sizeOf(shape), kind).map((v): [number[], number[]] => [shape, v]));
}
