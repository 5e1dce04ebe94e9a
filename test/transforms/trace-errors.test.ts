/**
 * @file The transforms' internal checks throw the library's `TraceError`, not a bare `Error`:
 * transposing a non-linear equation, a partial-evaluation output with no recipe or from another
 * function, and a linearization whose primal output depends on the tangents.
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import { ShapedArray } from "../../src/core/aval.js";
import { makeJaxprFlat } from "../../src/core/make-jaxpr.js";
import * as ops from "../../src/core/ops.js";
import { UndefPrimal } from "../../src/core/primitive.js";
import { primitives } from "../../src/core/registry.js";
import { TraceError } from "../../src/core/tensor.js";
import { PartialEvalTracer, PartialVal, partialEvalFlat } from "../../src/transforms/partial-eval.js";
import { backwardPass } from "../../src/transforms/transpose.js";
import { linearizeFlat } from "../../src/transforms/vjp.js";
import { tensor } from "../helpers/tensors.js";

const aval = new ShapedArray([2], "float64");

afterEach(() => {
  vi.restoreAllMocks();
});

describe("transpose", () => {
  test("a non-linear equation in a linear jaxpr is a TraceError", () => {
    const { jaxpr } = makeJaxprFlat((x) => [ops.exp(x)], [aval]);
    const run = () => backwardPass(jaxpr, [new UndefPrimal(aval)], [tensor([1, 1], [2])]);
    expect(run).toThrow(TraceError);
    expect(run).toThrow("transpose: exp is not linear, but appears in a linear jaxpr");
  });
});

describe("partial eval", () => {
  test("an unknown output with no recipe is a TraceError", () => {
    const run = () =>
      partialEvalFlat(
        (x) => [new PartialEvalTracer((x as PartialEvalTracer).trace, PartialVal.unknown(aval), null)],
        [PartialVal.unknown(aval)],
      );
    expect(run).toThrow(TraceError);
    expect(run).toThrow("partial eval: known tracer reached the staged jaxpr");
  });

  test("an unknown input that is not an input of the function is a TraceError", () => {
    const run = () => partialEvalFlat((x) => [(x as PartialEvalTracer).trace.newArg(PartialVal.unknown(aval))], [PartialVal.unknown(aval)]);
    expect(run).toThrow(TraceError);
    expect(run).toThrow("partial eval: tracer is not an input of this function");
  });
});

describe("linearize", () => {
  test("a primal output that depends on the tangents (a broken JVP rule) is a TraceError", () => {
    // A JVP rule that computes its primal output from the tangent, which no correct rule does.
    vi.spyOn(primitives.exp, "jvp").mockImplementation((_primals, [xDot]) => [[ops.neg(xDot)], [xDot]]);
    const run = () => linearizeFlat((x) => [ops.exp(x)], [tensor([1, 2], [2])]);
    expect(run).toThrow(TraceError);
    expect(run).toThrow("linearize: a primal output depends on the tangents");
  });
});
