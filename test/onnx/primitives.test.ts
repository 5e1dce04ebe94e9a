/**
 * @file Every primitive with an export rule, exported alone and run in ONNX Runtime, against
 * typegrad's eager result on the same inputs: the primitive harness's own cases (random shapes
 * and params, values with ties, ±0, NaN and ±∞ sprinkled in) in every dtype it takes but float64
 * (ONNX Runtime's CPU build has no float64 `Erf` or `Conv`; the export itself is dtype-blind).
 */
import fc from "fast-check";
import { describe, test } from "vitest";
import "../../src/index.js";
import { exportModel } from "../../src/onnx/index.js";
import { exportRules } from "../../src/onnx/rules/index.js";
import type { PrimName } from "../../src/core/primitive.js";
import { argsOf, caseArb, cases, type CaseDef } from "../primitives/cases.js";
import { expectClose, F32, load, toOrt } from "./ort.js";

const RUNS = 6;

describe("each primitive: ONNX Runtime vs typegrad", () => {
  for (const prim of Object.keys(cases) as PrimName[]) {
    if (exportRules[prim] === undefined) continue;
    const def = cases[prim] as CaseDef<PrimName>;
    for (const dtype of def.dtypes.filter((d) => d !== "float64")) {
      test(`${prim}, ${dtype}`, async () => {
        for (const c of fc.sample(caseArb(def, dtype, "value"), { seed: 11, numRuns: RUNS })) {
          const args = argsOf(c.struct, c.values);
          const want = def.apply(args, c.struct.params);
          const bytes = exportModel((...xs: never[]) => def.apply(xs, c.struct.params), args as never);
          const model = await load(bytes);
          const got = await model.run(Object.fromEntries(args.map((x, i) => [`arg${i}`, toOrt(x as never)])));
          want.forEach((w, i) => expectClose(got[`output.${i}`], w as never, dtype === "float32" ? (def.f32Tol ?? F32) : F32, String(c)));
        }
      });
    }
  }
});
