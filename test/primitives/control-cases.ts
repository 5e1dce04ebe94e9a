/**
 * @file Harness cases of the control-flow primitives (`scan`, `cond`, `whileLoop`): small bodies
 * staged on random shapes, lengths, directions and branch indices, in the style of `jitCall`'s.
 */
import fc from "fast-check";
import { ShapedArray } from "../../src/core/aval.js";
import { ConcreteTensor } from "../../src/core/concrete.js";
import { makeJaxprFlat } from "../../src/core/make-jaxpr.js";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import type { DType } from "../../src/dtype.js";
import { dimArb, drawValues, range, shapeArb, type Rng, type ValueKind } from "../helpers/random-shapes.js";
import type { InputSpec, Mode, Struct } from "./cases.js";

type T = AnyTensor;

const spec = (shape: readonly number[], dtype: DType, kind: ValueKind = "real"): InputSpec => ({ shape, dtype, kind });
const scalarOf = (x: T, v: number) => ops.broadcastInDim(ConcreteTensor.full([], v, x.dtype), x.shape, []);

// ---- scan ----

/** A scan body on random shapes: consts, carry and per-step x shapes, and the body itself. */
interface ScanBody {
  readonly name: string;
  readonly shapes: fc.Arbitrary<{ consts: number[][]; carry: number[][]; xs: number[][] }>;
  readonly body: (consts: T[], carry: T[], xs: T[]) => [T[], T[]];
}

const SCAN_BODIES: readonly ScanBody[] = [
  {
    // h ← tanh(W·h + x), y = h: an RNN cell.
    name: "rnn",
    shapes: dimArb(1, 3).map((n) => ({ consts: [[n, n]], carry: [[n]], xs: [[n]] })),
    body: ([w], [h], [x]) => {
      const hNew = ops.tanh(ops.add(ops.dotGeneral(w, h, { contract: [[1], [0]], batch: [[], []] }), x));
      return [[hNew], [hNew]];
    },
  },
  {
    // Two carries that mix, two ys, no consts.
    name: "twoCarries",
    shapes: shapeArb({ maxRank: 2 }).map((s) => ({ consts: [], carry: [s, s], xs: [s] })),
    body: (_c, [a, b], [x]) => {
      const a2 = ops.add(ops.mul(a, ops.cos(x)), b);
      const b2 = ops.sub(b, ops.mul(ops.sin(a), scalarOf(a, 0.5)));
      return [[a2, b2], [ops.mul(a2, b), ops.exp(ops.mul(x, scalarOf(x, 0.25)))]];
    },
  },
  {
    // No xs: a fixed-length recurrence on a const.
    name: "noXs",
    shapes: shapeArb({ maxRank: 2 }).map((s) => ({ consts: [s], carry: [s], xs: [] })),
    body: ([k], [c]) => [[ops.add(ops.mul(c, scalarOf(c, 0.9)), ops.sin(k))], []],
  },
  {
    // A carry the body passes through unchanged, and a y that reads only x and a const.
    name: "passThrough",
    shapes: shapeArb({ maxRank: 2 }).map((s) => ({ consts: [s], carry: [s, s], xs: [s] })),
    body: ([k], [a, b], [x]) => [[a, ops.add(b, ops.mul(a, x))], [ops.mul(x, k)]],
  },
];

export function scanStructArb(dtype: DType): fc.Arbitrary<Struct<"scan">> {
  return fc
    .record({
      b: fc.integer({ min: 0, max: SCAN_BODIES.length - 1 }),
      length: fc.constantFrom(0, 1, 2, 3, 4),
      reverse: fc.boolean(),
    })
    .chain(({ b, length, reverse }) => SCAN_BODIES[b].shapes.map((shapes) => ({ body: SCAN_BODIES[b], shapes, length, reverse })))
    .map(({ body, shapes, length, reverse }) => {
      const nc = shapes.consts.length;
      const nk = shapes.carry.length;
      const avals = [...shapes.consts, ...shapes.carry, ...shapes.xs].map((s) => new ShapedArray(s, dtype));
      const closed = makeJaxprFlat((...a: T[]) => {
        const [carry, ys] = body.body(a.slice(0, nc), a.slice(nc, nc + nk), a.slice(nc + nk));
        return [...carry, ...ys];
      }, avals);
      const captured = closed.consts.map((c) => spec(c.shape, c.dtype));
      return {
        inputs: [...captured, ...shapes.consts.map((s) => spec(s, dtype)), ...shapes.carry.map((s) => spec(s, dtype)), ...shapes.xs.map((s) => spec([length, ...s], dtype))],
        params: { jaxpr: closed.jaxpr, numConsts: captured.length + nc, numCarry: nk, length, reverse, name: body.name },
      };
    });
}

