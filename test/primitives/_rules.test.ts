/**
 * @file The rule factories of `src/primitives/_rules.ts`: the primitives built on the bilinear
 * factories pass the generic harness's derivative checks, and a bilinear transpose asked to
 * transpose with no linear operand, or two, throws a `TraceError`.
 */
import { describe, expect, test } from "vitest";
import { ShapedArray } from "../../src/core/aval.js";
import { UndefPrimal, type PrimName } from "../../src/core/primitive.js";
import { primitives } from "../../src/core/registry.js";
import { TraceError } from "../../src/core/tensor.js";
import { defOf, runCheck, type CheckName } from "../helpers/harness.js";
import { tensor } from "../helpers/tensors.js";

/** The primitives whose `jvp` is `bilinearJvp(…)` and whose `transpose` is `bilinearTranspose(…)`. */
const BILINEAR: readonly PrimName[] = ["mul", "dotGeneral", "conv2d", "conv2dBackpropInput", "conv2dBackpropFilter"];

/** The harness checks that exercise the JVP and transpose rules (all.test.ts runs them with more cases). */
const DERIVATIVE_CHECKS: readonly CheckName[] = ["jvp", "vjp", "grad", "jvp2", "vmapVjp"];

describe("bilinear factories", () => {
  for (const prim of BILINEAR) {
    describe(prim, () => {
      test("has a case in the generic harness (test/primitives/all.test.ts)", () => {
        expect(defOf(prim)).toBeDefined();
      });

      for (const check of DERIVATIVE_CHECKS) {
        test(`passes the harness's ${check} check`, () => runCheck(defOf(prim)!, check, { numRuns: 10 }));
      }

      test("transposing with both operands linear, or neither, is a TraceError", () => {
        const transpose = primitives[prim].transpose!;
        const ct = tensor([1], [1]);
        const linear = new UndefPrimal(new ShapedArray([1], "float64"));
        const message = `${prim}: transpose needs exactly one linear operand`;
        expect(() => transpose([ct], [linear, linear], {} as never)).toThrow(TraceError);
        expect(() => transpose([ct], [ct, ct], {} as never)).toThrow(TraceError);
        expect(() => transpose([ct], [ct, ct], {} as never)).toThrow(message);
      });
    });
  }
});
