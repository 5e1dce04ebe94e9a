/**
 * @file Reliability: creation ops and samplers refuse inputs they would otherwise turn into
 * silently wrong tensors (wrapped or truncated int32, NaN-filled data, clamped samples, unknown
 * dtypes) and build large tensors without a JS array in between; printing formats only what it shows.
 */
import { describe, expect, test } from "vitest";
import { isLeft, isRight } from "fp-ts/lib/Either.js";
import { arange, cast, DTypeError, eye, fromArray, full, jit, linspace, ones, random, ShapeError, tensor, zeros, type Tensor } from "../../src/index.js";
import type { AnyTensor } from "../../src/core/ops.js";

type Case = { name: string; run: () => unknown; error: new (...args: never[]) => Error; message: RegExp };

const key = random.key(0);
const u = <T>(x: T) => x as never;

/** Every case throws exactly `error` with a message matching `message`. */
function expectThrows(cases: readonly Case[]): void {
  test.each(cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    let caught: unknown;
    try {
      c.run();
    } catch (e) {
      caught = e;
    }
    expect(caught, `${c.name} did not throw`).toBeInstanceOf(c.error);
    expect((caught as Error).constructor).toBe(c.error);
    expect((caught as Error).message).toMatch(c.message);
  });
}

/** A valid computation after the failures still gives the right answer. */
function expectStillWorks(): void {
  test("a valid computation afterwards is right", () => {
    expect(Array.from(tensor([1, -2, 3], "int32").data())).toEqual([1, -2, 3]);
    expect(Array.from(full([2], 2 ** 31 - 1, "int32").data())).toEqual([2147483647, 2147483647]);
    expect(Array.from(arange(4).data())).toEqual([0, 1, 2, 3]);
    expect(eye(2).toArray()).toEqual([[1, 0], [0, 1]]);
  });
}

describe("int32 creation rejects values it cannot hold (item 2)", () => {
  expectThrows([
    { name: "full 1e10", run: () => full([2], 1e10, "int32"), error: RangeError, message: /^full: value 10000000000 is out of int32 range/ },
    { name: "full 1.5", run: () => full([2], 1.5, "int32"), error: RangeError, message: /^full: value 1\.5 is not an integer/ },
    { name: "full NaN", run: () => full([2], NaN, "int32"), error: RangeError, message: /^full: value NaN is not an integer/ },
    { name: "full -2^31-1", run: () => full([1], -(2 ** 31) - 1, "int32"), error: RangeError, message: /^full: value -2147483649 is out of int32 range/ },
    { name: "tensor 2^40 at index 1", run: () => tensor([1, 2 ** 40], "int32"), error: RangeError, message: /^tensor: value 1099511627776 at index 1 is out of int32 range/ },
    { name: "tensor 1.5 nested", run: () => tensor([[1, 2], [3, 1.5]], "int32"), error: RangeError, message: /^tensor: value 1\.5 at index 3 is not an integer/ },
    { name: "linspace int32 fractions", run: () => linspace(0, 1, 3, "int32"), error: RangeError, message: /^linspace: value 0\.5 at index 1 is not an integer/ },
    { name: "randint 2^40", run: () => random.randint(key, [3], 0, 2 ** 40), error: RangeError, message: /^random\.randint: bounds 0, 1099511627776 exceed int32/ },
    { name: "randint below -2^31", run: () => random.randint(key, [3], -(2 ** 32), 0), error: RangeError, message: /^random\.randint: bounds -4294967296, 0 exceed int32/ },
  ]);

  test("fromArray keeps its Either: out-of-range and fractional int32 data are a Left naming the element", () => {
    const big = fromArray([2 ** 40], [1], "int32");
    expect(isLeft(big) && big.left).toBeInstanceOf(ShapeError);
    expect(isLeft(big) && big.left.message).toBe("fromArray: element 0 (1099511627776) is not a valid int32 value: out of int32 range [-2147483648, 2147483647]");
    const neg = fromArray(new Float64Array([0, -(2 ** 31) - 1]), [2], "int32");
    expect(isLeft(neg) && neg.left.message).toMatch(/^fromArray: element 1 \(-2147483649\) is not a valid int32 value: out of int32 range/);
    const frac = fromArray([1.5], [1], "int32");
    expect(isLeft(frac) && frac.left.message).toBe("fromArray: element 0 (1.5) is not a valid int32 value");
  });

  test("the int32 limits themselves are fine, and zeros/ones are unaffected", () => {
    expect(Array.from(tensor([-(2 ** 31), 2 ** 31 - 1], "int32").data())).toEqual([-2147483648, 2147483647]);
    const r = fromArray([-(2 ** 31), 2 ** 31 - 1], [2], "int32");
    expect(isRight(r) && Array.from(r.right.data())).toEqual([-2147483648, 2147483647]);
    expect(Array.from(ones([2], "int32").data())).toEqual([1, 1]);
    expect(Array.from(zeros([2], "int32").data())).toEqual([0, 0]);
  });

  test("randint floors: every value in [minval, maxval) appears, negative ones included", () => {
    const values = Array.from(random.randint(key, [20000], -5, 5).data());
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-5, -4, -3, -2, -1, 0, 1, 2, 3, 4]);
    // Truncation toward zero used to give 0 twice its share (~4000 of 20000) and -5 none.
    for (const c of counts.values()) expect(c).toBeLessThan(2600);
    const full32 = Array.from(random.randint(key, [1000], -(2 ** 31), 2 ** 31).data());
    expect(full32.every((v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)).toBe(true);
  });
  expectStillWorks();
});

