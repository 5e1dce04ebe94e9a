/** @file The memory model of plans (compiler/memory.ts): peak live bytes of intermediates, by hand-counted programs. */
import { describe, expect, test } from "vitest";
import { ShapedArray } from "../../src/core/aval.js";
import { makeJaxprFlat } from "../../src/core/make-jaxpr.js";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { bytesOf, peakLiveBytes } from "../../src/compiler/memory.js";
import { checkpoint, peakBytes } from "../../src/index.js";

type T = AnyTensor;
const dot = (a: T, b: T): T => ops.dotGeneral(a, b, { contract: [[1], [0]], batch: [[], []] });
const f32 = (shape: number[]) => new ShapedArray(shape, "float32");

describe("peakLiveBytes", () => {
  test("bytes of a buffer by dtype", () => {
    expect(bytesOf(f32([3, 4]))).toBe(48);
    expect(bytesOf(new ShapedArray([3, 4], "float64"))).toBe(96);
    expect(bytesOf(new ShapedArray([5], "bool"))).toBe(5);
  });

  test("a chain of products holds two intermediates at a time; inputs and outputs are not counted", () => {
    // a = x·w, b = a·w, c = b·w, out = c·w: while b is made, a is still live (then freed).
    const { jaxpr } = makeJaxprFlat((x, w) => [dot(dot(dot(dot(x, w), w), w), w)], [f32([10, 10]), f32([10, 10])]);
    expect(peakLiveBytes(jaxpr)).toBe(2 * 400);
  });

  test("values kept for later raise the peak", () => {
    // a, b, c all live until the sums at the end, one fused loop writing the output.
    const { jaxpr } = makeJaxprFlat(
      (x, w) => {
        const a = dot(x, w);
        const b = dot(a, w);
        const c = dot(b, w);
        return [ops.add(ops.add(a, b), c)];
      },
      [f32([10, 10]), f32([10, 10])],
    );
    expect(peakLiveBytes(jaxpr)).toBe(3 * 400);
  });

  test("a checkpoint's own intermediates count while it runs", () => {
    // inner: two intermediates at a time (800 bytes); outer: a stays live across the call.
    const inner = checkpoint((x: T, w: T) => dot(dot(dot(x, w), w), w));
    const x = ops.full([10, 10], 1, "float32");
    expect(peakBytes((u: T, w: T) => {
      const a = dot(u, w);
      return dot(inner(a, w), a);
    })(x, x)).toBe(400 + 800);
  });
});
