/**
 * @file Reliability: `jit` keys its trace cache on static arguments by `Object.is`, so a call
 * never reuses the trace made for another static value (NaN vs Infinity, −0 vs 0, undefined vs
 * null, "1" vs 1), and the traced function always sees the value it was called with.
 */
import { describe, expect, test } from "vitest";
import { jit, tensor, type Tensor } from "../../src/index.js";
import { staticKey } from "../../src/internal/static-key.js";

const x = tensor([1, 2]);

/** A jitted function that records, per trace, the static value it saw, and returns `x` unchanged. */
function recorder() {
  const seen: unknown[] = [];
  const f = jit((t: Tensor<[2]>, s: unknown) => {
    seen.push(s);
    return t;
  });
  return { f, seen };
}

// Pairs that JSON.stringify (the old key) could not tell apart, or that differ only by type.
const pairs: { name: string; a: unknown; b: unknown }[] = [
  { name: "NaN then Infinity", a: NaN, b: Infinity },
  { name: "Infinity then -Infinity", a: Infinity, b: -Infinity },
  { name: "NaN then null", a: NaN, b: null },
  { name: "0 then -0", a: 0, b: -0 },
  { name: "-0 then 0", a: -0, b: 0 },
  { name: "undefined then null", a: undefined, b: null },
  { name: "null then undefined", a: null, b: undefined },
  { name: '1 then "1"', a: 1, b: "1" },
  { name: "true then 1", a: true, b: 1 },
  { name: 'false then "false"', a: false, b: "false" },
  { name: '"a,b" then ["a", "b"]', a: "a,b", b: ["a", "b"] },
  { name: "nested NaN then Infinity", a: { lr: [NaN, 1] }, b: { lr: [Infinity, 1] } },
  { name: "nested -0 then 0", a: [{ v: -0 }], b: [{ v: 0 }] },
  { name: "nested undefined then null", a: { o: undefined }, b: { o: null } },
];

describe("jit static keys distinguish values as Object.is does", () => {
  test.each(pairs.map((p) => [p.name, p] as const))("%s: two traces, each sees its own value", (_, { a, b }) => {
    const { f, seen } = recorder();
    f(x, a);
    f(x, b);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toStrictEqual(a);
    expect(seen[1]).toStrictEqual(b);
    // toStrictEqual treats ±0 alike; pin the sign where it is the point.
    if (typeof a === "number") expect(Object.is(seen[0], a) && Object.is(seen[1], b)).toBe(true);
    if (Array.isArray(a) && typeof a[0] === "object") {
      expect(Object.is((seen[0] as { v: number }[])[0].v, -0)).toBe(true);
      expect(Object.is((seen[1] as { v: number }[])[0].v, 0)).toBe(true);
    }
  });

  test.each([NaN, Infinity, -Infinity, -0, 0, undefined, null, "s", true, [1, { k: NaN }]])("the same static %s hits the cache", (v) => {
    const { f, seen } = recorder();
    f(x, v);
    f(x, v);
    expect(seen).toHaveLength(1);
  });

  test("the static value reaches the computation", () => {
    const scale = jit((t: Tensor<[2]>, s: number) => t.mul(s));
    expect(Array.from(scale(x, NaN).data())).toEqual([NaN, NaN]);
    expect(Array.from(scale(x, Infinity).data())).toEqual([Infinity, Infinity]);
    expect(Array.from(scale(x, -Infinity).data())).toEqual([-Infinity, -Infinity]);
    expect(Object.is(scale(x, -0).data()[0], -0)).toBe(true);
    expect(Object.is(scale(x, 0).data()[0], 0)).toBe(true);
    expect(Array.from(scale(x, 3).data())).toEqual([3, 6]);
  });

  test("an explicit undefined argument reaches the function as undefined", () => {
    const f = jit((t: Tensor<[2]>, opt?: { bias?: number }) => (opt === undefined ? t : t.add(opt.bias ?? 100)));
    expect(Array.from(f(x, undefined).data())).toEqual([1, 2]);
    expect(Array.from(f(x, {}).data())).toEqual([101, 102]);
    expect(Array.from(f(x, { bias: 1 }).data())).toEqual([2, 3]);
  });
});

describe("compiler keys tell -0 from 0", () => {
  test("CSE keeps the literals 0 and -0 apart in one trace", () => {
    const f = jit((t: Tensor<[2]>) => [t.mul(0), t.mul(-0)] as const);
    const [a, b] = f(x);
    expect(Object.is(a.data()[0], 0) && Object.is(b.data()[0], -0)).toBe(true);
  });
  test("a kernel compiled for -0 is not reused for 0", () => {
    const g = (t: Tensor<[2]>, s: number) => t.mul(s);
    expect(Object.is(jit(g)(x, -0).data()[0], -0)).toBe(true);
    expect(Object.is(jit(g)(x, 0).data()[0], 0)).toBe(true);
  });
});

describe("staticKey", () => {
  const values: unknown[] = [0, -0, NaN, Infinity, -Infinity, 1, "1", "", true, false, "true", null, undefined, 1n, [], {}, [1], ["1"], { a: 1 }, { a: "1" }, [null], [undefined]];
  test("distinct values (by Object.is) give distinct keys", () => {
    const keys = values.map(staticKey);
    expect(new Set(keys).size).toBe(values.length);
  });
  test("equal values give equal keys; objects by structure, functions by identity", () => {
    expect(staticKey(NaN)).toBe(staticKey(0 / 0));
    expect(staticKey({ a: [1, -0] })).toBe(staticKey({ a: [1, -0] }));
    const g = () => 1;
    expect(staticKey(g)).toBe(staticKey(g));
    expect(staticKey(g)).not.toBe(staticKey(() => 1));
    expect(staticKey(new Date(0))).not.toBe(staticKey(new Date(0)));
  });
});