describe("cast to int32 saturates as JAX's conversions do (item 4)", () => {
  const x = [1.7, -1.7, -0.5, NaN, Infinity, -Infinity, 2 ** 31, -(2 ** 31) - 256, 3e9, 2147483520, -2147483648];
  const want = [1, -1, 0, 0, 2147483647, -2147483648, 2147483647, -2147483648, 2147483647, 2147483520, -2147483648];
  test.each(["float32", "float64"] as const)("from %s: truncation toward zero, NaN to 0, everything past the range to its ends (eager and jit)", (dt) => {
    expect(Array.from(cast(tensor(x, dt), "int32").data())).toEqual(want);
    expect(Array.from(jit((t: Tensor<[11], typeof dt>) => cast(t, "int32"))(tensor(x, dt) as never).data())).toEqual(want);
  });
  test("float64 values just inside and past the ends", () => {
    expect(Array.from(cast(tensor([2 ** 31 - 1, 2 ** 31 - 0.5, 2 ** 32 + 5, 1e20, -(2 ** 31) - 0.5], "float64"), "int32").data())).toEqual([2147483647, 2147483647, 2147483647, 2147483647, -2147483648]);
  });
});

describe("float32 creation rejects finite values that would become ±Infinity", () => {
  expectThrows([
    { name: "tensor 1e40", run: () => tensor([1, 1e40]), error: RangeError, message: /^tensor: value 1e\+40 at index 1 overflows float32 \(largest finite 3\.4028234663852886e\+38\)$/ },
    { name: "full -1e39", run: () => full([2], -1e39), error: RangeError, message: /^full: value -1e\+39 overflows float32/ },
    { name: "linspace to 1e39", run: () => linspace(0, 1e39, 3), error: RangeError, message: /^linspace: value 5e\+38 at index 1 overflows float32/ },
  ]);

  test("fromArray gives a Left naming the element; float64, infinities and the largest float32 still work", () => {
    const big = fromArray([0, 1e40], [2]);
    expect(isLeft(big) && big.left.constructor).toBe(ShapeError);
    expect(isLeft(big) && big.left.message).toBe("fromArray: element 1 (1e+40) overflows float32 (largest finite 3.4028234663852886e+38)");
    const wide = fromArray([1e40], [1], "float64");
    expect(isRight(wide) && Array.from(wide.right.data())).toEqual([1e40]);
    expect(Array.from(tensor([Infinity, -Infinity, 3.4028234663852886e38, 1e-50]).data())).toEqual([Infinity, -Infinity, 3.4028234663852886e38, 0]);
  });
});