// ---- cond ----

/** Branch programs over the same operands `(x, y)` of one shape. */
const BRANCHES: readonly ((x: T, y: T) => T[])[] = [
  (x, y) => [ops.mul(x, y), ops.sin(x)],
  (x, y) => [ops.add(ops.exp(ops.mul(x, scalarOf(x, 0.5))), y), ops.cos(y)],
  (x) => [ops.tanh(x), x],
  (x, y) => [y, ops.mul(x, x)],
];

export function condStructArb(dtype: DType): fc.Arbitrary<Struct<"cond">> {
  return fc
    .record({ shape: shapeArb({ maxRank: 2 }), picks: fc.array(fc.integer({ min: 0, max: BRANCHES.length - 1 }), { minLength: 1, maxLength: 3 }) })
    .map(({ shape, picks }) => {
      const avals = [new ShapedArray(shape, dtype), new ShapedArray(shape, dtype)];
      const branches = picks.map((p) => {
        const closed = makeJaxprFlat((x: T, y: T) => BRANCHES[p](x, y), avals);
        if (closed.consts.length > 0) throw new Error("cond case: a branch captured a constant");
        return closed.jaxpr;
      });
      return { inputs: [spec([], "int32", "int"), spec(shape, dtype), spec(shape, dtype)], params: { branches, name: "cond" } };
    });
}

/** Values of a cond case: an index from one below the first branch to one past the last (clamped). */
export function drawCond(rng: Rng, s: Struct<"cond">, mode: Mode, drawInput: (rng: Rng, spec: InputSpec, mode: Mode) => number[]): number[][] {
  const [, ...rest] = s.inputs;
  return [[rng.int(-1, s.params.branches.length)], ...rest.map((i) => drawInput(rng, i, mode))];
}

// ---- whileLoop ----

/**
 * `[i, x] ← [i + 1, x·w + sin x]` while `i < limit`: an int32 counter (drawn in [−1, 2], so loops of
 * zero to four steps, different per example under vmap) beside a float carry; `w` a body const.
 */
export function whileStructArb(dtype: DType): fc.Arbitrary<Struct<"whileLoop">> {
  return fc.record({ shape: shapeArb({ maxRank: 2 }), limit: fc.integer({ min: 0, max: 2 }) }).map(({ shape, limit }) => {
    const counter = new ShapedArray([], "int32");
    const x = new ShapedArray(shape, dtype);
    const cond = makeJaxprFlat((i: T) => [ops.compare(i, ConcreteTensor.full([], limit, "int32"), "lt")], [counter, x]);
    const body = makeJaxprFlat(
      (w: T, i: T, xv: T) => [ops.add(i, ConcreteTensor.full([], 1, "int32")), ops.add(ops.mul(xv, w), ops.sin(xv))],
      [x, counter, x],
    );
    return {
      inputs: [spec(shape, dtype), spec([], "int32", "int"), spec(shape, dtype)],
      params: { cond: cond.jaxpr, body: body.jaxpr, condConsts: 0, bodyConsts: 1, name: `count${limit}` },
    };
  });
}

export function drawWhile(rng: Rng, s: Struct<"whileLoop">, mode: Mode, drawInput: (rng: Rng, spec: InputSpec, mode: Mode) => number[]): number[][] {
  const [w, , x] = s.inputs;
  // w in (0.2, 0.8): the carry stays bounded over a few steps.
  return [drawValues(rng, range(w.shape.reduce((a, b) => a * b, 1)).length, "positive").map((v) => 0.2 + v / 5), [rng.int(-1, 2)], drawInput(rng, x, mode)];
}
