/**
 * @file Harness cases of `gather`, `scatterAdd` and `scatter` (see `cases.ts`): random operands of
 * rank 0–3, indexed axes in any order, windows from empty to whole, collapsed axes, index batches
 * of rank 0–2 (duplicates likely), both modes, and indices of which about one in six is out of
 * range (so that "clip" clamps and "fill" fills or drops).
 */
import fc from "fast-check";
import { isFloat, type DType } from "../../src/dtype.js";
import type { AnyTensor } from "../../src/core/ops.js";
import type { GatherScatterMode, ScatterCombine } from "../../src/core/primitive.js";
import { gatherOf, scatterAddOf, scatterOf } from "../../src/primitives/_indexing.js";
import type { CaseDef, InputSpec, Mode, Struct } from "./cases.js";
import { Rng, drawValues, range, shapeArb, sizeOf, sprinkle, type ValueKind } from "../helpers/random-shapes.js";

type T = AnyTensor;

/** The geometry of one gather or scatter. */
interface Geometry {
  readonly operand: number[];
  readonly axes: number[];
  readonly window: number[];
  readonly collapsed: number[];
  readonly batch: number[];
  readonly mode: GatherScatterMode;
}

function geometryArb(): fc.Arbitrary<Geometry> {
  return shapeArb({ maxRank: 3 }).chain((operand) =>
    fc
      .record({
        axes: fc.shuffledSubarray(range(operand.length)),
        window: fc.tuple(...operand.map((d) => fc.oneof(fc.constant(Math.min(1, d)), fc.constant(d), fc.integer({ min: 0, max: d })))),
        collapse: fc.array(fc.boolean(), { minLength: operand.length, maxLength: operand.length }),
        batch: shapeArb({ maxRank: 2, maxDim: 3 }),
        mode: fc.constantFrom<GatherScatterMode>("clip", "fill"),
      })
      .map(({ axes, window, collapse, batch, mode }) => ({
        operand,
        axes,
        window,
        collapsed: range(operand.length).filter((a) => window[a] === 1 && collapse[a]),
        batch,
        mode,
      })),
  );
}

const kept = (g: Geometry): number[] => g.window.filter((_, a) => !g.collapsed.includes(a));

function spec(shape: readonly number[], dtype: DType, kind: ValueKind = "real"): InputSpec {
  return { shape, dtype, kind: dtype === "bool" ? "bool" : dtype === "int32" ? "int" : kind };
}

function indexSpec(g: Geometry): InputSpec {
  return { shape: [...g.batch, g.axes.length], dtype: "int32", kind: "int" };
}

/** Values of one input as the generic harness draws them (corner values in value mode). */
function drawOne(rng: Rng, s: InputSpec, mode: Mode): number[] {
  const n = sizeOf(s.shape);
  return !isFloat(s.dtype) || mode === "smooth" ? drawValues(rng, n, s.kind) : sprinkle(rng, drawValues(rng, n, "real"));
}

/** Window starts: mostly in range, one in six up to 2 outside it on either side. */
function drawStarts(rng: Rng, shape: readonly number[], axes: readonly number[], window: readonly number[], count: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < count; b++) {
    for (const a of axes) {
      const limit = shape[a] - window[a];
      out.push(rng.next() < 1 / 6 ? rng.pick([-2, -1, limit + 1, limit + 2]) : rng.int(0, limit));
    }
  }
  return out;
}

/** The geometry a struct was made from (its params and input shapes). */
function geometryOf(s: Struct<"gather" | "scatterAdd" | "scatter">): { operand: readonly number[]; window: number[]; count: number } {
  const operand = s.inputs[0].shape;
  const idx = s.inputs[1].shape;
  const nb = idx.length - 1;
  const count = sizeOf(idx.slice(0, nb));
  if ("sliceSizes" in s.params) return { operand, window: s.params.sliceSizes.slice(), count };
  const u = s.inputs[2].shape;
  let j = nb;
  return { operand, window: operand.map((_, a) => (s.params.collapsed.includes(a) ? 1 : u[j++])), count };
}

function drawIndexed(rng: Rng, s: Struct<"gather" | "scatterAdd" | "scatter">, mode: Mode, distinct: boolean): number[][] {
  const { operand, window, count } = geometryOf(s);
  const starts = drawStarts(rng, operand, s.params.axes, window, count);
  if (!distinct || mode === "value") return s.inputs.map((spec, i) => (i === 1 ? starts : drawOne(rng, spec, mode)));
  // min/max in smooth mode: operand and updates together have no ties, so no winner changes under
  // a finite-difference step.
  const [x, , u] = s.inputs;
  const all = drawValues(rng, sizeOf(x.shape) + sizeOf(u.shape), "distinct");
  return [all.slice(0, sizeOf(x.shape)), starts, all.slice(sizeOf(x.shape))];
}

function fillFor(dtype: DType, choice: number): number {
  if (dtype === "bool") return choice === 0 ? 0 : 1;
  if (dtype === "int32") return Number.isInteger(choice) ? choice : -7;
  return choice;
}

/** The `gather` case. */
export const gatherCase: CaseDef<"gather"> = {
  prim: "gather",
  dtypes: ["float64", "float32", "int32", "bool"],
  // A NaN fill in smooth mode would make finite differences NaN where the tangent is 0.
  struct: (dtype, mode) =>
    fc.tuple(geometryArb(), fc.constantFrom(0, 1, -2.5, mode === "value" ? NaN : 3)).map(([g, fill]) => ({
      inputs: [spec(g.operand, dtype), indexSpec(g)],
      params: { axes: g.axes, collapsed: g.collapsed, sliceSizes: g.window, mode: g.mode, fillValue: fillFor(dtype, fill) },
    })),
  draw: (rng, s, mode) => drawIndexed(rng, s, mode, false),
  apply: ([x, i], params) => [gatherOf(x, i, params)],
};

/** The `scatterAdd` case. */
export const scatterAddCase: CaseDef<"scatterAdd"> = {
  prim: "scatterAdd",
  dtypes: ["float64", "float32", "int32"],
  f32Tol: { rtol: 1e-5, atol: 1e-6 },
  struct: (dtype) =>
    geometryArb().map((g) => ({
      inputs: [spec(g.operand, dtype), indexSpec(g), spec([...g.batch, ...kept(g)], dtype)],
      params: { axes: g.axes, collapsed: g.collapsed, mode: g.mode },
    })),
  draw: (rng, s, mode) => drawIndexed(rng, s, mode, false),
  apply: ([x, i, u], params) => [scatterAddOf(x, i, u, params)],
};

/** The `scatter` case: every combination (only `set` for bool). */
export const scatterCase: CaseDef<"scatter"> = {
  prim: "scatter",
  dtypes: ["float64", "float32", "int32", "bool"],
  f32Tol: { rtol: 1e-5, atol: 1e-6 },
  struct: (dtype) =>
    fc.tuple(geometryArb(), fc.constantFrom<ScatterCombine>(...(dtype === "bool" ? (["set"] as const) : (["set", "mul", "min", "max"] as const)))).map(([g, combine]) => ({
      inputs: [spec(g.operand, dtype), indexSpec(g), spec([...g.batch, ...kept(g)], dtype)],
      params: { axes: g.axes, collapsed: g.collapsed, mode: g.mode, combine },
    })),
  draw: (rng, s, mode) => drawIndexed(rng, s, mode, s.params.combine === "min" || s.params.combine === "max"),
  apply: ([x, i, u], { combine, ...dims }): T[] => [scatterOf(x, i, u, dims, combine)],
};