describe("fromArray: non-array data is a Left naming the value and its index (item 3)", () => {
  const cases: { name: string; data: unknown; message: RegExp }[] = [
    { name: "array-like of strings and objects", data: { length: 2, 0: "a", 1: {} }, message: /^fromArray: element \[0\] is not a number \(string "a"\)$/ },
    { name: "array-like, bad second element", data: { length: 2, 0: 1, 1: {} }, message: /^fromArray: element \[1\] is not a number \(object of class Object\)$/ },
    { name: "array-like with a hole", data: { length: 2, 0: 1 }, message: /^fromArray: element \[1\] is not a number \(undefined undefined\)$/ },
    { name: "BigInt64Array", data: new BigInt64Array([1n, 2n]), message: /^fromArray: element \[0\] is not a number \(bigint 1n\)$/ },
    { name: "array with an object", data: [1, {}], message: /^fromArray: element \[1\] is not a number \(object of class Object\)$/ },
    { name: "null", data: null, message: /^fromArray: expected an array or typed array, got null$/ },
    { name: "undefined", data: undefined, message: /^fromArray: expected an array or typed array, got undefined undefined$/ },
    { name: "a string", data: "ab", message: /^fromArray: expected an array or typed array, got string "ab"$/ },
    { name: "an object without length", data: { 0: 1 }, message: /^fromArray: expected an array or typed array, got object of class Object \(its length is undefined undefined\)$/ },
    { name: "negative length", data: { length: -1 }, message: /its length is number -1/ },
  ];
  test.each(cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const r = fromArray(c.data as never, [2]);
    expect(isLeft(r)).toBe(true);
    if (isLeft(r)) {
      expect(r.left.constructor).toBe(ShapeError);
      expect(r.left.message).toMatch(c.message);
    }
  });
  test("numeric array-likes and typed arrays still work", () => {
    const r = fromArray({ length: 2, 0: 1.5, 1: -2 } as never, [2]);
    expect(isRight(r) && Array.from(r.right.data())).toEqual([1.5, -2]);
    const t = fromArray(new Int32Array([3, 4]), [2]);
    expect(isRight(t) && t.right.dtype).toBe("int32");
  });
});

describe("uniform refuses bounds that give no distribution (item 4)", () => {
  expectThrows([
    { name: "maxval Infinity", run: () => random.uniform(key, [3], { maxval: Infinity }), error: RangeError, message: /^random\.uniform: .*minval 0, maxval Infinity$/ },
    { name: "minval -Infinity", run: () => random.uniform(key, [3], { minval: -Infinity }), error: RangeError, message: /^random\.uniform: .*minval -Infinity, maxval 1$/ },
    { name: "NaN maxval", run: () => random.uniform(key, [3], { maxval: NaN }), error: RangeError, message: /^random\.uniform: .*minval 0, maxval NaN$/ },
    { name: "NaN minval", run: () => random.uniform(key, [3], { minval: NaN }), error: RangeError, message: /^random\.uniform: .*minval NaN, maxval 1$/ },
    { name: "minval > maxval", run: () => random.uniform(key, [3], { minval: 2, maxval: 1 }), error: RangeError, message: /^random\.uniform: .*minval 2, maxval 1$/ },
    { name: "float32 width overflows", run: () => random.uniform(key, [3], { minval: -3e38, maxval: 3e38 }), error: RangeError, message: /^random\.uniform: .*finite float32 width.*minval -3e\+38, maxval 3e\+38$/ },
    { name: "non-float dtype", run: () => random.uniform(key, [3], { dtype: u("int32") }), error: DTypeError, message: /^random\.uniform: dtype must be "float32" or "float64", got "int32"$/ },
  ]);
  test("valid bounds still sample inside them", () => {
    const s = Array.from(random.uniform(key, [1000], { minval: -3e38, maxval: 3e38, dtype: "float64" }).data());
    expect(s.every((v) => v >= -3e38 && v < 3e38)).toBe(true);
    const t = Array.from(random.uniform(key, [1000], { minval: 2, maxval: 3 }).data());
    expect(t.every((v) => v >= 2 && v < 3)).toBe(true);
  });
});

