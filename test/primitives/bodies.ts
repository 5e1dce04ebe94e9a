/**
 * @file Small differentiable programs of float inputs that the harness stages into the params of
 * call-like primitives (`jitCall`, the custom-derivative calls, `checkpoint`).
 */
import fc from "fast-check";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import type { DType } from "../../src/dtype.js";
import { dimArb, shapeArb, type ValueKind } from "../helpers/random-shapes.js";

type T = AnyTensor;

/** A small program to stage: the shapes and smooth-mode kinds of its arguments, and the program. */
export interface Body {
  readonly name: string;
  /** Shapes of its arguments. */
  readonly shapes: fc.Arbitrary<number[][]>;
  /** Smooth-mode kinds of its arguments. */
  readonly kinds: readonly ValueKind[];
  /** The program (it may close over tensors, which become constants of the jaxpr). */
  build(shapes: number[][], dtype: DType): (...xs: T[]) => T[];
}

/** Bodies every call-like primitive's case draws from (each case adds its own closures). */
export const COMMON_BODIES: readonly Body[] = [
  {
    name: "sinMulExp",
    shapes: shapeArb().map((s) => [s, s]),
    kinds: ["real", "real"],
    build: () => (x, y) => [ops.add(ops.mul(ops.sin(x), y), ops.exp(x))],
  },
  {
    name: "twoOutputs",
    shapes: shapeArb({ minRank: 1 }).map((s) => [s]),
    kinds: ["real"],
    build: () => (x) => [ops.reduceSum(ops.tanh(x), [x.ndim - 1]), ops.mul(x, x)],
  },
  {
    name: "matmulTanh",
    shapes: fc.tuple(dimArb(), dimArb(), dimArb()).map(([m, k, n]) => [
      [m, k],
      [k, n],
    ]),
    kinds: ["real", "real"],
    build: () => (a, b) => [ops.tanh(ops.dotGeneral(a, b, { contract: [[1], [0]], batch: [[], []] }))],
  },
];
