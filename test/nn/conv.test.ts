import { describe, expect, test } from "vitest";
import { random } from "../../src/index.js";
import { avgPool2d, conv2d, maxPool2d } from "../../src/nn/index.js";
import { ShapeError } from "../../src/shape/errors.js";
import { checkGrad, convReference, data, expectClose, poolReference, probe, toF64, vals, type T } from "./helpers.js";

describe("conv2d against a nested-loop reference", () => {
  const cases = [
    { x: [2, 5, 5, 3], k: 3, c: 3, o: 4, s: 1, pad: "valid" },
    { x: [2, 5, 5, 3], k: 3, c: 3, o: 4, s: 1, pad: "same" },
    { x: [1, 7, 6, 2], k: 3, c: 2, o: 3, s: 2, pad: "valid" },
    { x: [1, 7, 6, 2], k: 3, c: 2, o: 3, s: 2, pad: "same" },
    { x: [2, 6, 6, 1], k: 4, c: 1, o: 2, s: 2, pad: "same" },
    { x: [1, 4, 4, 2], k: 1, c: 2, o: 5, s: 1, pad: "valid" },
  ] as const;
  test.each(cases)("x $x, kernel $k, stride $s, $pad", ({ x, k, c, o, s, pad }) => {
    const layer = conv2d(c, o, k, { stride: s, padding: pad });
    const p = toF64(layer.init(random.key(3)));
    const b = data([o], 7);
    const params = { w: p.w, b };
    const input = data([...x], 11);
    const y = layer.apply(params as never, input as never) as unknown as T;
    const ref = convReference(vals(input), [...x], vals(p.w), [k, k, c, o], vals(b), [s, s], pad);
    expect(y.shape).toEqual(ref.shape);
    expectClose(vals(y), ref.out, 1e-12);
  });

  test("a rectangular kernel and stride", () => {
    const layer = conv2d(2, 3, [2, 3], { stride: [1, 2], padding: "same" });
    const params = toF64(layer.init(random.key(1)));
    const input = data([1, 5, 7, 2], 4);
    const y = layer.apply(params, input as never) as unknown as T;
    const ref = convReference(vals(input), [1, 5, 7, 2], vals(params.w), [2, 3, 2, 3], vals(params.b), [1, 2], "same");
    expect(y.shape).toEqual(ref.shape);
    expectClose(vals(y), ref.out, 1e-12);
  });

  test("the HWIO kernel and bias have named, typed fields", () => {
    const p = conv2d(3, 8, 5).init(random.key(0));
    expect((p.w as unknown as T).shape).toEqual([5, 5, 3, 8]);
    expect((p.b as unknown as T).shape).toEqual([8]);
    expect(vals(p.b)).toEqual(new Array(8).fill(0));
  });

  test("wrong channels or a too-large kernel throw ShapeError with the compile-time text", () => {
    const layer = conv2d(3, 8, 5);
    const p = layer.init(random.key(0));
    expect(() => layer.apply(p, data([2, 28, 28, 1]) as never)).toThrow(
      new ShapeError("conv2d(3, 8, 5) expects input [height, width, 3] but got [28, 28, 1]"),
    );
    expect(() => layer.apply(p, data([2, 4, 4, 3]) as never)).toThrow(
      "conv2d(3, 8, 5): kernel 5 is larger than padded input 4 (input 4, padding 0+0)",
    );
  });
});

describe("pooling against a nested-loop reference", () => {
  const cases = [
    { kind: "max", x: [2, 4, 4, 3], k: 2, s: undefined },
    { kind: "max", x: [1, 7, 5, 2], k: 3, s: 2 },
    { kind: "max", x: [1, 6, 6, 1], k: 2, s: 1 },
    { kind: "avg", x: [2, 4, 4, 3], k: 2, s: undefined },
    { kind: "avg", x: [1, 7, 5, 2], k: 3, s: 2 },
    // windows that tile the input
    { kind: "max", x: [2, 6, 9, 2], k: 3, s: undefined },
    { kind: "max", x: [3, 4, 6, 1], k: [2, 3], s: undefined },
    { kind: "avg", x: [2, 6, 9, 2], k: 3, s: 3 },
  ] as const;
  test.each(cases)("$kind pool of $x, window $k, stride $s", ({ kind, x, k, s }) => {
    const layer = kind === "max" ? maxPool2d(k, s) : avgPool2d(k, s);
    const input = data([...x], 5);
    const y = layer.apply({}, input as never) as unknown as T;
    const kk: [number, number] = typeof k === "number" ? [k, k] : [k[0], k[1]];
    const ss: [number, number] = s === undefined ? kk : [s, s];
    const ref = poolReference(vals(input), [...x], kk, ss, kind);
    expect(y.shape).toEqual(ref.shape);
    expectClose(vals(y), ref.out, 1e-12);
  });

  test("a window larger than the input is a ShapeError", () => {
    expect(() => maxPool2d(3).apply({}, data([1, 2, 2, 1]) as never)).toThrow(ShapeError);
  });
});

describe("gradients through conv and pooling vs finite differences (float64)", () => {
  test.each([
    { s: 1, pad: "valid" },
    { s: 2, pad: "same" },
  ] as const)("conv2d stride $s $pad: params and input", ({ s, pad }) => {
    const layer = conv2d(2, 3, 3, { stride: s, padding: pad });
    const params = { ...toF64(layer.init(random.key(2))), b: data([3], 3) };
    const x = data([2, 5, 4, 2], 8);
    checkGrad((p: typeof params) => probe(layer.apply(p, x as never) as unknown as T), params);
    checkGrad((xx: T) => probe(layer.apply(params, xx as never) as unknown as T), x);
  });

  test("maxPool2d and avgPool2d: input gradient", () => {
    const x = data([2, 5, 5, 2], 13); // distinct values: no ties
    checkGrad((xx: T) => probe(maxPool2d(2, 1).apply({}, xx as never) as unknown as T), x);
    checkGrad((xx: T) => probe(avgPool2d(3, 2).apply({}, xx as never) as unknown as T), x);
    const tiled = data([2, 4, 6, 3], 14); // windows that tile the input, one of them 2×3
    checkGrad((xx: T) => probe(maxPool2d(2).apply({}, xx as never) as unknown as T), tiled);
    checkGrad((xx: T) => probe(avgPool2d([2, 3]).apply({}, xx as never) as unknown as T), tiled);
  });
});