describe("sizes: typed arrays directly, RangeError past what a tensor holds (item 5)", () => {
  expectThrows([
    { name: "arange(2^31)", run: () => arange(2 ** 31), error: RangeError, message: /^arange: size 2147483648 exceeds the 2147483647 elements/ },
    { name: "arange(1e300)", run: () => arange(1e300), error: RangeError, message: /^arange: size 1e\+300 exceeds/ },
    { name: "arange(Infinity)", run: () => arange(Infinity), error: RangeError, message: /^arange: start, stop and step must be finite, got 0, Infinity, 1$/ },
    { name: "arange(NaN)", run: () => arange(NaN), error: RangeError, message: /^arange: start, stop and step must be finite, got 0, NaN, 1$/ },
    { name: "eye(50000)", run: () => eye(50000), error: RangeError, message: /^eye: size 2500000000 exceeds/ },
    { name: "zeros past the cap", run: () => zeros([2 ** 16, 2 ** 16]), error: RangeError, message: /^zeros: size 4294967296 exceeds/ },
    { name: "linspace past the cap", run: () => linspace(0, 1, 2 ** 31), error: RangeError, message: /^linspace: size 2147483648 exceeds/ },
    { name: "split(key, 2^31)", run: () => random.split(key, 2 ** 31), error: RangeError, message: /^random\.split: size 4294967296 exceeds/ },
    { name: "split(key, 1.5)", run: () => random.split(key, 1.5), error: RangeError, message: /^random\.split: num must be a non-negative integer, got 1\.5$/ },
    { name: "split(key, -1)", run: () => random.split(key, -1), error: RangeError, message: /^random\.split: num must be a non-negative integer, got -1$/ },
    { name: "eye(-1) is a bad dim", run: () => eye(-1), error: ShapeError, message: /^eye: invalid dim -1/ },
  ]);
  test("the typed-array builders give the same values as before", () => {
    expect(Array.from(arange(2, 10, 3).data())).toEqual([2, 5, 8]);
    expect(Array.from(arange(5, 0, -2).data())).toEqual([5, 3, 1]);
    expect(eye(2, 3, "int32").toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(eye(3, 2, "bool").toArray()).toEqual([[true, false], [false, true], [false, false]]);
    expect(Array.from(linspace(0, 1, 5).data())).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(Array.from(linspace(0, 10, 3, "int32").data())).toEqual([0, 5, 10]);
    expect((random.split(key, 3) as unknown as AnyTensor).shape).toEqual([3, 2]);
  });
  expectStillWorks();
});

describe("printing formats only what it shows (item 6)", () => {
  test("a 10^7-element tensor prints a short summary", () => {
    const s = String(zeros([1e7]));
    expect(s).toBe("tensor([0., 0., 0., ..., 0., 0., 0.], dtype=float32)");
    const m = String(arange(3000 * 4000).reshape([3000, 4000] as never));
    // 7 rows of 7 cells (3 + "..." + 3) each, whatever the 12 million elements are.
    expect(m.length).toBeLessThan(1000);
    expect(m.split("\n")).toHaveLength(7);
    expect(m.split("\n")[3].trim()).toBe("...,");
    expect(m).toMatch(/^tensor\(\[\[ +0\., +1\., +2\., \.\.\., +3997\., +3998\., +3999\.\],/);
  });
  test("small tensors print as before", () => {
    expect(String(tensor([[1, 2], [3, 4]]))).toBe("tensor([[1., 2.],\n        [3., 4.]], dtype=float32)");
    expect(String(tensor([1, -20], "int32"))).toBe("tensor([  1, -20], dtype=int32)");
  });
});

describe("unknown dtype names are a DTypeError naming the op (item 7)", () => {
  const valid = /expected one of "bool", "int32", "float32", "float64"$/;
  expectThrows([
    { name: "fromArray float16", run: () => fromArray([1, 2], [2], u("float16")), error: DTypeError, message: new RegExp(`^fromArray: unknown dtype "float16"; ${valid.source}`) },
    { name: "zeros int8", run: () => zeros([2], u("int8")), error: DTypeError, message: new RegExp(`^zeros: unknown dtype "int8"; ${valid.source}`) },
    { name: "ones x", run: () => ones([2], u("x")), error: DTypeError, message: /^ones: unknown dtype "x"/ },
    { name: "full x", run: () => full([2], 1, u("x")), error: DTypeError, message: /^full: unknown dtype "x"/ },
    { name: "tensor x", run: () => tensor([1], u("x")), error: DTypeError, message: new RegExp(`^tensor: unknown dtype "x"; ${valid.source}`) },
    { name: "eye f32", run: () => eye(2, 2, u("f32")), error: DTypeError, message: /^eye: unknown dtype "f32"/ },
    { name: "linspace null", run: () => linspace(0, 1, 2, u(null)), error: DTypeError, message: /^linspace: unknown dtype null/ },
    { name: "cast f32", run: () => cast(tensor([1.5]), u("f32")), error: DTypeError, message: new RegExp(`^cast: unknown dtype "f32"; ${valid.source}`) },
    { name: "uniform float16", run: () => random.uniform(key, [2], { dtype: u("float16") }), error: DTypeError, message: /^random\.uniform: unknown dtype "float16"/ },
    { name: "toString is not a dtype", run: () => zeros([2], u("toString")), error: DTypeError, message: /^zeros: unknown dtype "toString"/ },
  ]);
  test("valid dtypes still work", () => {
    expect(Array.from(cast(tensor([1.5, -1.5]), "int32").data())).toEqual([1, -1]);
    expect(zeros([2], "float64").dtype).toBe("float64");
  });
});
