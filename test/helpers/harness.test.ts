/**
 * @file Tests of the tests: each check of the primitive harness must catch a rule broken on
 * purpose (and a correct rule must pass, which `all.test.ts` shows). Rules are patched in the
 * registry for the duration of one test and restored afterwards; test files run in isolated
 * module graphs, so no other file sees a patch.
 */
import { describe, expect, test } from "vitest";
import { evalJaxpr } from "../../src/core/jaxpr.js";
import * as ops from "../../src/core/ops.js";
import type { PrimName, PrimitiveDef } from "../../src/core/primitive.js";
import { primitives } from "../../src/core/registry.js";
import { cases } from "../primitives/cases.js";
import { runCheck, type AnyDef, type CheckName } from "./harness.js";

const RUNS = 40;

/** Runs `body` with some fields of `prim`'s definition replaced. */
function patched<P extends PrimName>(prim: P, patch: Partial<PrimitiveDef<P>>, body: () => void): void {
  const def = primitives[prim] as unknown as Record<string, unknown>;
  const saved = new Map(Object.keys(patch).map((k) => [k, def[k]]));
  Object.assign(def, patch);
  try {
    body();
  } finally {
    for (const [k, v] of saved) def[k] = v;
  }
}

function expectCaught(prim: PrimName, check: CheckName): void {
  expect(() => runCheck(cases[prim] as AnyDef, check, { numRuns: RUNS })).toThrow(/Property failed/);
}

describe("each check catches a broken rule", () => {
  test("values: a slice kernel that ignores strides", () => {
    patched("slice", { impl: ([x], { start, limit }) => primitivesImplSlice(x, start, limit) }, () => expectCaught("slice", "values"));
  });

  test("jvp: cos with the sign of its derivative flipped", () => {
    patched("cos", { jvp: ([x], [xDot]) => [[ops.cos(x)], [ops.mul(ops.sin(x), xDot)]] }, () => expectCaught("cos", "jvp"));
  });

  test("vjp: a transpose rule that applies the permutation instead of its inverse", () => {
    patched("transpose", { transpose: ([ct], _args, { perm }) => [ops.transpose(ct, perm)] }, () => expectCaught("transpose", "vjp"));
  });

  test("vjp: neg transposing to the identity", () => {
    patched("neg", { transpose: ([ct]) => [ct] }, () => expectCaught("neg", "vjp"));
  });

  test("vmap: a reduction batching rule that forgets to shift its axes", () => {
    patched(
      "reduceSum",
      { vmap: ([x], [dim], { axes }) => [[ops.reduceSum(x, axes)], [dim]] },
      () => expectCaught("reduceSum", "vmap"),
    );
  });

  test("jit: a jitCall that feeds its arguments in reverse order", () => {
    patched("jitCall", { impl: (args, { jaxpr }) => evalJaxpr(jaxpr, args.slice().reverse()) as never }, () => expectCaught("sub", "jit"));
  });

  test("grad: a linear primitive without its transpose rule", () => {
    patched("pad", { transpose: undefined }, () => expectCaught("pad", "grad"));
  });

  test("grad: a reduction whose cotangent is not broadcast back", () => {
    patched(
      "reduceSum",
      {
        transpose: ([ct], [x], { axes }) => {
          const shape = (x as unknown as { aval: { shape: number[] } }).aval.shape;
          const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
          return [ops.mul(ops.broadcastInDim(ct, shape, kept), ops.full(shape, 2, ct.dtype))];
        },
      },
      () => expectCaught("reduceSum", "grad"),
    );
  });

  test("jvp2: a tangent rule right to first order but cut off from second-order derivatives", () => {
    const jvp: PrimitiveDef<"sin">["jvp"] = ([x], [xDot]) => [[ops.sin(x)], [ops.mul(ops.stopGradient(ops.cos(x)), xDot)]];
    patched("sin", { jvp }, () => {
      expect(() => runCheck(cases.sin as AnyDef, "jvp", { numRuns: RUNS })).not.toThrow();
      expectCaught("sin", "jvp2");
    });
  });
});

/** A deliberately wrong slice kernel: every stride taken as 1. */
function primitivesImplSlice(x: Parameters<PrimitiveDef<"slice">["impl"]>[0][0], start: readonly number[], limit: readonly number[]) {
  return primitivesSliceImpl([x], { start, limit, strides: start.map(() => 1) });
}

const primitivesSliceImpl = primitives.slice.impl.bind(primitives.slice);
