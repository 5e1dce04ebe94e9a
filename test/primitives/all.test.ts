/**
 * @file The generic primitive harness (STYLE.md item 8, DESIGN.md §7). For every primitive in the
 * registry, on random shapes, params and values (fast-check, fixed seed; the checks themselves are
 * in `test/helpers/harness.ts`, the generators in `cases.ts`):
 *   (a) eager values against the float64 reference: in float64, float32, and int32/bool where the
 *       primitive accepts them;
 *   (b) `jvpFlat` against central finite differences;
 *   (c) `vjpFlat` against `jvpFlat` by the dot-product test;
 *   (d) `vmapFlat` (random in axes incl. null and non-zero, random out axes) against a loop;
 *   (e) `jit` against eager, on a first and a cached second call;
 *   (f) `grad` against finite differences, every primitive of the linearized jaxpr transposable;
 *   (g) second order: the JVP of the JVP against finite differences;
 *   (h) the pullback vmapped over a batch of cotangents (as jacrev does) against a loop;
 *   (i) float32 values under `jit` against the float64 reference, on every backend (the jit plan
 *       lowers to WebAssembly SIMD kernels on `wasm`, to JS kernels on `js`).
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { PrimName } from "../../src/core/primitive.js";
import { primitiveNames, primitives } from "../../src/core/registry.js";
import { linearizeFlat } from "../../src/transforms/vjp.js";
import { defOf, flatFn, primsIn, runCheck, type CheckName } from "../helpers/harness.js";
import { reference } from "../helpers/reference.js";
import { argsOf, caseArb, cases } from "./cases.js";
import { wasmAvailable } from "../../src/backend/wasm/probe.js";

/** Cases per primitive and check (at least 20 are asked for; the file takes about 8 s of CPU). */
const NUM_RUNS = 40;

/** Backends the staged values are checked on: WebAssembly where the engine has it, and JS. */
const BACKENDS = [...(wasmAvailable() ? (["wasm"] as const) : []), "js"] as const;

test("every registered primitive has a case and a reference, and no other primitive does", () => {
  const sorted = (xs: readonly string[]) => [...xs].sort();
  expect(sorted(Object.keys(cases))).toEqual(sorted(primitiveNames));
  expect(sorted(Object.keys(reference))).toEqual(sorted(primitiveNames));
});

const CHECKS: readonly [string, CheckName][] = [
  ["(b) jvp vs central finite differences", "jvp"],
  ["(c) vjp vs jvp (dot-product test)", "vjp"],
  ["(d) vmap vs a loop over slices", "vmap"],
  ["(e) jit vs eager", "jit"],
  ["(f) grad vs finite differences; the linearized jaxpr transposes", "grad"],
  ["(g) jvp of jvp vs finite differences", "jvp2"],
  ["(h) vmap of vjp (batched cotangents) vs a loop", "vmapVjp"],
];

for (const prim of primitiveNames) {
  describe(prim, () => {
    const def = defOf(prim);
    if (def === undefined) {
      test("has a case in cases.ts", () => {
        throw new Error(`no case for primitive ${prim} in test/primitives/cases.ts`);
      });
      return;
    }
    // A check the primitive refuses by design must fail with its documented error.
    const run = (check: CheckName, opts: Parameters<typeof runCheck>[2]) => {
      const refusal = def.unsupported?.[check];
      if (refusal === undefined) runCheck(def, check, opts);
      else expect(causes(() => runCheck(def, check, { ...opts, numRuns: 3 }))).toMatch(refusal);
    };
    for (const dtype of def.dtypes) {
      test(`(a) values vs reference, ${dtype}`, () => run("values", { numRuns: NUM_RUNS, dtype }));
    }
    for (const [title, check] of CHECKS) {
      test(title, () => run(check, { numRuns: NUM_RUNS }));
    }
    if (def.dtypes.includes("float32")) {
      for (const backend of BACKENDS) {
        test(`(i) values under jit, float32, ${backend} backend`, () =>
          run("jitValues", { numRuns: NUM_RUNS / 2, dtype: "float32", backend }));
      }
    }
  });
}

/** The messages of the error `f` throws and of its causes, one a line (fast-check wraps the original). */
function causes(f: () => void): string {
  try {
    f();
  } catch (e) {
    const messages: string[] = [];
    for (let err: unknown = e; err instanceof Error; err = err.cause) messages.push(err.message);
    return messages.join("\n");
  }
  return "(nothing thrown)";
}

test("every transpose rule is exercised: each appears in some primitive's linearized jaxpr", () => {
  const linear = new Set<PrimName>();
  for (const prim of primitiveNames) {
    const def = defOf(prim);
    // A forward-only primitive's linearization keeps it whole (its transpose rule only refuses).
    if (def === undefined || def.forwardOnly) continue;
    for (const c of fc.sample(caseArb(def, def.dtypes[0], "smooth"), { seed: 7, numRuns: 20 })) {
      try {
        primsIn(linearizeFlat(flatFn(def, c.struct.params), argsOf(c.struct, c.values)).jaxpr, linear);
      } catch {
        // A case that cannot be linearized fails its own (c) and (f) tests; here it adds nothing.
      }
    }
  }
  const untransposable = [...linear].filter((p) => primitives[p].transpose === undefined);
  expect(untransposable, "primitives used linearly without a transpose rule").toEqual([]);
  const unexercised = primitiveNames.filter((p) => primitives[p].transpose !== undefined && !linear.has(p) && !defOf(p)?.forwardOnly);
  expect(unexercised, "transpose rules that no linearization exercises").toEqual([]);
});
